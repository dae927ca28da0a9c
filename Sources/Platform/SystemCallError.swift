import Glibc
import SystemPackage

/// A failed Linux call: which call, and the `Errno` it left. The one error type of every
/// wrapper in `Platform` and `SharedMemory` (thrown typed where the caller can use it).
public struct SystemCallError: Error, Equatable, Sendable, CustomStringConvertible {
    public let call: String
    public let errno: Errno

    public init(call: String, errno: Errno) {
        self.call = call
        self.errno = errno
    }

    /// For calls that return the error number (posix_spawn) or for a saved `errno`.
    public init(call: String, errno: Int32) {
        self.init(call: call, errno: Errno(rawValue: errno))
    }

    /// The error for `call` from the calling thread's current errno.
    public static func last(_ call: String) -> SystemCallError {
        SystemCallError(call: call, errno: Errno(rawValue: Glibc.errno))
    }

    public var description: String {
        let text = strerror(errno.rawValue).map { String(cString: $0) } ?? "unknown error"
        return "\(call): \(text) (errno \(errno.rawValue))"
    }
}

/// Runs a call that returns -1 and sets errno on failure, retrying when a signal interrupted it.
@inlinable
public func retryingOnInterrupt(_ call: @autoclosure () -> String,
                                _ body: () -> Int32) throws(SystemCallError) -> Int32 {
    while true {
        let result = body()
        if result != -1 { return result }
        if Glibc.errno == EINTR { continue }
        throw SystemCallError.last(call())
    }
}
