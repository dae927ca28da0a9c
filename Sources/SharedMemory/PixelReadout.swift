/// The pixel inspector's readout of one frame: the inspected pixel's 3×3 neighbourhood as the
/// stream sent it and as the mode processed it, why each of the nine is masked, its JUNGFRAU
/// gain stages, and, for a binned display, where in the display pixel's bin its maximum lies.
///
/// Written by the worker that processed the frame (only it sees the full-resolution pixels)
/// into that frame's `FrameResult`, so a headless frame line and the panel show numbers of
/// the very frame they name. Plain old data; enum-like fields are stored raw.
public struct PixelReadout: Sendable, Equatable {
    /// Why a pixel does not count (`masked` codes).
    public enum Reason: UInt8, Sendable, CaseIterable {
        case none = 0
        /// The all-ones value of the pixel type: detector gaps, saturated or defective pixels.
        case allOnes = 1
        /// The stream's pixel mask names it.
        case streamMask = 2
        /// Not a number (a masked float pixel, or what the detector sent).
        case nan = 3
        /// JUNGFRAU gain code 2, which no working pixel sends.
        case brokenGain = 4
        /// Outside the frame (a neighbour of an edge pixel).
        case outside = 5

        /// The word a readout shows (headless `reason`, the panel).
        public var name: String {
            switch self {
            case .none: "none"
            case .allOnes: "all-ones"
            case .streamMask: "stream-mask"
            case .nan: "nan"
            case .brokenGain: "gain-code-2"
            case .outside: "outside"
            }
        }
    }

    /// No gain stage (the detector sends no gain bits, or the pixel is masked).
    public static let noGain: UInt8 = 255

    /// The inspected pixel (detector pixels); (-1, -1) in a result without a readout.
    public var x: Int32 = -1
    public var y: Int32 = -1
    /// Row-major 3×3 around (x, y): `raw[4]` is the pixel itself. NaN outside the frame.
    public var raw = InlineArray<9, Float>(repeating: .nan)
    /// The same pixels after masks and the gain view (what the mode works on).
    public var value = InlineArray<9, Float>(repeating: .nan)
    /// `Reason` raw values, one per neighbour.
    public var reasons = InlineArray<9, UInt8>(repeating: 0)
    /// Gain stage 0, 1, 2 per neighbour, `noGain` when there is none.
    public var gains = InlineArray<9, UInt8>(repeating: PixelReadout.noGain)
    /// The pixel of the display pixel's bin that holds the bin's maximum (what the binned
    /// display shows there); (-1, -1) when nothing is binned (no display) or all are masked.
    public var binMaxX: Int32 = -1
    public var binMaxY: Int32 = -1
    /// The bin's bounds (detector pixels, `x0..<x1`, `y0..<y1`); empty without a display.
    public var binX0: Int32 = 0
    public var binY0: Int32 = 0
    public var binX1: Int32 = 0
    public var binY1: Int32 = 0

    public init() {}

    /// The result carries a readout.
    public var isPresent: Bool { x >= 0 && y >= 0 }

    /// The centre pixel's masking reason.
    public var reason: Reason { Reason(rawValue: reasons[4]) ?? .none }
    public var isMasked: Bool { reason != .none }

    /// The neighbour at column offset `dx`, row offset `dy` (each -1…1).
    public static func index(dx: Int, dy: Int) -> Int { (dy + 1) * 3 + dx + 1 }

    /// The bin covers more than the pixel itself (the display is binned there).
    public var isBinned: Bool { binX1 - binX0 > 1 || binY1 - binY0 > 1 }

    /// Mixes every field into a record checksum (see `FrameResult.checksum`).
    func mix(into mix: (UInt64) -> Void) {
        mix(UInt64(UInt32(bitPattern: x)) << 32 | UInt64(UInt32(bitPattern: y)))
        for i in 0..<9 {
            mix(UInt64(raw[i].bitPattern) << 32 | UInt64(value[i].bitPattern))
            mix(UInt64(reasons[i]) << 8 | UInt64(gains[i]))
        }
        mix(UInt64(UInt32(bitPattern: binMaxX)) << 32 | UInt64(UInt32(bitPattern: binMaxY)))
        mix(UInt64(UInt32(bitPattern: binX0)) << 32 | UInt64(UInt32(bitPattern: binY0)))
        mix(UInt64(UInt32(bitPattern: binX1)) << 32 | UInt64(UInt32(bitPattern: binY1)))
    }

    /// Equal field by field; NaN values compare equal to NaN (a readout read back equals itself).
    public static func == (a: PixelReadout, b: PixelReadout) -> Bool {
        var ha: [UInt64] = [], hb: [UInt64] = []
        a.mix { ha.append($0) }
        b.mix { hb.append($0) }
        return ha == hb
    }
}
