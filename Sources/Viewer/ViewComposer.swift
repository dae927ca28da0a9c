import Processing
import SharedMemory
import Workers

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
    /// The viewport the shares were binned for (see `DisplayImage`).
    public var viewGeneration: UInt32 = 0
    public var region: PixelRegion?

    public init(mode: ProcessingMode) {
        self.mode = mode
    }
}

/// Composes the view of an accumulating mode from the workers' shares. Pure: the session
/// feeds it what it read from the view board.
///
/// What every mode shares is done here: only the shares of the mode, clear and pedestal
/// shown count, and only those of the newest share's display shape; their frames and the
/// pedestal's state add up. The pixels come from the mode's own composition (each mode's
/// unit under `Workers/Modes`, through `ModeRegistry`): shares are binned linearly (mean)
/// so that adding them is exact; sums add, means are total sums over total frames, maxima
/// take the maximum, the pedestal is frame-weighted, a profile is ring sums over ring pixels.
public enum ViewComposer {
    public static func compose(mode: ProcessingMode, pumpView: PumpView, pedestalView: PedestalView = .mean,
                               clears: UInt32, pedestalResets: UInt32, parts: [ViewPart]) -> ComposedView? {
        let current = parts.filter {
            $0.header.mode == mode.rawValue && $0.header.clears == clears
                && (!mode.usesPedestal || $0.header.pedestalResets == pedestalResets)
        }
        guard let newest = current.max(by: { $0.header.sequence < $1.header.sequence }) else { return nil }
        let shape = (newest.header.imageWidth, newest.header.imageHeight)
        let usable = current.filter {
            ($0.header.imageWidth, $0.header.imageHeight) == shape && $0.a.count == $0.header.imagePixelCount
                && $0.header.viewGeneration == newest.header.viewGeneration && $0.header.viewRegion == newest.header.viewRegion
        }
        var view = ComposedView(mode: mode)
        view.width = Int(shape.0)
        view.height = Int(shape.1)
        view.frameWidth = Int(newest.header.frameWidth)
        view.frameHeight = Int(newest.header.frameHeight)
        view.workers = usable.count
        view.viewGeneration = newest.header.viewGeneration
        view.region = newest.header.viewRegion
        view.framesA = usable.reduce(0) { $0 + $1.header.framesA }
        view.framesB = usable.reduce(0) { $0 + $1.header.framesB }
        view.pedestalFrames = usable.reduce(0) { $0 + $1.header.pedestalFrames }
        view.pedestalReady = usable.allSatisfy { $0.header.pedestalReady != 0 }
        let shares = ViewShares(pixelCount: newest.header.imagePixelCount, parts: usable.map {
            ViewShares.Part(a: $0.a, b: $0.b, framesA: $0.header.framesA, framesB: $0.header.framesB)
        })
        view.pixels = ModeRegistry.compose(mode: mode, shares: shares, pumpView: pumpView, pedestalView: pedestalView)
        return view
    }
}
