import DetectorStream
import Processing
import SharedMemory
@testable import Workers
import XCTest

/// The worker's pixel readout against a plain reference on frames the test builds: the 3×3
/// raw and processed values, the reason each is masked (all-ones, stream mask, NaN, JUNGFRAU
/// gain code 2, outside the frame), the gain stages, and where the display bin's maximum lies.
final class PixelInspectorTests: XCTestCase {
    private var region: DetviewRegion!

    override func setUpWithError() throws {
        region = try makeRegion(slotCount: 8)
    }

    override func tearDown() {
        region = nil
    }

    private let (width, height) = (64, 48)

    /// A frame of known values: v(x, y) = (7x + 13y) mod 1000.
    private func pattern() -> [UInt32] {
        (0..<height).flatMap { y in (0..<width).map { x in UInt32((7 * x + 13 * y) % 1000) } }
    }

    private func inspect(_ payload: [UInt8], type: PixelType, x: Int, y: Int, gainBits: Bool = false,
                         display: (Int, Int) = (0, 0), series: UInt64 = 1) throws -> PixelReadout {
        var settings = ControlSettings(displayWidth: UInt32(display.0), displayHeight: UInt32(display.1))
        settings.inspectX = Int32(x)
        settings.inspectY = Int32(y)
        region.control.set(settings)
        var header = rawHeader(width: width, height: height, type: type)
        header.series = series
        header.hasGainBits = gainBits
        try publish(header, payload: payload, into: region.ring)
        var pipeline = FramePipeline(maxPixels: region.layout.boardMaxPixels)
        let slot = try XCTUnwrap(region.ring.claimNext(worker: 0))
        defer { region.ring.release(slot) }
        let result = pipeline.process(slot: slot, worker: 0, region: region)
        XCTAssertEqual(result.status, .ok, result.badReason)
        return result.inspect
    }

    func testRawAndProcessedNeighbourhoodWithAllOnesAndAStreamMaskedPixel() throws {
        var pixels = pattern()
        let (x, y) = (20, 15)
        pixels[(y - 1) * width + (x - 1)] = UInt32(UInt16.max)   // all-ones up-left
        let masked = UInt32(y * width + x + 1)                   // the stream masks the right neighbour
        XCTAssertTrue(region.masks.publish(.init(series: 1, width: width, height: height, indices: [3, masked])))
        let original = pixels
        let r = try inspect(bytes(of: pixels, as: .uint16), type: .uint16, x: x, y: y)
        XCTAssertEqual(r.x, 20)
        XCTAssertEqual(r.y, 15)
        for dy in -1...1 {
            for dx in -1...1 {
                let i = PixelReadout.index(dx: dx, dy: dy)
                let index = (y + dy) * width + x + dx
                XCTAssertEqual(r.raw[i], Float(original[index]), "raw at \(dx),\(dy): as sent, before the mask")
                let expectedReason: PixelReadout.Reason = index == Int(masked) ? .streamMask
                    : original[index] == UInt32(UInt16.max) ? .allOnes : .none
                XCTAssertEqual(PixelReadout.Reason(rawValue: r.reasons[i]), expectedReason, "reason at \(dx),\(dy)")
                if expectedReason == .none {
                    XCTAssertEqual(r.value[i], Float(original[index]), "value at \(dx),\(dy)")
                } else {
                    XCTAssertTrue(r.value[i].isNaN, "a masked pixel has no processed value")
                }
                XCTAssertEqual(r.gains[i], PixelReadout.noGain, "no gain bits in this stream")
            }
        }
        XCTAssertFalse(r.isMasked)
        XCTAssertEqual(r.binMaxX, -1, "headless: nothing is binned, no bin")
    }

    func testAnEdgePixelsNeighboursOutsideTheFrame() throws {
        let r = try inspect(bytes(of: pattern(), as: .uint16), type: .uint16, x: 0, y: 47)
        for dy in -1...1 {
            for dx in -1...1 {
                let i = PixelReadout.index(dx: dx, dy: dy)
                let outside = dx < 0 || dy > 0
                XCTAssertEqual(r.reasons[i] == PixelReadout.Reason.outside.rawValue, outside, "\(dx),\(dy)")
                XCTAssertEqual(r.raw[i].isNaN, outside)
            }
        }
        XCTAssertEqual(r.raw[4], Float((13 * 47) % 1000))
    }

    func testAPixelOutsideTheFrameGetsNoReadout() throws {
        let r = try inspect(bytes(of: pattern(), as: .uint16), type: .uint16, x: 64, y: 3)
        XCTAssertFalse(r.isPresent)
    }

    func testANaNInAFloatFrameIsMaskedAsNaN() throws {
        var floats = pattern().map(Float.init)
        let (x, y) = (5, 6)
        floats[y * width + x] = .nan
        floats[y * width + x + 1] = 2.5
        let payload = floats.withUnsafeBytes { [UInt8]($0) }
        let r = try inspect(payload, type: .float32, x: x, y: y)
        XCTAssertTrue(r.raw[4].isNaN)
        XCTAssertTrue(r.isMasked)
        XCTAssertEqual(r.reason, .nan)
        XCTAssertEqual(r.raw[PixelReadout.index(dx: 1, dy: 0)], 2.5)
        XCTAssertEqual(r.value[PixelReadout.index(dx: 1, dy: 0)], 2.5)
        XCTAssertEqual(r.raw[PixelReadout.index(dx: -1, dy: -1)], floats[(y - 1) * width + x - 1])
    }

    func testJungfrauGainStagesAndTheADCValue() throws {
        var pixels = pattern()
        let (x, y) = (30, 20)
        pixels[y * width + x] = 1 << 14 | 100        // G1, ADC 100
        pixels[y * width + x + 1] = 3 << 14 | 5      // G2, ADC 5
        pixels[y * width + x - 1] = 2 << 14 | 7      // gain code 2: a broken pixel
        let r = try inspect(bytes(of: pixels, as: .uint16), type: .uint16, x: x, y: y, gainBits: true)
        XCTAssertEqual(r.raw[4], Float(1 << 14 | 100), "raw is the word as sent, gain bits included")
        XCTAssertEqual(r.value[4], 100, "processed: the ADC value")
        XCTAssertEqual(r.gains[4], 1)
        XCTAssertEqual(r.gains[PixelReadout.index(dx: 1, dy: 0)], 2)
        XCTAssertEqual(r.value[PixelReadout.index(dx: 1, dy: 0)], 5)
        XCTAssertEqual(PixelReadout.Reason(rawValue: r.reasons[PixelReadout.index(dx: -1, dy: 0)]), .brokenGain)
        XCTAssertEqual(r.gains[PixelReadout.index(dx: 0, dy: -1)], 0, "pattern pixels are G0")
    }

    func testTheBinsMaximumIsThePixelTheBinnedDisplayShows() throws {
        var pixels = pattern()
        // A 16 × 12 display of a 64 × 48 frame: each display pixel is a 4 × 4 bin.
        let (x, y) = (20, 15)
        pixels[13 * width + 22] = 5000
        pixels[14 * width + 23] = UInt32(UInt16.max)   // masked: never the maximum
        let r = try inspect(bytes(of: pixels, as: .uint16), type: .uint16, x: x, y: y, display: (16, 12))
        XCTAssertTrue(r.isBinned)
        XCTAssertEqual([r.binX0, r.binY0, r.binX1, r.binY1], [20, 12, 24, 16])
        // The plain reference: the first largest unmasked pixel of the bin in row order.
        var best: (value: UInt32, x: Int, y: Int)?
        for by in 12..<16 {
            for bx in 20..<24 where pixels[by * width + bx] != UInt32(UInt16.max) {
                if best == nil || pixels[by * width + bx] > best!.value { best = (pixels[by * width + bx], bx, by) }
            }
        }
        XCTAssertEqual(best?.x, 22)
        XCTAssertEqual(r.binMaxX, Int32(best!.x))
        XCTAssertEqual(r.binMaxY, Int32(best!.y))
        // And it is what the board's image shows at that display pixel.
        var image: [Float] = []
        _ = region.board.read(into: &image)
        XCTAssertEqual(image[3 * 16 + 5], 5000)
    }

    func testBinsFollowTheKernelsRuleForUnevenSizes() {
        // 10 pixels into 3 bins: [0,3), [3,6), [6,10); 3 pixels into 7 bins: each pixel its own.
        let fitted = (region: PixelRegion.whole(width: 10, height: 3), width: 3, height: 7)
        XCTAssertEqual(PixelInspector.bin(containing: 2, 0, fitted), PixelRegion(x0: 0, y0: 0, x1: 3, y1: 1))
        XCTAssertEqual(PixelInspector.bin(containing: 3, 2, fitted), PixelRegion(x0: 3, y0: 2, x1: 6, y1: 3))
        XCTAssertEqual(PixelInspector.bin(containing: 9, 1, fitted), PixelRegion(x0: 6, y0: 1, x1: 10, y1: 2))
        let zoomed = (region: PixelRegion(x0: 4, y0: 4, x1: 8, y1: 8), width: 2, height: 2)
        XCTAssertEqual(PixelInspector.bin(containing: 6, 5, zoomed), PixelRegion(x0: 6, y0: 4, x1: 8, y1: 6))
        XCTAssertNil(PixelInspector.bin(containing: 3, 5, zoomed), "outside the viewport")
    }
}
