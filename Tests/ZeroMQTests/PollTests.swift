import Foundation
import XCTest
import ZeroMQ

final class PollTests: XCTestCase {
    func testPollWakesWhenAnotherThreadWritesTheStopDescriptor() throws {
        let context = try ZMQContext()
        let pair = try makePair(context, .pull, .push, over: .inproc)
        let stop = try makePipe(self)
        let writeEnd = stop.write
        Thread.detachNewThread {
            usleep(50_000)
            var byte: UInt8 = 1
            _ = write(writeEnd, &byte, 1)
        }
        let start = Date()
        let ready = try ZMQPoll.wait([.socket(pair.bound), .fileDescriptor(stop.read)], timeoutMilliseconds: 5000)
        XCTAssertLessThan(Date().timeIntervalSince(start), 4, "woke by the pipe, not the timeout")
        XCTAssertEqual(ready, [[], .readable])
    }

    func testPollReportsAReadableSocket() throws {
        let context = try ZMQContext()
        let pair = try makePair(context, .pull, .push, over: .tcp)
        let stop = try makePipe(self)
        XCTAssertTrue(try pair.connected.send([5, 6]))
        let ready = try ZMQPoll.wait([.fileDescriptor(stop.read), .socket(pair.bound)], timeoutMilliseconds: 5000)
        XCTAssertEqual(ready, [[], .readable])
        XCTAssertEqual(try pair.bound.receive(dontWait: true)?.bytes, [5, 6])
    }

    func testPollTimesOutWithNoEventsWhenNothingIsReady() throws {
        let context = try ZMQContext()
        let pair = try makePair(context, .pull, .push, over: .inproc)
        let stop = try makePipe(self)
        let start = Date()
        let ready = try ZMQPoll.wait([.socket(pair.bound), .fileDescriptor(stop.read)], timeoutMilliseconds: 60)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.05)
        XCTAssertEqual(ready, [[], []])
    }

    func testPollOnAClosedSocketThrowsInsteadOfCrashing() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, .pull)
        socket.close()
        XCTAssertThrowsError(try ZMQPoll.wait([.socket(socket)], timeoutMilliseconds: 0)) { error in
            XCTAssertEqual((error as? ZMQError)?.isClosed, true)
            XCTAssertEqual((error as? ZMQError)?.call, "zmq_poll")
        }
    }
}
