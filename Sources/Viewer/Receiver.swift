import CLinux
import DetectorStream
import Glibc
import SharedMemory
import ZeroMQ

/// Owns the ZeroMQ socket on a thread of its own (ZeroMQ sockets are not thread-safe).
///
/// It receives multipart messages zero-copy, lets the format's decoder parse the header,
/// copies the still-encoded payload into a free ring slot and publishes it to the workers.
/// It never decodes pixels and never waits on the UI: when the ring is full the ring drops
/// the oldest unclaimed frame and counts it. Rare events go to the inbox.
public final class Receiver: @unchecked Sendable {
    public struct Options: Sendable {
        public var endpoints: [String]
        public var socketType: ZMQSocketType = .sub
        public var bind = false
        public var maxFrameBytes: Int
        /// An open series with no message for this long is ended (end headers get lost).
        public var seriesIdleTimeoutMilliseconds: Int = 5000
        public var receiveHighWaterMark: Int32 = 1000
        /// nil: detect from the first message.
        public var format: WireFormat?
        /// array-1.0: swap the axis order the header implies.
        public var transpose = false
        /// stream v2: the channel to show (nil: the first in each image).
        public var channel: String?

        public init(endpoints: [String], maxFrameBytes: Int) {
            self.endpoints = endpoints
            self.maxFrameBytes = maxFrameBytes
        }
    }

    public let options: Options
    /// The endpoints really bound (tcp://…:* resolved), for a simulator to connect to.
    public private(set) var boundEndpoints: [String] = []
    private let context: ZMQContext
    private let socket: ZMQSocket
    private let ring: FrameRing
    private let inbox: ReceiverInbox
    /// Where a stream's pixel mask goes for the workers (nil: masks are not applied).
    private let masks: MaskBoard?
    /// The UI's settings; the receiver reads the channel choice (nil: the first channel).
    private let control: ControlBlock?
    /// The open series is a JUNGFRAU's: its frames carry gain bits (receive thread only).
    private var seriesHasGainBits = false
    private let stopFD: Int32
    private var thread: pthread_t?

    /// Creates the socket and binds or connects it on the caller's thread, so that a bad
    /// endpoint is reported before anything starts; the socket then moves to the receive
    /// thread (thread creation is a full memory barrier, which ZeroMQ requires for a move).
    public init(options: Options, ring: FrameRing, inbox: ReceiverInbox, masks: MaskBoard? = nil,
                control: ControlBlock? = nil) throws {
        self.options = options
        self.ring = ring
        self.inbox = inbox
        self.masks = masks
        self.control = control
        context = try ZMQContext(ioThreads: 1)
        socket = try ZMQSocket(context, options.socketType)
        try socket.setLinger(milliseconds: 0)
        try socket.setReceiveHighWaterMark(options.receiveHighWaterMark)
        // A message larger than any frame plus its header is garbage: zmq drops it unread.
        try socket.setMaxMessageSize(Int64(options.maxFrameBytes) + 1 << 20)
        if options.socketType == .sub { try socket.subscribe() }
        for endpoint in options.endpoints {
            if options.bind {
                try socket.bind(endpoint)
                boundEndpoints.append(try socket.lastEndpoint)
            } else {
                try socket.connect(endpoint)
            }
        }
        stopFD = dv_eventfd(0, dv_efd_cloexec() | dv_efd_nonblock())
        guard stopFD >= 0 else { throw SystemError(call: "eventfd", errno: errno) }
    }

    deinit {
        stop()
        close(stopFD)
    }

    public func start() {
        let unmanaged = Unmanaged.passRetained(self)
        var handle = pthread_t()
        let rc = pthread_create(&handle, nil, { raw in
            let receiver = Unmanaged<Receiver>.fromOpaque(raw!).takeRetainedValue()
            _ = dv_set_process_name("detview-recv")
            receiver.loop()
            return nil
        }, unmanaged.toOpaque())
        if rc == 0 { thread = handle } else { unmanaged.release() }
    }

    /// Stops the thread and closes the socket. Idempotent.
    public func stop() {
        guard let thread else { return }
        _ = dv_eventfd_signal(stopFD)
        pthread_join(thread, nil)
        self.thread = nil
    }

    private func loop() {
        var decoder = FormatDecoder(.init(format: options.format, maxFrameBytes: options.maxFrameBytes,
                                          transpose: options.transpose, channel: options.channel))
        var seriesOpen = false
        var controlGeneration: UInt32 = 0
        var channelSteps: UInt32 = 0
        defer { socket.close() }
        while true {
            let timeout = seriesOpen ? options.seriesIdleTimeoutMilliseconds : -1
            let ready: [ZMQEvents]
            do {
                ready = try ZMQPoll.wait([.socket(socket, .readable), .fileDescriptor(stopFD, .readable)],
                                         timeoutMilliseconds: timeout)
            } catch {
                inbox.post(.message("receiver stopped: \(error)", .error))
                return
            }
            if ready[1].contains(.readable) { return }
            if ready[0].isEmpty {
                decoder.idle { handle($0, format: $1, &seriesOpen) }
                continue
            }
            // ZMQ readiness is edge-triggered: drain everything that is queued now.
            do {
                while let parts = try socket.receiveMultipart(dontWait: true) {
                    if let control, control.generation != controlGeneration {
                        let snapshot = control.snapshot()
                        controlGeneration = snapshot.generation
                        let steps = snapshot.settings.channel &- channelSteps
                        channelSteps = snapshot.settings.channel
                        if steps > 0, let shown = decoder.nextChannel(steps: Int(steps)) {
                            inbox.post(.message("showing channel \(shown.name) (of \(shown.all.joined(separator: ", ")))", .info))
                        }
                    }
                    withBytes(of: parts) { buffers in
                        if let detected = decoder.detect(buffers) {
                            inbox.post(.message("stream format: \(detected.name) (detected)", .info))
                        }
                        decoder.consume(buffers) { handle($0, format: $1, &seriesOpen) }
                    }
                }
            } catch {
                inbox.post(.message("receive failed: \(error)", .error))
            }
        }
    }

    private func handle(_ event: StreamEvent, format: WireFormat?, _ seriesOpen: inout Bool) {
        switch event {
        case .frame(let frame, let payload):
            ring.add(.received, 1)
            ring.add(.bytesReceived, UInt64(payload.count))
            store(frame, payload, format: format ?? .sls)
        case .bad(let error):
            ring.add(.received, 1)
            ring.add(.bad, 1)
            inbox.post(.badFrame(reason: error.description))
        case .seriesStart(let info):
            seriesOpen = true
            seriesHasGainBits = info.detector == "JUNGFRAU" && info.pixelType == .uint16
            inbox.post(.seriesStarted(info))
        case .seriesEnd(let series, let frames):
            seriesOpen = false
            inbox.post(.seriesEnded(series: series, frames: frames))
        case .gap(_, let missing):
            inbox.post(.frameGap(missing: missing))
        case .pixelMask(let series, let mask):
            publish(mask, series: series)
        }
    }

    private func store(_ frame: FrameDescriptor, _ payload: UnsafeRawBufferPointer, format: WireFormat) {
        guard payload.count <= ring.slotCapacity else {
            ring.add(.bad, 1)
            inbox.post(.badFrame(reason: "frame of \(payload.count) bytes exceeds the slot size \(ring.slotCapacity) (--max-frame-bytes)"))
            return
        }
        guard let slot = ring.acquireForWriting() else {
            ring.add(.dropped, 1)
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
        header.isBigEndian = frame.bigEndian
        header.byteCount = UInt64(payload.count)
        header.receivedNs = dv_monotonic_ns()
        slot.header.pointee = header
        if let base = payload.baseAddress, payload.count > 0 {
            slot.payload.baseAddress!.copyMemory(from: base, byteCount: payload.count)
        }
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
