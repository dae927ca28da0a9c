#if canImport(Glibc)
import Glibc
#endif

/// Why an image could not be saved (`detview view --save`). Thrown by `ImageFileWriter`
/// before any file is created for bad arguments, and after the temporary file is removed for
/// system failures, so an error never leaves a file behind.
public enum ExportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file name ends in something other than .npy, .tiff or .tif ("" when it has none).
    case unknownExtension(path: String, extension: String)
    /// A side that is not positive, or a pixel count (or byte count) that does not fit an Int.
    case invalidSize(width: Int, height: Int)
    /// The pixel buffer does not hold width × height values.
    case pixelCountMismatch(width: Int, height: Int, pixels: Int)
    /// A classic TIFF addresses its bytes with 32-bit offsets: at most 4 GiB - 1 bytes.
    case tooLargeForTiff(bytes: UInt64)
    /// A system call failed; `path` is the file or directory it was called on.
    case systemCall(call: String, path: String, errno: Int32)
    /// The PNG encoder (libpng) refused the picture, with its message.
    case encoder(String)

    public var description: String {
        switch self {
        case let .unknownExtension(path, ext):
            "cannot save '\(path)': unknown extension '\(ext.isEmpty ? "(none)" : ext)' (use .npy, .tiff or .tif)"
        case let .invalidSize(width, height):
            "cannot save an image of \(width)×\(height) pixels"
        case let .pixelCountMismatch(width, height, pixels):
            "cannot save a \(width)×\(height) image from \(pixels) pixel values"
        case let .tooLargeForTiff(bytes):
            "a TIFF file of \(bytes) bytes is over the 4 GiB limit of classic TIFF: save as .npy"
        case let .systemCall(call, path, code):
            "\(call)(\(path)) failed: \(Self.text(errno: code)) (errno \(code))"
        case let .encoder(message):
            message
        }
    }

    private static func text(errno code: Int32) -> String {
        guard let text = strerror(code) else { return "unknown error" }
        return String(cString: text)
    }

    /// width × height, or `.invalidSize` (also when `bytesPerPixel` times it overflows).
    static func pixelCount(width: Int, height: Int, bytesPerPixel: Int) throws(ExportError) -> Int {
        guard width > 0, height > 0 else { throw .invalidSize(width: width, height: height) }
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        let (_, bytesOverflow) = count.multipliedReportingOverflow(by: bytesPerPixel)
        guard !overflow, !bytesOverflow else { throw .invalidSize(width: width, height: height) }
        return count
    }
}
