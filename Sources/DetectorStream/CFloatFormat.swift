/// Prints a Double exactly as C's `printf("%f")` and a default C++ `ostream <<` (`%g`, six
/// significant digits) do, so that headers we write match the slsDetector receiver's byte for byte.
/// Correctly rounded (half to even on exact ties, like glibc), without Foundation: the decimal
/// scaling is done on an exact big integer, not in floating point. Stateless.
public enum CFloatFormat {
    /// `printf("%f", x)`: six decimals ("100.000000").
    public static func fixed(_ x: Double, precision: Int = 6) -> String {
        if let special = nonFinite(x) { return special }
        let sign = x.sign == .minus ? "-" : ""
        var digits = Array(roundedScaled(abs(x), by: precision).decimalString().utf8)
        if digits.count <= precision {
            digits.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: precision + 1 - digits.count), at: 0)
        }
        if precision > 0 { digits.insert(UInt8(ascii: "."), at: digits.count - precision) }
        return sign + String(decoding: digits, as: UTF8.self)
    }

    /// `std::ostream << x` with default flags, which is `printf("%g", x)`: "0.333333", "100", "1e-05".
    public static func general(_ x: Double, precision: Int = 6) -> String {
        if let special = nonFinite(x) { return special }
        let sign = x.sign == .minus ? "-" : ""
        if x == 0 { return sign + "0" }
        let p = max(precision, 1)
        let magnitude = abs(x)
        var exponent = (magnitude.exponent * 78913) >> 18   // ≈ floor(log2 · log10 2), fixed below
        var q = roundedScaled(magnitude, by: p - 1 - exponent)
        for _ in 0..<8 {
            if q.compare(powerOfTen: p) >= 0 {
                exponent += 1
            } else if q.compare(powerOfTen: p - 1) < 0 {
                exponent -= 1
            } else {
                break
            }
            q = roundedScaled(magnitude, by: p - 1 - exponent)
        }
        let digits = Array(q.decimalString().utf8)   // exactly p digits
        guard digits.count == p else { return sign + String(magnitude) }   // unreachable; never trap
        var out: [UInt8] = []
        if exponent >= -4 && exponent < p {
            if exponent >= 0 {
                out.append(contentsOf: digits[0...exponent])
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[(exponent + 1)...])
            } else {
                out.append(contentsOf: Array("0.".utf8))
                out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -exponent - 1))
                out.append(contentsOf: digits)
            }
            stripFraction(&out)
        } else {
            out.append(digits[0])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[1...])
            stripFraction(&out)
            out.append(contentsOf: Array((exponent < 0 ? "e-" : "e+").utf8))
            let e = abs(exponent)
            if e < 10 { out.append(UInt8(ascii: "0")) }
            out.append(contentsOf: Array(String(e).utf8))
        }
        return sign + String(decoding: out, as: UTF8.self)
    }

    private static func nonFinite(_ x: Double) -> String? {
        if x.isNaN { return x.sign == .minus ? "-nan" : "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        return nil
    }

    /// Drops trailing zeros of a fraction, and the point when nothing is left after it.
    private static func stripFraction(_ out: inout [UInt8]) {
        guard out.contains(UInt8(ascii: ".")) else { return }
        while out.last == UInt8(ascii: "0") { out.removeLast() }
        if out.last == UInt8(ascii: ".") { out.removeLast() }
    }

    /// round(x · 10^scale), half to even, exactly: x = m · 2^e, so the quotient 2·m·10^s / (2^k · 10^j)
    /// is computed on a big integer; its lowest bit is the half, the remainders the sticky bit.
    static func roundedScaled(_ x: Double, by scale: Int) -> BigUInt {
        let significand = x.significandBitPattern
        let biased = Int(x.exponentBitPattern)
        let m = biased == 0 ? significand : significand | (1 << 52)
        let e = biased == 0 ? -1074 : biased - 1075
        var t = BigUInt(m)
        t.shiftLeft(1)
        if scale > 0 { for _ in 0..<scale { t.multiply(by: 10) } }
        if e > 0 { t.shiftLeft(e) }
        var sticky = false
        if e < 0 { sticky = t.shiftRight(-e) }
        if scale < 0 {
            for _ in 0..<(-scale) {
                if t.divide(by: 10) != 0 { sticky = true }
            }
        }
        let half = t.lowBit
        _ = t.shiftRight(1)
        if half && (sticky || t.lowBit) { t.addOne() }
        return t
    }
}

/// A minimal unsigned big integer (little-endian 32-bit limbs) for exact decimal rounding.
struct BigUInt {
    private(set) var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        trim()
    }

    var isZero: Bool { limbs.isEmpty }
    var lowBit: Bool { !limbs.isEmpty && limbs[0] & 1 == 1 }

    mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let v = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(truncatingIfNeeded: v)
            carry = v >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }

    /// Returns the remainder.
    mutating func divide(by divisor: UInt32) -> UInt32 {
        var remainder: UInt64 = 0
        for i in limbs.indices.reversed() {
            let v = remainder << 32 | UInt64(limbs[i])
            limbs[i] = UInt32(v / UInt64(divisor))
            remainder = v % UInt64(divisor)
        }
        trim()
        return UInt32(remainder)
    }

    mutating func shiftLeft(_ bits: Int) {
        guard bits > 0, !limbs.isEmpty else { return }
        let whole = bits / 32, part = bits % 32
        if part > 0 {
            var carry: UInt32 = 0
            for i in limbs.indices {
                let v = limbs[i]
                limbs[i] = v << part | carry
                carry = v >> (32 - part)
            }
            if carry != 0 { limbs.append(carry) }
        }
        limbs.insert(contentsOf: repeatElement(0, count: whole), at: 0)
    }

    /// Returns whether any bit shifted out was set.
    mutating func shiftRight(_ bits: Int) -> Bool {
        guard bits > 0, !limbs.isEmpty else { return false }
        let whole = bits / 32, part = bits % 32
        if whole >= limbs.count {
            limbs = []
            return true
        }
        var lost = limbs[0..<whole].contains { $0 != 0 }
        limbs.removeFirst(whole)
        if part > 0 {
            lost = lost || limbs[0] & ((1 << part) - 1) != 0
            for i in limbs.indices {
                let high: UInt32 = i + 1 < limbs.count ? limbs[i + 1] << (32 - part) : 0
                limbs[i] = limbs[i] >> part | high
            }
        }
        trim()
        return lost
    }

    mutating func addOne() {
        for i in limbs.indices {
            limbs[i] &+= 1
            if limbs[i] != 0 { return }
        }
        limbs.append(1)
    }

    /// -1, 0, 1 as self is below, at, above 10^n.
    func compare(powerOfTen n: Int) -> Int {
        var p = BigUInt(1)
        for _ in 0..<max(n, 0) { p.multiply(by: 10) }
        if limbs.count != p.limbs.count { return limbs.count < p.limbs.count ? -1 : 1 }
        for i in limbs.indices.reversed() where limbs[i] != p.limbs[i] {
            return limbs[i] < p.limbs[i] ? -1 : 1
        }
        return 0
    }

    func decimalString() -> String {
        if limbs.isEmpty { return "0" }
        var n = self
        var chunks: [UInt32] = []
        while !n.isZero { chunks.append(n.divide(by: 1_000_000_000)) }
        var s = String(chunks.removeLast())
        for chunk in chunks.reversed() {
            let c = String(chunk)
            s += String(repeating: "0", count: 9 - c.count) + c
        }
        return s
    }

    private mutating func trim() {
        while limbs.last == 0 { limbs.removeLast() }
    }
}
