import XCTest
import ZeroMQ

final class PushPullTests: XCTestCase {
    func testSinglePartRoundTripOverEveryTransport() throws {
        let context = try ZMQContext()
        for transport in Transport.allCases {
            let pair = try makePair(context, .pull, .push, over: transport)
            let payload = pattern(count: 1000, seed: 7)
            XCTAssertTrue(try pair.connected.send(payload))
            let message = try XCTUnwrap(try pair.bound.receive(), "\(transport)")
            XCTAssertEqual(message.bytes, payload, "\(transport)")
            XCTAssertFalse(message.hasMore, "\(transport)")
        }
    }

    func testMultipartRoundTripKeepsPartsAndEmptyPartsOverEveryTransport() throws {
        let context = try ZMQContext()
        for transport in Transport.allCases {
            let pair = try makePair(context, .pull, .push, over: transport)
            let parts: [[UInt8]] = [Array("header".utf8), [], pattern(count: 70_000, seed: 3), [42]]
            XCTAssertTrue(try pair.connected.sendMultipart(parts))
            let received = try XCTUnwrap(try pair.bound.receiveMultipart(), "\(transport)")
            XCTAssertEqual(received.map(\.bytes), parts, "\(transport)")
            XCTAssertEqual(received.map(\.hasMore), [true, true, true, false], "\(transport)")
        }
    }

    func testPartsSentWithMoreArriveAsOneMultipartMessage() throws {
        let context = try ZMQContext()
        let pair = try makePair(context, .pull, .push, over: .inproc)
        XCTAssertTrue(try pair.connected.send([1], more: true))
        let raw: [UInt8] = [2, 3]
        XCTAssertTrue(try raw.withUnsafeBytes { buffer throws(ZMQError) in try pair.connected.send(buffer) })
        XCTAssertTrue(try pair.connected.send([9]))
        XCTAssertEqual(try pair.bound.receiveMultipart()?.map(\.bytes), [[1], [2, 3]])
        XCTAssertEqual(try pair.bound.receiveMultipart()?.map(\.bytes), [[9]])
    }

    func testFourMebibyteMessageArrivesIntactOverIpcAndTcp() throws {
        let context = try ZMQContext()
        let payload = pattern(count: 4 << 20, seed: 11)
        for transport in [Transport.ipc, .tcp] {
            let pair = try makePair(context, .pull, .push, over: transport)
            XCTAssertTrue(try pair.connected.send(payload))
            let message = try XCTUnwrap(try pair.bound.receive(), "\(transport)")
            XCTAssertEqual(message.count, payload.count, "\(transport)")
            let same = message.withUnsafeBytes { received in
                payload.withUnsafeBytes { expected in sameBytes(received, expected) }
            }
            XCTAssertTrue(same, "\(transport): contents differ")
        }
    }

    func testZeroCopySendOfAFilledMessageLeavesItEmpty() throws {
        let context = try ZMQContext()
        let pair = try makePair(context, .pull, .push, over: .tcp)
        let payload = pattern(count: 100_000, seed: 5)
        let message = try ZMQMessage(capacity: payload.count)
        message.withUnsafeMutableBytes { $0.copyBytes(from: payload) }
        XCTAssertTrue(try pair.connected.send(message, more: false, dontWait: false))
        XCTAssertEqual(message.count, 0, "libzmq took the content over")
        XCTAssertEqual(try pair.bound.receive()?.bytes, payload)
    }

    func testReceiveIntoReusesOneMessageObject() throws {
        let context = try ZMQContext()
        let pair = try makePair(context, .pull, .push, over: .inproc)
        XCTAssertTrue(try pair.connected.send(pattern(count: 5000)))
        XCTAssertTrue(try pair.connected.send([1, 2]))
        let message = ZMQMessage()
        XCTAssertTrue(try pair.bound.receive(into: message))
        XCTAssertEqual(message.bytes, pattern(count: 5000))
        XCTAssertTrue(try pair.bound.receive(into: message))
        XCTAssertEqual(message.bytes, [1, 2])
        XCTAssertFalse(try pair.bound.receive(into: message, dontWait: true))
    }
}
