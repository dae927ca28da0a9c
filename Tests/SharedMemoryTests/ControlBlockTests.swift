import Processing
import XCTest
@testable import SharedMemory

final class ControlBlockTests: XCTestCase {
    func testSettingsRoundTripAndBumpGeneration() throws {
        let control = try makeRegion().control
        XCTAssertEqual(control.snapshot().generation, 0)
        let settings = ControlSettings(displayWidth: 200, displayHeight: 96, mode: 7,
                                       pixelView: ControlSettings.viewGainStage, channel: 3)
        control.set(settings)
        XCTAssertEqual(control.snapshot(), ControlSnapshot(settings: settings, generation: 1, shutdown: false))
        let processing = ControlSettings(mode: 4, threshold: 37.5, pedestalResets: 2, clears: 9, beamX: 512.5, beamY: -3,
                                         darkFrom: 0x1_2345_6789, darkTo: 0xFFFF_FFFF_0000_0001)
        control.set(processing)
        let back = control.snapshot().settings
        XCTAssertEqual(back, processing)
        XCTAssertEqual(back.threshold, 37.5)
        XCTAssertEqual(back.darkFrom, 0x1_2345_6789)
        XCTAssertEqual(back.darkTo, 0xFFFF_FFFF_0000_0001)
        XCTAssertEqual(back.beamX, 512.5)
        XCTAssertTrue(ControlSettings().beamX.isNaN, "no beam centre by default")
        XCTAssertEqual(ControlSettings(), ControlSettings(), "NaN beam centres compare equal")
        control.set(settings)
        XCTAssertEqual(control.generation, 3)
    }

    func testTheLiveParametersRoundTripAndZeroMeansUnset() throws {
        let control = try makeRegion().control
        let live = ControlSettings(mode: 5, threshold: 12, viewGeneration: 4, photonSigma: 3.5, hitSigma: 7.5, minPeaks: 23)
        control.set(live)
        let back = control.snapshot().settings
        XCTAssertEqual(back, live)
        XCTAssertEqual([back.photonSigma, back.hitSigma], [3.5, 7.5])
        XCTAssertEqual(back.minPeaks, 23)
        XCTAssertEqual(back.viewGeneration, 4, "the words before them stay in place")
        XCTAssertNotEqual(live, ControlSettings(mode: 5, threshold: 12, viewGeneration: 4, photonSigma: 4, hitSigma: 7.5,
                                                minPeaks: 23), "a changed nσ is a change to write")
        XCTAssertEqual([ControlSettings().photonSigma, ControlSettings().hitSigma], [0, 0], "unset: the options' values")
        XCTAssertEqual(ControlSettings().minPeaks, 0)
    }

    func testTheViewportRoundTripsAndSaysWhatToBin() throws {
        let control = try makeRegion().control
        let zoomed = ControlSettings(displayWidth: 176, displayHeight: 92, viewRegion: PixelRegion(x0: 512, y0: 300, x1: 600, y1: 346),
                                     viewWidth: 176, viewHeight: 92, viewGeneration: 41)
        control.set(zoomed)
        let back = control.snapshot().settings
        XCTAssertEqual(back, zoomed)
        XCTAssertEqual(back.viewRegion, PixelRegion(x0: 512, y0: 300, x1: 600, y1: 346))
        XCTAssertEqual(back.viewGeneration, 41)
        // Inside the frame: that region at that size.
        let inside = try XCTUnwrap(back.binning(frameWidth: 1024, frameHeight: 512))
        XCTAssertEqual(inside.region, zoomed.viewRegion)
        XCTAssertEqual(inside.width, 176)
        XCTAssertEqual(inside.height, 92)
        // A frame it does not fit, or no region: the whole frame fitted to the display.
        let other = try XCTUnwrap(back.binning(frameWidth: 400, frameHeight: 400))
        XCTAssertEqual(other.region, .whole(width: 400, height: 400))
        XCTAssertEqual(other.width, 92)
        XCTAssertEqual(other.height, 92)
        let fitted = try XCTUnwrap(ControlSettings(displayWidth: 176, displayHeight: 92).binning(frameWidth: 1024, frameHeight: 512))
        XCTAssertEqual(fitted.region, .whole(width: 1024, height: 512))
        XCTAssertEqual(fitted.width, 176)
        XCTAssertEqual(fitted.height, 88)
        XCTAssertNil(ControlSettings().binning(frameWidth: 10, frameHeight: 10), "no display, no image")
        var tooLarge = zoomed
        tooLarge.viewWidth = 500
        XCTAssertEqual(tooLarge.binning(frameWidth: 1024, frameHeight: 512)?.region, .whole(width: 1024, height: 512),
                       "an image larger than the display is refused")
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
                    control.set(ControlSettings(displayWidth: w, displayHeight: w &* 3, mode: w,
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
