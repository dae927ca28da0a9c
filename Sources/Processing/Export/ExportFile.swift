#if canImport(Glibc)
import Glibc
#endif

/// An open file being written by `ImageFileWriter`, and the few other file-system calls the
/// export needs, each wrapped once with a typed error that names the call, the path and errno.
/// Owned by the one thread that saves; the descriptor is closed in `deinit` if `close` was
/// not reached (an error path).
struct ExportFile: ~Copyable {
    let path: String
    private var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Creates `path`, which must not exist yet (O_EXCL: never follows or reuses a name someone
    /// else made), for writing only.
    static func createNew(_ path: String) throws(ExportError) -> ExportFile {
        while true {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 { return ExportFile(path: path, fd: fd) }
            let code = errno
            if code != EINTR { throw .systemCall(call: "open", path: path, errno: code) }
        }
    }

    /// Writes all of `bytes`, going on after partial writes and EINTR.
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws(ExportError) {
        guard var next = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = Glibc.write(fd, next, left)
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .systemCall(call: "write", path: path, errno: code)
            }
            // A regular file never takes 0 bytes of a non-empty write; if it does, stop rather
            // than spin, and call it an I/O error.
            guard written > 0 else { throw .systemCall(call: "write", path: path, errno: EIO) }
            next += written
            left -= written
        }
    }

    mutating func write(_ bytes: [UInt8]) throws(ExportError) {
        // A closure would lose the typed error (withUnsafeBytes only rethrows): copy the result out.
        let failure: ExportError? = bytes.withUnsafeBytes { raw in
            do throws(ExportError) { try write(raw); return nil } catch { return error }
        }
        if let failure { throw failure }
    }

    /// Flushes the data to the device, so the rename that follows never exposes a file whose
    /// blocks are still missing after a crash.
    func sync() throws(ExportError) {
        while fsync(fd) != 0 {
            let code = errno
            if code != EINTR { throw .systemCall(call: "fsync", path: path, errno: code) }
        }
    }

    /// Closes the descriptor; a failure here can be a delayed write error (NFS), so it is reported.
    mutating func close() throws(ExportError) {
        let descriptor = fd
        fd = -1
        // Linux releases the descriptor even when close fails (also on EINTR): never retry.
        guard Glibc.close(descriptor) == 0 else { throw .systemCall(call: "close", path: path, errno: errno) }
    }

    deinit {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// Atomically replaces `target` (if present) with `source`; both in one directory.
    static func rename(_ source: String, to target: String) throws(ExportError) {
        guard Glibc.rename(source, target) == 0 else { throw .systemCall(call: "rename", path: target, errno: errno) }
    }

    /// Gives `source` the name `target` too, only if `target` does not exist (EEXIST otherwise).
    static func link(_ source: String, to target: String) throws(ExportError) {
        guard Glibc.link(source, target) == 0 else { throw .systemCall(call: "link", path: target, errno: errno) }
    }

    /// Removes `path` on an error path; a failure to remove is not worth hiding the first error.
    static func removeQuietly(_ path: String) {
        _ = unlink(path)
    }

    /// Makes a rename in `directory` durable. The file is complete under its name already, so
    /// a directory that cannot be opened for reading (write-only permission) or synced (EINVAL
    /// on some filesystems) is accepted; a failing sync (EIO) is reported.
    static func syncDirectory(_ directory: String) throws(ExportError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { _ = Glibc.close(fd) }
        while fsync(fd) != 0 {
            let code = errno
            if code == EINTR { continue }
            if code == EINVAL { return }
            throw .systemCall(call: "fsync", path: directory, errno: code)
        }
    }
}
