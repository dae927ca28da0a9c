import Processing
import SharedMemory
import Viewer
import XCTest

/// Composing a mode's view from the workers' shares must equal computing it over all frames.
final class ViewComposerTests: XCTestCase {
    private func part(_ mode: ProcessingMode, a: [Float], b: [Float] = [], framesA: UInt64, framesB: UInt64 = 0,
                      clears: UInt32 = 0, resets: UInt32 = 0, ready: Bool = true, sequence: UInt64 = 1,
                      width: UInt32 = 2) -> ViewPart {
        ViewPart(header: ViewHeader(mode: mode.rawValue, clears: clears, pedestalResets: resets, imageWidth: width,
                                    imageHeight: UInt32(a.count) / width, frameWidth: 8, frameHeight: 8,
                                    framesA: framesA, framesB: framesB, pedestalFrames: framesA,
                                    pedestalReady: ready, sequence: sequence),
                 a: a, b: b)
    }

    private func compose(_ mode: ProcessingMode, _ parts: [ViewPart], view: PumpView = .unpumped,
                         clears: UInt32 = 0, resets: UInt32 = 0) -> ComposedView? {
        ViewComposer.compose(mode: mode, pumpView: view, clears: clears, pedestalResets: resets, parts: parts)
    }

    private func assertPixels(_ got: [Float]?, _ expected: [Float], file: StaticString = #filePath, line: UInt = #line) {
        guard let got else { return XCTFail("no view", file: file, line: line) }
        XCTAssertEqual(got.count, expected.count, file: file, line: line)
        for (g, e) in zip(got, expected) {
            if e.isNaN { XCTAssertTrue(g.isNaN, "\(got)", file: file, line: line) } else {
                XCTAssertEqual(g, e, accuracy: 1e-5, "\(got)", file: file, line: line)
            }
        }
    }

    func testSumsAddMeansDivideByAllFramesAndMaximaTakeTheLargest() {
        let sum = compose(.sum, [part(.sum, a: [1, 2, .nan, 4], framesA: 3), part(.sum, a: [10, .nan, .nan, 40], framesA: 1)])
        assertPixels(sum?.pixels, [11, 2, .nan, 44])
        XCTAssertEqual(sum?.framesA, 4)
        XCTAssertEqual(sum?.workers, 2)
        let mean = compose(.mean, [part(.mean, a: [3, 6, 9, 12], framesA: 3), part(.mean, a: [1, 2, 3, 4], framesA: 1)])
        assertPixels(mean?.pixels, [1, 2, 3, 4])
        let max = compose(.max, [part(.max, a: [1, 20, .nan, 4], framesA: 3), part(.max, a: [10, 2, .nan, .nan], framesA: 1)])
        assertPixels(max?.pixels, [10, 20, .nan, 4])
    }

    func testThePedestalIsTheFrameWeightedMeanOfTheWorkersPedestals() {
        let view = compose(.pedestal, [part(.pedestal, a: [100, 200], framesA: 300), part(.pedestal, a: [104, 196], framesA: 100)])
        assertPixels(view?.pixels, [101, 199])
        XCTAssertEqual(view?.pedestalFrames, 400)
        XCTAssertEqual(view?.pedestalReady, true)
        let notReady = compose(.pedestal, [part(.pedestal, a: [1, 1], framesA: 3), part(.pedestal, a: [1, 1], framesA: 3, ready: false)])
        XCTAssertEqual(notReady?.pedestalReady, false, "ready only when every worker is")
    }

    /// σ of the union of the workers' frames, from each one's mean and variance: worker 1 saw
    /// 1, 2, 3 (mean 2, variance 2/3), worker 2 saw 5, 7 (mean 6, variance 1); all five have mean
    /// 3.6 and variance 4.64. A pixel masked in one worker takes the other's alone.
    func testThePedestalSigmaIsThePooledSigmaOfEveryWorkersFrames() {
        let parts = [part(.pedestal, a: [2, 2], b: [2.0 / 3, 2.0 / 3], framesA: 3),
                     part(.pedestal, a: [6, .nan], b: [1, .nan], framesA: 2)]
        let view = ViewComposer.compose(mode: .pedestal, pumpView: .unpumped, pedestalView: .sigma, clears: 0,
                                        pedestalResets: 0, parts: parts)
        assertPixels(view?.pixels, [Float(4.64).squareRoot(), Float(2.0 / 3).squareRoot()])
        assertPixels(compose(.pedestal, parts)?.pixels, [3.6, 2])
    }

    func testPumpProbeViewsShowEitherTotalOrTheDifferencePerFrame() {
        let parts = [part(.analog, a: [10, 20], b: [30, 30], framesA: 2, framesB: 3),
                     part(.analog, a: [2, 4], b: [0, 6], framesA: 2, framesB: 1)]
        assertPixels(compose(.analog, parts, view: .unpumped)?.pixels, [12, 24])
        assertPixels(compose(.analog, parts, view: .pumped)?.pixels, [30, 36])
        // pumped 30/4 − unpumped 12/4, pumped 36/4 − unpumped 24/4
        assertPixels(compose(.analog, parts, view: .difference)?.pixels, [4.5, 3])
        assertPixels(compose(.mean, parts.map { var p = $0; p.header.mode = ProcessingMode.mean.rawValue; return p },
                             view: .difference)?.pixels, [4.5, 3])
    }

    func testTheRadialProfileIsTotalRingSumsOverTotalRingPixels() {
        let view = compose(.radial, [part(.radial, a: [10, 8, 0], b: [1, 4, 0], framesA: 1, width: 3),
                                     part(.radial, a: [30, 0, 0], b: [1, 0, 0], framesA: 1, width: 3)])
        assertPixels(view?.pixels, [20, 2, .nan])
    }

    func testSharesOfAnotherModeClearOrPedestalAreLeftOut() {
        let parts = [part(.sum, a: [1, 1], framesA: 1, clears: 1, sequence: 5),
                     part(.sum, a: [100, 100], framesA: 1, clears: 0, sequence: 9),
                     part(.max, a: [7, 7], framesA: 1, clears: 1, sequence: 10)]
        assertPixels(compose(.sum, parts, clears: 1)?.pixels, [1, 1])
        XCTAssertNil(compose(.mean, parts, clears: 1), "nobody computed a mean")
        let counting = [part(.counting, a: [5, 5], framesA: 1, resets: 0), part(.counting, a: [1, 2], framesA: 1, resets: 2)]
        assertPixels(compose(.counting, counting, resets: 2)?.pixels, [1, 2])
    }

    func testSharesOfAnotherShapeThanTheNewestAreLeftOut() {
        let view = compose(.sum, [part(.sum, a: [1, 2, 3, 4], framesA: 1, sequence: 3),
                                  part(.sum, a: [5, 6], framesA: 1, sequence: 2, width: 1)])
        assertPixels(view?.pixels, [1, 2, 3, 4])
        XCTAssertEqual(view?.workers, 1)
    }

    func testOnlySharesBinnedForTheNewestSharesViewportCompose() {
        var old = part(.sum, a: [1, 1, 1, 1], framesA: 5, sequence: 1)
        old.header.viewGeneration = 3
        var new = part(.sum, a: [10, 20, 30, 40], framesA: 2, sequence: 2)
        new.header.viewGeneration = 4
        new.header.viewRegion = PixelRegion(x0: 2, y0: 2, x1: 4, y1: 4)
        let view = compose(.sum, [old, new])
        assertPixels(view?.pixels, [10, 20, 30, 40])
        XCTAssertEqual(view?.workers, 1, "the share of the earlier viewport is left out though it has the same shape")
        XCTAssertEqual(view?.framesA, 2)
        XCTAssertEqual(view?.viewGeneration, 4)
        XCTAssertEqual(view?.region, PixelRegion(x0: 2, y0: 2, x1: 4, y1: 4))
    }
}
