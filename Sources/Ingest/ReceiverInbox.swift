import Glibc
import Platform
import SharedMemory
import Synchronization

/// Hands the receiver thread's rare events (series start and end, bad frames, gaps) to the
/// thread that watches it (the viewer's event loop): a locked queue plus an eventfd that
/// wakes that thread.
///
/// Frame counts do not pass through here: they live in shared-memory counters that the UI
/// samples. Bad-frame reports are coalesced so that a flood of garbage cannot grow the queue,
/// but their counts are kept: a run of them becomes one event with the sum of their counts and
/// the latest reason, so whoever drains knows how many there were (headless `bad_frame` lines).
public final class ReceiverInbox: Sendable {
    private let doorbell: EventFD
    /// Readable when events are waiting.
    public var fd: Int32 { doorbell.fd }
    private let queue = Mutex<Queue>(Queue())
    /// Bound on queued events; beyond it, further bad-frame reports are held in one overflow event.
    private static let capacity = 256

    private struct Queue {
        var events: [IngestEvent] = []
        /// Bad frames posted while the queue was full, delivered at the end of the next drain.
        var overflow: (reason: String, count: UInt64)?
    }

    public init() throws {
        doorbell = try EventFD()
    }

    public func post(_ event: IngestEvent) {
        let wake = queue.withLock { queue -> Bool in
            guard case .badFrame(let reason, let count) = event else {
                queue.events.append(event)
                return true
            }
            if case .badFrame(_, let earlier) = queue.events.last {
                queue.events[queue.events.count - 1] = .badFrame(reason: reason, count: earlier + count)
                return true
            }
            if queue.events.count >= Self.capacity {
                // No room: counted, not queued, and no wake-up (the loop is behind already).
                queue.overflow = (reason, (queue.overflow?.count ?? 0) + count)
                return false
            }
            queue.events.append(event)
            return true
        }
        if wake { try? doorbell.signal() }
    }

    public func drain() -> [IngestEvent] {
        doorbell.drain()
        return queue.withLock { queue in
            var events = queue.events
            if let overflow = queue.overflow { events.append(.badFrame(reason: overflow.reason, count: overflow.count)) }
            queue.events.removeAll(keepingCapacity: true)
            queue.overflow = nil
            return events
        }
    }
}
