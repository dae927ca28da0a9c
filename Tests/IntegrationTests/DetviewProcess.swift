import Foundation
import XCTest

/// The built `detview` binary, run as a real process with its stdout read line by line.
/// Test helper: owned by one test method.
final class DetviewProcess: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private let errors = Pipe()
    private let lock = NSLock()
    private var lines: [String] = []
    private var partial = Data()
    private var errorText = Data()
    /// Signalled when the process ends, and when its stdout reaches end of file.
    private let exited = DispatchSemaphore(value: 0)
    private let outputClosed = DispatchSemaphore(value: 0)
    private let errorsClosed = DispatchSemaphore(value: 0)

    static var executable: URL {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent()
            for dir in [".build/debug", ".build/release"] {
                let candidate = root.appendingPathComponent(dir).appendingPathComponent("detview")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
            throw MissingTestInput("detview binary not built in \(root.path)/.build (run `swift build` first)")
        }
    }

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = try Self.executable
        // Tests that count frames must not lose any to --max-lag because a loaded machine made a
        // worker late; the lag limit's own tests give --max-lag themselves.
        let lagFree = arguments.first == "view" && !arguments.contains("--max-lag") && !arguments.contains("--help")
        process.arguments = lagFree ? arguments + ["--max-lag", "0"] : arguments
        var env = ProcessInfo.processInfo.environment
        env["SWIFT_BACKTRACE"] = "enable=no"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            self?.absorb(data)
            if data.isEmpty {   // end of file: every writer (the viewer, its children) is gone
                handle.readabilityHandler = nil
                self?.outputClosed.signal()
            }
        }
        errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
            guard let self else { return }
            let data = handle.availableData
            self.lock.lock(); self.errorText.append(data); self.lock.unlock()
            if data.isEmpty {
                handle.readabilityHandler = nil
                self.errorsClosed.signal()
            }
        }
        process.terminationHandler = { [exited] _ in exited.signal() }
        try process.run()
    }

    private func absorb(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        partial.append(data)
        while let newline = partial.firstIndex(of: 0x0A) {
            let line = String(decoding: partial[partial.startIndex..<newline], as: UTF8.self)
            lines.append(line)
            partial.removeSubrange(partial.startIndex...newline)
        }
    }

    var outputLines: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    var standardError: String { lock.lock(); defer { lock.unlock() }; return String(decoding: errorText, as: UTF8.self) }

    /// JSON objects of the lines whose "event" is `event`.
    func events(_ event: String) -> [[String: Any]] {
        outputLines.compactMap { line in
            guard let data = line.data(using: .utf8),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  object["event"] as? String == event else { return nil }
            return object
        }
    }

    /// Waits for the process to end; kills it after `timeout` seconds and fails.
    @discardableResult
    func waitForExit(timeout: TimeInterval, file: StaticString = #filePath, line: UInt = #line) -> Int32 {
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            XCTFail("detview \(process.arguments ?? []) still running after \(timeout) s; stderr: \(standardError)", file: file, line: line)
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
        }
        exited.signal()   // a second wait returns at once
        // The last lines are in once stdout reached end of file (a child still holding it: 2 s at most).
        for closed in [outputClosed, errorsClosed] where closed.wait(timeout: .now() + 2) == .success { closed.signal() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// True when the process is still running after `seconds`: waits on its exit, so a test
    /// that lets time pass also checks the process did not end meanwhile.
    func keepsRunning(for seconds: TimeInterval) -> Bool {
        guard exited.wait(timeout: .now() + seconds) == .timedOut else {
            exited.signal()   // leave the exit visible to waitForExit
            return false
        }
        return true
    }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }
    var pid: pid_t { process.processIdentifier }
}

/// Waits until `condition` holds, checking every 20 ms; false after `timeout` seconds.
func eventually(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Processes whose parent is `pid` (from /proc/*/stat).
func children(of pid: pid_t) -> [pid_t] {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    return entries.compactMap { entry -> pid_t? in
        guard let child = pid_t(entry),
              let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 2, let parent = pid_t(fields[1]) else { return nil }
        return parent == pid ? child : nil
    }
}

/// The process's state letter from /proc (R, S, T stopped, Z, ...); nil when it is gone.
func processState(_ pid: pid_t) -> String? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return nil }
    return stat[stat.index(after: close)...].split(separator: " ").first.map(String.init)
}

/// True when the process exists and is not a zombie.
func isAlive(_ pid: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    return fields.first != "Z"
}

/// Names in /dev/shm (to prove nothing is left behind).
func sharedMemoryEntries() -> Set<String> {
    Set((try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm")) ?? [])
}

/// Reads the JSON lines of a --record file.
func recordLines(_ path: String) throws -> [[String: Any]] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try text.split(separator: "\n").map {
        try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
}

func number(_ any: Any?) -> Double? {
    (any as? NSNumber)?.doubleValue
}

/// Something an integration test needs is not there (the built binary, tmux, a fixture):
/// thrown, so the test fails and says what to do instead of skipping.
struct MissingTestInput: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
