/// The file formats `--save` writes, chosen by the file name's extension (case-insensitive).
public enum ImageFileFormat: Sendable, Equatable {
    /// NumPy .npy version 1.0.
    case npy
    /// Baseline TIFF with floating-point samples (.tiff or .tif).
    case tiff

    public init(path: String) throws(ExportError) {
        let ext = Self.fileExtension(of: path)
        switch ext.lowercased() {
        case ".npy": self = .npy
        case ".tiff", ".tif": self = .tiff
        default: throw .unknownExtension(path: path, extension: ext)
        }
    }

    /// ".ext" of the last path component, or "" when it has no dot after its first character
    /// (a hidden file such as ".npy" has no extension).
    static func fileExtension(of path: String) -> String {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[dot...])
    }
}
