import DetectorStream
import Glibc
import ZeroMQ

/// What `detview simulate` asks for.
public struct SimulationOptions: Sendable {
    /// Simulated detector families (more scenes later).
    public enum Detector: String, Sendable, CaseIterable { case moench }
    /// Header and data as one two-part message (the 9.2 receiver) or as two messages (other senders).
    public enum SendMode: Sendable { case multipart, separate }

    public var detector: Detector = .moench
    /// Frames per second.
    public var rate: Double = 100
    /// nil: until stopped.
    public var frames: Int?
    public var seed: UInt64 = 1
    /// PUB binds here unless `connect` is set.
    public var bind: String = "tcp://127.0.0.1:30001"
    /// Connect instead of binding (the viewer's SUB binds in demo mode).
    public var connect: String?
    public var record: String?
    public var pumpProbe = false
    public var deadPixels = 0
    public var photonsPerFrame: Double = 40
    public var jsonVersion = 5
    /// Seconds to wait for a subscription before the first frame (XPUB, no drops); 0: plain PUB.
    public var waitForSubscriber: Double = 0
    /// How many end-of-acquisition headers to send (the 9.2 receiver sends 1; others repeat).
    public var endRepeats = 1
    public var sendMode: SendMode = .multipart

    public init() {}

    public var endpoint: String { connect ?? bind }
}

/// The outcome of a run, for the one-line summary.
public struct SimulationSummary: Sendable, Equatable {
    public var framesSent: UInt64
    public var seconds: Double
    /// Frames per second between the first and the last frame.
    public var achievedRate: Double
    public var keptUp: Bool

    public var line: String {
        let rate = framesSent > 1 ? CFloatFormat.fixed(achievedRate, precision: 1) + " frames/s" : "-"
        return "simulate: sent \(framesSent) frames in \(CFloatFormat.fixed(seconds, precision: 2)) s (\(rate))"
    }
}

/// A simulated slsDetector receiver: renders a scene and publishes each frame as an sls header
/// plus data part on ZMQ, paced at the requested rate, then the end-of-acquisition header.
/// Runs on the calling thread (`run` blocks); the ZMQ socket lives and dies inside `run`.
public final class SimulatedDetector {
    public let options: SimulationOptions
    private let log: (String) -> Void

    public init(options: SimulationOptions, log: @escaping (String) -> Void = SimulatedDetector.standardError) {
        self.options = options
        self.log = log
    }

    public static func standardError(_ line: String) {
        var text = Array((line + "\n").utf8)
        var done = 0
        while done < text.count {
            let n = text.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress! + done, $0.count - done) }
            if n <= 0 { if n < 0, errno == EINTR { continue }; return }
            done += n
        }
    }

    /// The line `detview simulate` prints at start.
    public var startupLine: String {
        let o = options
        let count = o.frames.map { "\($0) frames" } ?? "frames until stopped"
        let how = o.connect != nil ? "connecting to \(o.endpoint)" : "PUB bound at \(o.endpoint)"
        var extras: [String] = []
        if o.pumpProbe { extras.append("pump-probe") }
        if o.deadPixels > 0 { extras.append("\(o.deadPixels) dead pixels") }
        if o.sendMode == .separate { extras.append("header and data as separate messages") }
        if o.waitForSubscriber > 0 { extras.append("waiting up to \(CFloatFormat.general(o.waitForSubscriber)) s for a subscriber") }
        if let r = o.record { extras.append("recording to \(r)") }
        let tail = extras.isEmpty ? "" : "; " + extras.joined(separator: ", ")
        return "simulate: MOENCH 400x400 u16, sls json v\(o.jsonVersion), \(count) at "
            + "\(CFloatFormat.general(o.rate)) frames/s, seed \(o.seed), \(how)\(tail)"
    }

    public func run(stop: StopSignal) throws(SimulatorError) -> SimulationSummary {
        guard options.rate > 0, options.rate.isFinite else { throw SimulatorError("simulate: rate must be above 0") }
        let reliable = options.waitForSubscriber > 0
        let context: ZMQContext
        let socket: ZMQSocket
        do {
            context = try ZMQContext()
            socket = try ZMQSocket(context, reliable ? .xpub : .pub)
            try socket.setLinger(milliseconds: 2000)
            if reliable {
                try socket.setXPubNoDrop(true)
                try socket.setReceiveTimeout(milliseconds: 100)
            }
            if let endpoint = options.connect { try socket.connect(endpoint) } else { try socket.bind(options.bind) }
        } catch {
            throw SimulatorError.zmq("simulate: cannot open \(options.endpoint)", error)
        }
        defer {
            socket.close()
            withExtendedLifetime(context) {}
        }
        let sender = FrameSender(socket: socket, reliable: reliable, stop: stop)
        if reliable { try waitForSubscriber(socket, stop: stop) }

        let recorder = try options.record.map { (path) throws(SimulatorError) in try FrameRecordWriter(path: path) }
        var scene = MoenchScene(options: sceneOptions)
        let frame = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: scene.pixelCount)
        defer { frame.deallocate() }
        var pacer = Pacer(rate: options.rate)
        var header = frameHeaderTemplate()
        var sent: UInt64 = 0
        var firstSend: UInt64 = 0, lastSend: UInt64 = 0
        var reportedShortfall = false

        pacer.begin()
        while !stop.isRequested, options.frames.map({ sent < UInt64($0) }) ?? true {
            pacer.wait(for: sent, stop: stop)
            if stop.isRequested { break }
            let photons = scene.render(frameIndex: sent, into: frame)
            header.frameNumber = sent + 1
            header.acqIndex = sent + 1
            header.frameIndex = sent
            header.progress = options.frames.map { 100 * Double(sent + 1) / Double($0) } ?? 0
            let payload = UnsafeRawBufferPointer(frame)
            let ok: Bool
            do throws(ZMQError) {
                ok = try sender.send(header: header.encoded(jsonVersion: options.jsonVersion), data: payload,
                                     multipart: options.sendMode == .multipart)
            } catch {
                // A signal can interrupt a send (EINTR): with a stop requested that is the way out.
                if stop.isRequested { break }
                throw SimulatorError.zmq("simulate: send failed", error)
            }
            if !ok { break }
            lastSend = Pacer.now()
            if sent == 0 { firstSend = lastSend }
            sent += 1
            try recorder?.write(series: 1, frame: header.frameNumber,
                                statistics: FrameStatistics(UnsafeBufferPointer(frame)), photons: photons)
            pacer.sent(rate: options.rate)
            if let achieved = pacer.shortfall, !reportedShortfall {
                reportedShortfall = true
                log(shortfallLine(achieved))
            }
        }

        let end = SlsHeader.endOfAcquisition(jsonVersion: options.jsonVersion).encoded(jsonVersion: options.jsonVersion)
        do throws(ZMQError) {
            for _ in 0..<max(options.endRepeats, 0) {
                if try !sender.sendEnd(end) { break }
            }
        } catch {
            throw SimulatorError.zmq("simulate: sending the end header failed", error)
        }
        try recorder?.close()
        let span = Double(lastSend &- firstSend) / 1e9
        let achieved = sent > 1 && span > 0 ? Double(sent - 1) / span : 0
        // Runs shorter than the one-second window are judged on the whole run.
        if !reportedShortfall, !stop.isRequested, sent > 1, achieved < options.rate * 0.98 {
            reportedShortfall = true
            log(shortfallLine(achieved))
        }
        return SimulationSummary(framesSent: sent, seconds: span, achievedRate: achieved, keptUp: !reportedShortfall)
    }

    private func shortfallLine(_ achieved: Double) -> String {
        "simulate: cannot keep up: \(Int(achieved.rounded())) of \(CFloatFormat.general(options.rate)) frames/s"
    }

    private var sceneOptions: MoenchScene.Options {
        var s = MoenchScene.Options()
        s.seed = options.seed
        s.pumpProbe = options.pumpProbe
        s.deadPixels = options.deadPixels
        s.photonsPerFrame = options.photonsPerFrame
        return s
    }

    /// A MOENCH port as the 9.2 receiver describes it.
    private func frameHeaderTemplate() -> SlsHeader {
        var h = SlsHeader()
        h.jsonVersion = options.jsonVersion
        h.bitmode = 16
        h.detShape = [1, 1]
        h.shape = [MoenchScene.width, MoenchScene.height]
        h.size = MoenchScene.width * MoenchScene.height * 2
        h.fname = "/tmp/detview-sim/run"
        h.data = 1
        h.completeImage = 1
        h.packetNumber = 50
        h.detType = 5
        h.version = 2
        h.rxROI = [0, MoenchScene.width - 1, 0, MoenchScene.height - 1]
        return h
    }

    private func waitForSubscriber(_ socket: ZMQSocket, stop: StopSignal) throws(SimulatorError) {
        let deadline = Pacer.now() + UInt64(options.waitForSubscriber * 1e9)
        while !stop.isRequested, Pacer.now() < deadline {
            do {
                // XPUB delivers each subscription as a message: byte 1, then the prefix.
                if let message = try socket.receive(), message.count > 0,
                   message.withUnsafeBytes({ $0[0] }) == 1 {
                    return
                }
            } catch {
                if error.isAgain || stop.isRequested { continue }
                throw SimulatorError.zmq("simulate: waiting for a subscriber", error)
            }
        }
        if !stop.isRequested {
            log("simulate: no subscriber after \(CFloatFormat.general(options.waitForSubscriber)) s; sending anyway")
        }
    }
}

/// Sends header and data parts. On the reliable path (XPUB_NODROP) a full queue answers EAGAIN:
/// the sender waits a little and retries, so a test subscriber never loses a frame; a stop
/// request bounds that wait. Plain PUB never blocks (it drops, like a real receiver).
private struct FrameSender {
    let socket: ZMQSocket
    let reliable: Bool
    let stop: StopSignal

    /// False when a stop request gave up on a blocked send.
    func send(header: [UInt8], data: UnsafeRawBufferPointer, multipart: Bool) throws(ZMQError) -> Bool {
        guard try part(header, more: multipart) else { return false }
        return try part(data, more: false)
    }

    func sendEnd(_ header: [UInt8]) throws(ZMQError) -> Bool {
        try part(header, more: false)
    }

    private func part(_ bytes: [UInt8], more: Bool) throws(ZMQError) -> Bool {
        try bytes.withUnsafeBytes { b in
            Result { () throws(ZMQError) -> Bool in try part(b, more: more) }
        }.get()
    }

    private func part(_ bytes: UnsafeRawBufferPointer, more: Bool) throws(ZMQError) -> Bool {
        guard reliable else { return try socket.send(bytes, more: more) }
        var stoppedAt: UInt64?
        while true {
            if try socket.send(bytes, more: more, dontWait: true) { return true }
            if stop.isRequested {
                let now = Pacer.now()
                if let t = stoppedAt, now - t > 1_000_000_000 { return false }
                if stoppedAt == nil { stoppedAt = now }
            }
            var pause = timespec(tv_sec: 0, tv_nsec: 200_000)
            nanosleep(&pause, nil)
        }
    }
}
