/// Turns a decoded frame of any pixel element (8–64-bit integers, 32- and 64-bit floats, in
/// either byte order) into Float32 for the display kernels, with masked pixels as NaN, and
/// computes the frame's statistics from the ORIGINAL values in the same pass: only the display
/// loses precision (64-bit integers and float64 round to Float32). Also swaps the bytes of
/// big-endian frames whose type has its own kernels. Stateless; runs in the workers.
///
/// Masked values: unsigned integers all ones, signed integers their minimum, floats anything
/// non-finite (NaN, ±Inf) — the rules `PixelType` documents. Statistics: integers of up to 32
/// bits are summed exactly (Int64); 64-bit integers and floats are summed in Double, in pixel
/// order. Min and max are the original values as Double (exact but for 64-bit integers above
/// 2^53). Float64 values beyond Float32's range show as its largest finite value.
public enum PixelConversion {
    /// The stored element type (Processing does not know DetectorStream's `PixelType`).
    public enum Element: Sendable, CaseIterable {
        case uint8, uint16, uint32, uint64, int8, int16, int32, int64, float32, float64

        public var byteCount: Int {
            switch self {
            case .uint8, .int8: 1
            case .uint16, .int16: 2
            case .uint32, .int32, .float32: 4
            case .uint64, .int64, .float64: 8
            }
        }
    }

    /// Converts `out.count` pixels from `source` (exactly `out.count × element.byteCount`
    /// bytes, any alignment). Nil, and nothing written, when the sizes disagree.
    public static func toFloat(_ source: UnsafeRawBufferPointer, element: Element, bigEndian: Bool,
                               into out: UnsafeMutableBufferPointer<Float>) -> FrameStats? {
        guard source.count == out.count * element.byteCount else { return nil }
        guard out.count > 0, let base = source.baseAddress, let target = out.baseAddress else {
            return .noPixels()
        }
        let n = out.count
        return switch element {
        case .uint8: integers(base, UInt8.self, mask: .max, bigEndian, target, n)
        case .uint16: integers(base, UInt16.self, mask: .max, bigEndian, target, n)
        case .uint32: integers(base, UInt32.self, mask: .max, bigEndian, target, n)
        case .uint64: integers(base, UInt64.self, mask: .max, bigEndian, target, n)
        case .int8: integers(base, Int8.self, mask: .min, bigEndian, target, n)
        case .int16: integers(base, Int16.self, mask: .min, bigEndian, target, n)
        case .int32: integers(base, Int32.self, mask: .min, bigEndian, target, n)
        case .int64: integers(base, Int64.self, mask: .min, bigEndian, target, n)
        case .float32: floats(base, Float.self, bigEndian, target, n)
        case .float64: floats(base, Double.self, bigEndian, target, n)
        }
    }

    /// Reverses the bytes of every `elementSize`-byte element in place (2, 4 or 8; other sizes
    /// and a buffer that is not whole elements leave it untouched and return false).
    @discardableResult
    public static func swapBytes(_ buffer: UnsafeMutableRawBufferPointer, elementSize: Int) -> Bool {
        copySwappingBytes(from: UnsafeRawBufferPointer(buffer), to: buffer, elementSize: elementSize)
    }

    /// Copies `source` into `target` (same size; they may be the same memory) reversing the
    /// bytes of every element. False, and nothing written, on a size that does not fit.
    @discardableResult
    public static func copySwappingBytes(from source: UnsafeRawBufferPointer, to target: UnsafeMutableRawBufferPointer,
                                         elementSize: Int) -> Bool {
        guard source.count == target.count, [2, 4, 8].contains(elementSize), source.count % elementSize == 0 else {
            return false
        }
        guard let from = source.baseAddress, let to = target.baseAddress else { return true }
        let n = source.count / elementSize
        switch elementSize {
        case 2: swap(from, to, n, UInt16.self)
        case 4: swap(from, to, n, UInt32.self)
        default: swap(from, to, n, UInt64.self)
        }
        return true
    }

    @inline(__always)
    private static func swap<T: FixedWidthInteger>(_ from: UnsafeRawPointer, _ to: UnsafeMutableRawPointer, _ n: Int, _: T.Type) {
        let size = MemoryLayout<T>.size
        for i in 0..<n {
            let v = from.loadUnaligned(fromByteOffset: i &* size, as: T.self)
            to.storeBytes(of: v.byteSwapped, toByteOffset: i &* size, as: T.self)
        }
    }

    @inline(__always)
    private static func integers<T: FixedWidthInteger>(_ source: UnsafeRawPointer, _: T.Type, mask: T, _ bigEndian: Bool,
                                                        _ out: UnsafeMutablePointer<Float>, _ n: Int) -> FrameStats {
        let size = MemoryLayout<T>.size
        // Up to 32 bits an Int64 sum is exact for any frame below 2^31 pixels.
        let exactSum = T.bitWidth <= 32
        var exact: Int64 = 0, approximate = 0.0
        var masked = 0
        var low = T.max, high = T.min
        for i in 0..<n {
            let stored = source.loadUnaligned(fromByteOffset: i &* size, as: T.self)
            let v = bigEndian ? T(bigEndian: stored) : T(littleEndian: stored)
            if v == mask {
                masked += 1
                out[i] = .nan
                continue
            }
            if exactSum { exact &+= Int64(truncatingIfNeeded: v) } else { approximate += Double(v) }
            low = v < low ? v : low
            high = v > high ? v : high
            out[i] = Float(v)
        }
        return summary(sum: exactSum ? Double(exact) : approximate, min: Double(low), max: Double(high),
                       masked: masked, total: n)
    }

    @inline(__always)
    private static func floats<F: StoredFloat>(_ source: UnsafeRawPointer, _: F.Type, _ bigEndian: Bool,
                                               _ out: UnsafeMutablePointer<Float>, _ n: Int) -> FrameStats {
        let size = MemoryLayout<F.Bits>.size
        let largest = Double(Float.greatestFiniteMagnitude)
        var sum = 0.0, masked = 0
        var low = Double.infinity, high = -Double.infinity
        for i in 0..<n {
            let stored = source.loadUnaligned(fromByteOffset: i &* size, as: F.Bits.self)
            let v = F(bitPattern: bigEndian ? F.Bits(bigEndian: stored) : F.Bits(littleEndian: stored)).double
            if !v.isFinite {
                masked += 1
                out[i] = .nan
                continue
            }
            sum += v
            low = v < low ? v : low
            high = v > high ? v : high
            out[i] = Float(v < -largest ? -largest : v > largest ? largest : v)
        }
        return summary(sum: sum, min: low, max: high, masked: masked, total: n)
    }

    private static func summary(sum: Double, min: Double, max: Double, masked: Int, total: Int) -> FrameStats {
        let count = total - masked
        guard count > 0 else { return .noPixels(masked: masked) }
        return FrameStats(sum: sum, min: min, max: max, mean: sum / Double(count), masked: masked, count: count)
    }
}

/// A float stored as its IEEE bit pattern, widened to Double for the statistics.
protocol StoredFloat {
    associatedtype Bits: FixedWidthInteger & UnsignedInteger
    init(bitPattern: Bits)
    var double: Double { get }
}

extension Float: StoredFloat {
    var double: Double { Double(self) }
}

extension Double: StoredFloat {
    var double: Double { self }
}
