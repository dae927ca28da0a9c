import Glibc

/// Refuses at start an endpoint that can never work, with one line that says why.
///
/// libzmq accepts `tcp://256.1.1.1:1`, `tcp://127.0.0.1:99999`, an unresolvable host or
/// `ipc:///nonexistent/dir/sock` without an error and then retries in the background forever:
/// the viewer would sit at zero saying "ready". Called by `Receiver.init` on the caller's
/// thread, before any socket connects. Schemes other than tcp and ipc are left to libzmq
/// (`zmq_connect` refuses unknown ones itself).
public enum EndpointCheck {
    /// An endpoint that cannot work, and why.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let endpoint: String
        public let reason: String
        public var description: String { "\(endpoint): \(reason)" }
    }

    /// Looks a host name up; nil when it resolves, else the resolver's reason.
    public typealias Resolver = (String) -> String?

    public static func validate(_ endpoint: String, binding: Bool,
                                resolve: Resolver = resolveWithSystem) throws(Problem) {
        func refuse(_ reason: String) -> Problem { Problem(endpoint: endpoint, reason: reason) }
        if endpoint.hasPrefix("tcp://") {
            // "tcp://source;destination": the destination is what must be valid.
            let address = endpoint.dropFirst(6).split(separator: ";", omittingEmptySubsequences: false).last ?? ""
            guard let colon = address.lastIndex(of: ":") else { throw refuse("no port (tcp://HOST:PORT)") }
            let host = String(address[..<colon]), port = String(address[address.index(after: colon)...])
            if let reason = portProblem(port, binding: binding) { throw refuse(reason) }
            if let reason = hostProblem(host, binding: binding, resolve: resolve) { throw refuse(reason) }
        } else if endpoint.hasPrefix("ipc://") {
            let path = String(endpoint.dropFirst(6))
            if let reason = ipcPathProblem(path) { throw refuse(reason) }
        }
    }

    static func portProblem(_ port: String, binding: Bool) -> String? {
        if binding && port == "*" { return nil }
        guard !port.isEmpty, port.allSatisfy(\.isASCII), port.allSatisfy(\.isNumber) else {
            return "port \"\(port)\" is not a number\(binding ? " or *" : "")"
        }
        guard let number = Int(port), number <= 65535, binding || number >= 1 else {
            return "port \(port) is out of range (1…65535)"
        }
        return nil
    }

    static func hostProblem(_ host: String, binding: Bool, resolve: Resolver) -> String? {
        guard !host.isEmpty else { return "no host (tcp://HOST:PORT)" }
        if host.hasPrefix("[") {
            var address = in6_addr()
            guard host.hasSuffix("]"), inet_pton(AF_INET6, String(host.dropFirst().dropLast()), &address) == 1 else {
                return "\(host) is not an IPv6 address"
            }
            return nil
        }
        if host.allSatisfy({ $0 == "." || ($0.isASCII && $0.isNumber) }) {
            let numbers = host.split(separator: ".", omittingEmptySubsequences: false)
            guard numbers.count == 4, numbers.allSatisfy({ Int($0).map { (0...255).contains($0) } ?? false }) else {
                return "\(host) is not an IPv4 address (four numbers 0…255)"
            }
            return nil
        }
        // Binding takes "*" and interface names (eth0), which do not resolve as hosts.
        if binding { return nil }
        return resolve(host).map { "cannot resolve host \(host): \($0)" }
    }

    static func ipcPathProblem(_ path: String) -> String? {
        guard !path.hasPrefix("@") else { return nil }   // Linux abstract namespace: no file
        guard !path.isEmpty else { return "no path (ipc:///path/to/socket)" }
        let sunPathBytes = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        guard path.utf8.count < sunPathBytes else { return "path longer than \(sunPathBytes - 1) bytes" }
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return nil }
        let directory = String(path[..<slash])
        var info = stat()
        guard stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            return "directory \(directory) does not exist"
        }
        return nil
    }

    /// `getaddrinfo`, as libzmq will do it.
    public static func resolveWithSystem(_ host: String) -> String? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &result)
        if let result { freeaddrinfo(result) }
        return status == 0 ? nil : String(cString: gai_strerror(status))
    }
}
