import Platform
import XCTest

/// The three ways an HTTP/1.1 body is framed, fed in pieces, and every bound and broken answer.
final class HTTPResponseParserTests: XCTestCase {
    private func parser(maxBody: Int = 1000) -> HTTPResponseParser {
        HTTPResponseParser(maxHeaderBytes: 256, maxBodyBytes: maxBody)
    }

    /// Feeds `text` `step` bytes at a time; the answer once complete, then at the end of input.
    private func parse(_ text: String, step: Int = 1, maxBody: Int = 1000, closeAtEnd: Bool = true) throws -> HTTPResponse? {
        var p = parser(maxBody: maxBody)
        let bytes = Array(text.utf8)
        var at = 0
        while at < bytes.count {
            if let response = try p.feed(bytes[at..<min(at + step, bytes.count)]) { return response }
            at += step
        }
        return closeAtEnd ? try p.finish() : nil
    }

    func testContentLengthBodyIsCompleteWithoutWaitingForTheClose() throws {
        let text = "HTTP/1.1 200 OK\r\nContent-Type: application/tiff\r\nETag: \"abc\"\r\nContent-Length: 5\r\n\r\nhello"
        for step in [1, 7, 1000] {
            let response = try XCTUnwrap(try parse(text, step: step, closeAtEnd: false), "step \(step)")
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.reason, "OK")
            XCTAssertEqual(response.header("etag"), "\"abc\"", "names compare without case, values are trimmed")
            XCTAssertEqual(response.body, Array("hello".utf8))
        }
    }

    func testChunkedBodyIsJoined() throws {
        let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n6;x=y\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\n\r\n"
        let response = try XCTUnwrap(try parse(text, step: 3, closeAtEnd: false))
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "Wikipedia in \r\n\r\nchunks.")
    }

    func testBodyUntilCloseEndsAtTheClose() throws {
        let response = try XCTUnwrap(try parse("HTTP/1.0 404 Not Found\r\nServer: x\r\n\r\nno image", step: 5))
        XCTAssertEqual(response.status, 404)
        XCTAssertEqual(response.reason, "Not Found")
        XCTAssertEqual(response.body, Array("no image".utf8))
    }

    func testNoContentHasNoBody() throws {
        let response = try XCTUnwrap(try parse("HTTP/1.1 204 No Content\r\n\r\n", closeAtEnd: false))
        XCTAssertEqual(response.status, 204)
        XCTAssertEqual(response.body, [])
    }

    func testBrokenAnswersAreNamed() {
        XCTAssertThrowsError(try parse("SSH-2.0-OpenSSH_9.2\r\n\r\n")) {
            XCTAssertEqual($0 as? HTTPClientError, .malformed("status line \"SSH-2.0-OpenSSH_9.2\""))
        }
        XCTAssertThrowsError(try parse("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")) {
            XCTAssertEqual($0 as? HTTPClientError, .malformed("header line \"no colon here\""))
        }
        XCTAssertThrowsError(try parse("HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\n")) {
            XCTAssertEqual($0 as? HTTPClientError, .malformed("Content-Length \"-3\""))
        }
        XCTAssertThrowsError(try parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")) {
            XCTAssertEqual($0 as? HTTPClientError, .malformed("chunk size \"zz\""))
        }
        XCTAssertThrowsError(try parse("")) {
            XCTAssertEqual($0 as? HTTPClientError, .malformed("the connection closed without an answer"))
        }
        XCTAssertThrowsError(try parse("HTTP/1.1 200 OK\r\nContent-Le")) {
            XCTAssertEqual($0 as? HTTPClientError, .malformed("the connection closed inside the headers"))
        }
        XCTAssertThrowsError(try parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")) {
            XCTAssertEqual($0 as? HTTPClientError, .closedEarly(received: 5, expected: 10))
        }
    }

    func testEverySizeIsBounded() {
        XCTAssertThrowsError(try parse("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n", maxBody: 1000)) {
            XCTAssertEqual($0 as? HTTPClientError, .tooLarge(bytes: 5000, limit: 1000), "refused from the header, before the body")
        }
        XCTAssertThrowsError(try parse("HTTP/1.1 200 OK\r\n\r\n" + String(repeating: "x", count: 1001), step: 100, maxBody: 1000)) {
            XCTAssertEqual($0 as? HTTPClientError, .tooLarge(bytes: 1001, limit: 1000))
        }
        XCTAssertThrowsError(try parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7D0\r\n", maxBody: 1000)) {
            XCTAssertEqual($0 as? HTTPClientError, .tooLarge(bytes: 2000, limit: 1000))
        }
        XCTAssertThrowsError(try parse("HTTP/1.1 200 OK\r\nX: " + String(repeating: "y", count: 300))) {
            XCTAssertEqual($0 as? HTTPClientError, .malformed("no end of headers within 256 bytes"))
        }
    }
}
