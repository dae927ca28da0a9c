/// JSON string literals, for every JSON text detview writes: the SIMPLON encoder's config and
/// the viewer's headless lines. Hand-written because those writers build flat objects at up
/// to the frame rate and avoid Foundation's encoders; one escaper so both agree byte for byte.
public enum JSONString {
    /// `s` in double quotes: `"` and `\` escaped, newline, return and tab as `\n` `\r` `\t`,
    /// other control characters as `\u00XX`; everything else (UTF-8 included) as it is.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
