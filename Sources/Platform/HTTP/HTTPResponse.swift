/// One HTTP answer: status, headers and the whole body. A plain value.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var reason: String
    /// In the order received; names as sent (compare them without case: `header(_:)`).
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, reason: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    /// The first header of that name (HTTP names are case-insensitive), without surrounding blanks.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    public static func == (a: HTTPResponse, b: HTTPResponse) -> Bool {
        a.status == b.status && a.reason == b.reason && a.body == b.body
            && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
    }
}

/// Why an HTTP request got no answer; `description` is said to the user as is.
public enum HTTPClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The host name does not resolve.
    case unresolvable(host: String)
    /// Nothing listens at the port (ECONNREFUSED).
    case refused(host: String, port: Int)
    /// The network says the host cannot be reached (EHOSTUNREACH, ENETUNREACH, …).
    case unreachable(host: String, reason: String)
    /// No answer within the request timeout; `phase` says where it waited (connect, answer).
    case timedOut(host: String, phase: String, seconds: Double)
    /// The answer is not HTTP/1.x, or breaks its own framing.
    case malformed(String)
    /// The body exceeds the bound the caller set.
    case tooLarge(bytes: Int, limit: Int)
    /// The peer closed the connection before the answer was complete.
    case closedEarly(received: Int, expected: Int?)
    /// The caller's stop descriptor became readable.
    case stopped
    /// A system call failed in a way none of the above names.
    case system(SystemCallError)

    public var description: String {
        switch self {
        case .unresolvable(let host): "host \(host) does not resolve"
        case .refused(let host, let port): "connection refused by \(host):\(port) (nothing listens there)"
        case .unreachable(let host, let reason): "\(host) is unreachable (\(reason))"
        case .timedOut(let host, let phase, let seconds): "no \(phase) from \(host) within \(seconds) s"
        case .malformed(let why): "not an HTTP answer: \(why)"
        case .tooLarge(let bytes, let limit): "answer of \(bytes) bytes exceeds the limit of \(limit)"
        case .closedEarly(let received, let expected):
            "connection closed after \(received) bytes of the body" + (expected.map { " (of \($0))" } ?? "")
        case .stopped: "stopped"
        case .system(let error): error.description
        }
    }
}
