import Glibc
import XCTest
@testable import SharedMemory

final class ResultBoardTests: XCTestCase {
    private static func image(sequence: UInt64, width: Int, height: Int, worker: UInt32 = 0) -> (BoardHeader, [Float]) {
        let header = BoardHeader(sequence: sequence, frameNumber: sequence * 10, imageWidth: UInt32(width),
                                 imageHeight: UInt32(height), worker: worker)
        return (header, [Float](repeating: Float(sequence), count: width * height))
    }

    @discardableResult
    private func publish(_ board: ResultBoard, sequence: UInt64, width: Int = 4, height: Int = 3,
                         worker: UInt32 = 0) -> Bool {
        let (header, pixels) = Self.image(sequence: sequence, width: width, height: height, worker: worker)
        return pixels.withUnsafeBufferPointer { board.publish(header: header, pixels: $0) }
    }

    func testEmptyBoardReadsNil() throws {
        let board = try makeRegion().board
        var pixels: [Float] = []
        XCTAssertNil(board.read(into: &pixels))
        XCTAssertEqual(board.version, 0)
    }

    func testLatestSequenceWins() throws {
        let board = try makeRegion().board
        XCTAssertTrue(publish(board, sequence: 5))
        XCTAssertFalse(publish(board, sequence: 3))
        XCTAssertFalse(publish(board, sequence: 5))
        var pixels: [Float] = []
        XCTAssertEqual(board.read(into: &pixels)?.sequence, 5)
        XCTAssertEqual(pixels, [Float](repeating: 5, count: 12))
        XCTAssertTrue(publish(board, sequence: 6, width: 2, height: 2))
        XCTAssertEqual(board.read(into: &pixels)?.frameNumber, 60)
        XCTAssertEqual(pixels, [6, 6, 6, 6])
        XCTAssertEqual(board.version, 2)
        XCTAssertEqual(board.rejected, 2)
        XCTAssertEqual(board.latestSequence, 6)
    }

    /// An image's marks travel with it: up to `maxMarks` of them, the rest dropped, and a
    /// newer image without marks leaves none behind.
    func testMarksTravelWithTheirImageUpToTheLimit() throws {
        let board = try makeRegion().board
        let (header, pixels) = Self.image(sequence: 1, width: 4, height: 3)
        let marks = (0..<(ResultBoard.maxMarks + 5)).map { ResultBoard.mark(x: $0 % 4, y: $0 % 3) }
        XCTAssertTrue(pixels.withUnsafeBufferPointer { p in marks.withUnsafeBufferPointer { board.publish(header: header, pixels: p, marks: $0) } })
        var image: [Float] = [], read: [UInt32] = []
        XCTAssertEqual(board.read(into: &image, marks: &read)?.markCount, UInt32(ResultBoard.maxMarks))
        XCTAssertEqual(read, Array(marks.prefix(ResultBoard.maxMarks)))
        XCTAssertTrue(ResultBoard.position(of: read[7]) == (3, 1))
        publish(board, sequence: 2)
        XCTAssertEqual(board.read(into: &image, marks: &read)?.markCount, 0)
        XCTAssertEqual(read, [])
    }

    func testImageNotMatchingItsHeaderOrTooLargeIsRefused() throws {
        let board = try makeRegion(boardMaxPixels: 100).board
        let header = BoardHeader(sequence: 1, imageWidth: 4, imageHeight: 4)
        let pixels = [Float](repeating: 1, count: 15)
        XCTAssertFalse(pixels.withUnsafeBufferPointer { board.publish(header: header, pixels: $0) })
        XCTAssertFalse(publish(board, sequence: 2, width: 11, height: 10))
        XCTAssertTrue(publish(board, sequence: 3, width: 10, height: 10))
    }

    func testWriterFillsTheBackBufferAndLeavesTheFrontIntact() throws {
        let region = try makeRegion()
        let board = region.board
        publish(board, sequence: 1)
        let boardBase = region.region.base + region.layout.boardOffset
        func bufferValue(_ index: Int) -> Float {
            (boardBase + RegionLayout.boardHeaderSize + index * region.layout.boardBufferStride
                + RegionLayout.boardBufferHeaderSize).assumingMemoryBound(to: Float.self).pointee
        }
        let firstFront = Int(word64(boardBase, 16).pointee)
        publish(board, sequence: 2)
        let secondFront = Int(word64(boardBase, 16).pointee)
        XCTAssertNotEqual(firstFront, secondFront)
        XCTAssertEqual(bufferValue(firstFront), 1, "the previous front buffer must be untouched")
        XCTAssertEqual(bufferValue(secondFront), 2)
    }

    func testLockOfADeadWriterCanBeBrokenAndItsHalfWrittenBufferIsNeverRead() throws {
        let region = try makeRegion()
        let board = region.board
        publish(board, sequence: 1)
        let boardBase = region.region.base + region.layout.boardOffset
        // Worker 2 died inside publish: lock held, back buffer marked odd.
        word32(boardBase, 0).pointee = 3
        let back = Int(word64(boardBase, 16).pointee + 1) & 1
        let backSequence = word64(boardBase + RegionLayout.boardHeaderSize + back * region.layout.boardBufferStride, 0)
        backSequence.pointee |= 1
        var pixels: [Float] = []
        XCTAssertEqual(board.read(into: &pixels)?.sequence, 1)
        XCTAssertFalse(board.breakLock(heldBy: 1))
        XCTAssertTrue(board.breakLock(heldBy: 2))
        XCTAssertTrue(publish(board, sequence: 2))
        XCTAssertEqual(backSequence.pointee & 1, 0)
        XCTAssertEqual(board.read(into: &pixels)?.sequence, 2)
        XCTAssertEqual(pixels, [Float](repeating: 2, count: 12))
    }

    /// Two writers racing with a reader: every read image is whole (all its pixels equal its
    /// sequence, its size matches its header) and reads never go back in sequence.
    func testReadsAreNeverTornUnderConcurrentWriters() throws {
        let board = try makeRegion(boardMaxPixels: 64 * 64).board
        let problems = Collected<String>()
        let done = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        done.initialize(to: 0)
        defer { done.deallocate() }
        let doneBox = PointerBox(done)
        let writer: @Sendable (UInt64) -> Void = { parity in
            var sequence = parity
            while sequence < 6000 {
                let side = sequence % 3 == 0 ? 64 : 40
                let (header, pixels) = Self.image(sequence: sequence, width: side, height: side - 8,
                                                  worker: UInt32(parity))
                _ = pixels.withUnsafeBufferPointer { board.publish(header: header, pixels: $0) }
                sequence += 2
            }
            doneBox.pointer.atomicAdd(1)
        }
        runConcurrently([
            { writer(1) },
            { writer(2) },
            {
                var pixels: [Float] = []
                var last: UInt64 = 0
                var found: [String] = []
                var reads = 0
                while doneBox.pointer.atomicLoad() < 2 || reads < 100 {
                    reads += 1
                    guard let header = board.read(into: &pixels) else { continue }
                    if pixels.count != header.imagePixelCount { found.append("size \(header.sequence)") }
                    if pixels.contains(where: { $0 != Float(header.sequence) }) { found.append("torn \(header.sequence)") }
                    if header.sequence < last { found.append("went back \(last) → \(header.sequence)") }
                    last = header.sequence
                }
                problems.append(contentsOf: found)
            },
        ])
        XCTAssertEqual(problems.items, [])
        var pixels: [Float] = []
        XCTAssertGreaterThanOrEqual(board.read(into: &pixels)?.sequence ?? 0, 5998)
    }
}

/// Lets a test share a raw word between threads.
struct PointerBox: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<UInt64>
    init(_ pointer: UnsafeMutablePointer<UInt64>) { self.pointer = pointer }
}
