import Processing

/// The workers' shares of one mode's view that agree on mode, clear, pedestal and display
/// shape, as the viewer's composer hands them to the mode's unit (`ModeRegistry.compose`).
/// A plain value, made on the viewer's main thread.
public struct ViewShares: Sendable {
    /// One worker's share: image A, image B (empty when it has none), and their frames.
    public struct Part: Sendable {
        public var a: [Float]
        public var b: [Float]
        public var framesA: UInt64
        public var framesB: UInt64

        public init(a: [Float], b: [Float], framesA: UInt64, framesB: UInt64) {
            self.a = a
            self.b = b
            self.framesA = framesA
            self.framesB = framesB
        }
    }

    /// Pixels of every image A (and of every B that counts).
    public var pixelCount: Int
    public var parts: [Part]

    public init(pixelCount: Int, parts: [Part]) {
        self.pixelCount = pixelCount
        self.parts = parts
    }

    /// Frames in every part, per side.
    var framesA: UInt64 { parts.reduce(0) { $0 + $1.framesA } }
    var framesB: UInt64 { parts.reduce(0) { $0 + $1.framesB } }
    /// The parts whose image B has the view's size.
    var withB: [Part] { parts.filter { $0.b.count == pixelCount } }
}

/// The arithmetic the modes' compositions share. NaN (a masked bin) counts as missing, not
/// as zero. Pure.
enum ShareMath {
    /// Per pixel, the sum over the images.
    static func total(_ images: [[Float]], _ count: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: count)
        for image in images {
            for i in 0..<count where !image[i].isNaN {
                out[i] = out[i].isNaN ? image[i] : out[i] + image[i]
            }
        }
        return out
    }

    /// Per pixel, the largest over the images.
    static func maximum(_ images: [[Float]], _ count: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: count)
        for image in images {
            for i in 0..<count where !image[i].isNaN && (out[i].isNaN || image[i] > out[i]) { out[i] = image[i] }
        }
        return out
    }

    /// The image over a frame count (all NaN for no frames).
    static func scaled(_ image: [Float], by frames: UInt64) -> [Float] {
        guard frames > 0 else { return image.map { _ in .nan } }
        let f = Float(frames)
        return image.map { $0 / f }
    }

    /// Image A, image B, or their combination, as the pump-probe view asks.
    static func pick(_ view: PumpView, a: [Float], b: [Float], hasB: Bool,
                     difference: (Float, Float) -> Float) -> [Float] {
        guard hasB else { return a }
        switch view {
        case .unpumped: return a
        case .pumped: return b
        case .difference: return zip(b, a).map { difference($0, $1) }
        }
    }

    /// The view of a mode whose shares are totals (counts, sums): totals per side, and their
    /// difference taken per frame, as pumped and unpumped frame counts differ.
    static func totals(_ shares: ViewShares, pumpView: PumpView) -> [Float] {
        let count = shares.pixelCount, withB = shares.withB
        let a = total(shares.parts.map(\.a), count), b = total(withB.map(\.b), count)
        if pumpView == .difference, !withB.isEmpty {
            return zip(scaled(b, by: shares.framesB), scaled(a, by: shares.framesA)).map { $0 - $1 }
        }
        return pick(pumpView, a: a, b: b, hasB: !withB.isEmpty) { $0 - $1 }
    }
}
