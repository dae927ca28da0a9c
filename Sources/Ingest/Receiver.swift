import DetectorStream
import Platform
import Glibc
import SharedMemory
import Synchronization
import ZeroMQ

/// Owns the ZeroMQ sockets on a thread of its own (ZeroMQ sockets are not thread-safe).
///
/// It receives multipart messages zero-copy, lets the format's decoder parse the header,
/// copies the still-encoded payload into a free ring slot and publishes it to the workers.
/// It never decodes pixels and never waits on the UI: when the ring is full the ring drops
/// the oldest unclaimed frame and counts it. Rare events go to the inbox.
///
/// One endpoint, or several with a format other than slsDetector: one socket connected to
/// every endpoint (a fan-in of whole frames). Several SUB endpoints with `--format sls` or
/// auto-detection: one socket and one decoder per endpoint (each port keeps its own header
/// pairing, gaps and end headers), read in turn one message each so that no port runs ahead;
/// slsDetector ports are assembled by `PortStreamMerger` into one frame per frame number.
///
/// With `forwardEndpoint` every message is first re-sent to the downstream by a
/// `MessageForwarder` (zero-copy, waiting for the downstream rather than dropping), and only then
/// decoded; with a PULL socket the share of the sender's frames is estimated (`PullShare`).
public final class Receiver: @unchecked Sendable {
    public struct Options: Sendable {
        public var endpoints: [String]
        public var socketType: ZMQSocketType = .sub
        public var bind = false
        public var maxFrameBytes: Int
        /// An open series with no message for this long is ended (end headers get lost).
        public var seriesIdleTimeoutMilliseconds: Int = 5000
        /// Whole messages ZeroMQ may queue for the receive thread (ZMQ_RCVHWM); see `receiveQueueMessages`.
        public var receiveHighWaterMark: Int32
        /// nil: detect from the first message.
        public var format: WireFormat?
        /// array-1.0: swap the axis order the header implies.
        public var transpose = false
        /// stream v2: the channel to show (nil: the first in each image).
        public var channel: String?
        /// Multi-port slsDetector: frames waiting for their modules at most (each a full frame
        /// of memory); a frame still incomplete when one newer by more than this arrives is
        /// stored with the missing modules masked.
        public var assemblyWindow = 4
        /// Poll a DECTRIS monitor interface over HTTP instead of reading ZeroMQ (`endpoints` are then
        /// ignored; see `MonitorSource`).
        public var monitor: MonitorSource.Settings?
        /// `--forward`: re-send every message, unchanged, on a PUSH socket bound here (the file
        /// writer connects to it). nil: no forward.
        public var forwardEndpoint: String?

        public init(endpoints: [String], maxFrameBytes: Int) {
            self.endpoints = endpoints
            self.maxFrameBytes = maxFrameBytes
            receiveHighWaterMark = Receiver.receiveQueueMessages(maxFrameBytes: maxFrameBytes)
        }

        /// One socket per endpoint, slsDetector ports assembled (see `Receiver`).
        public var assemblesPorts: Bool {
            endpoints.count > 1 && socketType == .sub && (format == nil || format == .sls)
        }
    }

    public let options: Options
    /// The endpoints really bound (tcp://…:* resolved), for a simulator to connect to.
    public private(set) var boundEndpoints: [String] = []
    private let context: ZMQContext
    /// One socket for every endpoint, or one per endpoint when `options.assemblesPorts`.
    private let sockets: [ZMQSocket]
    /// One monitor per socket: its connect, disconnect and handshake events (see `ConnectionDiagnosis`).
    private let monitors: [ZMQMonitor]
    private let ring: FrameRing
    let inbox: ReceiverInbox
    /// Where a stream's pixel mask goes for the workers (nil: masks are not applied).
    private let masks: MaskBoard?
    /// The UI's settings; the receiver reads the channel choice (nil: the first channel).
    private let control: ControlBlock?
    /// The open series is a JUNGFRAU's: its frames carry gain bits (receive thread only).
    private var seriesHasGainBits = false
    /// The open series is a charge-integrating detector's (receive thread only).
    private var seriesIsChargeIntegrating = false
    let stopSignal: EventFD
    private var thread: pthread_t?
    /// `--forward`: re-sends each message downstream before anything else (receive thread).
    private let forwarder: MessageForwarder?
    /// The forward's counters (messages, bytes, time waiting for the downstream); nil without `--forward`.
    public var forwardCounters: MessageForwarder.Counters? { forwarder?.counters }
    /// The PULL socket's share of the sender's frames in the open series (receive thread writes).
    private let latestShare = Mutex<PullShare.Estimate?>(nil)
    /// nil unless the socket is PULL, or before two frames of a series arrived.
    public var pullShare: PullShare.Estimate? { latestShare.withLock { $0 } }
    private var share = PullShare()

    /// Creates the sockets and binds or connects them on the caller's thread, so that a bad
    /// endpoint is reported before anything starts; the sockets then move to the receive
    /// thread (thread creation is a full memory barrier, which ZeroMQ requires for a move).
    public init(options: Options, ring: FrameRing, inbox: ReceiverInbox, masks: MaskBoard? = nil,
                control: ControlBlock? = nil) throws {
        self.options = options
        self.ring = ring
        self.inbox = inbox
        self.masks = masks
        self.control = control
        let context = try ZMQContext(ioThreads: 1)
        self.context = context
        let groups = options.monitor != nil ? [] : options.assemblesPorts ? options.endpoints.map { [$0] } : [options.endpoints]
        // An endpoint that can never work is refused here, with why, instead of being retried forever.
        for endpoint in groups.joined() { try EndpointCheck.validate(endpoint, binding: options.bind) }
        // The forward's send queue holds the received messages themselves (shared, not copied):
        // bounded by the same byte budget as the receive queue, or 1000 EIGER2 16M frames (72 GB)
        // could wait there for a slow file writer.
        forwarder = try options.forwardEndpoint.map {
            try MessageForwarder(context: context, endpoint: $0,
                                 sendHighWaterMark: Self.receiveQueueMessages(maxFrameBytes: options.maxFrameBytes))
        }
        var sockets: [ZMQSocket] = []
        var monitors: [ZMQMonitor] = []
        var bound: [String] = []
        for endpoints in groups {
            let socket = try ZMQSocket(context, options.socketType)
            sockets.append(socket)
            monitors.append(try ZMQMonitor(watching: socket))   // before connecting: events are not replayed
            try socket.setLinger(milliseconds: 0)
            try socket.setReceiveHighWaterMark(options.receiveHighWaterMark)
            // libzmq treats a part above ZMQ_MAXMSGSIZE as a protocol error: it drops the
            // connection unread, silently, and a SUB never reconnects. So the frame limit is
            // checked after receipt (`oversized`), and ZeroMQ's limit only bounds absurd sizes.
            // A forward must pass on whatever the detector sends, as the file writer would have
            // received it: no size limit of ours may cut the detector off from it.
            try socket.setMaxMessageSize(options.forwardEndpoint == nil
                                         ? Self.transportLimit(maxFrameBytes: options.maxFrameBytes) : -1)
            if options.socketType == .sub { try socket.subscribe() }
            for endpoint in endpoints {
                if options.bind {
                    try socket.bind(endpoint)
                    bound.append(try socket.lastEndpoint)
                } else {
                    try socket.connect(endpoint)
                }
            }
        }
        self.sockets = sockets
        self.monitors = monitors
        boundEndpoints = bound
        stopSignal = try EventFD()
    }

    deinit {
        stop()
    }

    public func start() {
        let unmanaged = Unmanaged.passRetained(self)
        var handle = pthread_t()
        let rc = pthread_create(&handle, nil, { raw in
            let receiver = Unmanaged<Receiver>.fromOpaque(raw!).takeRetainedValue()
            ProcessLifetime.nameThread("detview-recv")
            receiver.loop()
            return nil
        }, unmanaged.toOpaque())
        if rc == 0 { thread = handle } else { unmanaged.release() }
    }

    /// Stops the thread and closes the sockets. Idempotent.
    public func stop() {
        guard let thread else { return }
        try? stopSignal.signal()
        pthread_join(thread, nil)
        self.thread = nil
    }

    private func loop() {
        if let monitor = options.monitor { return runMonitor(monitor) }
        let settings = FormatDecoder.Settings(format: options.format, maxFrameBytes: options.maxFrameBytes,
                                              transpose: options.transpose, channel: options.channel)
        var decoders = sockets.map { _ in FormatDecoder(settings) }
        var merger = PortStreamMerger(ports: sockets.count, window: options.assemblyWindow,
                                      maxFrameBytes: options.maxFrameBytes)
        let assembles = options.assemblesPorts
        var seriesOpen = false
        var controlGeneration: UInt32 = 0
        var channelSteps: UInt32 = 0
        /// The format last announced (several ports detect alike: one line for them all).
        var announcedFormat: WireFormat?
        var diagnosis = ConnectionDiagnosis(socketType: options.socketType)
        var lastMessageAt = MonotonicClock.nanoseconds
        var forwardFailed = false
        let seriesIdleNanoseconds = UInt64(max(options.seriesIdleTimeoutMilliseconds, 0)) * 1_000_000
        defer {
            for socket in sockets { socket.close() }
            for monitor in monitors { monitor.close() }
            forwarder?.close()
        }
        if let forwarder {
            inbox.post(.message("forwarding every message to \(forwarder.counters.endpoint) (PUSH, bound): "
                                + "connect the file writer there", .info))
        }
        let items = sockets.map { ZMQPollItem.socket($0, .readable) } + monitors.map { ZMQPollItem.socket($0.socket, .readable) }
            + [ZMQPollItem.fileDescriptor(stopSignal.fd, .readable)]
        let stopIndex = items.count - 1

        /// Sends a port's event on: through the merger for assembled slsDetector ports.
        func route(_ port: Int, _ event: StreamEvent, _ format: WireFormat?) {
            guard assembles, format == .sls else { return handle(event, format: format, &seriesOpen) }
            merger.handle(port: port, event) { output in
                switch output {
                case .event(let merged): handle(merged, format: .sls, &seriesOpen)
                case .missingModules(let series, let frame, let cells):
                    let names = cells.map { "(\($0))" }.joined(separator: ", ")
                    inbox.post(.message("series \(series): module\(cells.count == 1 ? "" : "s") \(names) missing from frame \(frame) on: masked, frames flagged incomplete", .warning))
                }
            }
        }

        while true {
            // Sleep until a message, the stop, the series' idle timeout or the diagnosis' deadline.
            let before = MonotonicClock.nanoseconds
            var deadlines: [UInt64] = []
            if seriesOpen || merger.isOpen { deadlines.append(lastMessageAt + seriesIdleNanoseconds) }
            if let deadline = diagnosis.nextDeadline { deadlines.append(deadline) }
            let timeout = deadlines.min().map { $0 > before ? Int(($0 - before + 999_999) / 1_000_000) : 0 } ?? -1
            let ready: [ZMQEvents]
            do {
                ready = try ZMQPoll.wait(items, timeoutMilliseconds: timeout)
            } catch {
                inbox.post(.message("receiver stopped: \(error)", .error))
                return
            }
            if ready[stopIndex].contains(.readable) { return }
            let now = MonotonicClock.nanoseconds
            for (index, monitor) in monitors.enumerated() where ready[sockets.count + index].contains(.readable) {
                while let event = try? monitor.next(dontWait: true) {
                    for said in diagnosis.observe(event, at: now) { inbox.post(said) }
                }
            }
            for said in diagnosis.check(at: now) { inbox.post(said) }
            guard sockets.indices.contains(where: { ready[$0].contains(.readable) }) else {
                if (seriesOpen || merger.isOpen) && now &- lastMessageAt >= seriesIdleNanoseconds {
                    for port in decoders.indices {
                        decoders[port].idle { route(port, $0, $1) }
                    }
                    if assembles { merger.idle { if case .event(let e) = $0 { handle(e, format: .sls, &seriesOpen) } } }
                    lastMessageAt = now   // a merger still open waits a whole timeout again
                }
                continue
            }
            lastMessageAt = now
            // ZMQ readiness is edge-triggered: drain everything that is queued now, one message
            // per socket in turn, so that the ports of one frame arrive together.
            var more = true
            while more {
                more = false
                for port in sockets.indices {
                    let parts: [ZMQMessage]
                    do {
                        guard let received = try sockets[port].receiveMultipart(dontWait: true) else { continue }
                        parts = received
                    } catch {
                        inbox.post(.message("receive failed: \(error)", .error))
                        continue
                    }
                    more = true
                    // The downstream gets the message before anything else is done with it, and
                    // the forward waits rather than drops: the viewer's own work may drop, later.
                    if let forwarder {
                        do {
                            guard try forwarder.forward(parts, stopFD: stopSignal.fd) else { return }
                        } catch {
                            // Said once: a socket that fails keeps failing, and messages are not coalesced.
                            if !forwardFailed {
                                forwardFailed = true
                                inbox.post(.message("forward to \(forwarder.counters.endpoint) failed: \(error)", .error))
                            }
                        }
                    }
                    if let reason = Self.oversized(parts, maxFrameBytes: options.maxFrameBytes) {
                        // Counted and named; the parts are released here, before the next receive.
                        ring.accounting.receivedMalformed()
                        inbox.post(.badFrame(reason: reason))
                        continue
                    }
                    if let control, control.generation != controlGeneration {
                        let snapshot = control.snapshot()
                        controlGeneration = snapshot.generation
                        let steps = snapshot.settings.channel &- channelSteps
                        channelSteps = snapshot.settings.channel
                        if steps > 0, let shown = decoders[port].nextChannel(steps: Int(steps)) {
                            inbox.post(.message("showing channel \(shown.name) (of \(shown.all.joined(separator: ", ")))", .info))
                        }
                    }
                    withBytes(of: parts) { buffers in
                        if let detected = decoders[port].detect(buffers, emit: { route(port, $0, $1) }),
                           detected.format != announcedFormat {
                            announcedFormat = detected.format
                            inbox.post(.message("stream format: \(detected)", .info))
                        }
                        decoders[port].consume(buffers) { route(port, $0, $1) }
                    }
                }
            }
        }
    }

    func handle(_ event: StreamEvent, format: WireFormat?, _ seriesOpen: inout Bool) {
        switch event {
        case .frame(let frame, let payload):
            ring.accounting.received(bytes: payload.count)
            if options.socketType == .pull {
                share.received(series: frame.series, frameNumber: frame.frameNumber)
                let estimate = share.estimate
                latestShare.withLock { $0 = estimate }
            }
            store(frame, payload, format: format ?? .sls)
        case .bad(let error):
            ring.accounting.receivedMalformed()
            inbox.post(.badFrame(reason: error.description))
        case .seriesStart(let info):
            seriesOpen = true
            share.seriesStarted(info.series)
            seriesHasGainBits = info.detector.carriesGainBits && info.pixelType == .uint16
            seriesIsChargeIntegrating = info.detector.isChargeIntegrating
            // Slots sized to this series' frames: many for small frames, few for large ones.
            ring.prepareSlots(forFrameBytes: Self.frameBytes(info))
            inbox.post(.seriesStarted(info))
        case .seriesEnd(let series, let frames):
            seriesOpen = false
            // Said only when another puller shared the stream: the whole of it needs no word.
            if options.socketType == .pull, let estimate = share.estimate, estimate.series == series,
               estimate.fraction < 0.99 {
                inbox.post(.message("pull: took \(estimate.percentText) of the sender's frames in series \(series) "
                                    + "(\(estimate.frames) of \(estimate.span) frame numbers)", .info))
            }
            inbox.post(.seriesEnded(series: series, frames: frames))
        case .gap(_, let missing):
            inbox.post(.frameGap(missing: missing))
        case .pixelMask(let series, let mask):
            publish(mask, series: series)
        }
    }

    private func store(_ frame: FrameDescriptor, _ payload: UnsafeRawBufferPointer, format: WireFormat) {
        guard payload.count <= ring.slotCapacity else {
            ring.accounting.rejectedByReceiver()
            inbox.post(.badFrame(reason: "frame of \(payload.count) bytes exceeds the slot size \(ring.slotCapacity) (--max-frame-bytes)"))
            return
        }
        guard let slot = ring.acquireForWriting(bytes: payload.count) else {
            ring.accounting.droppedByRing()
            return
        }
        var header = SlotHeader()
        header.series = frame.series
        header.frameNumber = frame.frameNumber
        header.frameIndex = frame.frameIndex
        header.width = UInt32(truncatingIfNeeded: frame.width)
        header.height = UInt32(truncatingIfNeeded: frame.height)
        header.pixelType = frame.pixelType.rawValue
        header.encoding = frame.encoding.rawValue
        header.format = format.rawValue
        header.isIncomplete = !frame.complete
        header.hasGainBits = seriesHasGainBits
        header.isChargeIntegrating = seriesIsChargeIntegrating
        header.isBigEndian = frame.bigEndian
        header.byteCount = UInt64(payload.count)
        header.receivedNs = MonotonicClock.nanoseconds
        slot.header.pointee = header
        slot.copyPayload(from: payload)
        _ = ring.publish(slot)
    }
}

extension Receiver {
    /// Hands a stream's pixel mask to the workers through the mask board.
    private func publish(_ mask: PixelMask, series: UInt64) {
        guard let masks else { return }
        let board = MaskBoard.Mask(series: series, width: mask.width, height: mask.height, indices: mask.indices)
        if masks.publish(board) {
            inbox.post(.message("pixel mask of series \(series): \(mask.indices.count) pixels masked", .info))
        } else {
            inbox.post(.message("pixel mask of series \(series) not applied: \(mask.indices.count) masked pixels exceed the mask board (\(masks.capacity))", .warning))
        }
    }
}

extension Receiver {
    /// The part size above which libzmq drops a connection (`ZMQ_MAXMSGSIZE`): far above any
    /// frame the viewer accepts, so that an oversized frame arrives and is counted bad with its
    /// reason, yet bounded, so that a peer announcing an absurd size cannot make libzmq
    /// allocate it (a failed allocation aborts inside libzmq).
    /// The receive queue's length in messages, from a byte budget: ZeroMQ's default of 1000
    /// queued messages held 180 MB of 320 KB frames in a soak overload, and would hold 72 GB of
    /// EIGER2 16M frames. The queue lives in this process; a sender's own queue (its SNDHWM,
    /// in its process) and the kernel's TCP buffers still absorb bursts, and the ring (bytes)
    /// absorbs them here, so a short queue loses nothing a long one would keep for long.
    public static func receiveQueueMessages(maxFrameBytes: Int) -> Int32 {
        Int32(clamping: min(max(receiveQueueBytes / max(maxFrameBytes, 1), 8), 1000))
    }

    /// The byte budget of the receive queue (see `receiveQueueMessages`).
    public static let receiveQueueBytes = 256 << 20

    public static func transportLimit(maxFrameBytes: Int) -> Int64 {
        max(4 * Int64(maxFrameBytes), 1 << 30)
    }

    /// The raw bytes of a series' frames (0 when the start does not give a shape).
    static func frameBytes(_ info: SeriesInfo) -> Int {
        let (pixels, o1) = info.width.multipliedReportingOverflow(by: info.height)
        let (bytes, o2) = pixels.multipliedReportingOverflow(by: info.pixelType.bytesPerPixel)
        return o1 || o2 || info.width <= 0 || info.height <= 0 ? 0 : bytes
    }

    /// Why a received message is too large for the ring (a part above `--max-frame-bytes`), or nil.
    static func oversized(_ parts: [ZMQMessage], maxFrameBytes: Int) -> String? {
        guard let largest = parts.lazy.map(\.count).max(), largest > maxFrameBytes else { return nil }
        return oversizeReason(bytes: largest, maxFrameBytes: maxFrameBytes)
    }

    /// "72.4 MB frame exceeds --max-frame-bytes 32 MiB: raise it (to 72374304 or more)".
    public static func oversizeReason(bytes: Int, maxFrameBytes: Int) -> String {
        "\(ByteText.decimal(bytes)) frame exceeds --max-frame-bytes \(ByteText.binary(maxFrameBytes)): "
            + "raise it (to \(bytes) or more)"
    }
}

/// Byte counts for people: a frame as the detector's data sheet gives it (MB), a limit as it is
/// usually set (MiB when it is a whole number of them).
enum ByteText {
    static func decimal(_ bytes: Int) -> String {
        if bytes >= 1_000_000 { return "\((Double(bytes) / 100_000).rounded() / 10) MB" }
        if bytes >= 1_000 { return "\((Double(bytes) / 100).rounded() / 10) kB" }
        return "\(bytes)-byte"
    }

    static func binary(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}

/// Calls `body` with the bytes of every message part, valid only during the call.
func withBytes<R>(of parts: [ZMQMessage], _ body: ([UnsafeRawBufferPointer]) -> R) -> R {
    var buffers: [UnsafeRawBufferPointer] = []
    buffers.reserveCapacity(parts.count)
    func step(_ i: Int) -> R {
        if i == parts.count { return body(buffers) }
        return parts[i].withUnsafeBytes { bytes in
            buffers.append(bytes)
            return step(i + 1)
        }
    }
    return step(0)
}
