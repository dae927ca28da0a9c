import Logging
import Platform

/// The viewer's log file (`--log FILE`). Never the terminal the UI draws on.
///
/// A swift-log `Logger` with Platform's `FileLogHandler`: each line is one append, so the
/// receiver thread, the main actor and the worker processes (whose stderr is this file: the
/// session hands `descriptor` to the supervisor) can all write to it. Without a path, everything is
/// discarded and workers write to /dev/null.
public final class EventLog: Sendable {
    private let file: LogFile?
    private let logger: Logger?

    public init(path: String?) throws {
        guard let path else {
            file = nil
            logger = nil
            return
        }
        let file: LogFile
        do {
            file = try LogFile(path: path)
        } catch {
            throw ViewerError("--log \(error)")
        }
        self.file = file
        logger = file.logger()
    }

    /// The log file's descriptor; nil without `--log`.
    public var descriptor: Int32? { file?.fd }

    public func write(_ severity: Severity, _ text: String) {
        guard let logger else { return }
        switch severity {
        case .info: logger.info("\(text)")
        case .warning: logger.warning("\(text)")
        case .error: logger.error("\(text)")
        }
    }
}
