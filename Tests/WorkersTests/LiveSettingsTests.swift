import DetectorStream
import Processing
import SharedMemory
@testable import Workers
import XCTest

/// The live parameters (photon nσ, hit nσ, minimum peaks) reach a worker through the control
/// block and change what it finds from the next frame on: the same frame, processed again
/// after a change, gives other photons, peaks and hit decisions, with no state made again.
final class LiveSettingsTests: XCTestCase {
    private var region: DetviewRegion!

    override func setUpWithError() throws {
        region = try makeRegion(slotCount: 8)
    }

    override func tearDown() {
        region = nil
    }

    /// Runs `frames` through `pipeline` under `control` (mode, live values); frame i has index
    /// `firstIndex + i`.
    private func run(_ pipeline: inout FramePipeline, _ frames: [[UInt32]], width: Int, height: Int,
                     control: ControlSettings, chargeIntegrating: Bool, firstIndex: UInt64) throws -> [FrameResult] {
        var settings = control
        settings.displayWidth = UInt32(width)
        settings.displayHeight = UInt32(height)
        region.control.set(settings)
        return try processFrames(&pipeline, frames, width: width, height: height, in: region,
                                 firstIndex: firstIndex, chargeIntegrating: chargeIntegrating)
    }

    func testTheWorkerTakesTheLiveValuesFromTheControlBlockOrElseTheOptions() {
        var options = ProcessingOptions()
        options.sigma = 4
        options.hitSigma = 6
        options.minPeaks = 10
        XCTAssertEqual(LiveSettings(control: ControlSettings(threshold: 7), options: options),
                       LiveSettings(threshold: 7, photonSigma: 4, hitSigma: 6, minPeaks: 10), "0: not set yet")
        XCTAssertEqual(LiveSettings(control: ControlSettings(threshold: 7, photonSigma: 2.5, hitSigma: 9, minPeaks: 3),
                                    options: options),
                       LiveSettings(threshold: 7, photonSigma: 2.5, hitSigma: 9, minPeaks: 3))
    }

    /// Constant dark frames give σ = 0, floored at 1 ADU, so an isolated pixel of v ADU over the
    /// pedestal is a photon exactly when v > n: pixels of 3, 6 and 9 ADU give 3, 2 and 1 photons
    /// at n = 2, 4 and 8, the same light frame each time.
    func testAChangedPhotonSigmaChangesThePhotonsOfTheNextFrame() throws {
        let (w, h) = (16, 16), pedestal: UInt32 = 1000
        let dark = [[UInt32]](repeating: [UInt32](repeating: pedestal, count: w * h), count: 120)
        var light = [UInt32](repeating: pedestal, count: w * h)
        light[3 * w + 3] = pedestal + 3
        light[8 * w + 8] = pedestal + 6
        light[12 * w + 4] = pedestal + 9
        var p = FramePipeline(maxPixels: region.layout.boardMaxPixels, options: {
            var o = ProcessingOptions()
            o.darkFrames = 120
            o.sigma = 8
            return o
        }())
        let counting = ControlSettings(mode: ProcessingMode.counting.rawValue)
        _ = try run(&p, dark, width: w, height: h, control: counting, chargeIntegrating: true, firstIndex: 0)
        var photons: [Int32] = []
        for (i, sigma) in [Float(0), 2, 4, 8].enumerated() {
            var control = counting
            control.photonSigma = sigma
            let result = try run(&p, [light], width: w, height: h, control: control, chargeIntegrating: true,
                                 firstIndex: 120 + UInt64(i))
            photons.append(result[0].photons)
        }
        XCTAssertEqual(photons, [1, 3, 2, 1], "unset (the option's 8σ), then 2σ, 4σ, 8σ")
    }

    func testAChangedMinimumOfPeaksOrHitSigmaChangesTheHitDecisionOfTheNextFrame() throws {
        let (w, h) = (64, 64)
        var spots = [UInt32](repeating: 2, count: w * h)
        for i in stride(from: 0, to: w * h, by: 7) { spots[i] = 3 }
        for (x, y) in [(10, 10), (40, 12), (20, 50)] {
            for dy in 0..<2 { for dx in 0..<2 { spots[(y + dy) * w + x + dx] = 200 } }
        }
        var p = FramePipeline(maxPixels: region.layout.boardMaxPixels, options: {
            var o = ProcessingOptions()
            o.minPeaks = 10
            o.minPixels = 2
            return o
        }())
        let hits = ControlSettings(mode: ProcessingMode.hits.rawValue)
        var decisions: [[Int32]] = []
        for (i, (minPeaks, sigma)) in [(UInt32(0), Float(0)), (3, 0), (4, 0), (3, 1000)].enumerated() {
            var control = hits
            control.minPeaks = minPeaks
            control.hitSigma = sigma
            let result = try run(&p, [spots], width: w, height: h, control: control, chargeIntegrating: false,
                                 firstIndex: UInt64(i))
            decisions.append([result[0].peaks, Int32(result[0].hit)])
        }
        XCTAssertEqual(decisions, [[3, 0], [3, 1], [3, 0], [0, 0]],
                       "3 peaks: no hit under the option's 10, a hit at 3, none at 4; 1000σ finds no peak")
    }
}
