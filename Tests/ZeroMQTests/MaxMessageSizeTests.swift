import XCTest
import ZeroMQ

final class MaxMessageSizeTests: XCTestCase {
    func testOversizedMessageIsDroppedWhileOnesAtTheLimitArrive() throws {
        for transport in [Transport.tcp, .ipc] {
            let context = try ZMQContext()
            let pull = try ZMQSocket(context, .pull)
            try pull.setMaxMessageSize(1024)
            try pull.setReceiveTimeout(milliseconds: 5000)
            try pull.bind(freshEndpoint(transport))
            let push = try ZMQSocket(context, .push)
            try push.connect(try pull.lastEndpoint)

            XCTAssertTrue(try push.send(pattern(count: 1024)))
            XCTAssertEqual(try pull.receive()?.bytes, pattern(count: 1024), "\(transport): at the limit")

            // libzmq drops the connection on the announced size, before allocating the part.
            XCTAssertTrue(try push.send(pattern(count: 1025)))
            try pull.setReceiveTimeout(milliseconds: 300)
            XCTAssertNil(try pull.receive(), "\(transport): the oversized message must not be delivered")
        }
    }
}
