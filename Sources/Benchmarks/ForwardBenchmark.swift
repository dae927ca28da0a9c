import Glibc
import Ingest
import Platform
import ZeroMQ

/// `detview bench forward`: messages per second through `view --forward`'s own code path
/// (a PULL receiving, `MessageForwarder` re-sending on its PUSH) between a PUSH "detector" and a
/// PULL "file writer", against the same detector and file writer connected directly, in the
/// same run. Both sides run in this process on sockets of their own (the detector, the forward
/// and the file writer each on a thread and a context of their own), so the ratio measures the
/// software of the forward, not process start-up or a second copy of the viewer.
///
/// Messages are SIMPLON image messages (four parts: `dimage-1.0`, `dimage_d-1.0`, the data,
/// `dconfig-1.0`), sent zero-copy from one prepared message, so the detector costs little.
public struct ForwardBenchmark {
    /// ZeroMQ transport of both links (detector → forward, forward → file writer).
    public enum Transport: String, Sendable, CaseIterable {
        case inproc, ipc, tcp
    }

    public struct Case: Sendable {
        public let name: String
        public let dataBytes: Int
        public init(name: String, dataBytes: Int) {
            self.name = name
            self.dataBytes = dataBytes
        }
    }

    public struct Result {
        public let name: String
        /// Bytes of one message, all parts.
        public let messageBytes: Int
        public let directMessagesPerSecond: Double
        public let forwardMessagesPerSecond: Double
        public var ratio: Double { forwardMessagesPerSecond / directMessagesPerSecond }

        public static let tableHeader = "case                     direct msg/s    MB/s   forward msg/s    MB/s   ratio"
        public var tableRow: String {
            let mb = { (rate: Double) in String(Int((rate * Double(messageBytes) / 1e6).rounded())) }
            return pad(name, 24) + lpad(String(Int(directMessagesPerSecond)), 13) + lpad(mb(directMessagesPerSecond), 8)
                + lpad(String(Int(forwardMessagesPerSecond)), 16) + lpad(mb(forwardMessagesPerSecond), 8)
                + lpad(String(format2: ratio), 8)
        }
    }

    public let benchCase: Case
    public let transport: Transport
    public let seconds: Double

    public init(benchCase: Case, transport: Transport, seconds: Double) {
        self.benchCase = benchCase
        self.transport = transport
        self.seconds = seconds
    }

    /// Rounds alternate direct and forward; the median of each is reported.
    public func run(rounds: Int) throws -> Result {
        let parts = try makeMessage()
        let messageBytes = parts.reduce(0) { $0 + $1.count }
        // Size the rounds from a short probe so that each lasts about `seconds`.
        let probe = try direct(parts, messages: 200)
        let messages = max(200, Int(probe * seconds))
        var direct: [Double] = [], forwarded: [Double] = []
        for _ in 0..<rounds {
            direct.append(try self.direct(parts, messages: messages))
            forwarded.append(try forward(parts, messages: messages))
        }
        return Result(name: benchCase.name, messageBytes: messageBytes,
                      directMessagesPerSecond: median(direct), forwardMessagesPerSecond: median(forwarded))
    }

    private func makeMessage() throws -> [ZMQMessage] {
        let side = Int(Double(benchCase.dataBytes / 2).squareRoot())
        let texts = [
            "{\"htype\":\"dimage-1.0\",\"series\":1,\"frame\":0,\"hash\":\"\"}",
            "{\"htype\":\"dimage_d-1.0\",\"shape\":[\(side),\(benchCase.dataBytes / 2 / max(side, 1))],\"type\":\"uint16\",\"encoding\":\"<\",\"size\":\(benchCase.dataBytes)}",
        ]
        var data = [UInt8](repeating: 0, count: benchCase.dataBytes)
        for i in data.indices { data[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 13) }
        let config = "{\"htype\":\"dconfig-1.0\",\"start_time\":0,\"stop_time\":500,\"real_time\":500}"
        return try [ZMQMessage(copying: Array(texts[0].utf8)), ZMQMessage(copying: Array(texts[1].utf8)),
                    ZMQMessage(copying: data), ZMQMessage(copying: Array(config.utf8))]
    }

    private func endpoint(_ role: String) -> String {
        switch transport {
        case .inproc: return "inproc://detview-bench-forward-\(role)-\(UInt64.random(in: 0...UInt64.max))"
        case .ipc: return "ipc:///tmp/detview-bench-forward-\(getpid())-\(role)-\(UInt32.random(in: 0...UInt32.max))"
        case .tcp: return "tcp://127.0.0.1:*"
        }
    }

    /// inproc needs the peers on one context; tcp and ipc get one per role, as in three processes.
    private func contexts(_ count: Int) throws -> [ZMQContext] {
        if transport == .inproc {
            let shared = try ZMQContext(ioThreads: 1)
            return Array(repeating: shared, count: count)
        }
        return try (0..<count).map { _ in try ZMQContext(ioThreads: 1) }
    }

    /// Detector → file writer, connected directly: messages per second at the file writer.
    private func direct(_ parts: [ZMQMessage], messages: Int) throws -> Double {
        let c = try contexts(2)
        let writer = try ZMQSocket(c[1], .pull)
        try writer.bind(endpoint("writer"))
        let detector = try Detector(context: c[0], endpoint: try writer.lastEndpoint, parts: parts, messages: messages)
        let rate = try receive(messages, parts: parts.count, on: writer)
        detector.join()
        writer.close()
        return rate
    }

    /// Detector → PULL + `MessageForwarder` (the forward's code path) → file writer.
    private func forward(_ parts: [ZMQMessage], messages: Int) throws -> Double {
        let c = try contexts(3)
        let upstream = try ZMQSocket(c[1], .pull)
        try upstream.bind(endpoint("upstream"))
        let forwarder = try MessageForwarder(context: c[1], endpoint: endpoint("downstream"))
        let writer = try ZMQSocket(c[2], .pull)
        try writer.connect(forwarder.counters.endpoint)
        let relay = BenchThread {
            for _ in 0..<messages {
                guard let received = try? upstream.receiveMultipart(), (try? forwarder.forward(received)) == true else {
                    writeAll(2, "bench forward: the forward failed\n")
                    return
                }
            }
        }
        let detector = try Detector(context: c[0], endpoint: try upstream.lastEndpoint, parts: parts, messages: messages)
        let rate = try receive(messages, parts: parts.count, on: writer)
        detector.join()
        relay.join()
        upstream.close()
        forwarder.close()
        writer.close()
        return rate
    }

    /// Receives `messages` messages of `parts` parts each; messages per second from the first to the last.
    private func receive(_ messages: Int, parts: Int, on writer: ZMQSocket) throws -> Double {
        try writer.setReceiveTimeout(milliseconds: 10_000)   // a lost message fails the run, never hangs it
        var start: UInt64 = 0
        for index in 0..<messages {
            guard let received = try writer.receiveMultipart(), received.count == parts else {
                throw ZMQError(call: "bench forward", code: EPROTO, subject: "message \(index) lost or cut")
            }
            if index == 0 { start = MonotonicClock.nanoseconds }
        }
        let elapsed = MonotonicClock.nanoseconds - start
        return Double(messages - 1) / (Double(elapsed) / 1e9)
    }

    private func median(_ values: [Double]) -> Double {
        values.sorted()[values.count / 2]
    }
}

/// The PUSH "detector": sends the prepared message `messages` times on a thread of its own,
/// zero-copy (each part shared, not copied). Its socket stays open until `join`, after the file
/// writer has everything: closing it earlier would drop what is still queued after the linger.
private final class Detector: @unchecked Sendable {
    private var thread: BenchThread?
    private let socket: ZMQSocket

    init(context: ZMQContext, endpoint: String, parts: [ZMQMessage], messages: Int) throws {
        let socket = try ZMQSocket(context, .push)
        self.socket = socket
        try socket.connect(endpoint)
        thread = BenchThread {
            let outgoing = ZMQMessage()
            do {
                for _ in 0..<messages {
                    for (index, part) in parts.enumerated() {
                        try outgoing.share(part)
                        _ = try socket.send(outgoing, more: index < parts.count - 1)
                    }
                }
            } catch {
                writeAll(2, "bench detector: \(error)\n")
            }
        }
    }

    func join() {
        thread?.join()
        socket.close()
    }
}

/// A pthread running `body` once (the benchmark's peers; no concurrency runtime in between).
private final class BenchThread: @unchecked Sendable {
    private var handle = pthread_t()
    private let body: () -> Void

    init(_ body: @escaping () -> Void) {
        self.body = body
        let unmanaged = Unmanaged.passRetained(self)
        pthread_create(&handle, nil, { raw in
            let thread = Unmanaged<BenchThread>.fromOpaque(raw!).takeRetainedValue()
            thread.body()
            return nil
        }, unmanaged.toOpaque())
    }

    func join() { pthread_join(handle, nil) }
}
