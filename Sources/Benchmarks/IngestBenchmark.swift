import DetectorStream
import Glibc
import Platform
import SharedMemory
import Ingest
import Viewer
import Workers
import ZeroMQ

/// Measures frames per second through the viewer's ingest path (ZeroMQ receive, header
/// parse, copy into the shared ring, worker processes) against a plain PUSH→PULL receive of
/// the very same messages, in the same run on the same machine.
public struct IngestBenchmark {
    public struct Case: Sendable {
        public let name: String
        public let width: Int
        public let height: Int
        var frameBytes: Int { width * height * 2 }

        public init(name: String, width: Int, height: Int) {
            self.name = name
            self.width = width
            self.height = height
        }
    }

    public struct Result {
        public let name: String
        public let frameBytes: Int
        public let baselineFPS: Double
        public let detviewFPS: Double
        public let processedFraction: Double

        public static let tableHeader = "case                     baseline fps  GB/s   detview fps  GB/s   ratio  processed"
        public var tableRow: String {
            let gb = { (fps: Double) in String(format2: fps * Double(frameBytes) / 1e9) }
            return pad(name, 24) + lpad(String(Int(baselineFPS)), 13) + lpad(gb(baselineFPS), 7)
                + lpad(String(Int(detviewFPS)), 13) + lpad(gb(detviewFPS), 7)
                + lpad(String(format2: detviewFPS / baselineFPS), 8)
                + lpad(String(Int((processedFraction * 100).rounded())) + "%", 11)
        }
    }

    public let benchCase: Case
    public let seconds: Double
    public let workers: Int

    public init(benchCase: Case, seconds: Double, workers: Int) {
        self.benchCase = benchCase
        self.seconds = seconds
        self.workers = workers
    }

    public func run(rounds: Int) throws -> Result {
        let message = makeMessage()
        // Size the round from a short probe so every round lasts about `seconds`.
        let probe = try baseline(message: message, frames: 200)
        let frames = max(200, Int(probe * seconds))
        var base: [Double] = [], mine: [Double] = [], processed: [Double] = []
        for _ in 0..<rounds {
            base.append(try baseline(message: message, frames: frames))
            let (fps, fraction) = try detview(message: message, frames: frames)
            mine.append(fps)
            processed.append(fraction)
        }
        return Result(name: benchCase.name, frameBytes: benchCase.frameBytes,
                      baselineFPS: median(base), detviewFPS: median(mine), processedFraction: median(processed))
    }

    private func makeMessage() -> (header: [UInt8], data: [UInt8]) {
        var header = SlsHeader()
        header.bitmode = 16
        header.shape = [benchCase.width, benchCase.height]
        header.size = benchCase.frameBytes
        header.data = 1
        var data = [UInt8](repeating: 0, count: benchCase.frameBytes)
        for i in stride(from: 0, to: data.count, by: 2) { data[i] = UInt8(truncatingIfNeeded: i / 2) }
        return (header.encoded(jsonVersion: 5), data)
    }

    /// Plain ZeroMQ: PULL receives each multipart message zero-copy and drops it.
    private func baseline(message: (header: [UInt8], data: [UInt8]), frames: Int) throws -> Double {
        let context = try ZMQContext(ioThreads: 1)
        let pull = try ZMQSocket(context, .pull)
        try pull.setLinger(milliseconds: 0)
        try pull.bind("tcp://127.0.0.1:*")
        let endpoint = try pull.lastEndpoint
        // The sender has a context (and I/O thread) of its own, as it does in the detview run:
        // the detector is another process.
        let senderContext = try ZMQContext(ioThreads: 1)
        let sender = try Sender(context: senderContext, endpoint: endpoint, message: message, frames: frames, endHeader: false)
        var received = 0
        var start: UInt64 = 0
        while received < frames {
            guard let parts = try pull.receiveMultipart() else { continue }
            if received == 0 { start = MonotonicClock.nanoseconds }
            received += 1
            _ = parts.count
        }
        let elapsed = MonotonicClock.nanoseconds - start
        sender.join()
        pull.close()
        return Double(frames - 1) / (Double(elapsed) / 1e9)
    }

    /// The viewer's path: Receiver (PULL) → ring → worker processes. Timed from the first
    /// frame stored to the end-of-series header, which follows the last frame.
    private func detview(message: (header: [UInt8], data: [UInt8]), frames: Int) throws -> (Double, Double) {
        let layout = try RegionLayout(slotCount: 32, slotCapacity: benchCase.frameBytes,
                                  maxWorkers: workers, boardMaxPixels: 1 << 16, resultCapacity: 1 << 16)
        let region = try DetviewRegion.create(layout: layout, populate: true)
        let notify = try EventFD()
        let supervisor = WorkerSupervisor(count: workers, region: region, notifyFD: notify.fd)
        try supervisor.startAll()
        defer { supervisor.stopAll() }
        let inbox = try ReceiverInbox()
        var options = Receiver.Options(endpoints: ["tcp://127.0.0.1:*"], maxFrameBytes: benchCase.frameBytes)
        options.socketType = .pull
        options.bind = true
        let receiver = try Receiver(options: options, ring: region.ring, inbox: inbox)
        receiver.start()
        defer { receiver.stop() }
        let context = try ZMQContext(ioThreads: 1)
        let sender = try Sender(context: context, endpoint: receiver.boundEndpoints[0], message: message,
                                frames: frames, endHeader: true)
        var start: UInt64 = 0
        var ended = false
        var pfd = pollfd(fd: inbox.fd, events: Int16(POLLIN), revents: 0)
        while !ended {
            _ = poll(&pfd, 1, 10_000)
            for event in inbox.drain() {
                if case .seriesStarted = event { start = MonotonicClock.nanoseconds }
                if case .seriesEnded = event { ended = true }
            }
        }
        let elapsed = MonotonicClock.nanoseconds - start
        sender.join()
        let counters = region.ring.accounting.snapshot()
        let fps = Double(counters.received - 1) / (Double(elapsed) / 1e9)
        let fraction = counters.received == 0 ? 0 : Double(counters.processed) / Double(counters.received)
        return (fps, fraction)
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }
}

/// A PUSH socket on a thread of its own that sends the same message `frames` times.
private final class Sender: @unchecked Sendable {
    private var thread = pthread_t()
    private let socket: ZMQSocket
    private let message: (header: [UInt8], data: [UInt8])
    private let frames: Int
    private let endHeader: Bool

    init(context: ZMQContext, endpoint: String, message: (header: [UInt8], data: [UInt8]), frames: Int, endHeader: Bool) throws {
        socket = try ZMQSocket(context, .push)
        try socket.setLinger(milliseconds: 1000)
        try socket.setSendHighWaterMark(64)
        try socket.connect(endpoint)
        self.message = message
        self.frames = frames
        self.endHeader = endHeader
        let unmanaged = Unmanaged.passRetained(self)
        pthread_create(&thread, nil, { raw in
            let sender = Unmanaged<Sender>.fromOpaque(raw!).takeRetainedValue()
            sender.send()
            return nil
        }, unmanaged.toOpaque())
    }

    private func send() {
        do {
            for _ in 0..<frames {
                _ = try socket.send(message.header, more: true)
                _ = try socket.send(message.data)
            }
            if endHeader { _ = try socket.send(SlsHeader.endOfAcquisition(jsonVersion: 5).encoded(jsonVersion: 5)) }
        } catch {
            writeAll(2, "bench sender: \(error)\n")
        }
        socket.close()
    }

    func join() { pthread_join(thread, nil) }
}

extension String {
    init(format2 value: Double) {
        let scaled = (value * 100).rounded() / 100
        self = String(scaled)
    }
}
