import DetectorStream

/// Builds one JSON object as a single line, in the order the fields are added.
///
/// Small on purpose: the headless output is flat objects of numbers and strings, written
/// at up to the frame rate, so it avoids Foundation's encoders and their allocations.
public struct JSONLine {
    private var text = "{"
    private var first = true

    public init() {}

    public mutating func add(_ key: String, _ value: String) {
        field(key)
        text += JSONString.quoted(value)
    }

    public mutating func add(_ key: String, _ value: Int) { field(key); text += String(value) }
    public mutating func add(_ key: String, _ value: UInt64) { field(key); text += String(value) }
    public mutating func add(_ key: String, _ value: Bool) { field(key); text += value ? "true" : "false" }

    /// Integral values print as integers (pixel sums are exact); NaN and infinities as null.
    public mutating func add(_ key: String, _ value: Double) {
        field(key)
        text += Self.number(value)
    }

    /// A value that is already JSON (an array or object built elsewhere).
    public mutating func addRaw(_ key: String, _ json: String) {
        field(key)
        text += json
    }

    public var line: String { text + "}" }

    private mutating func field(_ key: String) {
        if !first { text += "," }
        first = false
        text += JSONString.quoted(key)
        text += ":"
    }

    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 9.007_199_254_740_992e15 {
            return String(Int64(value))
        }
        return String(value)
    }
}
