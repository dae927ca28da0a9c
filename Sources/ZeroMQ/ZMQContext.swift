import CZeroMQ
import Glibc

/// A libzmq context: the I/O threads and the registry every socket is created from.
///
/// Thread-safe (libzmq contexts are), hence `Sendable`. Usually one per process, created by whoever
/// sets up networking (the viewer's receiver, the simulator) and shared with the threads that create
/// sockets. Each socket keeps its context alive, so `deinit` runs only after every socket is closed;
/// it then calls `zmq_ctx_term`. That cannot hang on unsent messages because every socket starts
/// with `defaultLingerMilliseconds` (0 unless asked otherwise) instead of libzmq's infinite linger.
public final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    /// The linger every new socket starts with: how long closing waits to deliver queued messages.
    public let defaultLingerMilliseconds: Int32

    /// - Parameters:
    ///   - ioThreads: libzmq background I/O threads; one moves about a GB/s.
    ///   - defaultLingerMilliseconds: ZMQ_LINGER of new sockets; keep it small and finite (never -1)
    ///     so that closing a socket whose peer vanished never blocks the program's exit.
    public init(ioThreads: Int = 1, defaultLingerMilliseconds: Int32 = 0) throws(ZMQError) {
        guard let threads = Int32(exactly: ioThreads), threads >= 0 else {
            throw ZMQError(call: "zmq_ctx_set", code: EINVAL, subject: "ZMQ_IO_THREADS=\(ioThreads)")
        }
        guard let context = zmq_ctx_new() else {
            throw ZMQError.last("zmq_ctx_new")
        }
        if zmq_ctx_set(context, ZMQ_IO_THREADS, threads) != 0 {
            let error = ZMQError.last("zmq_ctx_set", "ZMQ_IO_THREADS=\(ioThreads)")
            zmq_ctx_term(context)
            throw error
        }
        handle = context
        self.defaultLingerMilliseconds = defaultLingerMilliseconds
    }

    /// The linked libzmq version, e.g. (4, 3, 4).
    public static var version: (major: Int, minor: Int, patch: Int) {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return (Int(major), Int(minor), Int(patch))
    }

    /// Makes every blocking call on this context's sockets, in any thread, fail at once with
    /// `ETERM` (`ZMQError.isTerminated`), and every later call too. The sockets must still be
    /// closed by their owners. Use it to stop threads blocked in `receive`.
    public func shutdown() {
        zmq_ctx_shutdown(handle)
    }

    deinit {
        // Sockets retain the context, so none is open here and the call returns promptly.
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }
}
