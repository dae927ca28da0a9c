#if canImport(Glibc)
import Glibc
#endif

/// The few file-system reads theme loading needs (a text file, a directory's `.toml` files, the
/// running binary's path), on Glibc: Theming imports no Platform, and none of these is a hot path
/// or holds a descriptor beyond the call.
enum ThemeFileSystem {
    /// Theme files are a few kilobytes; a larger file is not a theme.
    static let maximumFileBytes = 1 << 20

    static func readText(_ path: String) throws(ThemeError) -> String {
        guard let file = fopen(path, "re") else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            bytes += chunk[0..<count]
            if bytes.count > maximumFileBytes {
                throw .unreadable(path: path, reason: "larger than \(maximumFileBytes) bytes")
            }
            if count < chunk.count {
                if ferror(file) != 0 { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
                break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The `.toml` files directly in `directory`, sorted; none when it does not exist.
    static func tomlFiles(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name.hasSuffix(".toml"), !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted().map { directory + "/" + $0 }
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The running binary (`/proc/self/exe` resolved), nil when the link cannot be read.
    static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// "themes/light.toml" → "light".
    static func themeName(ofFile path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.hasSuffix(".toml") ? String(file.dropLast(5)) : file
    }

    /// The directory part of a path ("/a/b/c" → "/a/b"; "c" → ".").
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
