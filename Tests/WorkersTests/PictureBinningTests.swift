import DetectorStream
import Processing
import SharedMemory
import Workers
import XCTest

/// True pixels (`--graphics`): with a picture size in the control block, the latest frame's
/// image on the board is the view's full-resolution pixels max-binned straight to the
/// picture's size, never enlarged (a region with fewer pixels than the picture stays 1:1) and
/// never above the board's room; checked against a plain reference.
final class PictureBinningTests: XCTestCase {
    private var region: DetviewRegion!

    override func setUpWithError() throws {
        region = try makeRegion(slotCount: 8, slotCapacity: 64 * 1024, boardMaxPixels: 4096)
    }

    override func tearDown() {
        region = nil
    }

    private func crop(_ pixels: [UInt32], width: Int, _ r: PixelRegion) -> [UInt32] {
        (r.y0..<r.y1).flatMap { y in pixels[(y * width + r.x0)..<(y * width + r.x1)] }
    }

    /// Processes one frame under `control` and reads the board's image back.
    private func boardImage(_ pixels: [UInt32], width: Int, height: Int, control: ControlSettings,
                            label: UInt64) throws -> (header: BoardHeader, image: [Float]) {
        region.control.set(control)
        var pipeline = FramePipeline(maxPixels: region.layout.boardMaxPixels)
        pipeline.latestFrameIntervalNs = 0
        var header = rawHeader(width: width, height: height, type: .uint16)
        header.series = 1
        header.frameNumber = label
        try publish(header, payload: bytes(of: pixels, as: .uint16), into: region.ring)
        let slot = try XCTUnwrap(region.ring.claimNext(worker: 0))
        _ = pipeline.process(slot: slot, worker: 0, region: region)
        region.ring.release(slot)
        var image: [Float] = []
        let board = try XCTUnwrap(region.board.read(into: &image))
        return (board, Array(image.prefix(Int(board.imageWidth) * Int(board.imageHeight))))
    }

    func testAFrameSmallerThanThePictureIsBinnedOneToOneWithItsSinglePixels() throws {
        let (w, h) = (64, 48)
        var pixels = testPixels(count: w * h, type: .uint16, limit: 100, seed: 3)
        pixels[17 * w + 41] = 5000   // one hot pixel: the half-block display (16 × 12) merges it into a 4 × 4 bin
        // 16 cells × 6 rows of 7 × 15 pixels: a 112 × 90 picture, larger than the frame.
        let control = ControlSettings(displayWidth: 16, displayHeight: 12, viewGeneration: 4, pictureWidth: 112, pictureHeight: 90)
        let (board, image) = try boardImage(pixels, width: w, height: h, control: control, label: 1)
        XCTAssertEqual(board.viewRegion, .whole(width: w, height: h))
        XCTAssertEqual(Int(board.imageWidth), w, "never enlarged: the picture replicates")
        XCTAssertEqual(Int(board.imageHeight), h)
        assertSameImage(image, naiveBinMax(pixels, width: w, height: h, type: .uint16, outWidth: w, outHeight: h))
        XCTAssertEqual(image[17 * w + 41], 5000, "the hot pixel at its own position")
        XCTAssertLessThan(image[17 * w + 40], 100)
    }

    func testAPictureSmallerThanTheFrameIsItsMaxBinning() throws {
        let (w, h) = (64, 48)
        let pixels = testPixels(count: w * h, type: .uint16, limit: 60_000, seed: 4)
        let control = ControlSettings(displayWidth: 16, displayHeight: 12, viewGeneration: 5, pictureWidth: 40, pictureHeight: 40)
        let (board, image) = try boardImage(pixels, width: w, height: h, control: control, label: 2)
        XCTAssertEqual(Int(board.imageWidth), 40, "fitted, aspect kept")
        XCTAssertEqual(Int(board.imageHeight), 30)
        assertSameImage(image, naiveBinMax(pixels, width: w, height: h, type: .uint16, outWidth: 40, outHeight: 30))
    }

    func testTheBoardsRoomCapsThePicture() throws {
        let (w, h) = (128, 96)   // 12,288 pixels, the board holds 4,096
        let pixels = testPixels(count: w * h, type: .uint16, limit: 60_000, seed: 5)
        let control = ControlSettings(displayWidth: 40, displayHeight: 30, viewGeneration: 6, pictureWidth: 1000, pictureHeight: 1000)
        let (board, image) = try boardImage(pixels, width: w, height: h, control: control, label: 3)
        let (iw, ih) = (Int(board.imageWidth), Int(board.imageHeight))
        XCTAssertLessThanOrEqual(iw * ih, 4096)
        XCTAssertGreaterThan(iw * ih, 3900, "as large as the room allows")
        XCTAssertEqual(Double(iw) / Double(ih), 4.0 / 3.0, accuracy: 0.05)
        assertSameImage(image, naiveBinMax(pixels, width: w, height: h, type: .uint16, outWidth: iw, outHeight: ih))
    }

    func testAZoomedViewportIsItsRegionsPixelsAtThePicturesSize() throws {
        let (w, h) = (64, 48)
        let pixels = testPixels(count: w * h, type: .uint16, limit: 60_000, seed: 6)
        let view = PixelRegion(x0: 8, y0: 4, x1: 56, y1: 40)   // 48 × 36 detector pixels
        for (pictureWidth, pictureHeight, iw, ih) in [(400, 300, 48, 36), (24, 30, 24, 18)] {
            let control = ControlSettings(displayWidth: 40, displayHeight: 30, viewRegion: view, viewWidth: 24, viewHeight: 18,
                                          viewGeneration: 7, pictureWidth: UInt32(pictureWidth), pictureHeight: UInt32(pictureHeight))
            let (board, image) = try boardImage(pixels, width: w, height: h, control: control, label: UInt64(4 + iw))
            XCTAssertEqual(board.viewRegion, view)
            XCTAssertEqual(board.viewGeneration, 7)
            XCTAssertEqual(Int(board.imageWidth), iw)
            XCTAssertEqual(Int(board.imageHeight), ih)
            assertSameImage(image, naiveBinMax(crop(pixels, width: w, view), width: view.width, height: view.height,
                                               type: .uint16, outWidth: iw, outHeight: ih))
        }
    }

    func testWithoutAPictureTheBoardIsTheDisplayBinningAsBefore() throws {
        let (w, h) = (64, 48)
        let pixels = testPixels(count: w * h, type: .uint16, limit: 60_000, seed: 7)
        let control = ControlSettings(displayWidth: 16, displayHeight: 12, viewGeneration: 8)
        let (board, image) = try boardImage(pixels, width: w, height: h, control: control, label: 60)
        XCTAssertEqual(board.imageWidth, 16)
        XCTAssertEqual(board.imageHeight, 12)
        assertSameImage(image, naiveBinMax(pixels, width: w, height: h, type: .uint16, outWidth: 16, outHeight: 12))
    }

    func testThePictureSizeRule() {
        // Region within the picture: 1:1.
        XCTAssertTrue(FrameKernels.pictureSize(regionWidth: 400, regionHeight: 400, areaWidth: 1000, areaHeight: 700,
                                               maxPixels: 1 << 20) == (400, 400))
        // Larger: fitted to the area.
        XCTAssertTrue(FrameKernels.pictureSize(regionWidth: 2000, regionHeight: 1000, areaWidth: 1000, areaHeight: 700,
                                               maxPixels: 1 << 20) == (1000, 500))
        // Capped by the board.
        let capped = FrameKernels.pictureSize(regionWidth: 4000, regionHeight: 4000, areaWidth: 2000, areaHeight: 2000,
                                              maxPixels: 1 << 20)
        XCTAssertTrue(capped == (1024, 1024), "\(capped)")
        XCTAssertTrue(FrameKernels.pictureSize(regionWidth: 0, regionHeight: 4, areaWidth: 10, areaHeight: 10, maxPixels: 100) == (0, 0))
    }
}
