import SharedMemory
@testable import Viewer
import XCTest

/// Between two heatmap paints the latest frames read are combined by their maximum, so a
/// photon in a frame the budget kept off the screen is still shown by the next paint.
final class BoardReaderCombiningTests: XCTestCase {
    private func region() throws -> DetviewRegion {
        let layout = try RegionLayout(slotCount: 2, slotCapacity: 4096, maxWorkers: 1, boardMaxPixels: 100,
                                      resultCapacity: 8, maskCapacity: 10)
        return try DetviewRegion.create(layout: layout, name: "detview-test-boardreader")
    }

    private func publish(_ board: ResultBoard, sequence: UInt64, series: UInt64 = 1, pixels: [Float], width: Int = 2) {
        let header = BoardHeader(sequence: sequence, series: series, frameNumber: sequence, imageWidth: UInt32(width),
                                 imageHeight: UInt32(pixels.count / width), worker: 0)
        XCTAssertTrue(pixels.withUnsafeBufferPointer { board.publish(header: header, pixels: $0) })
    }

    func testFramesReadBetweenPaintsAreCombinedByTheirMaximum() throws {
        let board = try region().board
        var reader = BoardReader()
        publish(board, sequence: 1, pixels: [1, 9, .nan, 0])
        XCTAssertEqual(reader.latestImage(from: board)?.pixels.map { $0.isNaN ? -1 : $0 }, [1, 9, -1, 0])
        publish(board, sequence: 2, pixels: [5, 2, .nan, 0])
        let combined = try XCTUnwrap(reader.latestImage(from: board))
        XCTAssertEqual(combined.pixels.map { $0.isNaN ? -1 : $0 }, [5, 9, -1, 0], "the brightest of both, masked stays masked")
        XCTAssertEqual(combined.frameNumber, 2, "numbers and statistics are the latest frame's")
        XCTAssertNil(reader.latestImage(from: board), "nothing new on the board")

        reader.heatmapPainted()
        publish(board, sequence: 3, pixels: [0, 1, .nan, 2])
        XCTAssertEqual(reader.latestImage(from: board)?.pixels.map { $0.isNaN ? -1 : $0 }, [0, 1, -1, 2],
                       "after a paint the combining starts afresh")
    }

    func testANewSeriesOrShapeIsNotCombinedWithTheOldOne() throws {
        let board = try region().board
        var reader = BoardReader()
        publish(board, sequence: 1, pixels: [9, 9, 9, 9])
        _ = reader.latestImage(from: board)
        publish(board, sequence: 2, series: 2, pixels: [1, 1, 1, 1])
        XCTAssertEqual(reader.latestImage(from: board)?.pixels, [1, 1, 1, 1])
        publish(board, sequence: 3, series: 2, pixels: [2, 2, 2, 2, 2, 2], width: 3)
        XCTAssertEqual(reader.latestImage(from: board)?.pixels, [2, 2, 2, 2, 2, 2])
    }
}
