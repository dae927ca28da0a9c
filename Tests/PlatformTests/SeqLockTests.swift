import Foundation
import Platform
import XCTest

final class SeqLockTests: XCTestCase {
    func testWriteMakesTheSequenceEvenAndLarger() {
        let word = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        defer { word.deallocate() }
        word.initialize(to: 0)
        let lock = SeqLock(word: word)
        XCTAssertEqual(lock.sequence, 0, "never written")
        var seenInside: UInt64 = 0
        XCTAssertEqual(lock.write { seenInside = word.pointee }, 2)
        XCTAssertEqual(seenInside & 1, 1, "odd while the write runs")
        XCTAssertEqual(lock.write {}, 4)
    }

    func testAWriterThatDiedMidWriteLeavesReadersWaitingUntilTheNextWriteEnds() {
        let word = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        defer { word.deallocate() }
        word.initialize(to: 7)   // odd: a writer died inside
        let lock = SeqLock(word: word)
        XCTAssertNil(lock.tryRead { _ in 1 }, "no read while odd")
        var oddOnEntry = false
        lock.write { oddOnEntry = word.pointee == 7 }
        XCTAssertTrue(oddOnEntry, "an odd word stays odd on entry, never flipped even mid-write")
        XCTAssertEqual(lock.tryRead { $0 }?.sequence, 8)
    }

    func testReadGivesUpWhenTheBodySaysEmpty() {
        let word = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        defer { word.deallocate() }
        word.initialize(to: 0)
        XCTAssertNil(SeqLock(word: word).read { sequence -> Int? in sequence == 0 ? nil : 1 })
    }

    /// A writer thread keeps writing a pair whose halves must match; a reader never sees them differ.
    func testReadersNeverSeeATornWrite() {
        let memory = UnsafeMutablePointer<UInt64>.allocate(capacity: 3)
        defer { memory.deallocate() }
        memory.initialize(repeating: 0, count: 3)
        let lock = SeqLock(word: memory)
        nonisolated(unsafe) let pair = memory + 1
        let rounds = 200_000
        let writer = Thread {
            for i in 1...UInt64(rounds) {
                lock.write {
                    pair[0] = i
                    pair[1] = i &* 3
                }
            }
        }
        writer.stackSize = 1 << 20
        writer.start()
        var reads = 0
        while !writer.isFinished || reads == 0 {
            if let copy = lock.read({ _ in (pair[0], pair[1]) }) {
                XCTAssertEqual(copy.value.1, copy.value.0 &* 3, "a whole copy")
                XCTAssertEqual(copy.sequence & 1, 0)
                if copy.value.1 != copy.value.0 &* 3 { break }
            }
            reads += 1
        }
        let last = lock.read { _ in (pair[0], pair[1]) }
        XCTAssertEqual(last?.value.0, UInt64(rounds))
        XCTAssertEqual(last?.sequence, UInt64(rounds) * 2)
    }
}
