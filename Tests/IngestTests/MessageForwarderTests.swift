import Foundation
import Glibc
import Ingest
import XCTest
import ZeroMQ

/// The forward on its own, with real sockets: parts and boundaries kept, the received parts
/// left intact for the decoder, counters, waiting for the downstream, and a stop during a wait.
final class MessageForwarderTests: XCTestCase {
    private var context: ZMQContext!

    override func setUpWithError() throws { context = try ZMQContext(ioThreads: 1) }
    override func tearDown() { context.shutdown() }

    /// An upstream PUSH→PULL pair and the forwarder's downstream PULL.
    private func received(_ parts: [[UInt8]]) throws -> [ZMQMessage] {
        let push = try ZMQSocket(context, .push), pull = try ZMQSocket(context, .pull)
        try pull.bind("inproc://upstream-\(UInt64.random(in: 0...UInt64.max))")
        try push.connect(try pull.lastEndpoint)
        XCTAssertTrue(try push.sendMultipart(parts))
        return try XCTUnwrap(try pull.receiveMultipart())
    }

    func testEachMessageGoesDownstreamUnchangedAndStaysReadableHere() throws {
        let forwarder = try MessageForwarder(context: context, endpoint: "tcp://127.0.0.1:*")
        let writer = try ZMQSocket(context, .pull)
        try writer.setReceiveTimeout(milliseconds: 5000)
        try writer.connect(forwarder.counters.endpoint)
        XCTAssertFalse(forwarder.counters.endpoint.hasSuffix(":*"), "the bound port is named")
        let messages: [[[UInt8]]] = [[Array("header".utf8)], [[1], [], Array(repeating: 7, count: 100_000)], [[], []]]
        for message in messages {
            let parts = try received(message)
            XCTAssertTrue(try forwarder.forward(parts))
            XCTAssertEqual(parts.map(\.bytes), message, "the receiver still decodes what it forwarded")
        }
        for message in messages {
            XCTAssertEqual(try writer.receiveMultipart()?.map(\.bytes), message)
        }
        let snapshot = forwarder.counters.snapshot()
        XCTAssertEqual(snapshot.messages, 3)
        XCTAssertEqual(snapshot.bytes, UInt64(6 + 1 + 100_000))
        XCTAssertFalse(snapshot.waiting)
        forwarder.close()
    }

    func testWithNoDownstreamTheForwardWaitsCountsTheWaitAndEndsOnStop() throws {
        let forwarder = try MessageForwarder(context: context, endpoint: "tcp://127.0.0.1:*")
        // The receiver passes its stop eventfd; any readable descriptor does: a pipe here.
        var stop: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&stop), 0)
        defer { close(stop[0]); close(stop[1]) }
        let stopFD = stop[0]
        let parts = try received([Array("image".utf8), Array(repeating: 1, count: 4096)])
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Bool?
        let thread = Thread {
            result = try? forwarder.forward(parts, stopFD: stopFD)
            done.signal()
        }
        thread.start()
        XCTAssertEqual(done.wait(timeout: .now() + 0.3), .timedOut, "no file writer yet: the forward waits, it does not drop")
        let waiting = forwarder.counters.snapshot()
        XCTAssertTrue(waiting.waiting)
        XCTAssertGreaterThan(waiting.blockedNanoseconds, 200_000_000, "a wait in progress counts")
        XCTAssertEqual(write(stop[1], "x", 1), 1)
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success, "the stop ends the wait")
        XCTAssertEqual(result, false, "not forwarded: the viewer is quitting")
        let after = forwarder.counters.snapshot()
        XCTAssertFalse(after.waiting)
        XCTAssertEqual(after.messages, 0)
        XCTAssertGreaterThanOrEqual(after.blockedNanoseconds, waiting.blockedNanoseconds, "the whole wait is kept")
        forwarder.close()
    }

    func testAWaitEndsWhenTheFileWriterConnects() throws {
        let forwarder = try MessageForwarder(context: context, endpoint: "ipc://\(NSTemporaryDirectory())detview-fwd-\(getpid())")
        let parts = try received([Array("late reader".utf8)])
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            _ = try? forwarder.forward(parts)
            done.signal()
        }
        thread.start()
        XCTAssertEqual(done.wait(timeout: .now() + 0.2), .timedOut)
        let writer = try ZMQSocket(context, .pull)
        try writer.setReceiveTimeout(milliseconds: 5000)
        try writer.connect(forwarder.counters.endpoint)
        XCTAssertEqual(try writer.receiveMultipart()?.map(\.bytes), [Array("late reader".utf8)])
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(forwarder.counters.snapshot().messages, 1)
        forwarder.close()
    }

    func testAnEndpointThatCannotWorkIsRefused() {
        XCTAssertThrowsError(try MessageForwarder(context: context, endpoint: "tcp://127.0.0.1:99999")) { error in
            XCTAssertTrue("\(error)".contains("out of range"), "\(error)")
        }
    }
}
