import DetectorStream
import Platform
import Processing
import SharedMemory
@testable import Workers
import XCTest

/// The processing modes as a worker runs them, through the real pipeline and region: every
/// accumulated share and per-frame number against a naive computation over the same frames.
final class ModeEngineTests: XCTestCase {
    var region: DetviewRegion!

    override func setUpWithError() throws {
        region = try makeRegion(slotCount: 8)
    }

    override func tearDown() {
        region = nil
    }

    func pipeline(_ configure: (inout ProcessingOptions) -> Void = { _ in }) -> FramePipeline {
        var options = ProcessingOptions()
        configure(&options)
        return FramePipeline(maxPixels: region.layout.boardMaxPixels, options: options)
    }

    /// Runs `frames` (uint16, width × height) through `pipeline` in `mode`; frame i has frame
    /// number and index i.
    @discardableResult
    func run(_ pipeline: inout FramePipeline, _ frames: [[UInt32]], width: Int, height: Int,
                     mode: ProcessingMode, chargeIntegrating: Bool = false, gainBits: Bool = false,
                     threshold: Float = 0, firstIndex: UInt64 = 0,
                     display: (width: Int, height: Int)? = nil,
                     beamCentre: (x: Float, y: Float) = (.nan, .nan),
                     regions: ControlRegions = ControlRegions()) throws -> [FrameResult] {
        let area = display ?? (width, height)
        region.control.set(ControlSettings(displayWidth: UInt32(area.width), displayHeight: UInt32(area.height),
                                           mode: mode.rawValue, threshold: threshold,
                                           beamX: beamCentre.x, beamY: beamCentre.y, regions: regions))
        return try processFrames(&pipeline, frames, width: width, height: height, in: region,
                                 firstIndex: firstIndex, chargeIntegrating: chargeIntegrating, gainBits: gainBits)
    }

    /// Sum / max over the frames of pixel i, leaving out the masked value; NaN if never valid.
    private func naiveSum(_ frames: [[UInt32]], _ i: Int) -> Float {
        let valid = frames.map { $0[i] }.filter { $0 != 0xFFFF }
        return valid.isEmpty ? .nan : Float(valid.reduce(0, +))
    }

    private func naiveMax(_ frames: [[UInt32]], _ i: Int) -> Float {
        frames.map { $0[i] }.filter { $0 != 0xFFFF }.max().map { Float($0) } ?? .nan
    }

    private func same(_ a: Float, _ b: Float) -> Bool { a == b || (a.isNaN && b.isNaN) }

    private func randomFrames(_ count: Int, pixels: Int, limit: UInt32, seed: UInt64) -> [[UInt32]] {
        (0..<count).map { testPixels(count: pixels, type: .uint16, limit: limit, seed: seed + UInt64($0)) }
    }

    func testSumMeanAndMaxSharesEqualNaiveAccumulationsOfTheFrames() throws {
        let (w, h) = (12, 7)
        var frames = randomFrames(5, pixels: w * h, limit: 500, seed: 3)
        frames[2][4] = 0xFFFF  // masked in one frame only
        for mode in [ProcessingMode.sum, .mean, .max] {
            var p = pipeline()
            try run(&p, frames, width: w, height: h, mode: mode)
            let share = try XCTUnwrap(p.modes.savedShare(), mode.name)
            XCTAssertEqual(share.framesA, 5)
            XCTAssertEqual(share.b, [])
            for i in 0..<(w * h) {
                let expected = mode == .max ? naiveMax(frames, i) : naiveSum(frames, i)
                XCTAssertTrue(same(share.a[i], expected), "\(mode.name) pixel \(i): \(share.a[i]) vs \(expected)")
            }
            // The first frame is published at once; later ones at most every 40 ms.
            var a: [Float] = [], b: [Float] = []
            let header = try XCTUnwrap(region.views.read(worker: 0, a: &a, b: &b), "a share on the board")
            XCTAssertEqual(header.mode, mode.rawValue)
            XCTAssertGreaterThanOrEqual(header.framesA, 1)
            XCTAssertEqual(header.imageWidth, UInt32(w), "the display is as large as the frame: no binning")
            let shown = Array(frames.prefix(Int(header.framesA)))
            for i in 0..<(w * h) {
                let expected = mode == .max ? naiveMax(shown, i) : naiveSum(shown, i)
                XCTAssertTrue(same(a[i], expected), "\(mode.name) board pixel \(i)")
            }
        }
    }

    func testPumpProbeSplitsTheFramesByThePatternOverTheFrameNumber() throws {
        let (w, h) = (4, 3)
        let frames = randomFrames(6, pixels: w * h, limit: 100, seed: 9)
        var p = pipeline { $0.pattern = "up,p" }
        try run(&p, frames, width: w, height: h, mode: .sum)
        let share = try XCTUnwrap(p.modes.savedShare())
        XCTAssertEqual(share.framesA, 3)
        XCTAssertEqual(share.framesB, 3)
        for i in 0..<(w * h) {
            XCTAssertTrue(same(share.a[i], naiveSum([frames[0], frames[2], frames[4]], i)))
            XCTAssertTrue(same(share.b[i], naiveSum([frames[1], frames[3], frames[5]], i)))
        }
    }

    /// Dark frames at a known level, then light frames with photons: a charge-integrating
    /// detector's pedestal, analog sum, threshold counts and photon counts.
    func testChargeIntegratingModesSubtractThePedestalLearnedFromDarkFrames() throws {
        let (w, h) = (16, 16)
        let pedestal: UInt32 = 1000
        let dark = [[UInt32]](repeating: [UInt32](repeating: pedestal, count: w * h), count: 120)
        var light = [[UInt32]](repeating: [UInt32](repeating: pedestal, count: w * h), count: 3)
        light[0][5 * w + 5] = pedestal + 110
        light[1][5 * w + 5] = pedestal + 110
        light[1][10 * w + 12] = pedestal + 90
        light[2][0] = pedestal + 30   // under the threshold of 40 and under 4σ of a σ floored at... 1 ADU: a photon
        for mode in [ProcessingMode.analog, .threshold, .counting] {
            var p = pipeline { $0.darkFrames = 120; $0.pedestalFrames = 200 }
            let darkResults = try run(&p, dark, width: w, height: h, mode: mode, chargeIntegrating: true)
            XCTAssertTrue(darkResults.allSatisfy { $0.dark == 1 }, mode.name)
            let results = try run(&p, light, width: w, height: h, mode: mode, chargeIntegrating: true, threshold: 40,
                                  firstIndex: 120)
            let share = try XCTUnwrap(p.modes.savedShare(), mode.name)
            XCTAssertEqual(share.framesA, 3, mode.name)
            switch mode {
            case .analog:
                XCTAssertEqual(share.a[5 * w + 5], 220, accuracy: 1e-3)
                XCTAssertEqual(share.a[10 * w + 12], 90, accuracy: 1e-3)
                XCTAssertEqual(share.a[0], 30, accuracy: 1e-3)
                XCTAssertEqual(share.a[1], 0, accuracy: 1e-3)
            case .threshold:
                XCTAssertEqual(share.a[5 * w + 5], 2)
                XCTAssertEqual(share.a[10 * w + 12], 1)
                XCTAssertEqual(share.a[0], 0, "30 ADU is under the threshold of 40")
                XCTAssertEqual(share.a.reduce(0, +), 3)
            default:
                XCTAssertEqual(results.map(\.photons), [1, 2, 1])
                XCTAssertEqual(share.a[5 * w + 5], 2)
                XCTAssertEqual(share.a[10 * w + 12], 1)
                XCTAssertEqual(share.a.reduce(0, +), 4)
            }
        }
    }

    /// Pedestal mode's share: the dark level's mean as image A and its variance as image B
    /// (the viewer pools the workers' σ from both), against the population mean and variance
    /// of the frames it saw.
    func testPedestalModeSharesTheMeanAndTheVariance() throws {
        let (w, h) = (8, 6)
        let frames: [[UInt32]] = (0..<120).map { k in (0..<(w * h)).map { i in UInt32(1000 + i + (k % 2 == 0 ? 0 : 10)) } }
        var p = pipeline { $0.darkFrames = 120; $0.pedestalFrames = 1000 }
        _ = try run(&p, frames, width: w, height: h, mode: .pedestal, chargeIntegrating: true)
        let share = try XCTUnwrap(p.modes.savedShare())
        XCTAssertEqual(share.framesA, 120)
        XCTAssertEqual(share.b.count, w * h)
        for i in 0..<(w * h) {
            XCTAssertEqual(share.a[i], Float(1005 + i), accuracy: 1e-2, "pixel \(i): the mean of 1000+i and 1010+i")
            XCTAssertEqual(share.b[i], 25, accuracy: 1e-2, "pixel \(i): the variance of a ±5 ADU swing")
        }
    }

    /// The board image carries the frame's peaks (hits) or photons (counting) as marks, at the
    /// display pixels that show them: here the display is half the frame, so pixel p is shown
    /// by display pixel p / 2.
    func testTheBoardImageMarksTheFramesPeaksAndPhotons() throws {
        let (w, h) = (40, 30)
        var spotty = [UInt32](repeating: 10, count: w * h)
        let spots = [(10, 10), (30, 4), (5, 24)]
        for (x, y) in spots {
            for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] { spotty[(y + dy) * w + x + dx] = 100 }
        }
        var p = pipeline { $0.minPeaks = 1 }
        p.latestFrameIntervalNs = 0  // every frame on the board
        let hits = try run(&p, [spotty], width: w, height: h, mode: .hits, display: (20, 15))
        XCTAssertEqual(hits.first?.peaks, 3)
        var image: [Float] = [], marks: [UInt32] = []
        let header = try XCTUnwrap(region.board.read(into: &image, marks: &marks))
        XCTAssertEqual([header.imageWidth, header.imageHeight], [20, 15])
        // A 2×2 spot at (x, y) has its centroid at (x + 1, y + 1).
        XCTAssertEqual(Set(marks.map { ResultBoard.position(of: $0) }.map { [$0.x, $0.y] }),
                       Set(spots.map { [($0.0 + 1) / 2, ($0.1 + 1) / 2] }))

        // Raw mode keeps no state of its own: the hits state left behind must not mark its frames.
        try run(&p, [spotty], width: w, height: h, mode: .raw, firstIndex: 1, display: (20, 15))
        XCTAssertEqual(region.board.read(into: &image, marks: &marks)?.frameNumber, 1)
        XCTAssertEqual(marks, [], "no marks in raw mode")

        region = try makeRegion(slotCount: 8)
        let dark = [[UInt32]](repeating: [UInt32](repeating: 1000, count: w * h), count: 120)
        var light = [UInt32](repeating: 1000, count: w * h)
        for (x, y) in spots { light[y * w + x] = 1110 }
        var c = pipeline { $0.darkFrames = 120 }
        c.composedViewFrameIntervalNs = 0   // every frame on the board, to read its marks
        try run(&c, dark, width: w, height: h, mode: .counting, chargeIntegrating: true, display: (20, 15))
        let counted = try run(&c, [light], width: w, height: h, mode: .counting, chargeIntegrating: true,
                              firstIndex: 120, display: (20, 15))
        XCTAssertEqual(counted.first?.photons, 3)
        _ = try XCTUnwrap(region.board.read(into: &image, marks: &marks))
        XCTAssertEqual(Set(marks.map { ResultBoard.position(of: $0) }.map { [$0.x, $0.y] }),
                       Set(spots.map { [$0.0 / 2, $0.1 / 2] }))
        // A dark frame after it (index under --dark-frames, as in a new series) has no photons:
        // the light frame's are not marked on it.
        let darkAgain = try run(&c, [dark[0]], width: w, height: h, mode: .counting, chargeIntegrating: true,
                                firstIndex: 5, display: (20, 15))
        XCTAssertEqual(darkAgain.first?.dark, 1)
        XCTAssertEqual(region.board.read(into: &image, marks: &marks)?.frameNumber, 5)
        XCTAssertEqual(marks, [], "no marks on a dark frame")
    }

    func testCountingOnAPhotonCountingDetectorTakesEachCountAsAPhoton() throws {
        let (w, h) = (6, 4)
        let frames = randomFrames(3, pixels: w * h, limit: 20, seed: 31)
        var p = pipeline()
        let results = try run(&p, frames, width: w, height: h, mode: .counting)
        XCTAssertEqual(results.map { Int($0.photons) }, frames.map { f in Int(f.filter { $0 != 0xFFFF }.reduce(0, +)) })
        let share = try XCTUnwrap(p.modes.savedShare())
        for i in 0..<(w * h) { XCTAssertTrue(same(share.a[i], naiveSum(frames, i)), "pixel \(i)") }
    }

    /// JUNGFRAU: raw pixels carry the gain code over the ADC value; the worker strips it and
    /// keeps a pedestal per gain stage, so a G1 pixel is not compared with the G0 dark level.
    func testJungfrauCountingTracksAPedestalPerGainStage() throws {
        let (w, h) = (16, 8)
        func frame(_ n: Int, photonAt photon: Int? = nil) -> [UInt32] {
            (0..<(w * h)).map { i -> UInt32 in
                // The first row switches between G0 and G1 from frame to frame, as pixels do
                // under a changing signal; one pedestal for both would sit between the two.
                let g1 = i < w && n % 2 == 1
                var adc = UInt32(g1 ? 3000 : 1000) + UInt32((i * 7 + n * 3) % 5)
                if i == photon { adc += 110 }
                return (g1 ? 1 << 14 : 0) | adc
            }
        }
        // 300 dark frames: 150 per stage for the switching row (a pixel's pedestal is used from 100).
        var p = pipeline { $0.darkFrames = 300; $0.pedestalFrames = 200 }
        func run(_ frames: [[UInt32]], first: UInt64) throws -> [FrameResult] {
            try self.run(&p, frames, width: w, height: h, mode: .counting, chargeIntegrating: true, gainBits: true,
                         firstIndex: first)
        }
        _ = try run((0..<300).map { frame($0) }, first: 0)
        let results = try run([frame(3, photonAt: 4), frame(4, photonAt: 5 * w + 9), frame(5), frame(6, photonAt: 7)],
                              first: 300)
        XCTAssertEqual(results.map(\.photons), [1, 1, 0, 1], "a photon in G1, in G0, none, in G0 on the switching row")
        let share = try XCTUnwrap(p.modes.savedShare())
        XCTAssertEqual(share.a[4], 1)
        XCTAssertEqual(share.a[7], 1)
        XCTAssertEqual(share.a[5 * w + 9], 1)
        XCTAssertEqual(share.a.reduce(0, +), 3)
    }

    func testModesThatNeedThePedestalAddNothingUntilItIsReady() throws {
        let (w, h) = (8, 8)
        var p = pipeline { $0.pedestalFrames = 1000 }
        let frames = [[UInt32]](repeating: [UInt32](repeating: 500, count: w * h), count: 5)
        let results = try run(&p, frames, width: w, height: h, mode: .analog, chargeIntegrating: true)
        XCTAssertTrue(results.allSatisfy { $0.dark == 0 })
        let share = try XCTUnwrap(p.modes.savedShare())
        XCTAssertEqual(share.framesA, 0, "5 frames are not a pedestal")
        var a: [Float] = [], b: [Float] = []
        XCTAssertEqual(region.views.read(worker: 0, a: &a, b: &b)?.pedestalReady, 0)
    }

    func testHitsCountPeaksPerFrameAndCallAFrameWithEnoughOfThemAHit() throws {
        let (w, h) = (64, 64)
        var base = [UInt32](repeating: 2, count: w * h)
        for i in stride(from: 0, to: w * h, by: 7) { base[i] = 3 }
        var spots = base
        for (x, y) in [(10, 10), (40, 12), (20, 50)] {
            for dy in 0..<2 { for dx in 0..<2 { spots[(y + dy) * w + x + dx] = 200 } }
        }
        var p = pipeline { $0.minPeaks = 3; $0.minPixels = 2 }
        let results = try run(&p, [base, spots], width: w, height: h, mode: .hits)
        XCTAssertEqual(results.map(\.peaks), [0, 3])
        XCTAssertEqual(results.map(\.hit), [0, 1])
    }

    func testTheRadialProfileAroundTheImageCentreMatchesANaiveOne() throws {
        let (w, h) = (9, 7)
        let frames = randomFrames(2, pixels: w * h, limit: 50, seed: 21)
        var p = pipeline()
        try run(&p, frames, width: w, height: h, mode: .radial)
        let share = try XCTUnwrap(p.modes.savedShare())
        var sums = [Double](repeating: 0, count: share.width), counts = [Double](repeating: 0, count: share.width)
        for y in 0..<h {
            for x in 0..<w {
                let d = ((Double(x) + 0.5 - Double(w) / 2) * (Double(x) + 0.5 - Double(w) / 2)
                         + (Double(y) + 0.5 - Double(h) / 2) * (Double(y) + 0.5 - Double(h) / 2)).squareRoot()
                let ring = Int(d)
                for f in frames where f[y * w + x] != 0xFFFF {
                    sums[ring] += Double(f[y * w + x])
                    counts[ring] += 1
                }
            }
        }
        for r in 0..<share.width {
            XCTAssertEqual(Double(share.b[r]), counts[r], "ring \(r) pixels")
            XCTAssertEqual(Double(share.a[r]), sums[r], accuracy: 1e-3, "ring \(r) sum")
        }
    }

    /// A kernel that refuses to be made for the frame (a beam centre farther from the image
    /// than the radial profile has rings) makes every such frame bad with the kernel's reason,
    /// counted bad in the ring, not processed; a centre on the image makes the mode work again.
    func testARadialProfileRefusingTheBeamCentreMakesTheFramesBadWithItsReason() throws {
        let (w, h) = (9, 7)
        let frames = randomFrames(3, pixels: w * h, limit: 50, seed: 4)
        var p = pipeline()
        let refused = try run(&p, Array(frames.prefix(2)), width: w, height: h, mode: .radial,
                              beamCentre: (100_000, 3))
        XCTAssertEqual(refused.map(\.status), [.bad, .bad])
        for result in refused {
            // The record holds the reason's first 96 bytes.
            XCTAssertTrue(result.badReason.hasPrefix(
                "radial: invalid setting: beam centre (100000.0, 3.0) is 99999 pixels from the image"), result.badReason)
        }
        XCTAssertEqual(region.ring.accounting.snapshot().bad, 2)
        XCTAssertEqual(region.ring.accounting.snapshot().processed, 0)
        XCTAssertNil(p.modes.savedShare(), "no profile was made")

        let accepted = try run(&p, [frames[2]], width: w, height: h, mode: .radial, firstIndex: 2, beamCentre: (4, 3))
        XCTAssertEqual(accepted.map(\.status), [.ok])
        XCTAssertEqual(region.ring.accounting.snapshot().processed, 1)
        XCTAssertEqual(try XCTUnwrap(p.modes.savedShare()).framesA, 1)
    }

    /// The pedestal refuses a window of 0 frames: pedestal mode's frames are bad, saying why.
    func testAPedestalRefusingItsWindowMakesTheFramesBadWithItsReason() throws {
        let (w, h) = (4, 4)
        var p = pipeline { $0.pedestalFrames = 0 }
        let results = try run(&p, randomFrames(2, pixels: w * h, limit: 50, seed: 8), width: w, height: h,
                              mode: .pedestal, chargeIntegrating: true)
        XCTAssertEqual(results.map(\.status), [.bad, .bad])
        XCTAssertEqual(results.map(\.badReason), [String](repeating: "pedestal: invalid pedestal window 0 frames (1…2³¹−1)",
                                                             count: 2))
        XCTAssertEqual(region.ring.accounting.snapshot().bad, 2)
        XCTAssertEqual(region.ring.accounting.snapshot().processed, 0)
    }

    func testTheRegionOfInterestIsMeasuredOnEveryFrameEvenInRawMode() throws {
        let (w, h) = (6, 5)
        var frame = [UInt32](repeating: 1, count: w * h)
        frame[2 * w + 3] = 9
        var p = pipeline()
        let regions = ControlRegions([PixelRegion(x0: 2, y0: 1, x1: 5, y1: 4)], generation: 7)
        let r = try XCTUnwrap(try run(&p, [frame], width: w, height: h, mode: .raw, regions: regions).first)
        let numbers = try XCTUnwrap(r.regions.first)
        XCTAssertEqual(r.regions.count, 1)
        XCTAssertEqual(r.regionGeneration, 7)
        XCTAssertEqual(numbers.sum, 8 + 9)   // 3 × 3 pixels, one of them 9
        XCTAssertEqual(numbers.max, 9)
        XCTAssertEqual(numbers.mean, 17.0 / 9, accuracy: 1e-12)
        XCTAssertEqual(numbers.pixels, 9)
    }

    func testAClearStartsTheAccumulationAgain() throws {
        let (w, h) = (4, 4)
        let frames = randomFrames(3, pixels: w * h, limit: 100, seed: 5)
        var p = pipeline()
        try run(&p, frames, width: w, height: h, mode: .sum)
        region.control.set(ControlSettings(displayWidth: 4, displayHeight: 4, mode: ProcessingMode.sum.rawValue, clears: 1))
        var header = rawHeader(width: w, height: h, type: .uint16)
        header.series = 1
        try publish(header, payload: bytes(of: frames[0], as: .uint16), into: region.ring)
        let slot = try XCTUnwrap(region.ring.claimNext(worker: 0))
        _ = p.process(slot: slot, worker: 0, region: region)
        region.ring.release(slot)
        let share = try XCTUnwrap(p.modes.savedShare())
        XCTAssertEqual(share.framesA, 1)
        for i in 0..<(w * h) { XCTAssertTrue(same(share.a[i], naiveSum([frames[0]], i))) }
    }

    func testASavedShareRoundTripsThroughItsMemfdAndALaterWriteReplacesIt() throws {
        let share = SavedShare(mode: .sum, width: 3, height: 2, framesA: 7, framesB: 2,
                               a: [1, 2, 3, .nan, -5, 6], b: [0, 0, 1, 1, 2, 2])
        let file = try MemFD(name: "share-test")
        XCTAssertNil(SavedShare.read(from: file.fd), "a memfd no worker wrote holds no share")
        XCTAssertTrue(SavedShare(mode: .max, width: 9, height: 9, framesA: 1, framesB: 0,
                                 a: Array(repeating: 1, count: 81), b: []).write(to: file.fd))
        XCTAssertTrue(share.write(to: file.fd), "a replacement worker's share replaces the one before")
        XCTAssertEqual(try file.size(), 10 * 8 + 12 * 4, "nothing of the larger first share is left")
        let back = try XCTUnwrap(SavedShare.read(from: file.fd))
        XCTAssertEqual(back.mode, .sum)
        XCTAssertEqual(back.framesA, 7)
        XCTAssertEqual(back.b, share.b)
        XCTAssertTrue(back.a[3].isNaN)
        XCTAssertEqual(back.a.filter { !$0.isNaN }, [1, 2, 3, -5, 6])
        try file.resize(to: 10 * 8 + 5)
        XCTAssertNil(SavedShare.read(from: file.fd), "a share cut short (a worker killed while writing) is refused")
    }
}
