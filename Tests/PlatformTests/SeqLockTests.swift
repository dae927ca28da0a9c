import Foundation
import Platform
import XCTest

final class SeqLockTests: XCTestCase {
    func testWriteMakesTheSequenceEvenAndLarger() {
        let word = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        defer { word.deallocate() }
        word.initialize(to: 0)
        let lock = SeqLock<UInt64>(word: word)
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
        let lock = SeqLock<UInt64>(word: word)
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
        XCTAssertNil(SeqLock<UInt64>(word: word).read { sequence -> Int? in sequence == 0 ? nil : 1 })
    }

    /// A writer thread keeps writing a pair whose halves must match; a reader never sees them differ.
    func testReadersNeverSeeATornWrite() {
        let memory = UnsafeMutablePointer<UInt64>.allocate(capacity: 3)
        defer { memory.deallocate() }
        memory.initialize(repeating: 0, count: 3)
        let lock = SeqLock<UInt64>(word: memory)
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

final class SeqLockExclusiveWriterTests: XCTestCase {
    /// Two writers on a 32-bit word (the control block's shape): each write is whole, none is lost.
    func testConcurrentExclusiveWritersNeverOverlap() {
        let memory = UnsafeMutablePointer<UInt32>.allocate(capacity: 3)
        defer { memory.deallocate() }
        memory.initialize(repeating: 0, count: 3)
        let lock = SeqLock<UInt32>(word: memory)
        nonisolated(unsafe) let pair = memory + 1
        let perWriter = 20_000
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            for _ in 0..<perWriter {
                lock.writeExclusively {
                    let next = pair[0] &+ 1   // a plain read-modify-write: only safe if writers exclude each other
                    pair[0] = next
                    pair[1] = next &* 7
                }
            }
        }
        let copy = lock.read { _ in (pair[0], pair[1]) }
        XCTAssertEqual(copy?.value.0, UInt32(2 * perWriter), "no write lost")
        XCTAssertEqual(copy?.value.1, UInt32(2 * perWriter) &* 7)
        XCTAssertEqual(copy?.sequence, UInt32(4 * perWriter))
    }
}
