import Foundation
import XCTest
import ZeroMQ

final class ReceiveWaitingTests: XCTestCase {
    func testNonBlockingReceiveOnAnEmptySocketReturnsNil() throws {
        let context = try ZMQContext()
        let pair = try makePair(context, .pull, .push, over: .inproc)
        XCTAssertNil(try pair.bound.receive(dontWait: true))
        XCTAssertNil(try pair.bound.receiveMultipart(dontWait: true))
        XCTAssertTrue(try pair.connected.send([7]))
        XCTAssertEqual(try pair.bound.receive(dontWait: true)?.bytes, [7])
    }

    func testReceiveReturnsNilWhenTheReceiveTimeoutExpires() throws {
        let context = try ZMQContext()
        let pair = try makePair(context, .pull, .push, over: .tcp)
        try pair.bound.setReceiveTimeout(milliseconds: 150)
        let start = Date()
        XCTAssertNil(try pair.bound.receive())
        XCTAssertNil(try pair.bound.receiveMultipart())
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.28, "each call waited its timeout")
    }

    func testSendTimeoutReturnsFalseWhenNoPeerTakesTheMessage() throws {
        let context = try ZMQContext()
        let push = try ZMQSocket(context, .push)
        try push.setSendTimeout(milliseconds: 100)
        try push.bind("inproc://nobody")  // a bound PUSH without peers has nowhere to queue
        let start = Date()
        XCTAssertFalse(try push.send([1]))
        XCTAssertFalse(try push.sendMultipart([[1], [2]], dontWait: true))
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.09)
    }

    func testEdgeTriggeredFileDescriptorDrainReceivesAllQueuedMessages() throws {
        let context = try ZMQContext()
        let pair = try makePair(context, .pull, .push, over: .tcp)
        try pair.connected.setSendHighWaterMark(0)
        try pair.bound.setReceiveHighWaterMark(0)
        for index in 0..<1000 {
            XCTAssertTrue(try pair.connected.send(withUnsafeBytes(of: UInt32(index).littleEndian) { Array($0) }))
        }
        let fd = try pair.bound.fileDescriptor
        var received: [UInt32] = []
        while received.count < 1000 {
            var item = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&item, 1, 2000) == 1 else { break }
            // One wake-up may stand for many messages: drain until ZMQ_EVENTS stops saying readable.
            while try pair.bound.events.contains(.readable) {
                let message = try XCTUnwrap(try pair.bound.receive(dontWait: true))
                received.append(message.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self).littleEndian })
            }
        }
        XCTAssertEqual(received, (0..<1000).map(UInt32.init))
    }

    func testEventsReportWritableForAConnectedPushAndReadableOnlyWithAMessage() throws {
        let context = try ZMQContext()
        let pair = try makePair(context, .pull, .push, over: .inproc)
        XCTAssertTrue(try pair.connected.events.contains(.writable))
        XCTAssertFalse(try pair.bound.events.contains(.readable))
        XCTAssertTrue(try pair.connected.send([1]))
        XCTAssertTrue(try pair.bound.events.contains(.readable))
    }
}
