/// The JSON header of one slsDetector receiver message (PROTOCOLS.md §1), every key with the
/// receiver's default (0 or empty). Parsed by the receiver thread, written by the simulator;
/// a plain value. Version 4 names (bunchId, reserved, debug, roundRNumber, flippedDataX) are
/// read into the version 5 fields (detSpec1–4, flipRows).
public struct SlsHeader: Sendable, Equatable {
    public var jsonVersion: Int = 0
    public var bitmode: Int = 0
    public var fileIndex: UInt64 = 0
    /// Grid of ports of the whole detector, [x, y].
    public var detShape: [Int] = [0, 0]
    /// Pixels of this port, [nx, ny]: nx is the width (fast axis).
    public var shape: [Int] = [0, 0]
    public var size: Int = 0
    public var acqIndex: UInt64 = 0
    /// Counts from 0 within the acquisition.
    public var frameIndex: UInt64 = 0
    public var progress: Double = 0
    public var fname: String = ""
    /// 1 for a frame, 0 for the end of the acquisition.
    public var data: Int = 0
    public var completeImage: Int = 0
    /// The detector's frame counter; keeps counting across acquisitions.
    public var frameNumber: UInt64 = 0
    public var expLength: UInt64 = 0
    public var packetNumber: UInt64 = 0
    public var detSpec1: UInt64 = 0
    public var timestamp: UInt64 = 0
    public var modId: Int = 0
    public var row: Int = 0
    public var column: Int = 0
    public var detSpec2: UInt64 = 0
    public var detSpec3: UInt64 = 0
    public var detSpec4: UInt64 = 0
    /// 1 EIGER, 3 JUNGFRAU, 5 MOENCH, 6 MYTHEN3, 7 GOTTHARD2 (slsDetector `detectorType`).
    public var detType: Int = 0
    public var version: Int = 0
    public var flipRows: Int = 0
    public var quad: Int = 0
    public var addJsonHeader: [String: String] = [:]
    /// Version 5 only: [xmin, xmax, ymin, ymax] of the receiver ROI.
    public var rxROI: [Int] = [0, 0, 0, 0]

    public init() {}

    /// The end-of-acquisition header: all defaults, `data` 0, as the receiver sends it.
    public static func endOfAcquisition(jsonVersion: Int) -> SlsHeader {
        var header = SlsHeader()
        header.jsonVersion = jsonVersion
        return header
    }

    public var isEndOfAcquisition: Bool { data == 0 }

    /// Reads a header. Keys may come in any order; unknown keys are ignored, missing ones keep
    /// their defaults, except that a frame header (`data` not 0) must carry `bitmode`, `shape`
    /// and `size`. Strings are read as the receiver writes them: unescaped.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(StreamError) -> SlsHeader {
        var header = SlsHeader()
        var seen = Seen()
        var reader = JSONReader(bytes, maxDepth: 8, strings: .literal)
        do throws(StreamError) {
            guard reader.peekSignificant() == UInt8(ascii: "{") else {
                if bytes.isEmpty { throw StreamError(.notJSON, "empty message") }
                throw StreamError(.notJSON, "not a JSON header (starts with byte 0x\(String(bytes[0], radix: 16)))")
            }
            try reader.readObject { (key, r) throws(StreamError) in
                try header.read(key: key, from: &r, seen: &seen)
            }
            try reader.finish()
        } catch {
            throw StreamError(error.kind, "sls: " + error.message)
        }
        // Senders that leave out `data` send frames: only an explicit 0 ends an acquisition.
        if !seen.data { header.data = 1 }
        if header.data != 0 {
            for (present, key) in [(seen.bitmode, "bitmode"), (seen.shape, "shape"), (seen.size, "size")] where !present {
                throw StreamError(.missingKey, "sls: frame header has no \"\(key)\"")
            }
        }
        return header
    }

    private struct Seen {
        var data = false, bitmode = false, shape = false, size = false
    }

    private mutating func read(key: String, from r: inout JSONReader, seen: inout Seen) throws(StreamError) {
        switch key {
        case "jsonversion": jsonVersion = try Self.int(&r, key)
        case "bitmode": bitmode = try Self.int(&r, key); seen.bitmode = true
        case "fileIndex": fileIndex = try Self.uint(&r, key)
        case "detshape": detShape = try Self.ints(&r, key, count: 2)
        case "shape": shape = try Self.ints(&r, key, count: 2); seen.shape = true
        case "size": size = try Self.int(&r, key); seen.size = true
        case "acqIndex": acqIndex = try Self.uint(&r, key)
        case "frameIndex": frameIndex = try Self.uint(&r, key)
        case "progress": progress = try r.readNumber().double
        case "fname": fname = try Self.string(&r, key)
        case "data": data = try Self.int(&r, key); seen.data = true
        case "completeImage": completeImage = try Self.int(&r, key)
        case "frameNumber": frameNumber = try Self.uint(&r, key)
        case "expLength": expLength = try Self.uint(&r, key)
        case "packetNumber": packetNumber = try Self.uint(&r, key)
        case "detSpec1", "bunchId": detSpec1 = try Self.uint(&r, key)
        case "timestamp": timestamp = try Self.uint(&r, key)
        case "modId": modId = try Self.int(&r, key)
        case "row": row = try Self.int(&r, key)
        case "column": column = try Self.int(&r, key)
        case "detSpec2", "reserved": detSpec2 = try Self.uint(&r, key)
        case "detSpec3", "debug": detSpec3 = try Self.uint(&r, key)
        case "detSpec4", "roundRNumber": detSpec4 = try Self.uint(&r, key)
        case "detType": detType = try Self.int(&r, key)
        case "version": version = try Self.int(&r, key)
        case "flipRows", "flippedDataX": flipRows = try Self.int(&r, key)
        case "quad": quad = try Self.int(&r, key)
        case "addJsonHeader": addJsonHeader = try Self.stringMap(&r, key)
        case "rx_roi": rxROI = try Self.ints(&r, key, count: 4)
        default: try r.skipValue()
        }
    }

    private static func uint(_ r: inout JSONReader, _ key: String) throws(StreamError) -> UInt64 {
        let at = r.offset
        let n = try r.readNumber()
        if let u = n.unsigned { return u }
        // Some writers print counters as doubles ("3.0"); accept exact whole values.
        if n.double >= 0, n.double < 1.8e19, n.double == n.double.rounded() { return UInt64(n.double) }
        throw StreamError(.badValue, "\"\(key)\" is not a non-negative integer (byte \(at))")
    }

    private static func int(_ r: inout JSONReader, _ key: String) throws(StreamError) -> Int {
        let at = r.offset
        let n = try r.readNumber()
        if let s = n.signed { return Int(s) }
        if n.double.magnitude < 9.0e15, n.double == n.double.rounded() { return Int(n.double) }
        throw StreamError(.badValue, "\"\(key)\" is not an integer (byte \(at))")
    }

    private static func ints(_ r: inout JSONReader, _ key: String, count: Int) throws(StreamError) -> [Int] {
        let at = r.offset
        guard r.peekSignificant() == UInt8(ascii: "[") else {
            throw StreamError(.badValue, "\"\(key)\" is not an array (byte \(at))")
        }
        var values: [Int] = []
        var seen = 0
        try r.readArray { (element) throws(StreamError) in
            let v = try int(&element, key)
            seen += 1
            if values.count < count { values.append(v) }
        }
        guard seen == count else {
            throw StreamError(.badValue, "\"\(key)\" has \(seen) values, expected \(count) (byte \(at))")
        }
        return values
    }

    private static func string(_ r: inout JSONReader, _ key: String) throws(StreamError) -> String {
        guard r.peekSignificant() == UInt8(ascii: "\"") else {
            throw StreamError(.badValue, "\"\(key)\" is not a string (byte \(r.offset))")
        }
        return try r.readString()
    }

    private static func stringMap(_ r: inout JSONReader, _ key: String) throws(StreamError) -> [String: String] {
        guard r.peekSignificant() == UInt8(ascii: "{") else {
            throw StreamError(.badValue, "\"\(key)\" is not an object (byte \(r.offset))")
        }
        var map: [String: String] = [:]
        try r.readObject { (name, value) throws(StreamError) in
            // The spec says string values; keep other scalars as their JSON text.
            let start = value.offset
            if value.peekSignificant() == UInt8(ascii: "\"") {
                map[name] = try value.readString()
            } else {
                try value.skipValue()
                let text = UnsafeRawBufferPointer(rebasing: value.bytes[start..<value.offset])
                map[name] = String(decoding: text, as: UTF8.self).trimmingSpaces()
            }
        }
        return map
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\n" || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\n" || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
