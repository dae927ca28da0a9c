import DetectorStream
import Processing
import Glibc
import ZeroMQ

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

/// A simulated detector: renders a scene (MOENCH, JUNGFRAU or EIGER) and streams each frame in
/// one wire format (slsDetector PUB, SIMPLON v1 PUSH, stream v2 PUSH, array-1.0 PUB), paced at
/// the requested rate, then the format's end-of-series message. With `streams` > 1 (sls) each
/// frame goes out as one message per port on a PUB socket per port (`PortLayout`), and each
/// port sends its own end header. Runs on the calling thread (`run` blocks); the ZMQ sockets
/// live and die inside `run`.
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
        let kind = o.usesPush ? "PUSH" : "PUB"
        var how = o.connect != nil ? "\(kind) connecting to \(o.endpoint)" : "\(kind) bound at \(o.endpoint)"
        var extras: [String] = []
        if let layout = (try? PortLayout(options: o)) ?? nil, let endpoints = try? o.streamEndpoints {
            how = "\(layout.count) port streams of \(layout.moduleWidth)x\(layout.moduleHeight) "
                + "(detshape [\(layout.columns), \(layout.rows)]), \(kind) bound at \(endpoints.joined(separator: " "))"
            if layout.flipsOddRows { extras.append("odd rows of ports flipped (flipRows)") }
            if let missing = o.missingStream {
                extras.append("port \(missing) (row \(layout.row(of: missing)), column \(layout.column(of: missing))) silent")
            }
        }
        if o.pumpProbe { extras.append("pump-probe") }
        if o.deadPixels > 0 { extras.append("\(o.deadPixels) dead pixels") }
        if o.hotPixels > 0 { extras.append("\(o.hotPixels) hot pixels") }
        if o.detector == .moench, o.illumination != .flat { extras.append("\(o.illumination.rawValue) illumination") }
        if o.sendMode == .separate, o.resolvedFormat == .sls { extras.append("header and data as separate messages") }
        if o.waitForSubscriber > 0 { extras.append("waiting up to \(CFloatFormat.general(o.waitForSubscriber)) s for a consumer") }
        if let r = o.record { extras.append("recording to \(r)") }
        let tail = extras.isEmpty ? "" : "; " + extras.joined(separator: ", ")
        let (w, h) = o.resolvedSize
        var format = o.resolvedFormat.name
        switch o.resolvedFormat {
        case .sls: format = "sls json v\(o.jsonVersion)"
        case .simplon: format += " (header_detail \(o.headerDetail.rawValue))"
        default: break
        }
        return "simulate: \(o.detector.rawValue.uppercased()) \(w)x\(h) \(o.resolvedPixelType.name), \(format), "
            + "\(o.resolvedEncoding.name), \(count) at \(CFloatFormat.general(o.rate)) frames/s, seed \(o.seed), \(how)\(tail)"
    }

    /// The scene the options describe.
    public func makeScene() -> any DetectorScene {
        switch options.detector {
        case .moench:
            var s = MoenchScene.Options()
            s.seed = options.seed
            s.pumpProbe = options.pumpProbe
            s.deadPixels = options.deadPixels
            s.hotPixels = options.hotPixels
            s.illumination = options.illumination
            s.photonsPerFrame = options.photonsPerFrame
            s.darkFrames = UInt64(options.darkFrames)
            return MoenchScene(options: s)
        case .jungfrau:
            var s = JungfrauScene.Options()
            s.seed = options.seed
            s.photonsPerFrame = options.photonsPerFrame
            return JungfrauScene(options: s)
        case .eiger:
            var s = EigerScene.Options()
            s.seed = options.seed
            (s.width, s.height) = options.resolvedSize
            s.pixelType = options.resolvedPixelType
            return EigerScene(options: s)
        }
    }

    public func run(stop: StopSignal) throws(SimulatorError) -> SimulationSummary {
        try options.validate()
        var scene = makeScene()
        let reliable = options.usesPush || options.waitForSubscriber > 0
        let layout = try PortLayout(options: options)
        let endpoints = try options.streamEndpoints
        // Before any socket or wait: a refused --record path ends the run at once.
        let recorder = try options.record.map { (path) throws(SimulatorError) in try FrameRecordWriter(path: path) }
        let context: ZMQContext
        var sockets: [ZMQSocket] = []
        do {
            context = try ZMQContext()
        } catch {
            throw SimulatorError.zmq("simulate: cannot open \(options.endpoint)", error)
        }
        defer {
            for socket in sockets { socket.close() }
            withExtendedLifetime(context) {}
        }
        let messageBytes = layout.map { $0.moduleWidth * $0.moduleHeight * scene.pixelType.bytesPerPixel } ?? scene.frameBytes
        for endpoint in options.connect.map({ [$0] }) ?? endpoints {
            do {
                let socket = try ZMQSocket(context, options.usesPush ? .push : reliable ? .xpub : .pub)
                sockets.append(socket)
                try socket.setLinger(milliseconds: options.lingerMilliseconds)
                // Bounds what waits in the queue to about 256 MB, whatever the frame size.
                try socket.setSendHighWaterMark(Int32(min(1000, max(4, (256 << 20) / max(messageBytes, 1)))))
                if options.usesPush {
                    // Nothing queues for a connection not yet made: "writable" then means a puller is there.
                    try socket.setImmediate(true)
                } else if reliable {
                    try socket.setXPubNoDrop(true)
                    try socket.setReceiveTimeout(milliseconds: 100)
                }
                if options.connect != nil { try socket.connect(endpoint) } else { try socket.bind(endpoint) }
            } catch {
                throw SimulatorError.zmq("simulate: cannot open \(endpoint)", error)
            }
        }
        let senders = sockets.map { MessageSender(socket: $0, reliable: reliable, stop: stop) }
        /// The ports that send (all but `--missing-stream`).
        let live = sockets.indices.filter { $0 != options.missingStream }
        if options.waitForSubscriber > 0 {
            for port in live {
                if options.usesPush { try waitForPuller(sockets[port], stop: stop) } else { try waitForSubscriber(sockets[port], stop: stop) }
            }
        }

        var messages = WireMessages(options: options, scene: .init(
            detector: options.detector, width: scene.width, height: scene.height, pixelType: scene.pixelType,
            saturationValue: scene.saturationValue, pixelMask: scene.pixelMask))
        let encoding = messages.encoding
        let elementSize = scene.pixelType.bytesPerPixel
        let frame = UnsafeMutableRawBufferPointer.allocate(byteCount: scene.frameBytes, alignment: 16)
        defer { frame.deallocate() }
        // One port's pixels, cut out of the frame.
        let portPixels = UnsafeMutableRawBufferPointer.allocate(byteCount: layout != nil ? messageBytes : 0, alignment: 16)
        defer { portPixels.deallocate() }
        // Decoded copies of compressed frames: the record states what a decoder must reproduce.
        let check = recorder != nil && encoding != .raw
            ? UnsafeMutableRawBufferPointer.allocate(byteCount: scene.frameBytes, alignment: 16) : nil
        defer { check?.deallocate() }
        // Formats that send the scene's mask: the viewer applies it, so the record does too.
        let sendsMask = options.resolvedFormat == .stream2 || (options.resolvedFormat == .simplon && options.headerDetail == .all)
        let recordMask = recorder != nil && sendsMask ? scene.maskedIndices : []
        var pacer = Pacer(rate: options.rate)
        var sent: UInt64 = 0
        var firstSend: UInt64 = 0, lastSend: UInt64 = 0
        var reportedShortfall = false

        pacer.begin()
        do throws(ZMQError) {
            for message in messages.seriesStart() where try !senders[0].send(message, payload: UnsafeRawBufferPointer(frame)) {
                break
            }
        } catch {
            if !stop.isRequested { throw SimulatorError.zmq("simulate: sending the series header failed", error) }
        }
        while !stop.isRequested, options.frames.map({ sent < UInt64($0) }) ?? true {
            pacer.wait(for: sent, stop: stop)
            if stop.isRequested { break }
            let photons = scene.render(frameIndex: sent, into: frame)
            if let layout, let missing = options.missingStream {
                // The record describes what a viewer assembles: the silent port's module masked.
                layout.mask(port: missing, in: frame, bytesPerPixel: elementSize)
            }
            let pixels = UnsafeRawBufferPointer(frame)
            let encoded: [UInt8]? = encoding == .raw ? nil
                : PayloadEncoder.encode(pixels, as: encoding, elementSize: elementSize, lz4: messages.lz4Form)
            let ok: Bool
            do throws(ZMQError) {
                if let layout {
                    ok = try sendPorts(sent, pixels: pixels, layout: layout, live: live, senders: senders,
                                       messages: &messages, portPixels: portPixels, elementSize: elementSize)
                } else {
                    ok = try Self.withPayload(encoded, or: pixels) { payload throws(ZMQError) in
                        for message in messages.frame(sent, payload: payload) where try !senders[0].send(message, payload: payload) {
                            return false
                        }
                        return true
                    }
                }
            } catch {
                // A signal can interrupt a send (EINTR): with a stop requested that is the way out.
                if stop.isRequested { break }
                throw SimulatorError.zmq("simulate: send failed", error)
            }
            if !ok { break }
            lastSend = Pacer.now()
            // The span starts when frame 0 was due, not when it went out: a late first frame
            // (a loaded machine) followed by frames on their deadlines is not a faster rate.
            if sent == 0 { firstSend = min(pacer.start, lastSend) }
            if let recorder {
                let statistics = try Self.statistics(encoded, pixels: pixels, encoding: encoding, scene: scene, check: check,
                                                     masking: recordMask)
                try recorder.write(series: WireMessages.series, frame: messages.frameNumber(sent),
                                   statistics: statistics, photons: photons)
            }
            sent += 1
            pacer.sent(rate: options.rate)
            if let achieved = pacer.shortfall, !reportedShortfall {
                reportedShortfall = true
                log(shortfallLine(achieved))
            }
        }

        if let end = messages.seriesEnd() {
            do throws(ZMQError) {
                // The 9.2 receiver sends its end header on every port.
                ports: for port in live {
                    for _ in 0..<max(options.endRepeats, 0) {
                        if try !senders[port].send(end, payload: UnsafeRawBufferPointer(frame)) { break ports }
                    }
                }
            } catch {
                throw SimulatorError.zmq("simulate: sending the end of the series failed", error)
            }
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

    /// Sends frame `index` as one message per live port, each port's pixels cut out of the frame.
    private func sendPorts(_ index: UInt64, pixels: UnsafeRawBufferPointer, layout: PortLayout, live: [Int],
                           senders: [MessageSender], messages: inout WireMessages,
                           portPixels: UnsafeMutableRawBufferPointer, elementSize: Int) throws(ZMQError) -> Bool {
        for port in live {
            layout.extract(port: port, from: pixels, bytesPerPixel: elementSize, into: portPixels)
            let payload = UnsafeRawBufferPointer(portPixels)
            for message in messages.frame(index, payload: payload, port: port)
            where try !senders[port].send(message, payload: payload) {
                return false
            }
        }
        return true
    }

    private static func withPayload<R>(_ encoded: [UInt8]?, or pixels: UnsafeRawBufferPointer,
                                       _ body: (UnsafeRawBufferPointer) throws(ZMQError) -> R) throws(ZMQError) -> R {
        guard let encoded else { return try body(pixels) }
        return try encoded.withUnsafeBytes { b in Result { () throws(ZMQError) -> R in try body(b) } }.get()
    }

    /// The record's statistics: of the pixels, or, for a compressed frame, of the payload
    /// decoded again (so a codec bug shows as a record that disagrees with the scene).
    private static func statistics(_ encoded: [UInt8]?, pixels: UnsafeRawBufferPointer, encoding: PayloadEncoding,
                                   scene: any DetectorScene, check: UnsafeMutableRawBufferPointer?,
                                   masking masked: [Int]) throws(SimulatorError) -> FrameStats {
        guard let encoded, let check else { return scene.statistics(of: pixels, masking: masked) }
        let decoded = encoded.withUnsafeBytes { input in
            Result { () throws(StreamError) in
                try PayloadCodec.decode(encoding, elementSize: scene.pixelType.bytesPerPixel,
                                        elementCount: scene.width * scene.height, input: input, output: check)
            }
        }
        if case .failure(let error) = decoded {
            throw SimulatorError("simulate: the frame just encoded does not decode: \(error)")
        }
        return scene.statistics(of: UnsafeRawBufferPointer(check), masking: masked)
    }

    private func shortfallLine(_ achieved: Double) -> String {
        "simulate: cannot keep up: \(Int(achieved.rounded())) of \(CFloatFormat.general(options.rate)) frames/s"
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

    /// PUSH with ZMQ_IMMEDIATE is writable only once a puller is connected.
    private func waitForPuller(_ socket: ZMQSocket, stop: StopSignal) throws(SimulatorError) {
        let deadline = Pacer.now() + UInt64(options.waitForSubscriber * 1e9)
        while !stop.isRequested, Pacer.now() < deadline {
            do {
                let ready = try ZMQPoll.wait([.socket(socket, .writable)], timeoutMilliseconds: 50)
                if ready.first?.contains(.writable) == true { return }
            } catch {
                throw SimulatorError.zmq("simulate: waiting for a puller", error)
            }
        }
        if !stop.isRequested {
            log("simulate: no puller after \(CFloatFormat.general(options.waitForSubscriber)) s; frames wait for one (PUSH never drops)")
        }
    }
}
