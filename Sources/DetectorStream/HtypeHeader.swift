/// The members of an `htype`-tagged JSON header part (SIMPLON stream v1, array-1.0) that the
/// decoders and `FormatDetector` read, in one pass without building a tree. Keys may come in any
/// order; unknown keys are skipped. A plain value, built on the receiver thread.
struct HtypeHeader {
    var htype: String?
    /// True when `htype` was written as a JSON array (`["array-1.0"]`, old NDPluginZMQ).
    var htypeIsArray = false
    var series: UInt64?
    var frame: UInt64?
    var headerDetail: String?
    var shape: [Int]?
    var type: String?
    var encoding: String?
    var size: Int?
    var endianness: String?
    /// slsDetector markers, for format detection only.
    var hasSlsKeys = false
    /// True when the JSON broke inside a member named in `tolerateBrokenValueOf` and the header
    /// was taken from the members read before it.
    var truncatedAtTolerated = false

    /// Reads one header part. `format` prefixes every error message ("simplon", "array").
    /// A header that breaks inside a member named in `tolerateBrokenValueOf` keeps what was read
    /// before: NDPluginZMQ writes `ndattr` last and does not escape strings or quote int8 values.
    /// `keepPartial` keeps what was read before any breakage (format detection).
    static func parse(_ bytes: UnsafeRawBufferPointer, format: String,
                      strings: JSONReader.StringMode = .standard,
                      tolerateBrokenValueOf tolerated: Set<String> = [],
                      keepPartial: Bool = false) throws(StreamError) -> HtypeHeader {
        var header = HtypeHeader()
        var reader = JSONReader(bytes, maxDepth: 16, strings: strings)
        var current: String?
        do throws(StreamError) {
            guard reader.peekSignificant() == UInt8(ascii: "{") else {
                if bytes.isEmpty { throw StreamError(.notJSON, "empty part where a JSON header belongs") }
                throw StreamError(.notJSON, "not a JSON header (starts with byte 0x\(String(bytes[0], radix: 16)))")
            }
            try reader.readObject { (key, r) throws(StreamError) in
                current = key
                try header.read(key: key, from: &r)
                current = nil
            }
            try reader.finish()
        } catch {
            if keepPartial || current.map(tolerated.contains) == true {
                header.truncatedAtTolerated = true
                return header
            }
            throw StreamError(error.kind, "\(format): " + error.message)
        }
        return header
    }

    private mutating func read(key: String, from r: inout JSONReader) throws(StreamError) {
        switch key {
        case "htype":
            if r.peekSignificant() == UInt8(ascii: "[") {
                htypeIsArray = true
                var first: String?
                try r.readArray { (element) throws(StreamError) in
                    let s = try Self.string(&element, key)
                    if first == nil { first = s }
                }
                htype = first ?? ""
            } else {
                htype = try Self.string(&r, key)
            }
        case "series": series = try Self.uint(&r, key)
        case "frame": frame = try Self.uint(&r, key)
        case "header_detail": headerDetail = try Self.string(&r, key)
        case "shape": shape = try Self.ints(&r, key)
        case "type": type = try Self.string(&r, key)
        case "encoding": encoding = try Self.string(&r, key)
        case "size": size = Int(clamping: try Self.uint(&r, key))
        case "endianness", "endianess": endianness = try Self.string(&r, key)
        case "jsonversion", "bitmode":
            hasSlsKeys = true
            try r.skipValue()
        default:
            try r.skipValue()
        }
    }

    static func uint(_ r: inout JSONReader, _ key: String) throws(StreamError) -> UInt64 {
        let at = r.offset
        let n: JSONNumber
        do throws(StreamError) {
            n = try r.readNumber()
        } catch where error.kind == .notJSON {
            throw StreamError(.badValue, "\"\(key)\" is not a non-negative integer (byte \(at))")
        }
        if let u = n.unsigned { return u }
        if n.double >= 0, n.double < 1.8e19, n.double == n.double.rounded() { return UInt64(n.double) }
        throw StreamError(.badValue, "\"\(key)\" is not a non-negative integer (byte \(at))")
    }

    private static func ints(_ r: inout JSONReader, _ key: String) throws(StreamError) -> [Int] {
        let at = r.offset
        guard r.peekSignificant() == UInt8(ascii: "[") else {
            throw StreamError(.badValue, "\"\(key)\" is not an array (byte \(at))")
        }
        var values: [Int] = []
        try r.readArray { (element) throws(StreamError) in
            guard values.count < 8 else { throw StreamError(.badValue, "\"\(key)\" has more than 8 values (byte \(at))") }
            values.append(Int(clamping: try uint(&element, key)))
        }
        return values
    }

    private static func string(_ r: inout JSONReader, _ key: String) throws(StreamError) -> String {
        guard r.peekSignificant() == UInt8(ascii: "\"") else {
            throw StreamError(.badValue, "\"\(key)\" is not a string (byte \(r.offset))")
        }
        return try r.readString()
    }
}

/// Byte-level helpers both JSON-header decoders share.
enum HeaderBytes {
    /// The first significant byte is `{` (a JSON object), ignoring a UTF-8 BOM and spaces.
    static func looksLikeJSON(_ part: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        if part.count >= 3, part[0] == 0xEF, part[1] == 0xBB, part[2] == 0xBF { i = 3 }
        while i < part.count {
            switch part[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            case UInt8(ascii: "{"): return true
            default: return false
            }
        }
        return false
    }

    /// `width × height × bytesPerPixel`, or nil on overflow.
    static func frameBytes(_ width: Int, _ height: Int, _ bytesPerPixel: Int) -> Int? {
        let (pixels, o1) = width.multipliedReportingOverflow(by: height)
        let (total, o2) = pixels.multipliedReportingOverflow(by: bytesPerPixel)
        return o1 || o2 ? nil : total
    }

    static func limitText(_ n: Int) -> String {
        if n >= 1 << 20, n % (1 << 20) == 0 { return "\(n >> 20) MiB" }
        return "\(n)-byte"
    }
}
