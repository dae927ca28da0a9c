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

    /// A forwarder reuses one message: each `share` replaces the content (the old one released)
    /// with a reference to a received part, a successful send empties it again, and the received
    /// part keeps its bytes for the decoder.
    func testOneReusedMessageSharesEachReceivedPartAndSendingEmptiesIt() throws {
        let context = try ZMQContext()
        let upstream = try makePair(context, .pull, .push, over: .ipc)
        let downstream = try makePair(context, .pull, .push, over: .ipc)
        let parts = [pattern(count: 64 * 1024, seed: 7), [1, 2, 3], pattern(count: 100, seed: 8)]
        XCTAssertTrue(try upstream.connected.sendMultipart(parts))
        let received = try XCTUnwrap(try upstream.bound.receiveMultipart())
        let scratch = ZMQMessage()
        for (index, part) in received.enumerated() {
            try scratch.share(part)
            XCTAssertEqual(scratch.count, part.count)
            if part.count > 64 {   // not kept inside zmq_msg_t: the very same bytes, not a copy
                XCTAssertEqual(scratch.withUnsafeBytes { $0.baseAddress }, part.withUnsafeBytes { $0.baseAddress })
            }
            XCTAssertTrue(try downstream.connected.send(scratch, more: index < received.count - 1))
            XCTAssertEqual(scratch.count, 0, "sent: the reused message is empty again")
        }
        XCTAssertEqual(received.map(\.bytes), parts, "the received parts keep their bytes")
        XCTAssertEqual(try downstream.bound.receiveMultipart()?.map(\.bytes), parts)
    }
}
