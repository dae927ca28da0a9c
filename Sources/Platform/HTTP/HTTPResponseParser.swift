/// Turns the bytes of one HTTP/1.x answer, as they arrive, into an `HTTPResponse`: the status line
/// and headers, then a body framed by Content-Length, by chunked transfer coding, or by the end of
/// the connection. Every size is bounded (`maxHeaderBytes`, `maxBodyBytes`), so a peer that sends
/// garbage or announces an absurd length gets an error, not our memory.
///
/// A pure value, tested on plain bytes; `HTTPGetClient` feeds it from its socket.
public struct HTTPResponseParser {
    public let maxHeaderBytes: Int
    public let maxBodyBytes: Int
    private var buffer: [UInt8] = []
    private var head: (status: Int, reason: String, headers: [(name: String, value: String)])?
    private var framing: Framing = .untilClose
    /// Where the body starts in `buffer`, once the head is parsed.
    private var bodyStart = 0

    private enum Framing {
        case length(Int)
        case chunked
        case untilClose
    }

    public init(maxHeaderBytes: Int, maxBodyBytes: Int) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
    }

    /// Adds received bytes; returns the answer once it is complete (nil: more to come).
    public mutating func feed(_ bytes: ArraySlice<UInt8>) throws(HTTPClientError) -> HTTPResponse? {
        buffer.append(contentsOf: bytes)
        if head == nil {
            guard let end = headEnd() else {
                if buffer.count > maxHeaderBytes { throw .malformed("no end of headers within \(maxHeaderBytes) bytes") }
                return nil
            }
            try parseHead(upTo: end)
            bodyStart = end + 4
        }
        let received = buffer.count - bodyStart
        switch framing {
        case .length(let length):
            guard received >= length else { return nil }
            return response(body: Array(buffer[bodyStart..<(bodyStart + length)]))
        case .chunked:
            guard let body = try dechunk() else {
                if received > maxBodyBytes + maxHeaderBytes { throw .tooLarge(bytes: received, limit: maxBodyBytes) }
                return nil
            }
            return response(body: body)
        case .untilClose:
            if received > maxBodyBytes { throw .tooLarge(bytes: received, limit: maxBodyBytes) }
            return nil
        }
    }

    /// The connection ended: the answer as far as it is complete, or why it is not.
    public func finish() throws(HTTPClientError) -> HTTPResponse {
        guard head != nil else {
            throw buffer.isEmpty ? .malformed("the connection closed without an answer")
                : .malformed("the connection closed inside the headers")
        }
        let received = buffer.count - bodyStart
        switch framing {
        case .length(let length): throw .closedEarly(received: received, expected: length)
        case .chunked: throw .closedEarly(received: received, expected: nil)
        case .untilClose: return response(body: Array(buffer[bodyStart...]))
        }
    }

    private func response(body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: head!.status, reason: head!.reason, headers: head!.headers, body: body)
    }

    /// The index of "\r\n\r\n", if the head is complete.
    private func headEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            return i
        }
        return nil
    }

    private mutating func parseHead(upTo end: Int) throws(HTTPClientError) {
        let text = String(decoding: buffer[0..<end], as: UTF8.self)
        let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines[0].split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."),
              let status = Int(statusLine[1]), (100...999).contains(status) else {
            throw .malformed("status line \"\(lines[0].prefix(60))\"")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw .malformed("header line \"\(line.prefix(60))\"") }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingBlanks))
        }
        head = (status, statusLine.count > 2 ? String(statusLine[2]) : "", headers)
        let probe = HTTPResponse(status: status, reason: "", headers: headers, body: [])
        if probe.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            framing = .chunked
        } else if let value = probe.header("Content-Length") {
            guard let length = Int(value), length >= 0 else { throw .malformed("Content-Length \"\(value.prefix(30))\"") }
            guard length <= maxBodyBytes else { throw .tooLarge(bytes: length, limit: maxBodyBytes) }
            framing = .length(length)
        } else if status == 204 || status == 304 || (100..<200).contains(status) {
            framing = .length(0)
        } else {
            framing = .untilClose
        }
    }

    /// The body of a complete chunked answer (nil: not complete yet).
    private func dechunk() throws(HTTPClientError) -> [UInt8]? {
        var body: [UInt8] = []
        var at = bodyStart
        while true {
            // A size line: hexadecimal digits, perhaps ";extensions", then CRLF.
            guard let lineEnd = crlf(from: at) else { return nil }
            let line = String(decoding: buffer[at..<lineEnd], as: UTF8.self)
            let digits = line.split(separator: ";", maxSplits: 1).first.map { $0.trimmingBlanks } ?? ""
            guard !digits.isEmpty, digits.count <= 15, let size = Int(digits, radix: 16) else {
                throw .malformed("chunk size \"\(line.prefix(30))\"")
            }
            at = lineEnd + 2
            if size == 0 { return body }   // trailers, if any, are not needed
            guard body.count + size <= maxBodyBytes else { throw .tooLarge(bytes: body.count + size, limit: maxBodyBytes) }
            guard buffer.count >= at + size + 2 else { return nil }
            body.append(contentsOf: buffer[at..<(at + size)])
            guard buffer[at + size] == 13, buffer[at + size + 1] == 10 else { throw .malformed("chunk not followed by CRLF") }
            at += size + 2
        }
    }

    private func crlf(from start: Int) -> Int? {
        var i = start
        while i + 1 < buffer.count {
            if buffer[i] == 13 && buffer[i + 1] == 10 { return i }
            i += 1
        }
        return nil
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    fileprivate var trimmingBlanks: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[first...last])
    }
}
