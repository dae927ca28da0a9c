@testable import DetectorStream
import XCTest

/// Bytes from a hex string written in a test ("1b000000e8d4a51000"); spaces are ignored.
func hex(_ s: String) -> [UInt8] {
    let digits = Array(s.utf8.filter { $0 != UInt8(ascii: " ") })
    func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: c - UInt8(ascii: "A") + 10
        }
    }
    return stride(from: 0, to: digits.count - 1, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
}

/// Reads one whole message from a copy of `bytes` in its own allocation.
func cborDecode(_ bytes: [UInt8], maxDepth: Int = CBORReader.defaultMaxDepth) throws(StreamError) -> CBORValue {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
    defer { buffer.deallocate() }
    buffer.copyBytes(from: bytes)
    return try CBORReader.readMessage(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<bytes.count]), maxDepth: maxDepth)
}

func cborError(_ bytes: [UInt8], maxDepth: Int = CBORReader.defaultMaxDepth) -> StreamError? {
    do throws(StreamError) {
        _ = try cborDecode(bytes, maxDepth: maxDepth)
        return nil
    } catch {
        return error
    }
}

/// A minimal CBOR writer for building test messages (shortest argument encoding).
indirect enum CBORTestItem {
    case u(UInt64)
    case neg(UInt64)
    case bytes([UInt8])
    case text(String)
    case array([CBORTestItem])
    case map([(String, CBORTestItem)])
    case tag(UInt64, CBORTestItem)
    case f64(Double)
    case bool(Bool)
    /// Bytes written as they are (a malformed piece, an indefinite item).
    case raw([UInt8])

    var encoded: [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }

    static func head(_ major: UInt8, _ argument: UInt64, into out: inout [UInt8]) {
        let m = major << 5
        switch argument {
        case 0..<24: out.append(m | UInt8(argument))
        case 24..<0x100: out += [m | 24, UInt8(argument)]
        case 0x100..<0x10000: out += [m | 25, UInt8(argument >> 8), UInt8(argument & 0xFF)]
        case 0x10000..<0x1_0000_0000: out.append(m | 26); out += (0..<4).reversed().map { UInt8(truncatingIfNeeded: argument >> (8 * $0)) }
        default: out.append(m | 27); out += (0..<8).reversed().map { UInt8(truncatingIfNeeded: argument >> (8 * $0)) }
        }
    }

    func write(into out: inout [UInt8]) {
        switch self {
        case .u(let n): Self.head(0, n, into: &out)
        case .neg(let n): Self.head(1, n, into: &out)
        case .bytes(let b): Self.head(2, UInt64(b.count), into: &out); out += b
        case .text(let s): Self.head(3, UInt64(s.utf8.count), into: &out); out += Array(s.utf8)
        case .array(let items): Self.head(4, UInt64(items.count), into: &out); items.forEach { $0.write(into: &out) }
        case .map(let pairs):
            Self.head(5, UInt64(pairs.count), into: &out)
            for (k, v) in pairs { CBORTestItem.text(k).write(into: &out); v.write(into: &out) }
        case .tag(let t, let item): Self.head(6, t, into: &out); item.write(into: &out)
        case .f64(let x): out.append(0xFB); out += (0..<8).reversed().map { UInt8(truncatingIfNeeded: x.bitPattern >> (8 * $0)) }
        case .bool(let b): out.append(b ? 0xF5 : 0xF4)
        case .raw(let b): out += b
        }
    }
}

/// A small deterministic generator (splitmix64) for bounded randomized tests.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
}
