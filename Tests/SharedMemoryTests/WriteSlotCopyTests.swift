import XCTest
@testable import SharedMemory

/// The receiver's copy into a slot: plain below `streamingCopyBytes`, streaming stores from
/// there on; both give the payload byte for byte, whatever the alignment and length.
final class WriteSlotCopyTests: XCTestCase {
    private func copied(count: Int, sourceOffset: Int, capacity: Int) throws -> (expected: [UInt8], slot: [UInt8]) {
        let ring = try makeRegion(slotCount: 1, slotCapacity: capacity).ring
        let slot = try XCTUnwrap(ring.acquireForWriting())
        memset(slot.payload.baseAddress!, 0xEE, slot.payload.count)
        let source = (0..<(count + sourceOffset)).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        source.withUnsafeBytes { bytes in
            slot.copyPayload(from: UnsafeRawBufferPointer(rebasing: bytes[sourceOffset...]))
        }
        return (Array(source[sourceOffset...]), Array(slot.payload))
    }

    func testSmallAndLargePayloadsArriveByteForByteAtAnyAlignment() throws {
        let large = WriteSlot.streamingCopyBytes
        for (count, offset) in [(0, 0), (1, 3), (4095, 1), (large - 1, 5), (large, 0), (large + 61, 7), (3 * large + 13, 9)] {
            let capacity = 4 * large
            let (expected, slot) = try copied(count: count, sourceOffset: offset, capacity: capacity)
            XCTAssertEqual(Array(slot[..<count]), expected, "\(count) bytes from offset \(offset)")
            XCTAssertTrue(slot[count...].allSatisfy { $0 == 0xEE }, "\(count) bytes: nothing written past the payload")
        }
    }

    func testAPayloadLargerThanTheSlotIsCutToItsCapacity() throws {
        let capacity = WriteSlot.streamingCopyBytes * 2
        let (expected, slot) = try copied(count: capacity + 100, sourceOffset: 0, capacity: capacity)
        XCTAssertEqual(slot.count, capacity)
        XCTAssertEqual(slot, Array(expected[..<capacity]))
    }
}
