/// Where every frame went, counted in words of the frame ring's header so that the receiver
/// thread, the worker processes and the supervisor all count into the same place.
///
/// One method per path a frame can take; nothing else writes these words. A frame is counted
/// `received` before it can reach any other path (the receiver counts it before storing it, and
/// every later path starts from a stored frame), and `snapshot()` reads `received` last, so a
/// snapshot never sees a frame finished that it has not seen arrive:
/// `received = processed + dropped + bad + inFlight` holds in every snapshot by construction.
///
/// Any thread of any process that maps the region may call it, within the roles named on each
/// method. Receiver-side words share one cache line, worker-side words another.
public struct FrameAccounting: @unchecked Sendable {
    private let header: UnsafeMutableRawPointer

    /// The words, as offsets into the ring header (see `FrameRing`'s layout).
    private enum Word: Int {
        // Receiver (and the ring acting for it).
        case received = 256, droppedByRing = 264, bytesReceived = 272, badInReceiver = 280
        // Workers (and the supervisor acting for a dead one).
        case processed = 384, badInWorker = 392, droppedOnReclaim = 400, droppedStale = 408
    }

    init(ringHeader: UnsafeMutableRawPointer) {
        header = ringHeader
    }

    @inline(__always) private func add(_ word: Word, _ amount: UInt64) {
        word64(header, word.rawValue).atomicAdd(amount)
    }

    @inline(__always) private func load(_ word: Word) -> UInt64 {
        word64(header, word.rawValue).atomicLoad()
    }

    // MARK: receiver

    /// A frame arrived with `bytes` of (still encoded) payload. Counted before it is stored.
    @inline(__always) public func received(bytes: Int) {
        add(.received, 1)
        add(.bytesReceived, UInt64(bytes))
    }

    /// A message arrived that is no frame (malformed, unknown format): received and bad at once.
    public func receivedMalformed() {
        add(.received, 1)
        add(.badInReceiver, 1)
    }

    /// A frame counted `received` that the receiver did not store (larger than a slot).
    public func rejectedByReceiver() {
        add(.badInReceiver, 1)
    }

    /// The ring had no room for a frame counted `received` (every slot filling or claimed), or
    /// the ring overwrote an unclaimed frame to make room (`FrameRing.acquireForWriting`).
    @inline(__always) public func droppedByRing() {
        add(.droppedByRing, 1)
    }

    // MARK: workers and supervisor

    /// A worker finished a frame and its result is on the result queue.
    @inline(__always) public func processed() {
        add(.processed, 1)
    }

    /// A worker could not use a frame (it did not decode, or its shape was wrong).
    public func rejectedByWorker() {
        add(.badInWorker, 1)
    }

    /// A dead worker's claimed frames went back to the ring unprocessed (`FrameRing.reclaim`).
    func droppedOnReclaim(_ count: Int) {
        add(.droppedOnReclaim, UInt64(count))
    }

    /// A worker took a frame that had waited in the ring beyond `--max-lag` and dropped it
    /// unprocessed (`FrameRing.claimNext`).
    func droppedStale() {
        add(.droppedStale, 1)
    }

    // MARK: reading

    /// The counts now. Reads every finished path first and `received` last (see the type).
    public func snapshot() -> Snapshot {
        let processed = load(.processed)
        let droppedByRing = load(.droppedByRing)
        let droppedOnReclaim = load(.droppedOnReclaim)
        let droppedStale = load(.droppedStale)
        let badInReceiver = load(.badInReceiver)
        let badInWorker = load(.badInWorker)
        let bytes = load(.bytesReceived)
        let received = load(.received)
        return Snapshot(processed: processed, droppedByRing: droppedByRing, droppedOnReclaim: droppedOnReclaim,
                        droppedStale: droppedStale, badInReceiver: badInReceiver, badInWorker: badInWorker,
                        bytesReceived: bytes, receivedWords: received)
    }

    /// The counts at one moment. `received` is derived, so the identity cannot break.
    public struct Snapshot: Equatable, Sendable {
        public let processed: UInt64
        public let droppedByRing: UInt64
        public let droppedOnReclaim: UInt64
        /// Taken by a worker after waiting longer than `--max-lag`, and not processed.
        public let droppedStale: UInt64
        public let badInReceiver: UInt64
        public let badInWorker: UInt64
        public let bytesReceived: UInt64
        /// Received and not yet processed, dropped or found bad: in the ring or in a worker.
        public let inFlight: UInt64

        public var dropped: UInt64 { droppedByRing + droppedOnReclaim + droppedStale }
        public var bad: UInt64 { badInReceiver + badInWorker }
        public var received: UInt64 { processed + dropped + bad + inFlight }

        public init(processed: UInt64 = 0, droppedByRing: UInt64 = 0, droppedOnReclaim: UInt64 = 0,
                    droppedStale: UInt64 = 0, badInReceiver: UInt64 = 0, badInWorker: UInt64 = 0,
                    bytesReceived: UInt64 = 0, inFlight: UInt64 = 0) {
            self.processed = processed
            self.droppedByRing = droppedByRing
            self.droppedOnReclaim = droppedOnReclaim
            self.droppedStale = droppedStale
            self.badInReceiver = badInReceiver
            self.badInWorker = badInWorker
            self.bytesReceived = bytesReceived
            self.inFlight = inFlight
        }

        /// From the words as read. A finished count beyond `received` cannot happen given the
        /// read order; if it ever did, the frame would count as arrived rather than go negative.
        init(processed: UInt64, droppedByRing: UInt64, droppedOnReclaim: UInt64, droppedStale: UInt64,
             badInReceiver: UInt64, badInWorker: UInt64, bytesReceived: UInt64, receivedWords: UInt64) {
            let finished = processed &+ droppedByRing &+ droppedOnReclaim &+ droppedStale &+ badInReceiver &+ badInWorker
            self.init(processed: processed, droppedByRing: droppedByRing, droppedOnReclaim: droppedOnReclaim,
                      droppedStale: droppedStale, badInReceiver: badInReceiver, badInWorker: badInWorker, bytesReceived: bytesReceived,
                      inFlight: receivedWords > finished ? receivedWords - finished : 0)
        }
    }
}
