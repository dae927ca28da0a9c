import DetectorStream
import Glibc
import Platform

/// Watches a DECTRIS detector through its monitor interface: polls `images/monitor` over HTTP as
/// `MonitorPoller` decides, and turns each new image into stream events (`MonitorImageDecoder`),
/// which the receiver stores in the ring like any stream's frames. The monitor is how DECTRIS
/// means a viewer to watch: it never touches the ZeroMQ stream or the file writer.
///
/// Runs on the receive thread (`Receiver.runMonitor`) until the stop descriptor is readable; every
/// wait (between polls, in a request) ends at once when it is. Owns its HTTP client, poller and
/// decoder; no descriptor outlives a request.
public struct MonitorSource {
    public struct Settings: Sendable, Equatable {
        public var endpoint: MonitorEndpoint
        /// `--monitor-interval`: seconds between image requests.
        public var intervalSeconds: Double = 0.1
        /// `--monitor-timeout`: a request without a complete answer by then failed.
        public var timeoutSeconds: Double = 2
        /// `--series-timeout`: a series ends when no new image came for this long.
        public var seriesTimeoutSeconds: Double = 5

        public init(endpoint: MonitorEndpoint) {
            self.endpoint = endpoint
        }
    }

    /// Room for the TIFF's header and directory beside a frame of `--max-frame-bytes`.
    static let bodySlack = 1 << 20

    public let settings: Settings
    private let client: HTTPGetClient
    private var poller: MonitorPoller
    private var decoder: MonitorImageDecoder

    public init(settings: Settings, maxFrameBytes: Int) {
        self.settings = settings
        let endpoint = settings.endpoint
        client = HTTPGetClient(host: endpoint.host, port: endpoint.port, timeoutSeconds: settings.timeoutSeconds,
                               maxBodyBytes: maxFrameBytes + Self.bodySlack)
        poller = MonitorPoller(endpoint: endpoint, timing: .init(intervalSeconds: settings.intervalSeconds),
                               maxFrameBytes: maxFrameBytes)
        decoder = MonitorImageDecoder(maxFrameBytes: maxFrameBytes, source: endpoint.url)
    }

    /// Polls until `stopFD` is readable. `emit` gets the stream events (frame payloads valid only
    /// during the call), `post` the messages for the person watching.
    public mutating func run(stopFD: Int32, emit: (StreamEvent) -> Void, post: (IngestEvent) -> Void) {
        let interval = CFloatFormat.general(settings.intervalSeconds)
        post(.message("watching the detector's monitor interface at \(settings.endpoint) (every \(interval) s)", .info))
        defer { decoder.idle(emit: emit) }
        let seriesTimeout = UInt64(max(settings.seriesTimeoutSeconds, 0) * 1e9)
        var lastNewImage = MonotonicClock.nanoseconds
        while true {
            guard Self.sleep(until: poller.nextAt, stopFD: stopFD) else { return }
            let request = poller.next
            let path = request == .mode ? settings.endpoint.modePath : settings.endpoint.imagePath
            let sentAt = MonotonicClock.nanoseconds
            let result: Result<HTTPResponse, HTTPClientError>
            do {
                result = .success(try client.get(path, accept: request == .mode ? "application/json" : "application/tiff",
                                                 stopFD: stopFD))
            } catch .stopped {
                return
            } catch {
                result = .failure(error)
            }
            let now = MonotonicClock.nanoseconds
            switch request {
            case .mode:
                for event in poller.modeAnswered(result, sentAt: sentAt, at: now) { post(event) }
            case .image:
                let (verdict, events) = poller.imageAnswered(result, sentAt: sentAt, at: now)
                for event in events { post(event) }
                switch verdict {
                case .new:
                    if case .success(let response) = result {
                        response.body.withUnsafeBytes { decoder.consume([$0], emit: emit) }
                    }
                    lastNewImage = now
                case .oversized(let reason):
                    emit(.bad(StreamError(.tooLarge, reason)))
                case .repeated, .none:
                    break
                }
            }
            if decoder.seriesOpen && now &- lastNewImage >= seriesTimeout { decoder.idle(emit: emit) }
        }
    }

    /// Sleeps until `deadline` (monotonic ns) in poll on the stop descriptor: false when it is readable.
    static func sleep(until deadline: UInt64, stopFD: Int32) -> Bool {
        while true {
            let now = MonotonicClock.nanoseconds
            let timeout = deadline > now ? Int32(min((deadline - now + 999_999) / 1_000_000, UInt64(Int32.max))) : 0
            var fd = pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fd, 1, timeout)
            if ready > 0 { return false }
            if ready == 0 { return true }
            if errno != EINTR { return true }   // the stop descriptor is ours and valid: not seen here
        }
    }
}
