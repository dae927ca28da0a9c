import XCTest
@testable import SharedMemory

/// The pure rules that turn `--ring-bytes` into slots, and the default budget.
final class RingSizingTests: XCTestCase {
    private let mib = 1 << 20
    private let gib = 1 << 30

    func testSmallFramesGetManySlotsCappedByTheTable() {
        let slot = RingSizing.slotBytes(forFrameBytes: 1_000_000, maxFrameBytes: 80 * mib)
        XCTAssertGreaterThanOrEqual(slot, 1_000_000)
        XCTAssertLessThan(slot, 1_000_000 + 16 * 1024, "a slot is the frame plus a little")
        XCTAssertEqual(slot % 4096, 0)
        XCTAssertEqual(RingSizing.slotCount(ringBytes: 512 * mib, slotBytes: slot, maxSlots: 1024), 512 * mib / slot)
        XCTAssertEqual(RingSizing.slotCount(ringBytes: 4 * gib, slotBytes: slot, maxSlots: 1024), 1024,
                       "the table bounds the count however small the frames")
    }

    func testLargeFramesGetFewSlots() {
        let slot = RingSizing.slotBytes(forFrameBytes: 72_000_000, maxFrameBytes: 80 * mib)
        XCTAssertEqual(RingSizing.slotCount(ringBytes: 4 * gib, slotBytes: slot, maxSlots: 1024), 4 * gib / slot)
        XCTAssertLessThan(4 * gib / slot, 60)
        XCTAssertEqual(RingSizing.slotCount(ringBytes: slot, slotBytes: slot, maxSlots: 1024), 1)
    }

    func testASlotHoldsAnLZ4PayloadLargerThanItsFrameButNeverMoreThanTheLargestFrame() {
        for frame in [4096, 320_000, 1_000_000, 8_388_608] {
            let worstLZ4 = frame + frame / 255 + 16
            XCTAssertGreaterThanOrEqual(RingSizing.slotBytes(forFrameBytes: frame, maxFrameBytes: 80 * mib), worstLZ4)
        }
        XCTAssertEqual(RingSizing.slotBytes(forFrameBytes: 80 * mib, maxFrameBytes: 80 * mib), 80 * mib)
        XCTAssertEqual(RingSizing.slotBytes(forFrameBytes: 200 * mib, maxFrameBytes: 80 * mib), 80 * mib)
    }

    func testDefaultBudgetIsAnEighthOfAvailableMemoryAtMost4GiBAtLeastFourLargestFrames() {
        XCTAssertEqual(RingSizing.defaultRingBytes(availableMemory: 16 * gib, maxFrameBytes: 80 * mib), 2 * gib)
        XCTAssertEqual(RingSizing.defaultRingBytes(availableMemory: 256 * gib, maxFrameBytes: 80 * mib), 4 * gib)
        XCTAssertEqual(RingSizing.defaultRingBytes(availableMemory: 1 * gib, maxFrameBytes: 80 * mib), 320 * mib)
        XCTAssertEqual(RingSizing.defaultRingBytes(availableMemory: 0, maxFrameBytes: 1 * mib), 4 * mib)
    }

    func testMinimumBudgetHoldsTwoLargestFrames() {
        XCTAssertEqual(RingSizing.minimumRingBytes(maxFrameBytes: 80 * mib), 160 * mib)
        XCTAssertEqual(RingSizing.minimumRingBytes(maxFrameBytes: 5000), 2 * 8192)
    }

    func testByteSizesParseWithBinarySuffixes() {
        let cases: [(String, Int)] = [("512M", 512 * mib), ("2G", 2 * gib), ("1048576", mib), ("1.5G", 3 * gib / 2),
                                      ("300k", 300 * 1024), ("2GiB", 2 * gib), ("64MB", 64 * mib), (" 1T ", 1 << 40),
                                      ("4096B", 4096)]
        for (text, bytes) in cases { XCTAssertEqual(RingSizing.parseByteSize(text), bytes, text) }
        for bad in ["", "M", "abc", "-1", "0", "5X", "1e9", "2 G G", "1..5G", "inf"] {
            XCTAssertNil(RingSizing.parseByteSize(bad), bad)
        }
    }

    func testAvailableMemoryIsMemAvailableOfMeminfo() {
        let meminfo = "MemTotal:       16314324 kB\nMemFree:         1203448 kB\nMemAvailable:    9876543 kB\nBuffers: 1 kB\n"
        XCTAssertEqual(RingSizing.memAvailable(fromMeminfo: meminfo), 9_876_543 * 1024)
        XCTAssertNil(RingSizing.memAvailable(fromMeminfo: "MemTotal: 1 kB\n"))
        XCTAssertGreaterThan(RingSizing.availableMemory(), 0, "this machine has some")
    }
}
