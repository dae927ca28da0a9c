import DetectorStream
import Processing
import SharedMemory
import Workers
import XCTest

/// A zoomed sum view on an EIGER-like detector (32-bit counts, module gaps masked in every
/// frame, all-ones pixels here and there): the worker's share is binned straight from its
/// accumulator, and must be what a plain reference gives (the frames summed, then the
/// viewport's pixels mean-binned, as sum shares are so that the workers' shares add), across
/// viewport changes in the middle of a series; and the first share after a change carries the
/// new generation and every frame summed so far.
final class ZoomedSumShareTests: XCTestCase {
    private let (width, height) = (64, 48)
    private var region: DetviewRegion!

    override func setUpWithError() throws {
        region = try makeRegion(slotCount: 8)
    }

    override func tearDown() {
        region = nil
    }

    /// Frame `k` of the series: counts up to 2·10^6 (sums pass Float's 2^24), a gap column and
    /// row masked (all ones) in every frame, and every 37th pixel masked.
    private func eigerFrame(_ k: Int) -> [UInt32] {
        var pixels = testPixels(count: width * height, type: .uint32, limit: 2_000_000, seed: 300 + UInt64(k))
        for y in 0..<height { pixels[y * width + 31] = .max }
        for x in 0..<width { pixels[24 * width + x] = .max }
        return pixels
    }

    private func control(_ generation: UInt32, _ view: (PixelRegion, Int, Int)?, mode: ProcessingMode = .sum) -> ControlSettings {
        var c = ControlSettings(displayWidth: 40, displayHeight: 30, mode: mode.rawValue, viewGeneration: generation)
        if let (r, w, h) = view { (c.viewRegion, c.viewWidth, c.viewHeight) = (r, UInt32(w), UInt32(h)) }
        return c
    }

    private func process(_ pipeline: inout FramePipeline, frame k: Int) throws {
        var header = rawHeader(width: width, height: height, type: .uint32)
        header.series = 1
        header.frameNumber = UInt64(k)
        header.frameIndex = UInt64(k)
        try publish(header, payload: bytes(of: eigerFrame(k), as: .uint32), into: region.ring)
        let slot = try XCTUnwrap(region.ring.claimNext(worker: 0))
        defer { region.ring.release(slot) }
        XCTAssertNotEqual(pipeline.process(slot: slot, worker: 0, region: region).status, .bad)
    }

    /// The plain reference: frames 0..<n summed per pixel (NaN where never valid), then each bin
    /// of `view` the mean of its valid pixels' sums.
    private func reference(frames n: Int, view: PixelRegion, _ iw: Int, _ ih: Int) -> [Float] {
        var sums = [Double](repeating: 0, count: width * height), valid = [Int](repeating: 0, count: width * height)
        for k in 0..<n {
            for (i, v) in eigerFrame(k).enumerated() where v != .max {
                sums[i] += Double(v)
                valid[i] += 1
            }
        }
        var out: [Float] = []
        for j in 0..<ih {
            for i in 0..<iw {
                let x0 = i * view.width / iw, x1 = max(x0 + 1, (i + 1) * view.width / iw)
                let y0 = j * view.height / ih, y1 = max(y0 + 1, (j + 1) * view.height / ih)
                var total = 0.0, count = 0
                for y in y0..<y1 {
                    for x in x0..<x1 {
                        let p = (view.y0 + y) * width + view.x0 + x
                        if valid[p] > 0 {
                            total += Double(Float(sums[p]))
                            count += 1
                        }
                    }
                }
                out.append(count == 0 ? .nan : Float(total / Double(count)))
            }
        }
        return out
    }

    /// The share on the board against the reference for the frames it says it holds.
    @discardableResult
    private func checkShare(_ what: String) throws -> ViewHeader {
        var a: [Float] = [], b: [Float] = []
        let header = try XCTUnwrap(region.views.read(worker: 0, a: &a, b: &b), what)
        let (iw, ih) = (Int(header.imageWidth), Int(header.imageHeight))
        let expected = reference(frames: Int(header.framesA), view: header.viewRegion, iw, ih)
        XCTAssertEqual(a.count, expected.count, what)
        for (i, (got, want)) in zip(a, expected).enumerated()
        where !((got.isNaN && want.isNaN) || abs(got - want) <= 1e-6 * max(1, abs(want))) {
            XCTFail("\(what): bin \(i) of \(header.viewRegion) is \(got), the reference \(want)")
            break
        }
        return header
    }

    /// Sum, and the modes whose share on a photon-counting detector is the same running sum
    /// (mean divides only when the view is composed; counting's photons are the counts).
    func testTheZoomedSumShareIsTheFramesSummedThenBinnedAcrossViewportChanges() throws {
        for mode in [ProcessingMode.sum, .mean, .counting] {
            region = try makeRegion(slotCount: 8)
            try checkSeries(mode: mode)
        }
    }

    private func checkSeries(mode: ProcessingMode) throws {
        var pipeline = FramePipeline(maxPixels: region.layout.boardMaxPixels)
        // Fitted, zoomed in (bins of 2×2 pixels, across the gaps), panned to the corner
        // (a region smaller than the image: blocks), fitted again.
        let walk: [(PixelRegion, Int, Int)?] = [
            nil, (PixelRegion(x0: 16, y0: 12, x1: 48, y1: 36), 16, 12),
            (PixelRegion(x0: 48, y0: 36, x1: 64, y1: 48), 40, 30), nil,
        ]
        var k = 0
        for (step, view) in walk.enumerated() {
            let generation = UInt32(step + 1)
            region.control.set(control(generation, view, mode: mode))
            for _ in 0..<3 {
                try process(&pipeline, frame: k)
                k += 1
                try checkShare("\(mode.name) step \(step), frame \(k)")
            }
            let header = try checkShare("\(mode.name) step \(step)")
            XCTAssertEqual(header.mode, mode.rawValue)
            XCTAssertEqual(header.viewGeneration, generation)
            XCTAssertEqual(header.viewRegion, view?.0 ?? .whole(width: width, height: height))
        }
    }

    func testTheFirstShareAfterAViewportChangeCarriesTheNewGenerationAndTheWholeSum() throws {
        var pipeline = FramePipeline(maxPixels: region.layout.boardMaxPixels)
        region.control.set(control(1, nil))
        XCTAssertFalse(pipeline.publishShareForNewViewport(worker: 0, region: region), "no frame yet: nothing to show")
        for k in 0..<5 { try process(&pipeline, frame: k) }
        let zoomed = (PixelRegion(x0: 20, y0: 10, x1: 44, y1: 40), 12, 15)
        region.control.set(control(2, zoomed))
        // Between frames, without a frame: the share of the 5 frames so far, for the new viewport.
        XCTAssertTrue(pipeline.publishShareForNewViewport(worker: 0, region: region))
        let header = try checkShare("rebinned between frames")
        XCTAssertEqual(header.viewGeneration, 2)
        XCTAssertEqual(header.viewRegion, zoomed.0)
        XCTAssertEqual(header.framesA, 5, "nothing lost by the rebin")
        XCTAssertEqual(header.imageWidth, 12)
        XCTAssertEqual(header.imageHeight, 15)
        XCTAssertFalse(pipeline.publishShareForNewViewport(worker: 0, region: region), "this viewport is already shown")
        // The next frame adds to the same sum.
        try process(&pipeline, frame: 5)
        region.control.set(control(3, (PixelRegion(x0: 0, y0: 0, x1: 32, y1: 24), 16, 12)))
        try process(&pipeline, frame: 6)
        let after = try checkShare("the next change, with a frame")
        XCTAssertEqual(after.viewGeneration, 3)
        XCTAssertEqual(after.framesA, 7)
    }

    func testAViewportChangeInAModeThatShowsTheLatestFrameOrAnotherModePublishesNoShare() throws {
        var pipeline = FramePipeline(maxPixels: region.layout.boardMaxPixels)
        region.control.set(control(1, nil))
        try process(&pipeline, frame: 0)
        var raw = control(2, (PixelRegion(x0: 0, y0: 0, x1: 32, y1: 24), 16, 12))
        raw.mode = ProcessingMode.raw.rawValue
        region.control.set(raw)
        XCTAssertFalse(pipeline.publishShareForNewViewport(worker: 0, region: region))
        var mean = raw
        mean.mode = ProcessingMode.mean.rawValue
        region.control.set(mean)
        XCTAssertFalse(pipeline.publishShareForNewViewport(worker: 0, region: region), "the sum's state is not the mean's")
        var a: [Float] = [], b: [Float] = []
        XCTAssertEqual(region.views.read(worker: 0, a: &a, b: &b)?.viewGeneration, 1)
    }
}
