import XCTest
@testable import SharedMemory

final class ControlBlockTests: XCTestCase {
    func testSettingsRoundTripAndBumpGeneration() throws {
        let control = try makeRegion().control
        XCTAssertEqual(control.snapshot().generation, 0)
        let settings = ControlSettings(displayWidth: 200, displayHeight: 96, binning: ControlSettings.binMean, mode: 7,
                                       pixelView: ControlSettings.viewGainStage, channel: 3)
        control.set(settings)
        XCTAssertEqual(control.snapshot(), ControlSnapshot(settings: settings, generation: 1, shutdown: false))
        control.set(settings)
        XCTAssertEqual(control.generation, 2)
    }

    func testShutdownFlagIsSeen() throws {
        let control = try makeRegion().control
        XCTAssertFalse(control.isShuttingDown)
        control.requestShutdown()
        XCTAssertTrue(control.isShuttingDown)
        XCTAssertTrue(control.snapshot().shutdown)
    }

    func testSnapshotNeverMixesTwoSettings() throws {
        let control = try makeRegion().control
        let mixed = Collected<UInt32>()
        runConcurrently([
            {
                for w in UInt32(1)...20_000 {
                    control.set(ControlSettings(displayWidth: w, displayHeight: w &* 3, binning: w & 1, mode: w,
                                                pixelView: w & 1, channel: w &* 5))
                }
            },
            {
                var bad: [UInt32] = []
                for _ in 0..<20_000 {
                    let s = control.snapshot().settings
                    if s.displayHeight != s.displayWidth &* 3 || s.mode != s.displayWidth
                        || s.channel != s.displayWidth &* 5 || s.pixelView != s.displayWidth & 1 {
                        bad.append(s.displayWidth)
                    }
                }
                mixed.append(contentsOf: bad)
            },
        ])
        XCTAssertEqual(mixed.items, [])
        XCTAssertEqual(control.generation, 20_000)
    }
}
