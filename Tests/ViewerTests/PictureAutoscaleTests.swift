import DetectorStream
import Processing
import SharedMemory
@testable import Viewer
import XCTest

/// True pixels (`--graphics`): the colour scale comes from the picture's own pixels, not from
/// the text image whose every pixel is the maximum of a bin of them. Otherwise a few bright
/// pixels land in many bins, take the top of the scale, and the picture is drawn dark.
final class PictureAutoscaleTests: XCTestCase {
    private func pictureImage(_ pixels: [Float], width: Int, height: Int) -> DisplayImage {
        var image = DisplayImage(series: 1, frameNumber: 1, frameWidth: width, frameHeight: height, width: width, height: height,
                                 pixels: pixels, stats: FrameStats(sum: 0, min: 0, max: 0, mean: 0, masked: 0, count: 0))
        image.region = .whole(width: width, height: height)
        return image
    }

    /// 200 × 100: a noisy floor of 100...120 and 10 bright pixels (5000), one in 2000: below
    /// the picture's top 0.1 %, but in 10 of the 1250 bins (0.8 %) of a 50 × 25 text image.
    private func floorWithBrightPixels() -> (pixels: [Float], width: Int, height: Int) {
        let width = 200, height = 100
        var pixels = (0..<width * height).map { Float(100 + ($0 &* 7919) % 21) }
        for k in 0..<10 { pixels[(k * 10 + 5) * width + k * 19 + 7] = 5000 }
        return (pixels, width, height)
    }

    func testThePictureGetsLimitsFromItsOwnDistributionNotFromTheBinMaxima() {
        let floor = floorWithBrightPixels()
        let text = pictureImage(floor.pixels, width: floor.width, height: floor.height).reduced(toWidth: 50, height: 25)
        XCTAssertEqual(text.pixels.filter { $0 == 5000 }.count, 10, "the bright pixels sit in 10 bins of the text image")
        let state = ViewerState(source: "test").reduced(.image(text))
        let expected = floor.pixels.withUnsafeBufferPointer { FrameKernels.percentiles($0, [0.005, 0.999]) }
        XCTAssertEqual(state.scale.low, expected[0], "the 0.5th percentile of the picture's pixels")
        XCTAssertEqual(state.scale.high, expected[1], "the 99.9th percentile of the picture's pixels")
        XCTAssertGreaterThanOrEqual(state.scale.low, 100)
        XCTAssertLessThanOrEqual(state.scale.high, 120, "the bright pixels stay out of the top: the floor spans the scale")
        XCTAssertLessThan(state.scale.low, 102, "the bottom is the floor's own bottom, not the bins' maxima (near 120)")
    }

    func testHalfBlocksKeepTheDisplayImagesScale() {
        // The same text image without the picture (half blocks, or paused: the history drops
        // the picture) scales on its own pixels, as it always has.
        let floor = floorWithBrightPixels()
        var text = pictureImage(floor.pixels, width: floor.width, height: floor.height).reduced(toWidth: 50, height: 25)
        text.picture = nil
        let state = ViewerState(source: "test").reduced(.image(text))
        let expected = text.pixels.withUnsafeBufferPointer { FrameKernels.percentiles($0, ViewerState.Scale.quantiles) }
        XCTAssertEqual([state.scale.low, state.scale.high], expected)
        XCTAssertEqual(state.scale.high, 5000)
    }

    func testALargePictureIsSampledWithinAHairOfTheExactPercentiles() {
        // 1024 × 1024 (the picture's largest size): a ramp 0..<1024 along each row, rows shifted
        // by 37 so that no column is special. Sampled to 65,536 pixels.
        let side = 1024
        let pixels = (0..<side * side).map { Float(($0 % side + ($0 / side) * 37) % side) }
        let sample = ViewerState.sample(pixels, atMost: ViewerState.pictureAutoscaleSamples)
        XCTAssertLessThanOrEqual(sample.count, ViewerState.pictureAutoscaleSamples)
        XCTAssertGreaterThan(sample.count, ViewerState.pictureAutoscaleSamples / 2)
        let text = pictureImage(pixels, width: side, height: side).reduced(toWidth: 128, height: 128)
        let state = ViewerState(source: "test").reduced(.image(text))
        let exact = pixels.withUnsafeBufferPointer { FrameKernels.percentiles($0, [0.005, 0.999]) }
        XCTAssertEqual(state.scale.low, exact[0], accuracy: 2, "within 2 of 1024 levels (0.2 %)")
        XCTAssertEqual(state.scale.high, exact[1], accuracy: 2)
        XCTAssertEqual(ViewerState.sample([1, 2, 3], atMost: 8), [1, 2, 3], "a small picture is taken whole")
    }

    func testSaturatedPixelsStayOutOfThePicturesScaleToo() {
        var floor = floorWithBrightPixels()
        for i in stride(from: 3, to: floor.pixels.count, by: 400) { floor.pixels[i] = 65534 }   // 50 saturated, 0.25 %
        let info = SeriesInfo(format: .stream2, series: 1, width: floor.width, height: floor.height, pixelType: .uint16,
                              detector: .unnamed, metadata: ["saturation_value": "65534"])
        let text = pictureImage(floor.pixels, width: floor.width, height: floor.height).reduced(toWidth: 50, height: 25)
        let state = ViewerState(source: "test").reduced(.seriesStarted(info)).reduced(.image(text))
        XCTAssertLessThanOrEqual(state.scale.high, 120)
    }
}
