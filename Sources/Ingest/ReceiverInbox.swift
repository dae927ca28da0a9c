import Glibc
import Platform
import SharedMemory
import Synchronization

/// Hands the receiver thread's rare events (series start and end, bad frames, gaps) to the
/// thread that watches it (the viewer's event loop): a locked queue plus an eventfd that
/// wakes that thread.
///
/// Frame counts do not pass through here: they live in shared-memory counters that the UI
/// samples. Bad-frame reports are coalesced so that a flood of garbage cannot grow the queue.
public final class ReceiverInbox: Sendable {
    private let doorbell: EventFD
    /// Readable when events are waiting.
    public var fd: Int32 { doorbell.fd }
    private let queue = Mutex<[IngestEvent]>([])
    /// Bound on queued events; beyond it, further bad-frame reports are folded away.
    private static let capacity = 256

    public init() throws {
        doorbell = try EventFD()
    }

    public func post(_ event: IngestEvent) {
        let accepted = queue.withLock { events -> Bool in
            if case .badFrame = event, events.count >= Self.capacity { return false }
            if case .badFrame = event, case .badFrame = events.last {
                events[events.count - 1] = event     // keep only the latest reason of a run
                return true
            }
            events.append(event)
            return true
        }
        if accepted { try? doorbell.signal() }
    }

    public func drain() -> [IngestEvent] {
        doorbell.drain()
        return queue.withLock { events in
            defer { events.removeAll(keepingCapacity: true) }
            return events
        }
    }
}
