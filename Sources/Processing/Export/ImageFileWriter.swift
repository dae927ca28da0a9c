#if canImport(Glibc)
import Glibc
#endif

/// Saves an accumulated image (row-major, `height` rows of `width` values, NaN for masked
/// pixels) to a .npy or .tiff file, for `detview view --save` on exit. The file appears under
/// its final name only when it is complete and synced: it is written to a hidden temporary
/// file in the same directory, fsynced, and renamed into place (replacing an older file of
/// that name, which the returned `Placement` reports so the caller can say so); on any error
/// the temporary file is removed. Blocking; called by whoever owns the
/// pixels (the viewer, once, at exit) on its own thread.
public enum ImageFileWriter {
    /// Whether the image took a new name or replaced a file (or link) of that name.
    public enum Placement: Sendable, Equatable {
        case created
        case replaced
    }

    /// Writes 32-bit float samples ('<f4' in .npy, BitsPerSample 32 in TIFF). `description`
    /// goes into the TIFF ImageDescription; .npy has no place for it.
    @discardableResult
    /// With `replacing` false an existing file of that name is left alone (EEXIST).
    public static func write(path: String, width: Int, height: Int, pixels: UnsafeBufferPointer<Float>,
                             description: String = "", replacing: Bool = true) throws(ExportError) -> Placement {
        try write(path: path, width: width, height: height, pixels: .float(pixels), description: description,
                  replacing: replacing)
    }

    /// Writes 64-bit float samples to .npy ('<f8'); TIFF gets 32-bit samples (rounded to the
    /// nearest Float), the only float size every TIFF reader takes.
    @discardableResult
    public static func write(path: String, width: Int, height: Int, pixels: UnsafeBufferPointer<Double>,
                             description: String = "") throws(ExportError) -> Placement {
        try write(path: path, width: width, height: height, pixels: .double(pixels), description: description)
    }

    private enum Layout {
        case npy(NpyWriter)
        case tiff(TiffWriter)
    }

    static func write(path: String, width: Int, height: Int, pixels: ExportPixels,
                      description: String, replacing: Bool = true) throws(ExportError) -> Placement {
        // Every argument check comes before the first file is created.
        let format = try ImageFileFormat(path: path)
        let count = try ExportError.pixelCount(width: width, height: height, bytesPerPixel: pixels.sample.byteCount)
        guard pixels.count == count else {
            throw .pixelCountMismatch(width: width, height: height, pixels: pixels.count)
        }
        let layout: Layout = switch format {
        case .npy: .npy(try NpyWriter(width: width, height: height, sample: pixels.sample))
        case .tiff: .tiff(try TiffWriter(width: width, height: height, description: description))
        }

        let (directory, name) = split(path)
        var file = try createTemporary(directory: directory, name: name)
        do throws(ExportError) {
            switch layout {
            case let .npy(writer): try writer.write(pixels, to: &file)
            case let .tiff(writer): try writer.write(pixels, to: &file)
            }
        } catch {
            ExportFile.removeQuietly(file.path)
            throw error
        }
        return try place(consume file, at: path, directory: directory, replacing: replacing)
    }

    /// Writes `bytes` that are a whole file already (a PNG) the same way: complete and synced
    /// before it takes its name. With `replacing` false an existing file of that name is never
    /// touched: the write fails with EEXIST (a snapshot then takes another name).
    @discardableResult
    public static func write(path: String, bytes: [UInt8], replacing: Bool) throws(ExportError) -> Placement {
        let (directory, name) = split(path)
        var file = try createTemporary(directory: directory, name: name)
        do throws(ExportError) {
            try file.write(bytes)
        } catch {
            ExportFile.removeQuietly(file.path)
            throw error
        }
        return try place(consume file, at: path, directory: directory, replacing: replacing)
    }

    /// Syncs and closes the written temporary file and gives it its name: a rename (which
    /// replaces), or, when nothing may be replaced, a hard link (which fails with EEXIST on a
    /// taken name, with no window between a check and the write) and the temporary's removal.
    private static func place(_ file: consuming ExportFile, at path: String, directory: String,
                              replacing: Bool) throws(ExportError) -> Placement {
        let temporary = file.path
        var placement = Placement.created
        do throws(ExportError) {
            try file.sync()
            try file.close()
            if replacing {
                // Looked at just before the rename (which cannot say what it replaced): only the
                // message depends on it, the write stays atomic either way.
                var existing = stat()
                if lstat(path, &existing) == 0 { placement = .replaced }
                try ExportFile.rename(temporary, to: path)
            } else {
                try ExportFile.link(temporary, to: path)
                ExportFile.removeQuietly(temporary)
            }
        } catch {
            ExportFile.removeQuietly(temporary)
            throw error
        }
        try ExportFile.syncDirectory(directory)
        return placement
    }

    /// The directory part ("." when there is none, "/" for the root) and the file name.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = path[..<slash]
        return (directory.isEmpty ? "/" : String(directory), String(path[path.index(after: slash)...]))
    }

    /// Prefix of the temporary files, so a leftover from a killed process is recognisable.
    static func temporaryPrefix(for name: String) -> String { ".\(name).detview-" }

    /// A new hidden file next to the target. O_EXCL with a random suffix: a name that is taken
    /// (another save running, a leftover) is skipped, never overwritten.
    private static func createTemporary(directory: String, name: String) throws(ExportError) -> ExportFile {
        var generator = SystemRandomNumberGenerator()
        var attempt = 0
        while true {
            let suffix = String(generator.next() as UInt64, radix: 36)
            let path = "\(directory)/\(temporaryPrefix(for: name))\(suffix).tmp"
            do throws(ExportError) {
                return try ExportFile.createNew(path)
            } catch {
                attempt += 1
                guard case .systemCall(_, _, EEXIST) = error, attempt < 16 else { throw error }
            }
        }
    }
}
