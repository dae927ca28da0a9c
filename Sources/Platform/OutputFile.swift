import Glibc
import SystemPackage

/// Opens a file that detview writes at a path the user named (the viewer's `--log`, the
/// simulator's `--record`) without following a final symbolic link, and only when it is a
/// regular file (or a character device such as /dev/null).
///
/// Why: a symbolic link left where a log or a record is expected (in a shared directory, by
/// accident or on purpose) must not make detview append to, or truncate, whatever it points
/// at. `O_NOFOLLOW` refuses the link itself; truncation waits until `fstat` has shown that the
/// opened file is a regular one, so a FIFO or a device is never emptied. `O_NONBLOCK` during
/// the open keeps a FIFO without a reader from hanging the start (it is refused anyway), and
/// is cleared before the descriptor is handed out. Called once per file at start, by whoever
/// will own the descriptor.
public enum OutputFile {
    public enum Mode: Sendable {
        /// Keep what is there and add at the end (O_APPEND): the log.
        case append
        /// Start empty: the record.
        case truncate
    }

    /// Why a path was refused: the path, and a sentence a user can act on.
    public struct Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Opens (creating it 0666 less the umask when missing) `path` for writing, close-on-exec.
    public static func open(_ path: String, _ mode: Mode) throws(Refusal) -> OwnedDescriptor {
        let flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | (mode == .append ? O_APPEND : 0)
        let raw: Int32
        do {
            raw = try retryingOnInterrupt("open") { Glibc.open(path, flags, 0o666) }
        } catch {
            throw refusal(path, error.errno)
        }
        let owned = OwnedDescriptor(adopting: raw)
        var info = stat()
        guard fstat(raw, &info) == 0 else { throw Refusal(path: path, reason: "fstat: \(text(Errno(rawValue: errno)))") }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            if mode == .truncate {
                guard (try? retryingOnInterrupt("ftruncate") { ftruncate(raw, 0) }) != nil else {
                    throw Refusal(path: path, reason: "cannot empty it: \(text(Errno(rawValue: errno)))")
                }
            }
        case S_IFCHR:
            break   // /dev/null, a terminal: nothing to truncate
        default:
            throw Refusal(path: path, reason: "not a regular file; give the path of a file to write")
        }
        let status = fcntl(raw, F_GETFL)
        _ = fcntl(raw, F_SETFL, status & ~O_NONBLOCK)
        return owned
    }

    private static func refusal(_ path: String, _ errno: Errno) -> Refusal {
        var info = stat()
        if errno == .tooManySymbolicLinkLevels, lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
            return Refusal(path: path, reason: "is a symbolic link; detview does not write through one "
                           + "(give the path of the file itself)")
        }
        if errno == .noSuchAddressOrDevice {   // O_NONBLOCK open of a FIFO nobody reads
            return Refusal(path: path, reason: "not a regular file; give the path of a file to write")
        }
        return Refusal(path: path, reason: text(errno))
    }

    private static func text(_ errno: Errno) -> String {
        strerror(errno.rawValue).map { String(cString: $0) } ?? "errno \(errno.rawValue)"
    }
}
