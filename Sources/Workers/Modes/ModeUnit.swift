import Processing
import SharedMemory

/// One processing mode as a unit: its state in one worker for one frame shape (made, fed
/// frames, asked for its share of the view) and, on the viewer's side, how the workers'
/// shares compose into the view that is shown. Each mode is one folder under `Modes/`,
/// with one conforming type, named in `ModeRegistry`.
///
/// What every mode has in common stays out of the units: `ActiveMode` runs the pedestal
/// (and skips dark frames and frames before the pedestal is ready), counts frames per
/// pump-probe side, bins and publishes the share and turns marks into display pixels;
/// `ModeEngine` decides when a mode's state is made again and measures the region of
/// interest. A unit is owned by one worker's `ActiveMode`; its static members are pure.
///
/// A kernel that refuses its input throws out of `init` or `process`: the frame is then
/// counted bad with the error's text as its reason, never passed off as processed.
protocol ModeUnit: AnyObject {
    /// Makes the mode's kernels for frames of `setup`'s shape.
    init(_ setup: ModeSetup) throws

    /// One light frame, after the pedestal stepped (and was ready, where the mode needs it):
    /// the mode's kernels, and its per-frame numbers into `result`.
    func process(_ frame: ModeFrame, result: inout FrameResult) throws

    /// This worker's full-resolution share: images A and B (B empty without a second one)
    /// into `share`, reusing its arrays, and the size of A; nil when the mode has no view.
    /// `share` arrives with the frames counted per side, which a unit may restate.
    func fill(_ share: inout ShareImages) throws -> (width: Int, height: Int)?

    /// This worker's share binned straight from the unit's state, as `shareBinning` says:
    /// `region` of images A and B to `image` size into `a` and `b` (B emptied without a second
    /// image), the same pixels as `fill` and then binning would give, reading only the region.
    /// False when the unit has no such path (the default) or the region does not fit: the
    /// full-resolution share is then filled and binned.
    func binShare(region: PixelRegion, image: (width: Int, height: Int), a: inout [Float], b: inout [Float]) throws -> Bool

    /// Calls `add` with the frame pixel of each photon or peak of the last frame; none by default.
    func forEachMark(_ add: (_ x: Int, _ y: Int) -> Void)

    /// How the share is binned to the display: linearly (so shares add), by maximum, or not
    /// at all (a profile is already small).
    static var shareBinning: ShareBinning { get }

    /// The beam centre is part of what the state is made for (a new centre makes it again).
    static var usesBeamCentre: Bool { get }

    /// The view side: the pixels of the view composed from every worker's share, as the
    /// pump-probe and pedestal views ask.
    static func compose(_ shares: ViewShares, pumpView: PumpView, pedestalView: PedestalView) -> [Float]
}

extension ModeUnit {
    func binShare(region _: PixelRegion, image _: (width: Int, height: Int), a _: inout [Float], b _: inout [Float]) throws -> Bool {
        false
    }
    func forEachMark(_: (_ x: Int, _ y: Int) -> Void) {}
    static var shareBinning: ShareBinning { .mean }
    static var usesBeamCentre: Bool { false }
}

/// How a mode's share is brought to the display size before it goes on the view board.
enum ShareBinning {
    case mean, max, none
}

/// What a mode's state is made for. Made by `ActiveMode` when the mode, shape, series,
/// clear or beam centre changed.
struct ModeSetup {
    var width: Int
    var height: Int
    var chargeIntegrating: Bool
    var options: ProcessingOptions
    /// A pump-probe pattern is set: the mode keeps a second (pumped) image.
    var pumpProbe: Bool
    /// The beam centre in pixels (NaN: the image centre); only for units that use it.
    var beamX: Float
    var beamY: Float
    /// Pedestal tracking and photon finding, when the mode needs it on this detector.
    var pedestal: (any PedestalWork)?

    /// Pixels of one frame.
    var pixelCount: Int { width * height }
    /// Images per side: two with a pump-probe pattern, one without.
    var sides: Int { pumpProbe ? 2 : 1 }
}

/// One light frame as a mode sees it. Its buffers are valid during `process` only.
struct ModeFrame {
    /// The frame as loaded (Float, NaN = masked).
    var values: UnsafeBufferPointer<Float>
    /// What the mode works on: the frame minus its pedestal on a charge-integrating detector
    /// whose pedestal is ready, else `values`.
    var processed: UnsafeBufferPointer<Float>
    /// Goes to the pumped side (a pump-probe pattern said so).
    var pumped: Bool
    /// The live parameters from the control block (threshold mode's level in ADU above the
    /// pedestal, the hit finder's nσ and minimum peaks), read for this frame.
    var live: LiveSettings
    var threshold: Float { live.threshold }
    /// Photons the pedestal's photon finder found in this frame (0 without one).
    var photons: Int
}

/// A mode's full-resolution share as a worker keeps it between publishes (the arrays are
/// reused), with the frames in it.
struct ShareImages {
    var a: [Float] = []
    var b: [Float] = []
    var framesA: UInt64 = 0
    var framesB: UInt64 = 0

    /// Resizes `image` to `count` pixels only when its size is wrong, so a publish reuses memory.
    static func size(_ image: inout [Float], _ count: Int) {
        if image.count != count { image = [Float](repeating: 0, count: count) }
    }
}
