import Foundation
import Glibc

/// A DECTRIS detector's monitor interface as the SIMPLON API describes it (docs/PROTOCOLS-monitor.md),
/// on a loopback port: `GET /monitor/api/1.8.0/config/mode` answers {"value": mode},
/// `GET /monitor/api/1.8.0/images/monitor` the latest image as a TIFF (the same bytes until the
/// test sets another), or 404 while there is none. One connection at a time, HTTP/1.1 with
/// Content-Length, closed after each answer. Test helper, one per test.
final class FakeMonitorServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var mode = "enabled"
    private var image: [UInt8]?
    private var sendsETag = false
    private var imageVersion = 0
    private var served: [String: Int] = [:]
    private let done = DispatchSemaphore(value: 0)

    var url: String { "http://127.0.0.1:\(port)/monitor/api/1.8.0/images/monitor" }

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.listener = listener
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        guard bound, listen(listener, 16) == 0 else { throw MissingTestInput("cannot listen on a loopback port") }
        Thread.detachNewThread { [self] in serve() }
    }

    func setMode(_ value: String) { lock.lock(); mode = value; lock.unlock() }

    /// The image served from now on (nil: 404). With `etag`, answers carry an ETag that changes per image.
    func setImage(_ bytes: [UInt8]?, etag: Bool = false) {
        lock.lock(); image = bytes; sendsETag = etag; imageVersion += 1; lock.unlock()
    }

    /// How many answers went to requests for `path` ("images/monitor", "config/mode").
    func served(_ path: String) -> Int { lock.lock(); defer { lock.unlock() }; return served[path] ?? 0 }

    private func serve() {
        defer { done.signal() }
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            respond(on: connection)
            close(connection)
        }
    }

    private func respond(on connection: Int32) {
        var request: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !request.suffix(4).elementsEqual([13, 10, 13, 10]) {
            let n = recv(connection, &chunk, chunk.count, 0)
            if n <= 0 { return }
            request += chunk[0..<n]
        }
        let line = String(decoding: request.prefix { $0 != 13 }, as: UTF8.self).split(separator: " ")
        let path = line.count > 1 ? String(line[1]) : ""
        lock.lock()
        let (mode, image, etag, version) = (self.mode, self.image, sendsETag, imageVersion)
        lock.unlock()
        var status = "404 Not Found", type = "text/plain", headers = "", body = Array("not found".utf8)
        let key: String
        switch path {
        case "/monitor/api/1.8.0/config/mode":
            key = "config/mode"
            status = "200 OK"
            type = "application/json; charset=utf-8"
            body = Array(#"{"access_mode": "rw", "allowed_values": ["disabled", "enabled"], "value": "\#(mode)", "value_type": "string"}"#.utf8)
        case "/monitor/api/1.8.0/images/monitor":
            key = "images/monitor"
            if let image, mode == "enabled" {
                status = "200 OK"
                type = "application/tiff"
                body = image
                if etag { headers = "ETag: \"image-\(version)\"\r\n" }
            }
        default:
            key = path
        }
        let head = "HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.count)\r\n\(headers)Connection: close\r\n\r\n"
        let answer = Array(head.utf8) + body
        var sent = 0
        while sent < answer.count {
            let n = answer.withUnsafeBytes { send(connection, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
        lock.lock(); served[key, default: 0] += 1; lock.unlock()
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        done.wait()
        close(listener)
    }
}

/// Baseline TIFFs as the monitor serves them (TIFF 6.0: header, strips, one image directory),
/// written here from the description, independently of detview's reader. Test helper.
enum MonitorTiff {
    static func uint16(_ values: [UInt16], width: Int, height: Int, bigEndian: Bool = false) -> [UInt8] {
        build(width: width, height: height, bits: 16, bigEndian: bigEndian,
              pixels: values.flatMap { bytes(UInt64($0), 2, bigEndian) })
    }

    static func uint32(_ values: [UInt32], width: Int, height: Int, bigEndian: Bool = false) -> [UInt8] {
        build(width: width, height: height, bits: 32, bigEndian: bigEndian,
              pixels: values.flatMap { bytes(UInt64($0), 4, bigEndian) })
    }

    /// One row per strip, so that the reader joins several strips.
    private static func build(width: Int, height: Int, bits: Int, bigEndian: Bool, pixels: [UInt8]) -> [UInt8] {
        let rowBytes = width * bits / 8
        let stripOffsets = (0..<height).map { UInt32(8 + $0 * rowBytes) }
        let stripCounts = [UInt32](repeating: UInt32(rowBytes), count: height)
        let directory = 8 + pixels.count
        let entries: [(UInt16, UInt16, [UInt32])] = [
            (256, 4, [UInt32(width)]), (257, 4, [UInt32(height)]), (258, 3, [UInt32(bits)]), (259, 3, [1]),
            (262, 3, [1]), (273, 4, stripOffsets), (277, 3, [1]), (278, 3, [1]), (279, 4, stripCounts), (339, 3, [1]),
        ]
        var out: [UInt8] = bigEndian ? [0x4D, 0x4D, 0, 42] : [0x49, 0x49, 42, 0]
        out += bytes(UInt64(directory), 4, bigEndian) + pixels
        var extra: [UInt8] = []
        let extraStart = directory + 2 + 12 * entries.count + 4
        out += bytes(UInt64(entries.count), 2, bigEndian)
        for (tag, type, values) in entries {
            let size = type == 3 ? 2 : 4
            let packed = values.flatMap { bytes(UInt64($0), size, bigEndian) }
            out += bytes(UInt64(tag), 2, bigEndian) + bytes(UInt64(type), 2, bigEndian) + bytes(UInt64(values.count), 4, bigEndian)
            if packed.count <= 4 {
                out += packed + [UInt8](repeating: 0, count: 4 - packed.count)
            } else {
                out += bytes(UInt64(extraStart + extra.count), 4, bigEndian)
                extra += packed
            }
        }
        return out + [0, 0, 0, 0] + extra
    }

    private static func bytes(_ value: UInt64, _ count: Int, _ bigEndian: Bool) -> [UInt8] {
        let little = (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
        return bigEndian ? little.reversed() : little
    }
}
