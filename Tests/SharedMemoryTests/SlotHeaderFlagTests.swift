import SharedMemory
import XCTest

final class SlotHeaderFlagTests: XCTestCase {
    func testBigEndianAndIncompleteAreIndependentBits() {
        var h = SlotHeader()
        h.isBigEndian = true
        XCTAssertEqual(h.flags, SlotHeader.bigEndianFlag)
        XCTAssertFalse(h.isIncomplete)
        h.isIncomplete = true
        XCTAssertTrue(h.isBigEndian && h.isIncomplete)
        h.isBigEndian = false
        XCTAssertEqual(h.flags, SlotHeader.incompleteFlag)
        XCTAssertNotEqual(SlotHeader.bigEndianFlag, SlotHeader.incompleteFlag)
    }
}
