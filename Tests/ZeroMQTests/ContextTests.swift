import Foundation
import Synchronization
import XCTest
import ZeroMQ

final class ContextTests: XCTestCase {
    func testVersionIsTheLinkedLibzmqOfAtLeast4_3() {
        let version = ZMQContext.version
        XCTAssertGreaterThanOrEqual(version.major * 100 + version.minor, 403, "\(version)")
    }

    func testReleasingContextWithUndeliverableMessagesDoesNotHang() throws {
        let finished = expectation(description: "context terminated")
        let queued = Mutex(false)
        Thread.detachNewThread {
            do {
                let context = try ZMQContext()
                let push = try ZMQSocket(context, .push)
                // Nobody listens on port 1: the message waits in the queue forever.
                try push.connect("tcp://127.0.0.1:1")
                let sent = try push.send(pattern(count: 100), dontWait: true)
                queued.withLock { $0 = sent }
            } catch {
                XCTFail("\(error)")
            }
            finished.fulfill()  // reached only after the socket and zmq_ctx_term returned
        }
        wait(for: [finished], timeout: 5)
        XCTAssertTrue(queued.withLock { $0 }, "the message was queued, so linger mattered")
    }

    func testShutdownWakesABlockedReceiveInAnotherThreadWithTerminated() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, .pull)
        try socket.bind("inproc://shutdown")
        let outcome = Mutex<ZMQError?>(nil)
        let finished = expectation(description: "receive returned")
        Thread.detachNewThread { [socket] in
            // From here on this thread owns the socket.
            do throws(ZMQError) {
                _ = try socket.receive()
            } catch {
                outcome.withLock { $0 = error }
            }
            socket.close()
            finished.fulfill()
        }
        usleep(50_000)
        context.shutdown()
        wait(for: [finished], timeout: 5)
        let error = try XCTUnwrap(outcome.withLock { $0 })
        XCTAssertTrue(error.isTerminated, "\(error)")
        XCTAssertEqual(error.call, "zmq_msg_recv")
    }
}
