import CLinux
import DetectorStream
import Processing
import SharedMemory
import Workers
import XCTest

final class FramePipelineTests: XCTestCase {
    private var region: DetviewRegion!
    private var pipeline: FramePipeline!

    override func setUpWithError() throws {
        region = try makeRegion()
        pipeline = FramePipeline(maxPixels: region.layout.boardMaxPixels)
        pipeline.latestFrameIntervalNs = 0  // every frame on the board, to read it back
    }

    override func tearDown() {
        region = nil
        pipeline = nil
    }

    /// Publishes a frame as the receiver would, claims it as worker 1 would, processes it.
    private func run(_ header: SlotHeader, _ payload: [UInt8], file: StaticString = #filePath,
                     line: UInt = #line) throws -> FrameResult {
        try publish(header, payload: payload, into: region.ring, file: file, line: line)
        let slot = try XCTUnwrap(region.ring.claimNext(worker: 1), file: file, line: line)
        defer { region.ring.release(slot) }
        return pipeline.process(slot: slot, worker: 1, region: region)
    }

    private func assertStats(_ r: FrameResult, _ expected: NaiveStats, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.stats.sum, expected.sum, "sum", file: file, line: line)
        XCTAssertEqual(r.stats.min, expected.min, "min", file: file, line: line)
        XCTAssertEqual(r.stats.max, expected.max, "max", file: file, line: line)
        XCTAssertEqual(r.stats.mean, expected.mean, accuracy: 1e-9 * max(1, abs(expected.mean)), "mean", file: file, line: line)
        XCTAssertEqual(r.stats.masked, expected.masked, "masked", file: file, line: line)
        XCTAssertEqual(r.stats.count, expected.count, "count", file: file, line: line)
    }

    func testFrameStatisticsOfEveryDetectorPixelTypeMatchANaiveLoop() throws {
        let limits: [PixelType: UInt32] = [.uint8: 250, .uint16: 60_000, .uint32: 3_000_000_000]
        for (n, type) in PixelType.detectorTypes.enumerated() {
            let pixels = testPixels(count: 48 * 20, type: type, limit: limits[type]!, seed: UInt64(n + 3))
            var header = rawHeader(width: 48, height: 20, type: type)
            header.series = 7
            header.frameNumber = 1000 + UInt64(n)
            header.frameIndex = UInt64(n)
            let r = try run(header, bytes(of: pixels, as: type))
            XCTAssertEqual(r.status, .ok, type.name)
            assertStats(r, NaiveStats(pixels, type: type))
            XCTAssertEqual(r.series, 7)
            XCTAssertEqual(r.frameNumber, 1000 + UInt64(n))
            XCTAssertEqual(r.frameIndex, UInt64(n))
            XCTAssertEqual(r.sequence, UInt64(n + 1))
            XCTAssertEqual(r.worker, 1)
            XCTAssertEqual(r.width, 48)
            XCTAssertEqual(r.height, 20)
            XCTAssertEqual(r.pixelType, type.rawValue)
        }
        XCTAssertEqual(region.ring.accounting.snapshot().processed, 3)
        XCTAssertEqual(region.ring.accounting.snapshot().bad, 0)
    }

    func testStatisticsAreTheSameWithAndWithoutADisplayImage() throws {
        let pixels = testPixels(count: 40 * 20, type: .uint16, limit: 5000)
        let payload = bytes(of: pixels, as: .uint16)
        let without = try run(rawHeader(width: 40, height: 20, type: .uint16), payload)
        region.control.set(ControlSettings(displayWidth: 10, displayHeight: 10))
        let with = try run(rawHeader(width: 40, height: 20, type: .uint16), payload)
        XCTAssertEqual(region.board.latestSequence, with.sequence, "the second run drew an image")
        assertStats(without, NaiveStats(pixels, type: .uint16))
        assertStats(with, NaiveStats(pixels, type: .uint16))
    }

    /// The latest frame goes on the board at most once per `latestFrameIntervalNs`: a frame
    /// within the interval keeps its statistics but draws no image.
    func testTheBoardTakesTheLatestFrameAtMostOncePerInterval() throws {
        pipeline.latestFrameIntervalNs = 60_000_000_000  // a minute: the second frame is within it
        region.control.set(ControlSettings(displayWidth: 10, displayHeight: 10))
        let pixels = testPixels(count: 40 * 20, type: .uint16, limit: 5000)
        let payload = bytes(of: pixels, as: .uint16)
        let first = try run(rawHeader(width: 40, height: 20, type: .uint16), payload)
        let second = try run(rawHeader(width: 40, height: 20, type: .uint16), payload)
        XCTAssertEqual(region.board.latestSequence, first.sequence, "only the first frame drew an image")
        assertStats(second, NaiveStats(pixels, type: .uint16))
        pipeline.latestFrameIntervalNs = 0
        let third = try run(rawHeader(width: 40, height: 20, type: .uint16), payload)
        XCTAssertEqual(region.board.latestSequence, third.sequence, "with no interval every frame does")
    }

    func testAllMaskedFrameHasNaNExtremesAndZeroCount() throws {
        let pixels = [UInt32](repeating: 0xFFFF, count: 16)
        let r = try run(rawHeader(width: 4, height: 4, type: .uint16), bytes(of: pixels, as: .uint16))
        XCTAssertEqual(r.status, .ok)
        XCTAssertEqual(r.stats.sum, 0)
        XCTAssertTrue(r.stats.min.isNaN && r.stats.max.isNaN && r.stats.mean.isNaN)
        XCTAssertEqual(r.stats.masked, 16)
        XCTAssertEqual(r.stats.count, 0)
    }

    func testResultCarriesTheTimeFromReceiptToResult() throws {
        var header = rawHeader(width: 2, height: 2, type: .uint8)
        // Received 5 ms ago on the clock the receiver stamps with.
        header.receivedNs = dv_monotonic_ns() - 5_000_000
        let r = try run(header, [1, 2, 3, 4])
        XCTAssertGreaterThanOrEqual(r.receiveToResultNs, 5_000_000)
        XCTAssertGreaterThanOrEqual(r.receiveToResultNs, r.decodeNs + r.processNs)
        XCTAssertLessThan(r.receiveToResultNs, 5_000_000_000, "not a wrapped difference")
    }

    func testFrameWithoutAReceiptTimeHasNoReceiveToResultTime() throws {
        let r = try run(rawHeader(width: 2, height: 2, type: .uint8), [1, 2, 3, 4])
        XCTAssertEqual(r.receiveToResultNs, 0)
    }

    func testIncompleteFrameIsProcessedAndMarkedIncomplete() throws {
        var header = rawHeader(width: 2, height: 2, type: .uint8)
        header.isIncomplete = true
        let r = try run(header, [1, 2, 3, 4])
        XCTAssertEqual(r.status, .incomplete)
        XCTAssertEqual(r.stats.sum, 10)
        XCTAssertEqual(region.ring.accounting.snapshot().processed, 1)
    }

    func testUndecodableFrameIsBadWithItsReasonAndCountedBad() throws {
        var header = rawHeader(width: 2, height: 2, type: .uint8)
        header.pixelType = 42
        header.frameNumber = 5
        let r = try run(header, [1, 2, 3, 4])
        XCTAssertEqual(r.status, .bad)
        XCTAssertEqual(r.badReason, "unknown pixel type code 42")
        XCTAssertEqual(r.frameNumber, 5)
        XCTAssertEqual(region.ring.accounting.snapshot().bad, 1)
        XCTAssertEqual(region.ring.accounting.snapshot().processed, 0)
        XCTAssertEqual(region.board.latestSequence, 0, "a bad frame draws nothing")
    }

    func testFrameOfTheWrongSizeIsBad() throws {
        let r = try run(rawHeader(width: 4, height: 4, type: .uint16), [UInt8](repeating: 0, count: 31))
        XCTAssertEqual(r.status, .bad)
        XCTAssertTrue(r.badReason.contains("31"), r.badReason)
        XCTAssertEqual(region.ring.accounting.snapshot().bad, 1)
    }

    func testDisplayAreaGetsTheMaxBinnedImageOfTheFittedSizeAndTheFrameStats() throws {
        region.control.set(ControlSettings(displayWidth: 10, displayHeight: 10))
        let pixels = testPixels(count: 40 * 20, type: .uint16, limit: 60_000, seed: 9)
        var header = rawHeader(width: 40, height: 20, type: .uint16)
        header.series = 3
        header.frameNumber = 77
        let r = try run(header, bytes(of: pixels, as: .uint16))

        var image: [Float] = []
        let board = try XCTUnwrap(region.board.read(into: &image))
        // 40×20 into 10×10 keeps the aspect ratio: 10×5, each bin 4×4 pixels.
        XCTAssertEqual(board.imageWidth, 10)
        XCTAssertEqual(board.imageHeight, 5)
        XCTAssertEqual(board.frameWidth, 40)
        XCTAssertEqual(board.frameHeight, 20)
        assertSameImage(image, naiveBinMax(pixels, width: 40, height: 20, type: .uint16, outWidth: 10, outHeight: 5))
        XCTAssertEqual(board.sequence, r.sequence)
        XCTAssertEqual(board.series, 3)
        XCTAssertEqual(board.frameNumber, 77)
        XCTAssertEqual(board.worker, 1)
        XCTAssertEqual(board.pixelType, PixelType.uint16.rawValue)
        let expected = NaiveStats(pixels, type: .uint16)
        XCTAssertEqual(board.stats.sum, expected.sum)
        XCTAssertEqual(board.stats.min, expected.min)
        XCTAssertEqual(board.stats.max, expected.max)
        XCTAssertEqual(board.stats.masked, expected.masked)
        XCTAssertEqual(board.stats.count, expected.count)
    }

    func testSmallFrameIsScaledUpByAWholeFactor() throws {
        region.control.set(ControlSettings(displayWidth: 13, displayHeight: 7))
        let pixels: [UInt32] = [1, 2, 3, 4, 5, 6]
        _ = try run(rawHeader(width: 3, height: 2, type: .uint8), bytes(of: pixels, as: .uint8))
        var image: [Float] = []
        let board = try XCTUnwrap(region.board.read(into: &image))
        XCTAssertEqual(board.imageWidth, 9)
        XCTAssertEqual(board.imageHeight, 6)
        assertSameImage(image, naiveBinMax(pixels, width: 3, height: 2, type: .uint8, outWidth: 9, outHeight: 6))
    }

    func testZeroDisplayAreaPublishesNothing() throws {
        region.control.set(ControlSettings(displayWidth: 0, displayHeight: 0))
        let r = try run(rawHeader(width: 2, height: 2, type: .uint8), [1, 2, 3, 4])
        XCTAssertEqual(r.status, .ok)
        XCTAssertEqual(r.stats.sum, 10)
        XCTAssertEqual(region.board.latestSequence, 0)
        var image: [Float] = []
        XCTAssertNil(region.board.read(into: &image))
        XCTAssertEqual(region.ring.accounting.snapshot().processed, 1)
    }

    func testDisplayAreaLargerThanTheBoardPublishesNothingButKeepsTheStatistics() throws {
        XCTAssertEqual(region.layout.boardMaxPixels, 4096)
        region.control.set(ControlSettings(displayWidth: 100, displayHeight: 100))
        let pixels = testPixels(count: 200 * 200, type: .uint8, limit: 200)
        let r = try run(rawHeader(width: 200, height: 200, type: .uint8), bytes(of: pixels, as: .uint8))
        XCTAssertEqual(r.status, .ok)
        assertStats(r, NaiveStats(pixels, type: .uint8))
        XCTAssertEqual(region.board.latestSequence, 0, "a 100×100 image does not fit 4096 board pixels")
    }

    func testOlderFrameDoesNotReplaceANewerOneOnTheBoard() throws {
        region.control.set(ControlSettings(displayWidth: 2, displayHeight: 2))
        let older: [UInt32] = [1, 1, 1, 1], newer: [UInt32] = [9, 9, 9, 9]
        try publish(rawHeader(width: 2, height: 2, type: .uint8), payload: bytes(of: older, as: .uint8), into: region.ring)
        try publish(rawHeader(width: 2, height: 2, type: .uint8), payload: bytes(of: newer, as: .uint8), into: region.ring)
        let first = try XCTUnwrap(region.ring.claimNext(worker: 0))
        let second = try XCTUnwrap(region.ring.claimNext(worker: 1))
        XCTAssertLessThan(first.header.sequence, second.header.sequence)

        let newResult = pipeline.process(slot: second, worker: 1, region: region)
        var other = FramePipeline(maxPixels: region.layout.boardMaxPixels)
        let oldResult = other.process(slot: first, worker: 0, region: region)
        region.ring.release(first)
        region.ring.release(second)

        XCTAssertEqual(oldResult.status, .ok, "the older frame still gets its statistics")
        XCTAssertEqual(oldResult.stats.sum, 4)
        XCTAssertEqual(newResult.stats.sum, 36)
        var image: [Float] = []
        let board = try XCTUnwrap(region.board.read(into: &image))
        XCTAssertEqual(board.sequence, second.header.sequence)
        XCTAssertEqual(image, [9, 9, 9, 9])
        XCTAssertEqual(region.ring.accounting.snapshot().processed, 2)
    }
}
