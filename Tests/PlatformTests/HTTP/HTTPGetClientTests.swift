import Foundation
import Glibc
import Platform
import XCTest

/// A loopback server that answers every connection with the same bytes (or, with nil, reads the
/// request and then says nothing), and keeps the requests it read. Test helper, one per test.
private final class CannedHTTPServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let answer: [UInt8]?
    private let lock = NSLock()
    private var received: [String] = []
    private var held: [Int32] = []
    private let done = DispatchSemaphore(value: 0)

    init(answer: [UInt8]?) throws {
        self.answer = answer
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        guard bound, listen(listener, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        Thread.detachNewThread { [self] in serve() }
    }

    var requests: [String] { lock.lock(); defer { lock.unlock() }; return received }

    private func serve() {
        defer { done.signal() }
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }   // the listener was shut down
            var request: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while !request.suffix(4).elementsEqual([13, 10, 13, 10]) {
                let n = recv(connection, &chunk, chunk.count, 0)
                if n <= 0 { break }
                request += chunk[0..<n]
            }
            lock.lock(); received.append(String(decoding: request, as: UTF8.self)); lock.unlock()
            guard let answer else {
                lock.lock(); held.append(connection); lock.unlock()
                continue
            }
            _ = answer.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(connection)
        }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        done.wait()
        close(listener)
        lock.lock(); held.forEach { close($0) }; lock.unlock()
    }
}

/// The monitor's HTTP client against a real loopback socket: an answer, and each way of getting none.
final class HTTPGetClientTests: XCTestCase {
    func testGetsStatusHeadersAndBodyAndSendsAWellFormedRequest() throws {
        let body = [UInt8](repeating: 0x5A, count: 300_000)   // several reads
        let server = try CannedHTTPServer(answer: Array("HTTP/1.1 200 OK\r\nETag: \"7\"\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
        defer { server.stop() }
        let client = HTTPGetClient(host: "127.0.0.1", port: server.port, timeoutSeconds: 5, maxBodyBytes: 1 << 20)
        let response = try client.get("/monitor/api/1.8.0/images/monitor", accept: "application/tiff")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("ETag"), "\"7\"")
        XCTAssertEqual(response.body, body)
        let request = try XCTUnwrap(server.requests.first)
        XCTAssertTrue(request.hasPrefix("GET /monitor/api/1.8.0/images/monitor HTTP/1.1\r\n"), request)
        XCTAssertTrue(request.contains("\r\nHost: 127.0.0.1:\(server.port)\r\n"), request)
        XCTAssertTrue(request.contains("\r\nAccept: application/tiff\r\n"), request)
        XCTAssertTrue(request.contains("\r\nConnection: close\r\n"), request)
    }

    func testNothingListeningIsARefusal() throws {
        let server = try CannedHTTPServer(answer: [])
        let port = server.port
        server.stop()   // the port was ours a moment ago and is closed now
        let client = HTTPGetClient(host: "127.0.0.1", port: port, timeoutSeconds: 2, maxBodyBytes: 1000)
        XCTAssertThrowsError(try client.get("/")) { XCTAssertEqual($0 as? HTTPClientError, .refused(host: "127.0.0.1", port: port)) }
    }

    func testAHostThatDoesNotResolveIsNamed() {
        let client = HTTPGetClient(host: "no-such-host.invalid", port: 80, timeoutSeconds: 2, maxBodyBytes: 1000)
        XCTAssertThrowsError(try client.get("/")) { XCTAssertEqual($0 as? HTTPClientError, .unresolvable(host: "no-such-host.invalid")) }
    }

    func testAPeerThatNeverAnswersTimesOutOnTime() throws {
        let server = try CannedHTTPServer(answer: nil)
        defer { server.stop() }
        let client = HTTPGetClient(host: "127.0.0.1", port: server.port, timeoutSeconds: 0.3, maxBodyBytes: 1000)
        let start = MonotonicClock.nanoseconds
        XCTAssertThrowsError(try client.get("/")) {
            XCTAssertEqual($0 as? HTTPClientError, .timedOut(host: "127.0.0.1", phase: "answer", seconds: 0.3))
        }
        let seconds = Double(MonotonicClock.nanoseconds - start) / 1e9
        XCTAssertGreaterThanOrEqual(seconds, 0.29)
        XCTAssertLessThan(seconds, 2)
    }

    func testTheStopDescriptorEndsAWaitAtOnce() throws {
        let server = try CannedHTTPServer(answer: nil)
        defer { server.stop() }
        let stop = try EventFD()
        try stop.signal()
        let client = HTTPGetClient(host: "127.0.0.1", port: server.port, timeoutSeconds: 30, maxBodyBytes: 1000)
        let start = MonotonicClock.nanoseconds
        XCTAssertThrowsError(try client.get("/", stopFD: stop.fd)) { XCTAssertEqual($0 as? HTTPClientError, .stopped) }
        XCTAssertLessThan(Double(MonotonicClock.nanoseconds - start) / 1e9, 5, "not the 30 s timeout")
    }

    func testABodyAboveTheBoundIsRefused() throws {
        let server = try CannedHTTPServer(answer: Array("HTTP/1.1 200 OK\r\nContent-Length: 72000000\r\n\r\n".utf8))
        defer { server.stop() }
        let client = HTTPGetClient(host: "127.0.0.1", port: server.port, timeoutSeconds: 5, maxBodyBytes: 1 << 20)
        XCTAssertThrowsError(try client.get("/")) { XCTAssertEqual($0 as? HTTPClientError, .tooLarge(bytes: 72_000_000, limit: 1 << 20)) }
    }
}
