import Processing
import SharedMemory
import TerminalUI
@testable import Viewer
import XCTest

/// True pixels (`--graphics`): the board's picture-sized image rides along for the picture,
/// and the text heatmap gets it reduced by the max rule to the display size, so everything
/// text (half blocks under the help overlay, cursor, marks, profile) works as before.
final class PictureTextImageTests: XCTestCase {
    private func image(_ pixels: [Float], width: Int, height: Int, marks: [UInt32] = []) -> DisplayImage {
        var image = DisplayImage(series: 1, frameNumber: 1, frameWidth: width, frameHeight: height, width: width, height: height,
                                 pixels: pixels, stats: FrameStats(sum: 0, min: 0, max: 0, mean: 0, masked: 0, count: 0),
                                 marks: marks)
        image.region = .whole(width: width, height: height)
        return image
    }

    func testThePictureIsReducedByItsMaximumAndKeptForThePicture() {
        // 8 × 4 with one hot pixel at (5, 2) and a masked one at (0, 0).
        var pixels = [Float](repeating: 1, count: 32)
        pixels[2 * 8 + 5] = 900
        pixels[0] = .nan
        let picture = image(pixels, width: 8, height: 4, marks: [ResultBoard.mark(x: 5, y: 2)])
        let text = picture.reduced(toWidth: 4, height: 2)
        XCTAssertEqual(text.width, 4)
        XCTAssertEqual(text.height, 2)
        XCTAssertEqual(text.pixels, [1, 1, 1, 1, 1, 1, 900, 1], "max of each 2 × 2; a masked pixel beside numbers is left out")
        // Bit for bit: NaN never equals itself.
        XCTAssertEqual(text.picture?.pixels.map(\.bitPattern), pixels.map(\.bitPattern), "the picture's own pixels ride along")
        XCTAssertEqual(text.picture?.width, 8)
        XCTAssertEqual(text.marks.map(ResultBoard.position(of:)).map { [$0.x, $0.y] }, [[2, 1]], "marks scaled with the pixels")
    }

    func testASmallPictureIsReplicatedForALargerTextImage() {
        // A 2 × 2 frame the display enlarges by 2, while the workers send it 1:1.
        let text = image([1, 2, 3, 4], width: 2, height: 2).reduced(toWidth: 4, height: 4)
        XCTAssertEqual(text.pixels, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
        XCTAssertEqual(text.picture?.pixels, [1, 2, 3, 4])
    }

    func testTheTextImageIsTheSizeTheWorkersWouldBinForHalfBlocks() {
        var state = ViewerState(source: "test")
        state.reduce(.resized(width: 120, height: 40))
        let area = state.heatmapArea
        let text = state.textImage(fromPicture: image([Float](repeating: 3, count: 400 * 300), width: 400, height: 300))
        let fit = FrameKernels.fitSize(frameWidth: 400, frameHeight: 300, areaWidth: area.width, areaHeight: area.height)
        XCTAssertEqual(text.width, fit.width)
        XCTAssertEqual(text.height, fit.height)
        XCTAssertEqual(text.picture?.width, 400)
        XCTAssertEqual(text.picture?.height, 300)
    }
}
