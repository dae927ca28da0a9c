/// A small, tolerant JSON reader over bytes, for detector headers that arrive at up to 10k/s.
/// No Foundation: it visits object members in place (`readObject`) or builds a `JSONValue`.
/// Tolerates what real senders write: raw control characters and unknown escapes inside strings,
/// `nan`/`inf` numbers (C++ streams print them), trailing NUL bytes, and in `.literal` mode
/// strings that were never escaped (slsDetector writes `fname` verbatim, backslashes and all).
/// Never traps: every malformed input ends in a `StreamError` naming the byte offset.
/// A value type used by one thread at a time; the bytes must outlive it.
public struct JSONReader {
    public enum StringMode: Sendable {
        /// JSON escapes are decoded; an unknown escape keeps its backslash.
        case standard
        /// Backslashes are ordinary characters, and a quote ends the string only when followed
        /// by `,` `:` `}` `]` or the end (after spaces): how unescaped writers' output reads back.
        case literal
    }

    public let bytes: UnsafeRawBufferPointer
    public private(set) var offset: Int = 0
    public let maxDepth: Int
    public let stringMode: StringMode
    private var depth = 0

    public init(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 32, strings: StringMode = .standard) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.stringMode = strings
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
    }

    // MARK: - Structure

    /// Visits each member of the object that starts here; the visitor must consume the value
    /// (read it or `skipValue()`).
    public mutating func readObject(_ member: (String, inout JSONReader) throws(StreamError) -> Void) throws(StreamError) {
        try expect(UInt8(ascii: "{"), "'{'")
        try enter()
        defer { depth -= 1 }
        skipSpace()
        if peek() == UInt8(ascii: "}") { offset += 1; return }
        while true {
            skipSpace()
            guard peek() == UInt8(ascii: "\"") else { throw unexpected("a key in quotes") }
            let key = try readString()
            skipSpace()
            try expect(UInt8(ascii: ":"), "':'")
            skipSpace()
            let before = offset
            try member(key, &self)
            if offset == before { try skipValue() }
            skipSpace()
            guard let next = peek() else { throw truncated("an object") }
            offset += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { offset -= 1; throw unexpected("',' or '}'") }
        }
    }

    /// Visits each element of the array that starts here; the visitor must consume it.
    public mutating func readArray(_ element: (inout JSONReader) throws(StreamError) -> Void) throws(StreamError) {
        try expect(UInt8(ascii: "["), "'['")
        try enter()
        defer { depth -= 1 }
        skipSpace()
        if peek() == UInt8(ascii: "]") { offset += 1; return }
        while true {
            skipSpace()
            let before = offset
            try element(&self)
            if offset == before { try skipValue() }
            skipSpace()
            guard let next = peek() else { throw truncated("an array") }
            offset += 1
            if next == UInt8(ascii: "]") { return }
            guard next == UInt8(ascii: ",") else { offset -= 1; throw unexpected("',' or ']'") }
        }
    }

    /// Builds the value that starts here.
    public mutating func readValue() throws(StreamError) -> JSONValue {
        skipSpace()
        guard let c = peek() else { throw truncated("a value") }
        switch c {
        case UInt8(ascii: "{"):
            var members: [JSONMember] = []
            try readObject { (key, reader) throws(StreamError) in members.append(JSONMember(key, try reader.readValue())) }
            return .object(members)
        case UInt8(ascii: "["):
            var elements: [JSONValue] = []
            try readArray { (reader) throws(StreamError) in elements.append(try reader.readValue()) }
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "t"):
            try word("true"); return .bool(true)
        case UInt8(ascii: "f"):
            try word("false"); return .bool(false)
        case UInt8(ascii: "n") where peek(1) == UInt8(ascii: "u"):
            try word("null"); return .null
        default:
            return .number(try readNumber())
        }
    }

    /// Skips the value that starts here without building it.
    public mutating func skipValue() throws(StreamError) {
        skipSpace()
        guard let c = peek() else { throw truncated("a value") }
        switch c {
        case UInt8(ascii: "{"): try readObject { (_, reader) throws(StreamError) in try reader.skipValue() }
        case UInt8(ascii: "["): try readArray { (reader) throws(StreamError) in try reader.skipValue() }
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try word("true")
        case UInt8(ascii: "f"): try word("false")
        case UInt8(ascii: "n") where peek(1) == UInt8(ascii: "u"): try word("null")
        default: _ = try readNumber()
        }
    }

    /// Succeeds when only whitespace or NUL bytes (C senders include the terminator) remain.
    public mutating func finish() throws(StreamError) {
        while let c = peek(), c == 0 || isSpace(c) { offset += 1 }
        if offset < bytes.count { throw unexpected("the end") }
    }

    // MARK: - Scalars

    public mutating func readNumber() throws(StreamError) -> JSONNumber {
        skipSpace()
        let start = offset
        var negative = false
        if peek() == UInt8(ascii: "-") { negative = true; offset += 1 } else if peek() == UInt8(ascii: "+") { offset += 1 }
        if let special = try readNonFinite(negative: negative) { return special }
        var magnitude: UInt64 = 0
        var overflow = false
        var digits = 0
        while let c = peek(), c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(c - UInt8(ascii: "0")))
            overflow = overflow || o1 || o2
            magnitude = sum
            digits += 1
            offset += 1
        }
        var integral = true
        if peek() == UInt8(ascii: ".") {
            integral = false
            offset += 1
            while let c = peek(), c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { offset += 1; digits += 1 }
        }
        if digits == 0 {
            offset = start
            throw unexpected("a value")
        }
        if let c = peek(), c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            integral = false
            offset += 1
            if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { offset += 1 }
            var expDigits = 0
            while let c = peek(), c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { offset += 1; expDigits += 1 }
            if expDigits == 0 {
                if offset >= bytes.count { throw truncated("a number") }
                throw unexpected("exponent digits")
            }
        }
        if integral && !overflow {
            let signed: Int64? = negative
                ? (magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil)
                : (magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil)
            let value = negative ? -Double(magnitude) : Double(magnitude)
            return JSONNumber(double: value, unsigned: negative ? (magnitude == 0 ? 0 : nil) : magnitude, signed: signed)
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        guard let value = Double(text) else {
            offset = start
            throw StreamError(.badValue, "bad number '\(text)' at byte \(start)")
        }
        return JSONNumber(double: value)
    }

    public mutating func readString() throws(StreamError) -> String {
        let (start, end, escaped) = try scanString()
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        if !escaped || stringMode == .literal { return String(decoding: raw, as: UTF8.self) }
        return Self.unescape(raw)
    }

    /// The first significant byte ahead, without consuming it.
    public mutating func peekSignificant() -> UInt8? {
        skipSpace()
        return peek()
    }

    // MARK: - Internals

    private mutating func skipString() throws(StreamError) { _ = try scanString() }

    /// Finds the string's content bounds; the offset ends after the closing quote.
    private mutating func scanString() throws(StreamError) -> (Int, Int, Bool) {
        try expect(UInt8(ascii: "\""), "'\"'")
        let start = offset
        var escaped = false
        var firstQuote: Int?
        while offset < bytes.count {
            let c = bytes[offset]
            if c == UInt8(ascii: "\\") {
                escaped = true
                if stringMode == .standard {
                    offset += 2
                    continue
                }
            } else if c == UInt8(ascii: "\"") {
                if stringMode == .standard || quoteEndsLiteralString(at: offset) {
                    let end = offset
                    offset += 1
                    return (start, end, escaped)
                }
                if firstQuote == nil { firstQuote = offset }
            }
            offset += 1
        }
        if let end = firstQuote {
            // No quote looked like an end: take the first, so the error points near the fault.
            offset = end + 1
            return (start, end, escaped)
        }
        offset = bytes.count
        throw truncated("a string")
    }

    private func quoteEndsLiteralString(at quote: Int) -> Bool {
        var i = quote + 1
        while i < bytes.count, isSpace(bytes[i]) { i += 1 }
        guard i < bytes.count else { return true }
        switch bytes[i] {
        case UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "}"), UInt8(ascii: "]"), 0: return true
        default: return false
        }
    }

    private static func unescape(_ raw: UnsafeRawBufferPointer) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let c = raw[i]
            guard c == UInt8(ascii: "\\"), i + 1 < raw.count else { out.append(c); i += 1; continue }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                if let unit = hex4(raw, at: i) {
                    i += 4
                    var scalar = UInt32(unit)
                    if (0xD800..<0xDC00).contains(unit), i + 5 < raw.count,
                       raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u"),
                       let low = hex4(raw, at: i + 2), (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                        i += 6
                    }
                    let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(s)).utf8))
                } else {
                    out.append(c)
                    out.append(e)
                }
            default:
                // Unknown escape: the writer did not escape; keep what it wrote.
                out.append(c)
                out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex4(_ raw: UnsafeRawBufferPointer, at i: Int) -> UInt16? {
        guard i + 4 <= raw.count else { return nil }
        var v: UInt16 = 0
        for k in i..<(i + 4) {
            let c = raw[k]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            v = v << 4 | UInt16(d)
        }
        return v
    }

    private mutating func readNonFinite(negative: Bool) throws(StreamError) -> JSONNumber? {
        guard let c = peek(), c == UInt8(ascii: "n") || c == UInt8(ascii: "i") || c == UInt8(ascii: "N") || c == UInt8(ascii: "I") else {
            return nil
        }
        for (name, value) in [("nan", Double.nan), ("inf", Double.infinity)] where matchesFolded(name) {
            offset += 3
            if name == "inf", matchesFolded("inity") { offset += 5 }
            return JSONNumber(double: negative ? -value : value)
        }
        throw unexpected("a value")
    }

    private func matchesFolded(_ word: String) -> Bool {
        var i = offset
        for w in word.utf8 {
            guard i < bytes.count, bytes[i] | 0x20 == w else { return false }
            i += 1
        }
        return true
    }

    private mutating func word(_ w: StaticString) throws(StreamError) {
        let start = offset
        let p = UnsafeRawBufferPointer(start: w.utf8Start, count: w.utf8CodeUnitCount)
        for b in p {
            guard let c = peek() else { throw truncated("'\(w)'") }
            guard c == b else { offset = start; throw unexpected("a value") }
            offset += 1
        }
    }

    private mutating func enter() throws(StreamError) {
        depth += 1
        if depth > maxDepth {
            throw StreamError(.tooDeep, "nesting deeper than \(maxDepth) at byte \(offset - 1)")
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(StreamError) {
        skipSpace()
        guard let c = peek() else { throw truncated(what) }
        guard c == byte else { throw unexpected(what) }
        offset += 1
    }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        let i = offset + ahead
        return i < bytes.count ? bytes[i] : nil
    }

    private func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09
    }

    private mutating func skipSpace() {
        while offset < bytes.count, isSpace(bytes[offset]) { offset += 1 }
    }

    private func truncated(_ what: String) -> StreamError {
        StreamError(.truncated, "JSON ends at byte \(bytes.count) inside \(what)")
    }

    private func unexpected(_ what: String) -> StreamError {
        guard let c = peek() else { return truncated(what) }
        let shown = c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
        return StreamError(.notJSON, "expected \(what) at byte \(offset), found \(shown)")
    }
}
