import DetectorStream
import Processing
import SharedMemory
@testable import Workers
import XCTest

/// The stream's pixel mask and the JUNGFRAU gain bits, applied by the pipeline before any
/// statistic: checked against the naive statistics of the pixels as they should end up.
final class PixelAdjustmentTests: XCTestCase {
    private var region: DetviewRegion!
    private var pipeline: FramePipeline!

    override func setUpWithError() throws {
        region = try makeRegion()
        pipeline = FramePipeline(maxPixels: region.layout.boardMaxPixels)
    }

    override func tearDown() {
        region = nil
        pipeline = nil
    }

    private func run(_ header: SlotHeader, _ pixels: [UInt32], type: PixelType) throws -> FrameResult {
        try publish(header, payload: bytes(of: pixels, as: type), into: region.ring)
        let slot = try XCTUnwrap(region.ring.claimNext(worker: 0))
        defer { region.ring.release(slot) }
        return pipeline.process(slot: slot, worker: 0, region: region)
    }

    private func assertStats(_ r: FrameResult, _ expected: NaiveStats, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.stats.sum, expected.sum, "sum", file: file, line: line)
        XCTAssertEqual(r.stats.max, expected.max, "max", file: file, line: line)
        XCTAssertEqual(r.stats.min, expected.min, "min", file: file, line: line)
        XCTAssertEqual(r.stats.masked, expected.masked, "masked", file: file, line: line)
        XCTAssertEqual(r.stats.count, expected.count, "count", file: file, line: line)
    }

    func testTheStreamMaskIsLeftOutOfEveryDetectorPixelTypesStatistics() throws {
        for (n, type) in PixelType.detectorTypes.enumerated() {
            let width = 16, height = 9
            var pixels = testPixels(count: width * height, type: type, limit: 200, seed: UInt64(40 + n))
            pixels[5] = 199  // the brightest pixel is masked: the max must not be it
            let masked: [UInt32] = [0, 5, 17, UInt32(width * height - 1)]
            var header = rawHeader(width: width, height: height, type: type)
            header.series = 11
            XCTAssertTrue(region.masks.publish(.init(series: 11, width: width, height: height, indices: masked)))
            var expected = pixels
            for i in masked { expected[Int(i)] = UInt32(truncatingIfNeeded: type.allOnes) }
            assertStats(try run(header, pixels, type: type), NaiveStats(expected, type: type))
        }
    }

    func testAMaskOnAConvertedFrameMakesThosePixelsNaNAndTakesTheStatisticsAgain() throws {
        let values: [Float] = [1.5, -2, 100, 4, 8, .nan]
        var header = rawHeader(width: 3, height: 2, type: .float32)
        header.series = 5
        XCTAssertTrue(region.masks.publish(.init(series: 5, width: 3, height: 2, indices: [2])))
        let payload = values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * $0)) } }
        try publish(header, payload: payload, into: region.ring)
        let slot = try XCTUnwrap(region.ring.claimNext(worker: 0))
        defer { region.ring.release(slot) }
        let r = pipeline.process(slot: slot, worker: 0, region: region)
        XCTAssertEqual(r.status, .ok, r.badReason)
        XCTAssertEqual(r.stats.sum, 11.5, "100 is masked")
        XCTAssertEqual(r.stats.max, 8)
        XCTAssertEqual(r.stats.min, -2)
        XCTAssertEqual(r.stats.masked, 2)
        XCTAssertEqual(r.stats.count, 4)
    }

    func testAMaskOfAnotherSeriesOrShapeIsNotApplied() throws {
        let pixels = testPixels(count: 8 * 4, type: .uint16, limit: 1000, seed: 9)
        XCTAssertTrue(region.masks.publish(.init(series: 2, width: 8, height: 4, indices: [1, 2, 3])))
        var header = rawHeader(width: 8, height: 4, type: .uint16)
        header.series = 3
        assertStats(try run(header, pixels, type: .uint16), NaiveStats(pixels, type: .uint16))
        XCTAssertTrue(region.masks.publish(.init(series: 3, width: 4, height: 8, indices: [1, 2, 3])))
        assertStats(try run(header, pixels, type: .uint16), NaiveStats(pixels, type: .uint16))
    }

    func testANewMaskOnTheBoardReplacesTheOneTheWorkerCopied() throws {
        let pixels = [UInt32](repeating: 10, count: 16)
        var header = rawHeader(width: 4, height: 4, type: .uint16)
        header.series = 1
        XCTAssertTrue(region.masks.publish(.init(series: 1, width: 4, height: 4, indices: [0])))
        XCTAssertEqual(try run(header, pixels, type: .uint16).stats.masked, 1)
        XCTAssertTrue(region.masks.publish(.init(series: 1, width: 4, height: 4, indices: [0, 1, 2])))
        XCTAssertEqual(try run(header, pixels, type: .uint16).stats.masked, 3)
    }

    /// A JUNGFRAU pixel: gain code in bits 15–14, ADC value in bits 13–0.
    private func jungfrau(_ code: UInt32, _ adc: UInt32) -> UInt32 { code << 14 | adc }

    func testJungfrauFramesShowTheADCValueByDefault() throws {
        let pixels = [jungfrau(0, 100), jungfrau(1, 2000), jungfrau(3, 16382), 0xFFFF, jungfrau(3, 7)]
        var header = rawHeader(width: 5, height: 1, type: .uint16)
        header.hasGainBits = true
        let expected = pixels.map { $0 == 0xFFFF ? $0 : $0 & 0x3FFF }
        assertStats(try run(header, pixels, type: .uint16), NaiveStats(expected, type: .uint16))
    }

    func testTheGainViewShowsTheStageZeroOneTwoAndMasksTheUnusedCode() throws {
        region.control.set(ControlSettings(pixelView: ControlSettings.viewGainStage))
        let pixels = [jungfrau(0, 100), jungfrau(1, 2000), jungfrau(3, 16382), 0xFFFF, jungfrau(2, 7), jungfrau(3, 5)]
        var header = rawHeader(width: 6, height: 1, type: .uint16)
        header.hasGainBits = true
        let r = try run(header, pixels, type: .uint16)
        assertStats(r, NaiveStats([0, 1, 2, 0xFFFF, 0xFFFF, 2], type: .uint16))
    }

    func testFramesWithoutTheGainFlagAreLeftAsTheyAre() throws {
        region.control.set(ControlSettings(pixelView: ControlSettings.viewGainStage))
        let pixels = [jungfrau(3, 100), jungfrau(1, 5)]
        let r = try run(rawHeader(width: 2, height: 1, type: .uint16), pixels, type: .uint16)
        assertStats(r, NaiveStats(pixels, type: .uint16))
    }
}
