import Processing
import SharedMemory

/// One worker's entry of the view board, as the UI copied it.
public struct ViewPart: Sendable {
    public var header: ViewHeader
    public var a: [Float]
    public var b: [Float]

    public init(header: ViewHeader, a: [Float], b: [Float] = []) {
        self.header = header
        self.a = a
        self.b = b
    }
}

/// Which accumulation a pump-probe view shows (`u` cycles them).
public enum PumpView: Sendable, Equatable, CaseIterable {
    case unpumped, pumped, difference

    public var name: String {
        switch self {
        case .unpumped: "unpumped"
        case .pumped: "pumped"
        case .difference: "pumped − unpumped (per frame)"
        }
    }
}

/// What pedestal mode shows of the dark level: its per-pixel mean, or its σ.
public enum PedestalView: Sendable, Equatable, CaseIterable {
    case mean, sigma

    public var name: String {
        switch self {
        case .mean: "mean"
        case .sigma: "σ"
        }
    }
}

/// An accumulated view composed from every worker's share: a display image (or, for the
/// radial profile, a curve), the frames in it, and the pedestal's state.
public struct ComposedView: Sendable, Equatable {
    public var mode: ProcessingMode
    public var width = 0
    public var height = 0
    public var frameWidth = 0
    public var frameHeight = 0
    public var pixels: [Float] = []
    public var framesA: UInt64 = 0
    public var framesB: UInt64 = 0
    public var pedestalFrames: UInt64 = 0
    /// Every contributing worker's pedestal is good enough to subtract.
    public var pedestalReady = false
    public var workers = 0

    public init(mode: ProcessingMode) {
        self.mode = mode
    }
}

/// Composes the view of an accumulating mode from the workers' shares. Pure: the session
/// feeds it what it read from the view board.
///
/// Shares are binned with a linear binning (mean) so that adding them is exact: sums add,
/// means are total sums over total frames, maxima take the maximum, the pedestal is the
/// frame-weighted mean (its σ the pooled one: each worker's variance plus its mean's spread
/// around the common mean), a radial profile is total ring sums over total ring pixels. NaN
/// (a masked bin) counts as missing, not as zero.
public enum ViewComposer {
    public static func compose(mode: ProcessingMode, pumpView: PumpView, pedestalView: PedestalView = .mean,
                               clears: UInt32, pedestalResets: UInt32, parts: [ViewPart]) -> ComposedView? {
        let current = parts.filter {
            $0.header.mode == mode.rawValue && $0.header.clears == clears
                && (!mode.usesPedestal || $0.header.pedestalResets == pedestalResets)
        }
        guard let newest = current.max(by: { $0.header.sequence < $1.header.sequence }) else { return nil }
        let shape = (newest.header.imageWidth, newest.header.imageHeight)
        let usable = current.filter { ($0.header.imageWidth, $0.header.imageHeight) == shape && $0.a.count == $0.header.imagePixelCount }
        var view = ComposedView(mode: mode)
        view.width = Int(shape.0)
        view.height = Int(shape.1)
        view.frameWidth = Int(newest.header.frameWidth)
        view.frameHeight = Int(newest.header.frameHeight)
        view.workers = usable.count
        view.framesA = usable.reduce(0) { $0 + $1.header.framesA }
        view.framesB = usable.reduce(0) { $0 + $1.header.framesB }
        view.pedestalFrames = usable.reduce(0) { $0 + $1.header.pedestalFrames }
        view.pedestalReady = usable.allSatisfy { $0.header.pedestalReady != 0 }
        let count = newest.header.imagePixelCount
        let withB = usable.filter { $0.b.count == count }

        switch mode {
        case .radial:
            let sums = total(usable.map(\.a), count), pixels = total(withB.map(\.b), count)
            view.pixels = zip(sums, pixels).map { $1 > 0 ? $0 / $1 : .nan }
        case .pedestal:
            let mean = weightedMean(usable.map { ($0.a, Float($0.header.framesA)) }, count)
            view.pixels = pedestalView == .mean
                ? mean : pooledSigma(withB.map { ($0.a, $0.b, Float($0.header.framesA)) }, mean: mean, count)
        case .max:
            let a = maximum(usable.map(\.a), count), b = maximum(withB.map(\.b), count)
            view.pixels = pick(pumpView, a: a, b: b, hasB: !withB.isEmpty) { pumped, unpumped in pumped - unpumped }
        case .mean:
            let a = scaled(total(usable.map(\.a), count), by: view.framesA)
            let b = scaled(total(withB.map(\.b), count), by: view.framesB)
            view.pixels = pick(pumpView, a: a, b: b, hasB: !withB.isEmpty) { $0 - $1 }
        default:
            // Totals; their difference is taken per frame, as pumped and unpumped counts differ.
            let a = total(usable.map(\.a), count), b = total(withB.map(\.b), count)
            if pumpView == .difference, !withB.isEmpty {
                view.pixels = zip(scaled(b, by: view.framesB), scaled(a, by: view.framesA)).map { $0 - $1 }
            } else {
                view.pixels = pick(pumpView, a: a, b: b, hasB: !withB.isEmpty) { $0 - $1 }
            }
        }
        return view
    }

    /// Image A, image B, or their combination, as the pump-probe view asks.
    private static func pick(_ view: PumpView, a: [Float], b: [Float], hasB: Bool,
                             difference: (Float, Float) -> Float) -> [Float] {
        guard hasB else { return a }
        switch view {
        case .unpumped: return a
        case .pumped: return b
        case .difference: return zip(b, a).map { difference($0, $1) }
        }
    }

    private static func total(_ images: [[Float]], _ count: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: count)
        for image in images {
            for i in 0..<count where !image[i].isNaN {
                out[i] = out[i].isNaN ? image[i] : out[i] + image[i]
            }
        }
        return out
    }

    private static func maximum(_ images: [[Float]], _ count: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: count)
        for image in images {
            for i in 0..<count where !image[i].isNaN && (out[i].isNaN || image[i] > out[i]) { out[i] = image[i] }
        }
        return out
    }

    private static func weightedMean(_ images: [([Float], Float)], _ count: Int) -> [Float] {
        var sum = [Float](repeating: 0, count: count), weight = [Float](repeating: 0, count: count)
        for (image, w) in images where w > 0 {
            for i in 0..<count where !image[i].isNaN {
                sum[i] += image[i] * w
                weight[i] += w
            }
        }
        return zip(sum, weight).map { $1 > 0 ? $0 / $1 : .nan }
    }

    /// σ of the workers' pedestals taken together, from each one's mean and variance (B):
    /// Σ w (variance + (mean − common mean)²) / Σ w, as the variance of the union of their frames.
    private static func pooledSigma(_ parts: [(mean: [Float], variance: [Float], weight: Float)], mean: [Float],
                                    _ count: Int) -> [Float] {
        var sum = [Float](repeating: 0, count: count), weight = [Float](repeating: 0, count: count)
        for (m, v, w) in parts where w > 0 {
            for i in 0..<count where !m[i].isNaN && !v[i].isNaN {
                let d = m[i] - mean[i]
                sum[i] += w * (v[i] + d * d)
                weight[i] += w
            }
        }
        return zip(sum, weight).map { $1 > 0 ? ($0 / $1).squareRoot() : .nan }
    }

    private static func scaled(_ image: [Float], by frames: UInt64) -> [Float] {
        guard frames > 0 else { return image.map { _ in .nan } }
        let f = Float(frames)
        return image.map { $0 / f }
    }
}
