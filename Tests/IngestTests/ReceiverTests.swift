import DetectorStream
import Glibc
import Ingest
import SharedMemory
import XCTest
import ZeroMQ

/// The receiver against a real PUSH socket over tcp loopback and a real shared region.
final class ReceiverTests: ReceiverTestCase {
    private func frameHeader(index: UInt64, width: Int = 8, height: Int = 4, complete: Bool = true) -> [UInt8] {
        var h = SlsHeader()
        h.bitmode = 16
        h.shape = [width, height]
        h.size = width * height * 2
        h.frameIndex = index
        h.frameNumber = 1000 + index
        h.data = 1
        h.completeImage = complete ? 1 : 0
        h.detType = 5
        return h.encoded(jsonVersion: 5)
    }

    private func payload(index: UInt64, bytes: Int = 64) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: Int(index) &* 31 &+ $0) }
    }

    private func send(_ parts: [[UInt8]]) throws {
        XCTAssertTrue(try push.sendMultipart(parts))
    }

    private func waitForReceived(_ n: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(waitUntil { region.ring.accounting.snapshot().received >= n },
                      "received \(region.ring.accounting.snapshot().received) of \(n)", file: file, line: line)
    }

    /// The next published slot. `received` is counted before the frame is stored in the ring, so
    /// a frame counted received may not be claimable yet: wait for the slot itself.
    private func claimPublished(_ what: String, file: StaticString = #filePath, line: UInt = #line) throws -> ClaimedSlot {
        var claimed: ClaimedSlot?
        _ = waitUntil {
            claimed = region.ring.claimNext(worker: 0)
            return claimed != nil
        }
        return try XCTUnwrap(claimed, what, file: file, line: line)
    }

    func testFramesArePublishedIntoTheRingWithHeaderAndPayload() throws {
        try start()
        for i in 0..<3 as Range<UInt64> {
            try send([frameHeader(index: i, complete: i != 2), payload(index: i)])
        }
        waitForReceived(3)
        XCTAssertEqual(region.ring.accounting.snapshot().bytesReceived, 3 * 64)
        for i in 0..<3 as Range<UInt64> {
            let slot = try claimPublished("frame \(i)")
            defer { region.ring.release(slot) }
            let h = slot.header
            XCTAssertEqual(h.sequence, i + 1)
            XCTAssertEqual(h.series, 1)
            XCTAssertEqual(h.frameIndex, i)
            XCTAssertEqual(h.frameNumber, 1000 + i)
            XCTAssertEqual(h.width, 8)
            XCTAssertEqual(h.height, 4)
            XCTAssertEqual(h.pixelType, PixelType.uint16.rawValue)
            XCTAssertEqual(h.encoding, PayloadEncoding.raw.rawValue)
            XCTAssertEqual(h.format, WireFormat.sls.rawValue)
            XCTAssertEqual(h.byteCount, 64)
            XCTAssertEqual(h.isIncomplete, i == 2)
            XCTAssertGreaterThan(h.receivedNs, 0)
            XCTAssertEqual(Array(slot.payload), payload(index: i))
        }
        XCTAssertNil(region.ring.claimNext(worker: 0))
        XCTAssertEqual(region.ring.accounting.snapshot().bad, 0)
        XCTAssertEqual(region.ring.accounting.snapshot().dropped, 0)
    }

    func testSeriesStartAndEndArePostedToTheInbox() throws {
        try start()
        try send([frameHeader(index: 0), payload(index: 0)])
        waitForEvent("seriesStarted")
        XCTAssertEqual(events.first, "message stream format: sls (detected) info", "the detected format is announced first")
        try send([frameHeader(index: 1), payload(index: 1)])
        try send([SlsHeader.endOfAcquisition(jsonVersion: 5).encoded(jsonVersion: 5)])
        waitForEvent("seriesEnded")
        XCTAssertEqual(events, ["message stream format: sls (detected) info", "seriesStarted 1 8x4 uint16", "seriesEnded 1 2"])
    }

    /// Beside another puller the PULL socket gets every other frame: the share is estimated from
    /// the frame numbers, readable at any time and said at the series end.
    func testAPullSocketSharingTheStreamEstimatesItsShareAndSaysItAtTheSeriesEnd() throws {
        try start()
        XCTAssertNil(receiver.pullShare)
        for index: UInt64 in [0, 2, 4] { try send([frameHeader(index: index), payload(index: index)]) }
        XCTAssertTrue(waitUntil { self.receiver.pullShare?.frames == 3 })
        XCTAssertEqual(receiver.pullShare, PullShare.Estimate(series: 1, frames: 3, span: 5))
        try send([SlsHeader.endOfAcquisition(jsonVersion: 5).encoded(jsonVersion: 5)])
        waitForEvent("seriesEnded")
        XCTAssertTrue(events.contains("message pull: took ~60% of the sender's frames in series 1 (3 of 5 frame numbers) info"),
                      "\(events)")
    }

    func testInboxEventFDWakesTheLoopForASeriesStart() throws {
        try start()
        try send([frameHeader(index: 0), payload(index: 0)])
        XCTAssertTrue(isReadable(inbox.fd, within: 5000))
    }

    func testMalformedHeaderCountsBadAndPostsTheReason() throws {
        try start()
        try send([Array(#"{"bitmode": 16, "shape": [8"#.utf8), payload(index: 0)])
        waitForReceived(1)
        waitForEvent("badFrame")
        XCTAssertEqual(region.ring.accounting.snapshot().bad, 1)
        XCTAssertNil(region.ring.claimNext(worker: 0), "nothing published")
        let reason = try XCTUnwrap(events.first { $0.hasPrefix("badFrame") })
        XCTAssertTrue(reason.hasPrefix("badFrame sls: "), reason)
    }

    func testFrameOfTheWrongSizeIsBadAndTheNextFrameStillArrives() throws {
        try start()
        try send([frameHeader(index: 0), payload(index: 0, bytes: 60)])
        try send([frameHeader(index: 1), payload(index: 1)])
        waitForReceived(2)
        XCTAssertTrue(waitUntil { region.ring.accounting.snapshot().bad == 1 })
        let slot = try claimPublished("the next frame arrives")
        XCTAssertEqual(slot.header.frameIndex, 1)
        region.ring.release(slot)
        waitForEvent("badFrame")
        XCTAssertTrue(events.contains { $0.contains("60") }, "\(events)")
    }

    func testFrameLargerThanTheSlotIsBadNamingMaxFrameBytes() throws {
        try start(slotCapacity: 4096, maxFrameBytes: 1 << 20)
        try send([frameHeader(index: 0, width: 64, height: 64), payload(index: 0, bytes: 64 * 64 * 2)])
        waitForReceived(1)
        waitForEvent("badFrame")
        XCTAssertEqual(region.ring.accounting.snapshot().bad, 1)
        XCTAssertEqual(region.ring.accounting.snapshot().dropped, 0)
        XCTAssertNil(region.ring.claimNext(worker: 0))
        let reason = try XCTUnwrap(events.first { $0.hasPrefix("badFrame") })
        XCTAssertTrue(reason.contains("--max-frame-bytes"), reason)
        XCTAssertTrue(reason.contains("8192"), reason)
    }

    func testMessageFarAboveMaxFrameBytesIsABadFrameWithItsReasonAndTheConnectionStays() throws {
        // 2 MiB against a 4 KiB limit: beyond ZeroMQ's old limit (max + 1 MiB), which dropped
        // the connection and the message unseen.
        try start(slotCapacity: 4096, maxFrameBytes: 4096)
        try send([frameHeader(index: 0), payload(index: 0, bytes: 2 << 20)])
        try send([frameHeader(index: 1), payload(index: 1)])
        waitForReceived(2)
        XCTAssertTrue(waitUntil { region.ring.accounting.snapshot().bad == 1 })
        let slot = try claimPublished("the next frame arrives")
        XCTAssertEqual(slot.header.frameIndex, 1)
        region.ring.release(slot)
        waitForEvent("badFrame")
        XCTAssertTrue(events.contains("badFrame 2.1 MB frame exceeds --max-frame-bytes 4 KiB: raise it (to 2097152 or more)"), "\(events)")
    }

    func testOversizeReasonNamesTheFrameTheLimitAndWhatToDo() {
        XCTAssertEqual(Receiver.oversizeReason(bytes: 4148 * 4362 * 4, maxFrameBytes: 32 << 20),
                       "72.4 MB frame exceeds --max-frame-bytes 32 MiB: raise it (to 72374304 or more)")
        XCTAssertEqual(Receiver.oversizeReason(bytes: 5000, maxFrameBytes: 4000),
                       "5.0 kB frame exceeds --max-frame-bytes 4000 bytes: raise it (to 5000 or more)")
    }

    func testZeroMQsOwnLimitIsFarAboveTheFrameLimitButBounded() {
        XCTAssertEqual(Receiver.transportLimit(maxFrameBytes: 80 << 20), 1 << 30)
        XCTAssertEqual(Receiver.transportLimit(maxFrameBytes: 1 << 30), 4 << 30)
    }

    func testTheReceiveQueueIsBoundedInBytesNotOnlyInMessages() {
        // The default frame limit (80 MiB) gives the shortest queue: 8 frames, not ZeroMQ's 1000.
        XCTAssertEqual(Receiver.receiveQueueMessages(maxFrameBytes: 80 << 20), 8)
        XCTAssertEqual(Receiver.receiveQueueMessages(maxFrameBytes: 1 << 20), 256)
        XCTAssertEqual(Receiver.receiveQueueMessages(maxFrameBytes: 1024), 1000)
        XCTAssertEqual(Receiver.Options(endpoints: ["tcp://127.0.0.1:1"], maxFrameBytes: 80 << 20).receiveHighWaterMark, 8)
        for limit in [1, 4096, 320_000, 4 << 20, 72_000_000, 1 << 30] {
            let queued = Int(Receiver.receiveQueueMessages(maxFrameBytes: limit))
            XCTAssertTrue(queued * limit <= max(Receiver.receiveQueueBytes, 8 * limit), "limit \(limit): \(queued) messages")
        }
    }

    func testFullRingDropsTheOldestAndAccountsForEveryFrame() throws {
        try start(slotCount: 4)
        for i in 0..<10 as Range<UInt64> { try send([frameHeader(index: i), payload(index: i)]) }
        try send([frameHeader(index: 10), payload(index: 10, bytes: 2)])   // and one bad frame
        waitForReceived(11)
        XCTAssertTrue(waitUntil { region.ring.accounting.snapshot().bad == 1 })
        let c = region.ring.accounting.snapshot()
        let filled = UInt64(region.ring.occupancy().filled)
        XCTAssertEqual(c.received, filled + c.dropped + c.bad)
        XCTAssertEqual(filled, 4)
        XCTAssertEqual(c.dropped, 6)
        // What is left to process is the newest frames.
        var kept: [UInt64] = []
        while let slot = region.ring.claimNext(worker: 0) {
            kept.append(slot.header.frameIndex)
            XCTAssertEqual(Array(slot.payload), payload(index: slot.header.frameIndex))
            region.ring.release(slot)
        }
        XCTAssertEqual(kept, [6, 7, 8, 9])
    }

    func testFramesArrivingWhileEverySlotIsClaimedAreDroppedAndCounted() throws {
        try start(slotCount: 2)
        for i in 0..<2 as Range<UInt64> { try send([frameHeader(index: i), payload(index: i)]) }
        waitForReceived(2)
        let held = [region.ring.claimNext(worker: 0), region.ring.claimNext(worker: 0)].compactMap { $0 }
        XCTAssertEqual(held.count, 2)
        for i in 2..<5 as Range<UInt64> { try send([frameHeader(index: i), payload(index: i)]) }
        waitForReceived(5)
        XCTAssertTrue(waitUntil { region.ring.accounting.snapshot().dropped == 3 }, "dropped \(region.ring.accounting.snapshot().dropped)")
        XCTAssertEqual(region.ring.accounting.snapshot().received, UInt64(held.count) + region.ring.accounting.snapshot().dropped)
        held.forEach { region.ring.release($0) }
        try send([frameHeader(index: 5), payload(index: 5)])
        waitForReceived(6)
        XCTAssertTrue(waitUntil { region.ring.occupancy().filled == 1 }, "a freed slot takes the next frame")
    }

    func testBadEndpointThrowsAtInit() throws {
        let layout = try RegionLayout(slotCount: 2, slotCapacity: 4096, maxWorkers: 1, boardMaxPixels: 16, resultCapacity: 4)
        let region = try DetviewRegion.create(layout: layout, populate: false)
        let inbox = try ReceiverInbox()
        for (endpoint, bind) in [("nonsense://x", false), ("tcp://", true), ("tcp://256.1.1.1:x", true)] {
            var options = Receiver.Options(endpoints: [endpoint], maxFrameBytes: 4096)
            options.bind = bind
            XCTAssertThrowsError(try Receiver(options: options, ring: region.ring, inbox: inbox), endpoint)
        }
    }

    func testStopEndsTheReceiverPromptly() throws {
        try start()
        let started = Date()
        receiver.stop()
        receiver.stop()   // idempotent
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
    }
}
