import Platform

#if canImport(Glibc)
import Glibc
#endif

/// Asks the terminal at start whether it supports synchronized output (DEC private mode 2026,
/// `CSI ? 2026 h` … `CSI ? 2026 l` around a paint, so a paint never shows half drawn).
///
/// The question is DECRQM (`CSI ? 2026 $ p`, answered `CSI ? 2026 ; Ps $ y`), followed by a
/// primary device attributes request (`CSI c`) that practically every terminal answers: its
/// reply ends the wait at once on terminals that ignore DECRQM, so only a terminal that answers
/// neither costs the whole timeout. Used by `CursesTerminal` on the main thread before ncurses
/// starts reading the keyboard.
public enum SynchronizedOutputProbe {
    public static let query = "\u{1B}[?2026$p\u{1B}[c"
    public static let begin = "\u{1B}[?2026h"
    public static let end = "\u{1B}[?2026l"

    /// What the replies read so far say.
    public struct Answer: Equatable, Sendable {
        /// nil while the DECRQM reply has not come; true for Ps 1 (set), 2 (reset) or 3
        /// (permanently set); false for 0 (unknown mode) or 4 (permanently reset).
        public var supported: Bool?
        /// The device attributes reply came: every earlier reply is in too.
        public var complete: Bool

        public init(supported: Bool?, complete: Bool) {
            self.supported = supported
            self.complete = complete
        }
    }

    /// Reads the replies out of `bytes` (other bytes, such as keys typed meanwhile, are skipped).
    public static func parse(_ bytes: [UInt8]) -> Answer {
        var answer = Answer(supported: nil, complete: false)
        var i = 0
        while i + 2 < bytes.count {
            guard bytes[i] == 0x1B, bytes[i + 1] == UInt8(ascii: "["), bytes[i + 2] == UInt8(ascii: "?") else {
                i += 1
                continue
            }
            var j = i + 3
            while j < bytes.count, (0x30...0x3B).contains(bytes[j]) || bytes[j] == UInt8(ascii: "$") { j += 1 }
            guard j < bytes.count else { break }
            let body = String(decoding: bytes[(i + 3)..<j], as: UTF8.self)
            if bytes[j] == UInt8(ascii: "y"), body.hasSuffix("$") {
                let fields = body.dropLast().split(separator: ";")
                if fields.count == 2, fields[0] == "2026", let value = Int(fields[1]) {
                    answer.supported = value == 1 || value == 2 || value == 3
                }
            } else if bytes[j] == UInt8(ascii: "c") {
                answer.complete = true
            }
            i = j + 1
        }
        return answer
    }

    /// Sends the query on `output` and reads `input` (a terminal in non-canonical mode without
    /// echo) until the device attributes reply or `timeoutMilliseconds`. False on no reply.
    public static func ask(input: Int32, output: Int32, timeoutMilliseconds: Int = 500) -> Bool {
        guard isatty(input) == 1, isatty(output) == 1, writeAll(output, query) else { return false }
        let deadline = MonotonicClock.nanoseconds + UInt64(timeoutMilliseconds) * 1_000_000
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256)
        while received.count < 4096 {
            let now = MonotonicClock.nanoseconds
            guard now < deadline else { break }
            var ready = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
            let waited = poll(&ready, 1, Int32((deadline - now) / 1_000_000) + 1)
            if waited < 0 && errno == EINTR { continue }
            guard waited > 0 else { break }
            let count = read(input, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            received += chunk[0..<count]
            if parse(received).complete { break }
        }
        return parse(received).supported ?? false
    }
}
