import CLinux
import Ingest
import XCTest

final class ReceiverInboxTests: XCTestCase {
    func testEventsAreDrainedInTheOrderPosted() throws {
        let inbox = try ReceiverInbox()
        inbox.post(.seriesStarted(seriesInfo(series: 1)))
        inbox.post(.frameGap(missing: 2))
        inbox.post(.badFrame(reason: "x"))
        inbox.post(.seriesEnded(series: 1, frames: 10))
        XCTAssertEqual(inbox.drain().map(describe),
                       ["seriesStarted 1 400x200 uint16", "frameGap 2", "badFrame x", "seriesEnded 1 10"])
        XCTAssertTrue(inbox.drain().isEmpty, "a drain empties the queue")
    }

    func testEventFDIsReadableAfterAPostAndQuietAfterTheDrain() throws {
        let inbox = try ReceiverInbox()
        XCTAssertFalse(isReadable(inbox.fd))
        inbox.post(.message("hello", .info))
        XCTAssertTrue(isReadable(inbox.fd))
        _ = inbox.drain()
        XCTAssertFalse(isReadable(inbox.fd))
    }

    func testPostFromAnotherThreadWakesAPoller() throws {
        let inbox = try ReceiverInbox()
        Thread { inbox.post(.frameGap(missing: 1)) }.start()
        XCTAssertTrue(isReadable(inbox.fd, within: 5000))
        XCTAssertEqual(inbox.drain().map(describe), ["frameGap 1"])
    }

    func testConsecutiveBadFramesCoalesceToTheLatestReasonAndTheSumOfTheirCounts() throws {
        let inbox = try ReceiverInbox()
        inbox.post(.badFrame(reason: "first"))
        inbox.post(.badFrame(reason: "second", count: 5))
        inbox.post(.badFrame(reason: "third"))
        inbox.post(.frameGap(missing: 1))
        inbox.post(.badFrame(reason: "fourth"))
        XCTAssertEqual(inbox.drain().map(describe), ["badFrame third ×7", "frameGap 1", "badFrame fourth"])
    }

    func testBeyondCapacityBadFramesAreCountedIntoOneEventAtTheEndOfTheDrain() throws {
        let inbox = try ReceiverInbox()
        for i in 0..<256 { inbox.post(.frameGap(missing: UInt64(i))) }
        inbox.post(.badFrame(reason: "flood"))
        inbox.post(.seriesEnded(series: 1, frames: 5))
        inbox.post(.badFrame(reason: "flood again", count: 2))
        let events = inbox.drain().map(describe)
        XCTAssertEqual(events.count, 258)
        XCTAssertEqual(events[256], "seriesEnded 1 5")
        XCTAssertEqual(events.last, "badFrame flood again ×3", "not queued, but counted")
        inbox.post(.badFrame(reason: "after the drain"))
        XCTAssertEqual(inbox.drain().map(describe), ["badFrame after the drain"], "room again after a drain")
    }

    func testDroppedBadFrameDoesNotWakeTheLoop() throws {
        let inbox = try ReceiverInbox()
        for i in 0..<256 { inbox.post(.frameGap(missing: UInt64(i))) }
        _ = dv_eventfd_drain(inbox.fd)   // the loop woke, but has not drained the queue yet
        inbox.post(.badFrame(reason: "flood"))
        XCTAssertFalse(isReadable(inbox.fd))
        inbox.post(.message("still here", .info))
        XCTAssertTrue(isReadable(inbox.fd))
    }
}
