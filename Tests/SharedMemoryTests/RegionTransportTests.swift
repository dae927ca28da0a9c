import Processing
import XCTest
@testable import SharedMemory

/// The regions of interest on their way to the workers (control block) and their numbers on
/// the way back (frame results through the result queue).
final class RegionTransportTests: XCTestCase {
    func testRegionsRoundTripThroughTheControlBlockBesideTheOtherSettings() throws {
        let control = try makeRegion().control
        let regions = ControlRegions([PixelRegion(x0: 0, y0: 1, x1: 2, y1: 3), PixelRegion(x0: -5, y0: 10, x1: 4000, y1: 12),
                                      PixelRegion(x0: 7, y0: 7, x1: 8, y1: 8)], generation: 41)
        let settings = ControlSettings(displayWidth: 80, displayHeight: 40, mode: 3, viewGeneration: 9, regions: regions)
        control.set(settings)
        let back = control.snapshot().settings
        XCTAssertEqual(back, settings)
        XCTAssertEqual(back.regions.regions, regions.regions)
        XCTAssertEqual(back.regions.generation, 41)
        XCTAssertEqual(back.displayWidth, 80)
        XCTAssertEqual(back.viewGeneration, 9)
        XCTAssertNotEqual(settings, ControlSettings(displayWidth: 80, displayHeight: 40, mode: 3, viewGeneration: 9),
                          "a change of regions is a change of settings, so it is written")
        control.set(ControlSettings())
        XCTAssertEqual(control.snapshot().settings.regions.count, 0, "removing every region reaches the workers")
    }

    func testAnAbsurdRegionCountFromSharedMemoryReadsAsNone() {
        var words = ControlRegions([PixelRegion(x0: 0, y0: 0, x1: 1, y1: 1)]).words
        words[0] = 99
        XCTAssertEqual(ControlRegions(words: words).count, 0)
    }

    func testRegionNumbersTravelWithTheFrameResultAndTheChecksumCoversThem() throws {
        let queue = try makeRegion(resultCapacity: 8).results
        var result = FrameResult(sequence: 3)
        let numbers = [RegionNumbers(x0: 1, y0: 2, x1: 3, y1: 4, sum: 10, mean: 2.5, max: 4, centroidX: 2.1, centroidY: 3.2, pixels: 4),
                       RegionNumbers()]
        result.regions = numbers
        result.regionGeneration = 12
        var torn = result
        torn.regionStorage[0].sum = 11
        XCTAssertNotEqual(torn.checksum(), result.checksum())
        torn = result
        torn.regionGeneration = 13
        XCTAssertNotEqual(torn.checksum(), result.checksum())
        queue.push(result)
        var drained: [FrameResult] = []
        queue.drain { drained.append($0) }
        XCTAssertEqual(drained.count, 1)
        XCTAssertEqual(drained[0].regions, numbers)
        XCTAssertEqual(drained[0].regionGeneration, 12)
        XCTAssertEqual(FrameResult().regions, [], "no regions by default")
    }
}
