#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Short renderings of numbers for labels that have only a few cells: "0", "0.53", "12.5", "1234",
/// "1.2e5", "-3.4e-3". At most 7 characters for any finite value.
///
/// Pure function, no Foundation (no `String(format:)`).
public enum CompactNumber {
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        let sign = value < 0 ? "-" : ""
        let a = abs(value)
        if a == 0 { return "0" }
        if a >= 99_999.5 || a < 0.01 {
            var exponent = Int(log10(a).rounded(.down))
            var mantissa = (a / pow(10, Double(exponent)) * 10).rounded() / 10
            if mantissa >= 10 { mantissa /= 10; exponent += 1 }
            return sign + fixed(mantissa, decimals: 1) + "e" + String(exponent)
        }
        if a >= 99.95 { return sign + fixed(a, decimals: 0) }
        if a >= 9.995 { return sign + fixed(a, decimals: 1) }
        return sign + fixed(a, decimals: 2)
    }

    /// Non-negative `a` with up to `decimals` decimals, trailing zeros (and a bare point) dropped.
    static func fixed(_ a: Double, decimals: Int) -> String {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((a * Double(scale)).rounded())
        let whole = scaled / scale
        var fraction = String(scaled % scale)
        guard decimals > 0 else { return String(whole) }
        fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
    }
}
