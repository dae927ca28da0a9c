import Glibc
import XCTest
import ZeroMQ

final class ErrorTests: XCTestCase {
    /// The error thrown by `body`, or a test failure.
    private func zmqError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> ZMQError? {
        do {
            try body()
            XCTFail("no error thrown", file: file, line: line)
        } catch let error as ZMQError {
            return error
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
        return nil
    }

    func testConnectingToAMalformedEndpointThrowsAnErrorNamingCallAndEndpoint() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, .sub)
        let error = try XCTUnwrap(zmqError { try socket.connect("tcp://nonsense") })
        XCTAssertEqual(error.call, "zmq_connect")
        XCTAssertEqual(error.subject, "tcp://nonsense")
        XCTAssertTrue(error.description.hasPrefix("zmq_connect(tcp://nonsense): "), error.description)
        XCTAssertTrue(error.description.hasSuffix("(errno \(error.code))"), error.description)
    }

    func testBindingAMalformedOrUnknownEndpointThrows() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, .pull)
        XCTAssertEqual(zmqError { try socket.bind("tcp://nonsense") }?.call, "zmq_bind")
        let unknown = try XCTUnwrap(zmqError { try socket.bind("carrier-pigeon://loft") })
        XCTAssertEqual(unknown.code, EPROTONOSUPPORT)
    }

    func testBindingAPortAlreadyBoundThrowsAddressInUseNamingTheEndpoint() throws {
        let context = try ZMQContext()
        let first = try ZMQSocket(context, .pull)
        try first.bind("tcp://127.0.0.1:*")
        let endpoint = try first.lastEndpoint
        XCTAssertTrue(endpoint.hasPrefix("tcp://127.0.0.1:"), endpoint)
        XCTAssertNotEqual(endpoint, "tcp://127.0.0.1:*", "the wildcard port is resolved")

        let second = try ZMQSocket(context, .pull)
        let error = try XCTUnwrap(zmqError { try second.bind(endpoint) })
        XCTAssertEqual(error, ZMQError(call: "zmq_bind", code: EADDRINUSE, subject: endpoint))
        XCTAssertEqual(error.description, "zmq_bind(\(endpoint)): Address already in use (errno \(EADDRINUSE))")
    }

    func testAnInvalidOptionValueThrowsAnErrorNamingTheOption() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, .pull)
        let error = try XCTUnwrap(zmqError { try socket.setReceiveHighWaterMark(-1) })
        XCTAssertEqual(error, ZMQError(call: "zmq_setsockopt", code: EINVAL, subject: "ZMQ_RCVHWM"))
    }

    func testSubscribingOnAPushSocketIsRejected() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, .push)
        XCTAssertEqual(zmqError { try socket.subscribe() }?.subject, "ZMQ_SUBSCRIBE")
    }

    func testCloseIsIdempotentAndLaterCallsThrowClosed() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, .pull)
        try socket.bind("inproc://closing")
        XCTAssertFalse(socket.isClosed)
        socket.close()
        socket.close()
        XCTAssertTrue(socket.isClosed)
        XCTAssertEqual(zmqError { _ = try socket.receive(dontWait: true) }?.isClosed, true)
        XCTAssertEqual(zmqError { _ = try socket.send([1]) }?.isClosed, true)
        XCTAssertEqual(zmqError { _ = try socket.lastEndpoint }?.isClosed, true)
        XCTAssertEqual(zmqError { try socket.setLinger(milliseconds: 0) }?.isClosed, true)
    }

    func testEmptyMultipartAndNegativeSizesAreTypedErrorsNotCrashes() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, .push)
        XCTAssertEqual(zmqError { _ = try socket.sendMultipart([]) }?.code, EINVAL)
        XCTAssertEqual(zmqError { _ = try ZMQMessage(capacity: -1) }?.code, EINVAL)
        XCTAssertEqual(zmqError { _ = try ZMQContext(ioThreads: -1) }?.code, EINVAL)
    }

    func testErrorHelpersClassifyTheirCodes() {
        XCTAssertTrue(ZMQError(call: "zmq_msg_recv", code: EAGAIN).isAgain)
        XCTAssertTrue(ZMQError(call: "zmq_poll", code: EINTR).isInterrupted)
        XCTAssertFalse(ZMQError(call: "zmq_msg_recv", code: EINTR).isAgain)
        XCTAssertFalse(ZMQError(call: "zmq_msg_recv", code: EAGAIN).isTerminated)
        XCTAssertEqual(ZMQError(call: "zmq_ctx_new", code: ENOMEM).description, "zmq_ctx_new: Cannot allocate memory (errno \(ENOMEM))")
    }
}
