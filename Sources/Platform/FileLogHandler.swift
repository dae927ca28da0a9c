import Glibc
import Logging

/// A swift-log handler that appends whole lines to a log file's descriptor: one `write` per
/// line (Platform's write-all loop) on an O_APPEND descriptor, so lines from the viewer's
/// threads and from the worker processes sharing the file never interleave.
///
/// Line format: `2026-12-07T16:04:55.123Z INFO  text` (UTC, milliseconds), with `label: `
/// before the text for any logger but the viewer's own, and metadata as ` key=value` after it.
/// The descriptor belongs to whoever opened it (a `LogFile`, or a worker's inherited stderr).
public struct FileLogHandler: LogHandler {
    public static let viewerLabel = "detview"

    public let label: String
    public let fd: Int32
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]

    public init(label: String, fd: Int32) {
        self.label = label
        self.fd = fd
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = Self.timestamp() + " " + Self.levelName(event.level) + " "
        if label != Self.viewerLabel { line += label + ": " }
        line += event.message.description
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for (key, value) in all.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        line += "\n"
        writeAll(fd, line)
    }

    /// Five characters, so the text lines up.
    static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info: "INFO "
        case .notice: "NOTE "
        case .warning: "WARN "
        case .error: "ERROR"
        case .critical: "CRIT "
        }
    }

    /// Now, in UTC with milliseconds: `2026-12-07T16:04:55.123Z`.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &parts)
        let millis = Int(now.tv_nsec / 1_000_000)
        let date = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return date + "." + String(1000 + millis).dropFirst() + "Z"
    }
}

/// The `--log` file, opened for appending (created 0666 less the umask, like fopen's "a") by
/// `OutputFile`, so a symbolic link at the path is refused rather than followed; owns its
/// descriptor and closes it once. Workers get a dup of it as their stderr.
public final class LogFile: Sendable {
    private let owned: OwnedDescriptor

    public var fd: Int32 { owned.rawValue }

    public init(path: String) throws(OutputFile.Refusal) {
        owned = try OutputFile.open(path, .append)
    }

    /// A logger writing to this file.
    public func logger(label: String = FileLogHandler.viewerLabel) -> Logger {
        let fd = fd
        return Logger(label: label) { FileLogHandler(label: $0, fd: fd) }
    }
}
