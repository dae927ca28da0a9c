import CLinux
import Glibc

/// The one thread that starts child processes, alive as long as the process.
///
/// `PR_SET_PDEATHSIG` (which every worker and the demo simulator set) fires when the *thread*
/// that spawned the child exits, not the process. Swift's concurrency runtime runs main-actor
/// work on pool threads and retires an idle one after about 5 s, so children spawned from
/// there were SIGKILLed every 5 s in an idle viewer (issue 12, defect 1). Every spawn goes
/// through this thread instead; it is created on first use, never exits, and blocks every
/// signal so that handlers run elsewhere. Callers block until their request ran.
final class SpawnerThread: @unchecked Sendable {
    /// A request and, once run, its answer. Lives on the caller's stack for the request's duration.
    private struct Request {
        let run: () -> Void
        var done = false
    }

    static let shared = SpawnerThread()

    // Guards `queue` and each request's `done`; `cond` is signalled on both changes.
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var queue: [UnsafeMutablePointer<Request>] = []

    private init() {
        pthread_mutex_init(lock, nil)
        pthread_cond_init(cond, nil)
        var handle = pthread_t()
        var blocked = sigset_t()
        var previous = sigset_t()
        sigfillset(&blocked)
        // The new thread inherits this mask: it never runs a signal handler.
        pthread_sigmask(SIG_SETMASK, &blocked, &previous)
        let rc = pthread_create(&handle, nil, { raw in
            Unmanaged<SpawnerThread>.fromOpaque(raw!).takeUnretainedValue().serve()
        }, Unmanaged.passUnretained(self).toOpaque())
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        precondition(rc == 0, "cannot start the spawner thread: pthread_create returned \(rc)")
        pthread_detach(handle)
    }

    /// Runs `body` on the spawner thread and returns its result. `body` must not call `perform`.
    func perform<R>(_ body: () -> R) -> R {
        withoutActuallyEscaping(body) { body in
            var result: R?
            withoutActuallyEscaping({ result = body() }) { run in
                var request = Request(run: run)
                withUnsafeMutablePointer(to: &request) { pointer in
                    pthread_mutex_lock(lock)
                    queue.append(pointer)
                    pthread_cond_broadcast(cond)
                    while !pointer.pointee.done { pthread_cond_wait(cond, lock) }
                    pthread_mutex_unlock(lock)
                }
            }
            return result!
        }
    }

    private func serve() -> UnsafeMutableRawPointer? {
        _ = dv_set_process_name("detview-spawn")
        pthread_mutex_lock(lock)
        while true {
            while queue.isEmpty { pthread_cond_wait(cond, lock) }
            let request = queue.removeFirst()
            pthread_mutex_unlock(lock)
            request.pointee.run()
            pthread_mutex_lock(lock)
            request.pointee.done = true
            pthread_cond_broadcast(cond)
        }
    }
}
