import DetectorStream
import Foundation
import XCTest

/// Real EIGER2 R 500K stream v2 messages (Tests/Fixtures/dectris-stream2): the compressed
/// byte strings are found by a plain scan for CBOR tag 56500 (no CBOR decoder here), decoded,
/// and summed against the independently computed expected.json.
final class CodecDectrisFixtureTests: XCTestCase {
    /// One tag-56500 item: the channel name before it, algorithm, and the compressed bytes.
    private struct Compressed {
        var channel: String
        var algorithm: String
        var payload: [UInt8]
    }

    /// Scans for `d9 dc b4` (tag 56500) followed by a 3-array [text, uint, bytes]; the channel
    /// is the last channel-name text string before the tag.
    private func compressedItems(_ data: [UInt8], channels: [String]) -> [Compressed] {
        var items: [Compressed] = []
        var i = 0
        while i + 3 < data.count {
            guard data[i] == 0xD9, data[i + 1] == 0xDC, data[i + 2] == 0xB4, data[i + 3] == 0x83 else { i += 1; continue }
            var p = i + 4
            let textLength = Int(data[p] - 0x60)
            let algorithm = String(decoding: data[(p + 1)..<(p + 1 + textLength)], as: UTF8.self)
            p += 1 + textLength
            p += data[p] == 0x18 ? 2 : 1  // element size: a small unsigned integer
            let lengthBytes = [0x58: 1, 0x59: 2, 0x5A: 4, 0x5B: 8][Int(data[p])] ?? 0
            var length = lengthBytes == 0 ? Int(data[p] - 0x40) : 0
            for k in 0..<lengthBytes { length = length << 8 | Int(data[p + 1 + k]) }
            p += 1 + lengthBytes
            let before = data[max(0, i - 80)..<i]
            let named = channels.filter { name in
                let needle = [UInt8(0x60 + name.utf8.count)] + Array(name.utf8)
                return before.indices.contains { before[$0...].starts(with: needle) }
            }
            XCTAssertEqual(named.count, 1, "one channel name before the tag at \(i)")
            let channel = named.first ?? ""
            items.append(Compressed(channel: channel, algorithm: algorithm, payload: Array(data[p..<(p + length)])))
            i = p + length
        }
        return items
    }

    func testFixtureChannelsDecodeToTheExpectedSums() throws {
        let expected = try Stream2Fixtures.expected()
        var checked = 0
        for (file, entry) in expected.sorted(by: { $0.key < $1.key }) {
            guard let channels = entry["channels"] as? [String: [String: Any]] else { continue }
            let data = try Stream2Fixtures.bytes(file)
            let items = compressedItems(data, channels: Array(channels.keys))
            XCTAssertEqual(items.count, channels.count, file)
            for item in items {
                let want = try XCTUnwrap(channels[item.channel], "\(file) \(item.channel)")
                let shape = try XCTUnwrap(want["shape_rows_cols"] as? [Int])
                let size = try XCTUnwrap(["uint8": 1, "uint16": 2, "uint32": 4][want["dtype"] as? String ?? ""])
                XCTAssertEqual(item.algorithm, want["encoding"] as? String)
                let encoding: PayloadEncoding = item.algorithm == "bslz4" ? .bitshuffleLZ4 : .lz4
                for path in CodecPath.allCases {
                    let pixels = try Ref.decode(encoding, item.payload, elementSize: size,
                                                elementCount: shape[0] * shape[1], path: path).get()
                    let (sum, max, allOnes) = Self.sums(pixels, elementSize: size)
                    let label = "\(file) \(item.channel) \(path)"
                    XCTAssertEqual(sum, (want["sum_unmasked"] as? NSNumber)?.uint64Value, label)
                    XCTAssertEqual(max, (want["max_unmasked"] as? NSNumber)?.uint64Value, label)
                    XCTAssertEqual(allOnes, (want["all_ones_count"] as? NSNumber)?.intValue, label)
                }
                checked += 1
            }
        }
        XCTAssertEqual(checked, 24, "8 images × 3 channels")
    }

    private typealias Ref = CodecReference

    /// Sum and max of the pixels that are not all ones, and the count of those that are.
    private static func sums(_ bytes: [UInt8], elementSize: Int) -> (UInt64, UInt64, Int) {
        let allOnes: UInt64 = elementSize == 8 ? .max : (1 << UInt64(8 * elementSize)) - 1
        var sum: UInt64 = 0, max: UInt64 = 0, masked = 0
        for e in 0..<(bytes.count / elementSize) {
            var v: UInt64 = 0
            for j in 0..<elementSize { v |= UInt64(bytes[e * elementSize + j]) << UInt64(8 * j) }
            if v == allOnes { masked += 1 } else { sum += v; max = Swift.max(max, v) }
        }
        return (sum, max, masked)
    }
}
