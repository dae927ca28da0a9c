import XCTest
import ZeroMQ

final class MessageTests: XCTestCase {
    func testEmptyMessageHasNoBytes() {
        let message = ZMQMessage()
        XCTAssertEqual(message.count, 0)
        XCTAssertEqual(message.bytes, [])
        XCTAssertFalse(message.hasMore)
    }

    func testCopyingInitialisersHoldTheGivenBytes() throws {
        let payload = pattern(count: 300, seed: 1)
        XCTAssertEqual(try ZMQMessage(copying: payload).bytes, payload)
        let fromBuffer = try payload.withUnsafeBytes { buffer throws(ZMQError) in try ZMQMessage(copying: buffer) }
        XCTAssertEqual(fromBuffer.count, 300)
        XCTAssertEqual(fromBuffer.bytes, payload)
        // Small messages live inside zmq_msg_t itself: the class must keep them at a stable address.
        XCTAssertEqual(try ZMQMessage(copying: [1, 2, 3]).bytes, [1, 2, 3])
        XCTAssertEqual(try ZMQMessage(copying: []).count, 0)
    }

    func testFilledMessageKeepsWhatWasWritten() throws {
        let message = try ZMQMessage(capacity: 4)
        message.withUnsafeMutableBytes { $0.copyBytes(from: [9, 8, 7, 6]) }
        XCTAssertEqual(message.bytes, [9, 8, 7, 6])
    }

    func testSharingAMessageSharesItsBytesWithoutCopying() throws {
        let original = try ZMQMessage(copying: pattern(count: 1 << 20))
        let shared = try ZMQMessage(sharing: original)
        let originalAddress = original.withUnsafeBytes { $0.baseAddress }
        XCTAssertEqual(shared.withUnsafeBytes { $0.baseAddress }, originalAddress)
        XCTAssertEqual(shared.count, 1 << 20)
    }

    func testSharedCopiesCanBeSentRepeatedlyWhileTheOriginalStays() throws {
        let context = try ZMQContext()
        let pair = try makePair(context, .pull, .push, over: .ipc)
        let payload = pattern(count: 256 * 1024, seed: 4)
        let original = try ZMQMessage(copying: payload)
        for _ in 0..<3 {
            XCTAssertTrue(try pair.connected.send(try ZMQMessage(sharing: original), more: false, dontWait: false))
        }
        for _ in 0..<3 {
            XCTAssertEqual(try pair.bound.receive()?.bytes, payload)
        }
        XCTAssertEqual(original.bytes, payload)
    }
}
