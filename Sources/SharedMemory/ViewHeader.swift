import Processing

/// What one worker's share of an accumulated view is: which mode and clear it belongs to,
/// the shape of its (binned) images and how many frames went into each. Plain old data,
/// copied through shared memory by the `ViewBoard`.
public struct ViewHeader: Equatable, Sendable {
    /// The processing mode's raw value the images were computed in.
    public var mode: UInt32
    /// The control block's `clears` and `pedestalResets` the accumulation started from.
    public var clears: UInt32
    public var pedestalResets: UInt32
    /// The images' shape (binned to the display, or a profile: width rings × 1).
    public var imageWidth: UInt32
    public var imageHeight: UInt32
    /// The full frame they were binned from.
    public var frameWidth: UInt32
    public var frameHeight: UInt32
    /// Frames in image A (unpumped, or all) and image B (pumped).
    public var framesA: UInt64
    public var framesB: UInt64
    /// Frames the worker's pedestal has seen, and whether it is good enough to subtract.
    public var pedestalFrames: UInt64
    public var pedestalReady: UInt32
    /// Image B is in use (pump-probe, or a profile's pixel counts).
    public var hasB: UInt32
    public var series: UInt64
    /// The newest frame folded in, by ring sequence.
    public var sequence: UInt64
    /// The control block's `viewGeneration` the images were binned for, and the region of the
    /// frame they show (the whole frame in the fitted view).
    public var viewGeneration: UInt32 = 0
    public var viewRegion = PixelRegion(x0: 0, y0: 0, x1: 0, y1: 0)

    public init(mode: UInt32 = 0, clears: UInt32 = 0, pedestalResets: UInt32 = 0, imageWidth: UInt32 = 0,
                imageHeight: UInt32 = 0, frameWidth: UInt32 = 0, frameHeight: UInt32 = 0, framesA: UInt64 = 0,
                framesB: UInt64 = 0, pedestalFrames: UInt64 = 0, pedestalReady: Bool = false, hasB: Bool = false,
                series: UInt64 = 0, sequence: UInt64 = 0) {
        self.mode = mode
        self.clears = clears
        self.pedestalResets = pedestalResets
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        self.framesA = framesA
        self.framesB = framesB
        self.pedestalFrames = pedestalFrames
        self.pedestalReady = pedestalReady ? 1 : 0
        self.hasB = hasB ? 1 : 0
        self.series = series
        self.sequence = sequence
    }

    public var imagePixelCount: Int { Int(imageWidth) * Int(imageHeight) }
}
