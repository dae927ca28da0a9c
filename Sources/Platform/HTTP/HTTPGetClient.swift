import Glibc

/// A blocking HTTP/1.1 GET over a plain TCP socket, for the DECTRIS monitor interface: one
/// request per connection (`Connection: close`), a deadline for the whole exchange, a bound on the
/// body, and a stop descriptor that ends any wait at once.
///
/// Why not FoundationNetworking's URLSession (libcurl): it works here, but linking it makes every
/// process of the one `detview` executable, the viewer and each worker, load Foundation, ICU and
/// libcurl with some 37 more shared libraries: measured on these machines, a process started in
/// 16 ms instead of 3.6 ms and with 15 MB more resident memory, and libcurl4 would join the
/// packages every build host needs. Its requests also cannot wait on our stop eventfd. The monitor
/// speaks plain HTTP/1.1 on the beamline network (no TLS, no redirects, no authentication), and
/// what it needs (status, a few headers, a Content-Length or chunked body) is small enough to
/// own, with every size bounded.
///
/// Used by one thread at a time (the receive thread); holds no descriptor between requests.
public struct HTTPGetClient: Sendable {
    public var host: String
    public var port: Int
    /// The whole exchange (resolve excepted: getaddrinfo cannot be interrupted) must end within this.
    public var timeoutSeconds: Double
    /// Bodies above this are refused before they are read whole.
    public var maxBodyBytes: Int
    /// Status line and headers together stay below this.
    public static let maxHeaderBytes = 64 << 10

    public init(host: String, port: Int, timeoutSeconds: Double, maxBodyBytes: Int) {
        self.host = host
        self.port = port
        self.timeoutSeconds = timeoutSeconds
        self.maxBodyBytes = maxBodyBytes
    }

    /// GETs `path` (starting with "/"). `stopFD` (an eventfd or pipe; -1: none) ends the request
    /// with `.stopped` as soon as it is readable.
    public func get(_ path: String, accept: String = "*/*", stopFD: Int32 = -1) throws(HTTPClientError) -> HTTPResponse {
        let deadline = MonotonicClock.nanoseconds + UInt64(max(timeoutSeconds, 0.001) * 1e9)
        let socket = try connect(deadline: deadline, stopFD: stopFD)
        defer { close(socket) }
        let hostField = port == 80 ? host : "\(host):\(port)"
        let request = "GET \(path) HTTP/1.1\r\nHost: \(hostField)\r\nAccept: \(accept)\r\n"
            + "User-Agent: detview\r\nConnection: close\r\n\r\n"
        try send(Array(request.utf8), on: socket, deadline: deadline, stopFD: stopFD)
        return try receive(from: socket, deadline: deadline, stopFD: stopFD)
    }

    // MARK: - Connecting

    private func connect(deadline: UInt64, stopFD: Int32) throws(HTTPClientError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else { throw .unresolvable(host: host) }
        defer { freeaddrinfo(list) }
        var lastError = HTTPClientError.unresolvable(host: host)
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                            | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { lastError = .system(.last("socket")); continue }
            if Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 { return fd }
            var failure = errno
            if failure == EINPROGRESS {
                do {
                    try wait(for: Int16(POLLOUT), on: fd, deadline: deadline, stopFD: stopFD, phase: "connection")
                } catch {
                    close(fd)
                    if error == .stopped { throw error }
                    lastError = error
                    continue
                }
                var soError: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length)
                if soError == 0 { return fd }
                failure = soError
            }
            close(fd)
            lastError = error(connecting: failure)
        }
        throw lastError
    }

    private func error(connecting failure: Int32) -> HTTPClientError {
        switch failure {
        case ECONNREFUSED: return .refused(host: host, port: port)
        case EHOSTUNREACH, ENETUNREACH, EHOSTDOWN, ENETDOWN, ETIMEDOUT:
            return .unreachable(host: host, reason: String(cString: strerror(failure)))
        default: return .system(SystemCallError(call: "connect", errno: failure))
        }
    }

    /// Sleeps in poll until `fd` has `events`, the stop descriptor is readable or the deadline passes.
    private func wait(for events: Int16, on fd: Int32, deadline: UInt64, stopFD: Int32,
                      phase: String) throws(HTTPClientError) {
        while true {
            let now = MonotonicClock.nanoseconds
            guard now < deadline else { throw .timedOut(host: host, phase: phase, seconds: timeoutSeconds) }
            var fds = [pollfd(fd: fd, events: events, revents: 0), pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0)]
            let timeout = Int32(min((deadline - now + 999_999) / 1_000_000, UInt64(Int32.max)))
            let ready = poll(&fds, stopFD >= 0 ? 2 : 1, timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                throw .system(.last("poll"))
            }
            if stopFD >= 0, fds[1].revents != 0 { throw .stopped }
            if fds[0].revents != 0 { return }
        }
    }

    // MARK: - Sending and receiving

    private func send(_ bytes: [UInt8], on fd: Int32, deadline: UInt64, stopFD: Int32) throws(HTTPClientError) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if n > 0 { sent += n; continue }
            if n < 0, errno == EINTR { continue }
            if n < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                try wait(for: Int16(POLLOUT), on: fd, deadline: deadline, stopFD: stopFD, phase: "request sent")
                continue
            }
            throw .system(.last("send"))
        }
    }

    private func receive(from fd: Int32, deadline: UInt64, stopFD: Int32) throws(HTTPClientError) -> HTTPResponse {
        var parser = HTTPResponseParser(maxHeaderBytes: Self.maxHeaderBytes, maxBodyBytes: maxBodyBytes)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                if let response = try parser.feed(chunk[0..<n]) { return response }
                continue
            }
            if n == 0 { return try parser.finish() }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                try wait(for: Int16(POLLIN), on: fd, deadline: deadline, stopFD: stopFD, phase: "answer")
                continue
            }
            if errno == ECONNRESET { return try parser.finish() }
            throw .system(.last("recv"))
        }
    }
}
