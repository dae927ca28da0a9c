import CZeroMQ
import Glibc

/// A failed libzmq call: which call, its errno, and the endpoint or option it concerned.
///
/// Value type, freely shared between threads. Every libzmq call in this module is wrapped once and
/// reports failure through this type, so a caller's message always names what went wrong where.
public struct ZMQError: Error, Equatable, Hashable, CustomStringConvertible {
    /// The C function that failed, e.g. `zmq_bind`.
    public let call: String
    /// The errno value reported by `zmq_errno()` (libzmq's own codes such as `ETERM` included).
    public let code: Int32
    /// What the call was about: an endpoint, an option name, or nil.
    public let subject: String?

    public init(call: String, code: Int32, subject: String? = nil) {
        self.call = call
        self.code = code
        self.subject = subject
    }

    /// The error of the libzmq call that just failed on this thread.
    static func last(_ call: String, _ subject: String? = nil) -> ZMQError {
        ZMQError(call: call, code: zmq_errno(), subject: subject)
    }

    /// libzmq's text for the code, e.g. "Address already in use".
    public var message: String {
        String(cString: zmq_strerror(code))
    }

    /// `zmq_bind(tcp://127.0.0.1:30001): Address already in use (errno 98)`.
    public var description: String {
        let target = subject.map { "(\($0))" } ?? ""
        return "\(call)\(target): \(message) (errno \(code))"
    }

    /// The operation would block: nothing to receive, or the send queue is full.
    public var isAgain: Bool { code == EAGAIN }
    /// A signal interrupted a blocking call; retrying is safe.
    public var isInterrupted: Bool { code == EINTR }
    /// The context is being terminated (`zmq_ctx_shutdown` or `zmq_ctx_term`): stop using the socket.
    public var isTerminated: Bool { code == ETERM }
    /// The socket was closed already.
    public var isClosed: Bool { code == ENOTSOCK }
}
