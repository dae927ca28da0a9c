import XCTest
import ZeroMQ

final class PubSubTests: XCTestCase {
    private let probe = Array("frame-probe".utf8)

    func testSubscriberReceivesSingleAndMultipartMessagesOverEveryTransport() throws {
        let context = try ZMQContext()
        for transport in Transport.allCases {
            let pair = try makePair(context, .pub, .sub, over: transport)
            try pair.connected.subscribe(Array("frame".utf8))
            try waitUntilSubscribed(publisher: pair.bound, subscriber: pair.connected, probe: probe)

            let single = Array("frame-1".utf8) + pattern(count: 3000)
            XCTAssertTrue(try pair.bound.send(single))
            XCTAssertEqual(try receiveSkipping(probe, from: pair.connected), [single], "\(transport)")

            let parts: [[UInt8]] = [Array("frame-2".utf8), Array("{\"htype\":\"x\"}".utf8), pattern(count: 50_000, seed: 9)]
            XCTAssertTrue(try pair.bound.sendMultipart(parts))
            XCTAssertEqual(try receiveSkipping(probe, from: pair.connected), parts, "\(transport)")
        }
    }

    func testSubscriberGetsOnlyMessagesStartingWithItsPrefix() throws {
        let context = try ZMQContext()
        let pair = try makePair(context, .pub, .sub, over: .tcp)
        try pair.connected.subscribe(Array("frame".utf8))
        try waitUntilSubscribed(publisher: pair.bound, subscriber: pair.connected, probe: probe)
        XCTAssertTrue(try pair.bound.send(Array("other-1".utf8)))
        XCTAssertTrue(try pair.bound.send(Array("frame-2".utf8)))
        XCTAssertEqual(try receiveSkipping(probe, from: pair.connected), [Array("frame-2".utf8)])
    }

    func testXPubReceivesTheSubscriptionMessage() throws {
        let context = try ZMQContext()
        let pair = try makePair(context, .xpub, .sub, over: .tcp)
        try pair.connected.subscribe(Array("abc".utf8))
        // XPUB hands subscriptions up as a part: byte 1 (subscribe) followed by the prefix.
        XCTAssertEqual(try pair.bound.receive()?.bytes, [1] + Array("abc".utf8))
    }

    func testXPubNoDropMakesANonBlockingSendFailInsteadOfDropping() throws {
        let context = try ZMQContext()
        let publisher = try ZMQSocket(context, .xpub)
        let subscriber = try ZMQSocket(context, .sub)
        try publisher.setSendHighWaterMark(4)
        try publisher.setXPubNoDrop(true)
        try subscriber.setReceiveHighWaterMark(4)
        try publisher.setReceiveTimeout(milliseconds: 5000)
        try subscriber.setReceiveTimeout(milliseconds: 1000)
        try publisher.bind("inproc://nodrop")
        try subscriber.connect("inproc://nodrop")
        try subscriber.subscribe()
        XCTAssertEqual(try publisher.receive()?.bytes, [1], "subscription arrived")

        var accepted = 0
        while accepted < 10_000, try publisher.send([UInt8(truncatingIfNeeded: accepted)], dontWait: true) {
            accepted += 1
        }
        XCTAssertLessThan(accepted, 10_000, "send never reported back-pressure")
        XCTAssertGreaterThanOrEqual(accepted, 4)

        // Every accepted message is delivered, in order: nothing was dropped.
        for index in 0..<accepted {
            XCTAssertEqual(try subscriber.receive()?.bytes, [UInt8(truncatingIfNeeded: index)])
        }
        XCTAssertNil(try subscriber.receive(dontWait: true))
    }

    func testPubWithoutNoDropDropsSilentlyAtTheHighWaterMark() throws {
        let context = try ZMQContext()
        let publisher = try ZMQSocket(context, .xpub)
        let subscriber = try ZMQSocket(context, .sub)
        try publisher.setSendHighWaterMark(4)
        try subscriber.setReceiveHighWaterMark(4)
        try publisher.setReceiveTimeout(milliseconds: 5000)
        try publisher.bind("inproc://drop")
        try subscriber.connect("inproc://drop")
        try subscriber.subscribe()
        XCTAssertEqual(try publisher.receive()?.bytes, [1])

        for index in 0..<1000 {
            XCTAssertTrue(try publisher.send([UInt8(truncatingIfNeeded: index)], dontWait: true))
        }
        var delivered = 0
        while try subscriber.receive(dontWait: true) != nil { delivered += 1 }
        XCTAssertLessThan(delivered, 1000, "the high-water mark should have dropped messages")
    }
}
