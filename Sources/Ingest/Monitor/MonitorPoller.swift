import DetectorStream
import Platform

/// The decisions of watching a DECTRIS monitor interface (see docs/PROTOCOLS-monitor.md): what to
/// ask next and when, whether an answer is a new image, and what to tell the person watching.
///
/// A pure value owned by the receive thread, in the shape of `ConnectionDiagnosis`: answers and
/// the time (monotonic ns) in, a verdict and `IngestEvent` messages out; `MonitorSource` does the
/// HTTP. It first asks `config/mode` (a disabled monitor serves nothing, and says so only there),
/// then polls `images/monitor` every `interval`. The monitor answers with its latest image until
/// a newer one exists, so an answer whose ETag (or, without one, whose bytes) equal the last is
/// the same image and is not counted again. Each problem is said once until an answer shows it
/// solved; then an info line says so.
public struct MonitorPoller {
    public struct Timing: Sendable, Equatable {
        /// Between the starts of two image requests (`--monitor-interval`).
        public var interval: UInt64
        /// After a failed request, before the next try (a refused connection must not spin).
        public var retry: UInt64
        /// While the monitor is disabled, how often the mode is asked again.
        public var disabledRecheck: UInt64 = 1_000_000_000
        /// While images answer "none", how often the mode is asked (it may have been switched off).
        public var modeRecheck: UInt64 = 2_000_000_000

        public init(intervalSeconds: Double) {
            interval = UInt64(max(intervalSeconds, 0) * 1e9)
            retry = max(interval, 500_000_000)
        }
    }

    public enum Request: Sendable, Equatable {
        case mode, image
    }

    /// What an image answer means for the frames.
    public enum Verdict: Sendable, Equatable {
        /// A new image: decode the body.
        case new
        /// The image counted last time, answered again.
        case repeated
        /// No image (yet), or no answer.
        case none
        /// A body larger than the frame limit: counted bad once per run of them, with this reason.
        case oversized(reason: String)
    }

    /// What is wrong, one kind per line said.
    public enum Problem: Hashable, Sendable {
        case disabled, refused, unresolvable, noAnswer, httpStatus(Int), badAnswer, oversized
    }

    public let endpoint: MonitorEndpoint
    public let timing: Timing
    /// `--max-frame-bytes`: named when an image is larger.
    public let maxFrameBytes: Int
    public private(set) var next: Request = .mode
    /// When `next` is due (monotonic ns); 0: at once.
    public private(set) var nextAt: UInt64 = 0
    private var lastImage: ImageKey?
    private var lastModeCheck: UInt64?
    /// The problem of the latest answer, and every problem said since the last good answer.
    public private(set) var problem: Problem?
    private var said: Set<Problem> = []
    private var saidWaiting = false

    /// How the last image is recognised when it comes again: the server's ETag, else a hash of the body.
    enum ImageKey: Equatable {
        case etag(String)
        case content(hash: UInt64, count: Int)
    }

    public init(endpoint: MonitorEndpoint, timing: Timing, maxFrameBytes: Int) {
        self.endpoint = endpoint
        self.timing = timing
        self.maxFrameBytes = maxFrameBytes
    }

    // MARK: - Mode

    public mutating func modeAnswered(_ result: Result<HTTPResponse, HTTPClientError>, sentAt: UInt64,
                                      at now: UInt64) -> [IngestEvent] {
        lastModeCheck = sentAt
        switch result {
        case .failure(let error):
            schedule(.mode, at: now + timing.retry)
            return report(problem(for: error), error.description)
        case .success(let response):
            if response.status == 200, Self.mode(in: response.body) == "disabled" {
                schedule(.mode, at: now + timing.disabledRecheck)
                return report(.disabled, "")
            }
            // Enabled, or a firmware without the key (404) or another answer: the images will tell.
            schedule(.image, at: now)
            return problem == .disabled ? resolved() : []
        }
    }

    // MARK: - Images

    public mutating func imageAnswered(_ result: Result<HTTPResponse, HTTPClientError>, sentAt: UInt64,
                                       at now: UInt64) -> (verdict: Verdict, events: [IngestEvent]) {
        switch result {
        case .failure(.tooLarge(let bytes, _)):
            schedule(.image, at: sentAt + timing.interval, notBefore: now)
            let first = problem != .oversized
            let reason = "monitor image: " + Receiver.oversizeReason(bytes: bytes, maxFrameBytes: maxFrameBytes)
            let events = report(.oversized, reason)
            return (first ? .oversized(reason: reason) : .none, events)
        case .failure(let error):
            schedule(.image, at: now + timing.retry)
            return (.none, report(problem(for: error), error.description))
        case .success(let response):
            switch response.status {
            case 200:
                schedule(.image, at: sentAt + timing.interval, notBefore: now)
                let events = resolved()
                saidWaiting = false
                let key = Self.key(of: response)
                if key == lastImage { return (.repeated, events) }
                lastImage = key
                return (.new, events)
            case 204, 404, 408:
                // No image to give: none recorded yet, or the monitor is off. The mode says which.
                let modeIsStale = lastModeCheck.map { now &- $0 >= timing.modeRecheck } ?? true
                if modeIsStale { schedule(.mode, at: now) } else { schedule(.image, at: sentAt + timing.interval, notBefore: now) }
                var events = resolved()
                if !saidWaiting {
                    saidWaiting = true
                    events.append(.message("the monitor at \(endpoint) has no image yet (HTTP \(response.status)): "
                                           + "waiting for the detector to record one", .info))
                }
                return (.none, events)
            default:
                schedule(.image, at: now + timing.retry)
                let reason = response.reason.isEmpty ? "" : " \(response.reason)"
                return (.none, report(.httpStatus(response.status), "HTTP \(response.status)\(reason)"))
            }
        }
    }

    // MARK: - Saying it

    private mutating func schedule(_ request: Request, at time: UInt64, notBefore now: UInt64 = 0) {
        next = request
        nextAt = max(time, now)
    }

    private func problem(for error: HTTPClientError) -> Problem {
        switch error {
        case .refused: .refused
        case .unresolvable: .unresolvable
        case .unreachable, .timedOut, .system: .noAnswer
        case .malformed, .closedEarly, .stopped: .badAnswer
        case .tooLarge: .oversized
        }
    }

    private mutating func report(_ problem: Problem, _ detail: String) -> [IngestEvent] {
        self.problem = problem
        guard said.insert(problem).inserted else { return [] }
        return [.message(text(problem, detail), .warning)]
    }

    /// A good answer: if a problem was said, one line says it is over.
    private mutating func resolved() -> [IngestEvent] {
        guard let solved = problem else { return [] }
        problem = nil
        said = []
        let text = solved == .disabled ? "the detector's monitor at \(endpoint.hostAndPort) is enabled now"
            : "the monitor at \(endpoint) answers again"
        return [.message(text, .info)]
    }

    func text(_ problem: Problem, _ detail: String) -> String {
        let url = endpoint.url
        switch problem {
        case .disabled:
            return "the detector's monitor is disabled: set monitor/api/\(endpoint.apiVersion)/config/mode to enabled "
                + "(PUT {\"value\": \"enabled\"} to http://\(endpoint.hostAndPort)\(endpoint.modePath)); detview asks again every second"
        case .refused:
            return "nothing listens at http://\(endpoint.hostAndPort) (connection refused): is the detector's control unit "
                + "running, and are host and port right? (retrying)"
        case .unresolvable:
            return "cannot reach the monitor at \(url): host \(endpoint.host) does not resolve (retrying)"
        case .noAnswer:
            return "no answer from the monitor at \(url): \(detail); check host and port (retrying)"
        case .httpStatus:
            return "the monitor at \(url) answered \(detail) (retrying)"
        case .badAnswer:
            return "the monitor at \(url) gave a broken answer: \(detail) (retrying)"
        case .oversized:
            return "the monitor at \(url) serves images too large for the ring: \(detail)"
        }
    }

    // MARK: - Reading answers

    /// The `value` of a SIMPLON parameter answer: {"value": "enabled", "value_type": "string", …}.
    static func mode(in body: [UInt8]) -> String? {
        body.withUnsafeBytes { bytes -> String? in
            var reader = JSONReader(bytes)
            var value: String?
            do {
                try reader.readObject { key, member throws(StreamError) in
                    if key == "value", case .string(let text) = try member.readValue() { value = text }
                }
            } catch {
                return nil
            }
            return value
        }
    }

    static func key(of response: HTTPResponse) -> ImageKey {
        if let etag = response.header("ETag"), !etag.isEmpty { return .etag(etag) }
        return .content(hash: hash(response.body), count: response.body.count)
    }

    /// FNV-1a over 8-byte words: a fast hash for telling two images apart (not for security: the
    /// monitor is trusted to send what it has; a collision would hide one image).
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        bytes.withUnsafeBytes { raw in
            let words = raw.count / 8
            for i in 0..<words {
                h = (h ^ raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)) &* 0x0000_0100_0000_01b3
            }
            for i in (8 * words)..<raw.count {
                h = (h ^ UInt64(raw[i])) &* 0x0000_0100_0000_01b3
            }
        }
        return h
    }
}
