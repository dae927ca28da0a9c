/// Where a DECTRIS detector's monitor interface answers: host, port and SIMPLON API version, from
/// `http://HOST[:PORT]/monitor/api/VERSION/images/monitor` or from `--monitor HOST[:PORT]`. A value.
public struct MonitorEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// "1.8.0", "1.6.0", …: every SIMPLON version the detector serves; the URL names it.
    public var apiVersion: String

    /// The version `--monitor HOST` asks for (EIGER2 and current firmware); older detectors serve
    /// 1.6.0: give the whole URL for those.
    public static let defaultAPIVersion = "1.8.0"

    public init(host: String, port: Int = 80, apiVersion: String = defaultAPIVersion) {
        self.host = host
        self.port = port
        self.apiVersion = apiVersion
    }

    /// The latest image, as a TIFF. Not `images/next`: that takes the image out of the monitor's
    /// buffer, from under any other client reading it.
    public var imagePath: String { "/monitor/api/\(apiVersion)/images/monitor" }
    /// "enabled" or "disabled": whether the detector fills the monitor at all.
    public var modePath: String { "/monitor/api/\(apiVersion)/config/mode" }
    public var hostAndPort: String { port == 80 ? host : "\(host):\(port)" }
    public var url: String { "http://\(hostAndPort)\(imagePath)" }
    public var description: String { url }

    /// True for what names an HTTP source rather than a ZeroMQ endpoint.
    public static func isHTTP(_ endpoint: String) -> Bool {
        let lower = endpoint.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// Parses the monitor image URL; the error says what is wrong and what is expected.
    public init(url: String) throws(MonitorEndpointError) {
        let expected = "expected http://HOST[:PORT]/monitor/api/VERSION/images/monitor"
        guard !url.lowercased().hasPrefix("https://") else {
            throw MonitorEndpointError("\(url): the detector's monitor interface is plain http, not https")
        }
        guard url.lowercased().hasPrefix("http://") else { throw MonitorEndpointError("\(url): \(expected)") }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = String(rest.dropFirst(authority.count))
        let (host, port) = try Self.hostAndPort(String(authority), in: url)
        let pieces = path.split(separator: "/", omittingEmptySubsequences: false)
        // "", "monitor", "api", VERSION, "images", "monitor"
        guard pieces.count == 6, pieces[0].isEmpty, pieces[1] == "monitor", pieces[2] == "api", pieces[4] == "images" else {
            throw MonitorEndpointError("\(url): \(expected)")
        }
        let version = String(pieces[3])
        guard Self.isVersion(version) else {
            throw MonitorEndpointError("\(url): API version \"\(version)\" is not of the form 1.8.0")
        }
        guard pieces[5] == "monitor" else {
            throw MonitorEndpointError("\(url): detview reads images/monitor (the latest image); images/\(pieces[5]) "
                                       + "would take images from the monitor's buffer that another client may be reading")
        }
        self.init(host: host, port: port, apiVersion: version)
    }

    /// `--monitor HOST[:PORT]`.
    public init(monitor hostAndPort: String, apiVersion: String = defaultAPIVersion) throws(MonitorEndpointError) {
        guard Self.isVersion(apiVersion) else {
            throw MonitorEndpointError("--monitor-api \"\(apiVersion)\" is not of the form 1.8.0")
        }
        let (host, port) = try Self.hostAndPort(hostAndPort, in: "--monitor \(hostAndPort)")
        self.init(host: host, port: port, apiVersion: apiVersion)
    }

    private static func hostAndPort(_ authority: String, in context: String) throws(MonitorEndpointError) -> (String, Int) {
        var host = authority
        var port = 80
        if authority.hasPrefix("[") {   // an IPv6 address: [::1]:8080
            guard let close = authority.firstIndex(of: "]") else { throw MonitorEndpointError("\(context): unclosed [ in the host") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":", let number = Int(after.dropFirst()) else {
                    throw MonitorEndpointError("\(context): \"\(after)\" is not a port")
                }
                port = number
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let number = Int(authority[authority.index(after: colon)...]) else {
                throw MonitorEndpointError("\(context): \"\(authority[authority.index(after: colon)...])\" is not a port")
            }
            port = number
        }
        guard !host.isEmpty else { throw MonitorEndpointError("\(context): no host") }
        guard (1...65535).contains(port) else { throw MonitorEndpointError("\(context): port \(port) is out of range") }
        return (host, port)
    }

    private static func isVersion(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isNumber) }
    }
}

/// Why a monitor URL or `--monitor` value cannot be used; said at start, before anything runs.
public struct MonitorEndpointError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
