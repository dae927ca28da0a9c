/// Building `CBORValue` trees and skipping items on top of `CBORReader`'s tokens. Both are
/// bounded: nesting (tags count as a level) by `maxDepth`, a tree's size by `maxItems`, so a
/// hostile message costs at most time and memory proportional to its own length.
extension CBORReader {
    public static let defaultMaxDepth = 32
    public static let defaultMaxItems = 1 << 18

    /// Reads exactly one item that must fill `bytes` to the end (a whole message).
    public static func readMessage(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth,
                                   maxItems: Int = defaultMaxItems) throws(StreamError) -> CBORValue {
        var reader = CBORReader(bytes)
        let value = try reader.readValue(maxDepth: maxDepth, maxItems: maxItems)
        guard reader.isAtEnd else {
            throw StreamError(.badValue, "cbor: \(reader.remaining) bytes follow the message's item at byte \(reader.offset)")
        }
        return value
    }

    /// Reads the next item and everything inside it.
    public mutating func readValue(maxDepth: Int = defaultMaxDepth, maxItems: Int = defaultMaxItems) throws(StreamError) -> CBORValue {
        var budget = maxItems
        return try readValue(depth: 0, maxDepth: maxDepth, budget: &budget)
    }

    /// Steps over the next item and everything inside it without building anything.
    public mutating func skipValue(maxDepth: Int = defaultMaxDepth) throws(StreamError) {
        var budget = Int.max
        _ = try readValue(depth: 0, maxDepth: maxDepth, budget: &budget, build: false)
    }

    private mutating func readValue(depth: Int, maxDepth: Int, budget: inout Int, build: Bool = true) throws(StreamError) -> CBORValue {
        let start = offset
        let token = try next()
        guard budget > 0 else {
            throw StreamError(.tooLarge, "cbor: more items than a message may hold, at byte \(start)")
        }
        budget -= 1
        func nested() throws(StreamError) -> Int {
            guard depth < maxDepth else {
                throw StreamError(.tooDeep, "cbor: nesting deeper than \(maxDepth) at byte \(start)")
            }
            return depth + 1
        }
        switch token {
        case .unsigned(let n): return .unsigned(n)
        case .negative(let n): return .negative(n)
        case .bytes(let r): return .bytes(r)
        case .text(let r): return .text(try text(r, at: start))
        case .bytesStart, .textStart:
            let isText = token == .textStart
            var chunks: [Range<Int>] = []
            while true {
                let chunkStart = offset
                switch try next() {
                case .breakMark:
                    if isText {
                        var utf8: [UInt8] = []
                        for chunk in chunks { utf8.append(contentsOf: bytes[chunk]) }
                        return .text(try text(utf8, at: start))
                    }
                    return .chunkedBytes(chunks)
                case .bytes(let r) where !isText: chunks.append(r)
                case .text(let r) where isText: chunks.append(r)
                default:
                    throw StreamError(.badValue, "cbor: chunk at byte \(chunkStart) of the indefinite \(isText ? "text" : "byte") string at byte \(start) is not a definite \(isText ? "text" : "byte") string")
                }
                guard budget > 0 else { throw StreamError(.tooLarge, "cbor: too many chunks at byte \(chunkStart)") }
                budget -= 1
            }
        case .arrayStart(let count):
            let inner = try nested()
            var items: [CBORValue] = []
            if let count {
                if build { items.reserveCapacity(min(count, budget)) }
                for _ in 0..<count {
                    let item = try readValue(depth: inner, maxDepth: maxDepth, budget: &budget, build: build)
                    if build { items.append(item) }
                }
            } else {
                while try !consumeBreak() {
                    let item = try readValue(depth: inner, maxDepth: maxDepth, budget: &budget, build: build)
                    if build { items.append(item) }
                }
            }
            return .array(items)
        case .mapStart(let count):
            let inner = try nested()
            var pairs: [CBORPair] = []
            if let count {
                if build { pairs.reserveCapacity(min(count, budget)) }
                for _ in 0..<count {
                    let key = try readValue(depth: inner, maxDepth: maxDepth, budget: &budget, build: build)
                    let value = try readValue(depth: inner, maxDepth: maxDepth, budget: &budget, build: build)
                    if build { pairs.append(CBORPair(key, value)) }
                }
            } else {
                while try !consumeBreak() {
                    let key = try readValue(depth: inner, maxDepth: maxDepth, budget: &budget, build: build)
                    if try consumeBreak() {
                        throw StreamError(.badValue, "cbor: indefinite map at byte \(start) ends after a key with no value")
                    }
                    let value = try readValue(depth: inner, maxDepth: maxDepth, budget: &budget, build: build)
                    if build { pairs.append(CBORPair(key, value)) }
                }
            }
            return .map(pairs)
        case .tag(let tag):
            let inner = try nested()
            let content = try readValue(depth: inner, maxDepth: maxDepth, budget: &budget, build: build)
            // Self-described CBOR (55799) only announces the format: it adds no meaning.
            return tag == 55799 ? content : .tagged(tag, content)
        case .simple(let v): return .simple(v)
        case .bool(let b): return .bool(b)
        case .null: return .null
        case .undefined: return .undefined
        case .float(let x): return .float(x)
        case .breakMark:
            throw StreamError(.badValue, "cbor: break at byte \(start) outside an indefinite-length item")
        }
    }

    /// Consumes a break if one is next; an indefinite item that runs out of input is truncated.
    private mutating func consumeBreak() throws(StreamError) -> Bool {
        guard offset < bytes.count else {
            throw StreamError(.truncated, "cbor: input ends at byte \(offset) inside an indefinite-length item")
        }
        guard bytes[offset] == 0xFF else { return false }
        offset += 1
        return true
    }

    private func text(_ range: Range<Int>, at start: Int) throws(StreamError) -> String {
        try text(bytes[range], at: start)
    }

    private func text(_ utf8: some Collection<UInt8>, at start: Int) throws(StreamError) -> String {
        guard let s = String(validating: utf8, as: UTF8.self) else {
            throw StreamError(.badValue, "cbor: text string at byte \(start) is not valid UTF-8")
        }
        return s
    }
}
