import DetectorStream
import Processing
import SharedMemory
import Workers
import XCTest

/// The workers bin the viewer's viewport, never an enlarged fitted image: the latest frame's
/// image and a mode's share on the boards are the region's full-resolution pixels binned to
/// the image size the control block asks for, tagged with its generation; checked against a
/// plain reference over random frames and several viewports, some smaller than the image.
final class ViewportBinningTests: XCTestCase {
    private var region: DetviewRegion!

    override func setUpWithError() throws {
        region = try makeRegion(slotCount: 8)
    }

    override func tearDown() {
        region = nil
    }

    /// (viewport, image size): larger than the image, equal to it, and smaller (blocks of 2 and 4).
    private let viewports: [(PixelRegion, Int, Int)] = [
        (PixelRegion(x0: 8, y0: 4, x1: 56, y1: 40), 24, 18),
        (PixelRegion(x0: 0, y0: 0, x1: 32, y1: 24), 32, 24),
        (PixelRegion(x0: 40, y0: 30, x1: 60, y1: 45), 40, 30),
        (PixelRegion(x0: 54, y0: 41, x1: 64, y1: 48), 40, 28),
    ]

    /// The pixels of `r` of a frame `width` wide, as a frame of their own.
    private func crop(_ pixels: [UInt32], width: Int, _ r: PixelRegion) -> [UInt32] {
        (r.y0..<r.y1).flatMap { y in pixels[(y * width + r.x0)..<(y * width + r.x1)] }
    }

    private func process(_ pipeline: inout FramePipeline, _ pixels: [UInt32], width: Int, height: Int,
                         type: PixelType, sequenceLabel: UInt64) throws -> FrameResult {
        var header = rawHeader(width: width, height: height, type: type)
        header.series = 1
        header.frameNumber = sequenceLabel
        try publish(header, payload: bytes(of: pixels, as: type), into: region.ring)
        let slot = try XCTUnwrap(region.ring.claimNext(worker: 0))
        defer { region.ring.release(slot) }
        return pipeline.process(slot: slot, worker: 0, region: region)
    }

    func testTheLatestFrameIsTheViewportsPixelsMaxBinnedAndTagged() throws {
        let (w, h) = (64, 48)
        var pipeline = FramePipeline(maxPixels: region.layout.boardMaxPixels)
        pipeline.latestFrameIntervalNs = 0
        let limits: [PixelType: UInt32] = [.uint8: 250, .uint16: 60_000, .uint32: 3_000_000_000]
        var label: UInt64 = 0
        for type in PixelType.detectorTypes {
            for (k, (view, iw, ih)) in viewports.enumerated() {
                label += 1
                let generation = UInt32(100 + label)
                region.control.set(ControlSettings(displayWidth: 40, displayHeight: 30, viewRegion: view,
                                                   viewWidth: UInt32(iw), viewHeight: UInt32(ih), viewGeneration: generation))
                let pixels = testPixels(count: w * h, type: type, limit: limits[type]!, seed: label * 7 + UInt64(k))
                let result = try process(&pipeline, pixels, width: w, height: h, type: type, sequenceLabel: label)
                var image: [Float] = []
                let board = try XCTUnwrap(region.board.read(into: &image), "\(type.name) \(view)")
                XCTAssertEqual(board.viewGeneration, generation)
                XCTAssertEqual(board.viewRegion, view)
                XCTAssertEqual(Int(board.imageWidth), iw)
                XCTAssertEqual(Int(board.imageHeight), ih)
                assertSameImage(Array(image.prefix(iw * ih)),
                                naiveBinMax(crop(pixels, width: w, view), width: view.width, height: view.height,
                                            type: type, outWidth: iw, outHeight: ih))
                // The frame's numbers stay the whole frame's, whatever is shown.
                let whole = NaiveStats(pixels, type: type)
                XCTAssertEqual(result.stats.sum, whole.sum, "\(type.name) \(view)")
                XCTAssertEqual(result.stats.max, whole.max)
                XCTAssertEqual(board.stats.sum, whole.sum)
            }
        }
    }

    func testAViewportOutsideTheFrameFallsBackToTheFittedWholeFrame() throws {
        // The viewer zoomed into a larger frame than the one that came.
        var pipeline = FramePipeline(maxPixels: region.layout.boardMaxPixels)
        pipeline.latestFrameIntervalNs = 0
        region.control.set(ControlSettings(displayWidth: 16, displayHeight: 12, viewRegion: PixelRegion(x0: 30, y0: 0, x1: 70, y1: 10),
                                           viewWidth: 16, viewHeight: 4, viewGeneration: 9))
        let pixels = testPixels(count: 64 * 48, type: .uint16, limit: 1000, seed: 5)
        _ = try process(&pipeline, pixels, width: 64, height: 48, type: .uint16, sequenceLabel: 1)
        var image: [Float] = []
        let board = try XCTUnwrap(region.board.read(into: &image))
        XCTAssertEqual(board.viewRegion, .whole(width: 64, height: 48))
        XCTAssertEqual(board.imageWidth, 16)
        XCTAssertEqual(board.imageHeight, 12)
        assertSameImage(Array(image.prefix(16 * 12)), naiveBinMax(pixels, width: 64, height: 48, type: .uint16, outWidth: 16, outHeight: 12))
    }

    func testAModesShareIsTheViewportOfItsFullResolutionImage() throws {
        let (w, h) = (64, 48)
        for (k, (view, iw, ih)) in viewports.enumerated() {
            // A fresh pipeline per viewport: its first share goes on the board at once.
            var pipeline = FramePipeline(maxPixels: region.layout.boardMaxPixels)
            region.control.set(ControlSettings(displayWidth: 40, displayHeight: 30, mode: ProcessingMode.sum.rawValue,
                                               viewRegion: view, viewWidth: UInt32(iw), viewHeight: UInt32(ih),
                                               viewGeneration: UInt32(k + 1)))
            let pixels = testPixels(count: w * h, type: .uint16, limit: 3000, seed: 50 + UInt64(k))
            _ = try process(&pipeline, pixels, width: w, height: h, type: .uint16, sequenceLabel: UInt64(k + 1))
            var a: [Float] = [], b: [Float] = []
            let header = try XCTUnwrap(region.views.read(worker: 0, a: &a, b: &b))
            XCTAssertEqual(header.viewGeneration, UInt32(k + 1))
            XCTAssertEqual(header.viewRegion, view)
            XCTAssertEqual(Int(header.imageWidth), iw)
            XCTAssertEqual(Int(header.imageHeight), ih)
            // Sum shares are mean-binned (so that they add): the plain mean of each bin's unmasked pixels.
            for j in 0..<ih {
                for i in 0..<iw {
                    let x0 = i * view.width / iw, x1 = max(x0 + 1, (i + 1) * view.width / iw)
                    let y0 = j * view.height / ih, y1 = max(y0 + 1, (j + 1) * view.height / ih)
                    var values: [Double] = []
                    for y in y0..<y1 {
                        for x in x0..<x1 {
                            let v = pixels[(view.y0 + y) * w + view.x0 + x]
                            if v != 0xFFFF { values.append(Double(v)) }
                        }
                    }
                    let expected = values.isEmpty ? Float.nan : Float(values.reduce(0, +) / Double(values.count))
                    let got = a[j * iw + i]
                    XCTAssertTrue((got.isNaN && expected.isNaN) || abs(got - expected) <= 1e-3 * max(1, abs(expected)),
                                  "\(view) bin (\(i), \(j)): \(got) vs \(expected)")
                }
            }
        }
    }
}

extension ViewportBinningTests {
    /// The board takes the latest frame at most every `latestFrameIntervalNs`, but a new
    /// viewport is binned with the very next frame: a zoom must not wait out the interval.
    func testANewViewportIsBinnedWithTheNextFrameWhateverTheInterval() throws {
        var pipeline = FramePipeline(maxPixels: 4096)
        pipeline.latestFrameIntervalNs = 60_000_000_000
        pipeline.composedViewFrameIntervalNs = 60_000_000_000
        let pixels = testPixels(count: 64 * 48, type: .uint16, limit: 1000, seed: 9)
        region.control.set(ControlSettings(displayWidth: 16, displayHeight: 12, viewGeneration: 1))
        _ = try process(&pipeline, pixels, width: 64, height: 48, type: .uint16, sequenceLabel: 1)
        var image: [Float] = []
        XCTAssertEqual(region.board.read(into: &image)?.viewGeneration, 1)
        _ = try process(&pipeline, pixels, width: 64, height: 48, type: .uint16, sequenceLabel: 2)
        XCTAssertEqual(region.board.read(into: &image)?.frameNumber, 1, "within the interval: no new image")
        region.control.set(ControlSettings(displayWidth: 16, displayHeight: 12, viewRegion: PixelRegion(x0: 0, y0: 0, x1: 16, y1: 12),
                                           viewWidth: 16, viewHeight: 12, viewGeneration: 2))
        _ = try process(&pipeline, pixels, width: 64, height: 48, type: .uint16, sequenceLabel: 3)
        let board = try XCTUnwrap(region.board.read(into: &image))
        XCTAssertEqual(board.viewGeneration, 2)
        XCTAssertEqual(board.frameNumber, 3)
    }

    /// The same for a mode's share: published at most every 40 ms, but at once for a new viewport.
    func testANewViewportPublishesTheSharesAtOnce() throws {
        var pipeline = FramePipeline(maxPixels: 4096)
        let pixels = testPixels(count: 64 * 48, type: .uint16, limit: 1000, seed: 10)
        var control = ControlSettings(displayWidth: 16, displayHeight: 12, mode: ProcessingMode.sum.rawValue, viewGeneration: 1)
        region.control.set(control)
        _ = try process(&pipeline, pixels, width: 64, height: 48, type: .uint16, sequenceLabel: 1)
        control.viewRegion = PixelRegion(x0: 8, y0: 8, x1: 24, y1: 20)
        (control.viewWidth, control.viewHeight, control.viewGeneration) = (16, 12, 2)
        region.control.set(control)
        _ = try process(&pipeline, pixels, width: 64, height: 48, type: .uint16, sequenceLabel: 2)
        var a: [Float] = [], b: [Float] = []
        let header = try XCTUnwrap(region.views.read(worker: 0, a: &a, b: &b))
        XCTAssertEqual(header.viewGeneration, 2, "published within 40 ms of the first, for the new viewport")
        XCTAssertEqual(header.framesA, 2)
    }
}
