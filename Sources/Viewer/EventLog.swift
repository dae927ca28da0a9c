import Glibc
import SharedMemory
import Synchronization

/// The viewer's log file (`--log FILE`). Never the terminal the UI draws on.
///
/// Thread-safe: the receiver thread and the main actor both write to it. Without a path,
/// everything is discarded.
public final class EventLog: Sendable {
    private let file: Mutex<UnsafeMutablePointer<FILE>?>

    public init(path: String?) throws {
        guard let path else {
            file = Mutex(nil)
            return
        }
        guard let handle = fopen(path, "a") else {
            throw SystemError(call: "fopen(\(path))", errno: errno)
        }
        file = Mutex(handle)
    }

    deinit {
        file.withLock { if let f = $0 { fclose(f) } }
    }

    public func write(_ severity: Severity, _ text: String) {
        file.withLock { f in
            guard let f else { return }
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            var seconds = now.tv_sec
            var parts = tm()
            gmtime_r(&seconds, &parts)
            var stampBuffer = [CChar](repeating: 0, count: 32)
            strftime(&stampBuffer, stampBuffer.count, "%Y-%m-%dT%H:%M:%S", &parts)
            let millis = Int(now.tv_nsec / 1_000_000)
            let stamp = String(decoding: stampBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "." + String(1000 + millis).dropFirst() + "Z"
            let level = severity == .error ? "ERROR" : severity == .warning ? "WARN " : "INFO "
            fputs("\(stamp) \(level) \(text)\n", f)
            fflush(f)
        }
    }
}

