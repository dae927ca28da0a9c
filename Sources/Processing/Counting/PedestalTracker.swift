import CKernels

/// The dark level of a charge-integrating detector (MOENCH, JUNGFRAU), per pixel: a running
/// mean and variance of the frames without light. One instance per worker process, used only
/// from that worker's processing thread; it allocates once, in `init`, never per frame.
///
/// Each pixel keeps mean, variance and a count k (frames it took, at most `window`). A frame
/// value x updates it with a = 1/k (k counted after this frame):
/// `d = x − mean; mean += a·d; variance = (1 − a)·(variance + a·d²)`.
/// While k < window this is Welford's running mean and population variance; once k reaches the
/// window it becomes slsDetector's moving average (`sum −= sum/N` before adding: an exponential
/// window of N frames). Why this form and not the sums: the state is the mean and the spread
/// themselves, not Σx ≈ 5·10⁶ and Σx² ≈ 3·10¹⁰, so Float keeps ~10⁻⁴ ADU of the mean and never
/// cancels catastrophically; the variance is a product of non-negative factors, so it cannot go
/// negative, and no division by a count of 0 exists, so it cannot become NaN.
///
/// Input frames are Float, width × height, row-major, NaN = masked: masked pixels never update
/// and never count. A pixel's pedestal is usable once it took `readyFrames` frames; before that
/// `subtract` gives NaN for it.
public final class PedestalTracker {
    public let width: Int
    public let height: Int
    public let window: Int
    /// Frames before a pixel's pedestal is used: min(window, 100). With σ ≈ 19 ADU, 100 frames
    /// put the mean within ~2 ADU and σ within ~7%, enough to find 110 ADU photons.
    public let readyFrames: Int
    /// Frames given to `addDark` or `add` since creation or `reset` (a pixel's own count may be
    /// lower: masked and excluded pixels do not update).
    public private(set) var frames = 0
    /// The kernel variant (tests compare them).
    var path: KernelPath = .best

    private let meanStore: OwnedPixels<Float>
    private let varianceStore: OwnedPixels<Float>
    private let countStore: OwnedPixels<UInt32>

    /// `readyFrames` of a tracker with this window.
    public static func readyFrames(window: Int) -> Int { min(window, 100) }

    public init(width: Int, height: Int, window: Int = 1000) throws(CountingError) {
        let n = try CountingError.pixelCount(width: width, height: height)
        guard window >= 1, window <= Int(Int32.max) else { throw .invalidWindow(window) }
        self.width = width
        self.height = height
        self.window = window
        readyFrames = Self.readyFrames(window: window)
        meanStore = OwnedPixels(count: n, zero: 0)
        varianceStore = OwnedPixels(count: n, zero: 0)
        countStore = OwnedPixels(count: n, zero: 0)
    }

    public var pixelCount: Int { width * height }
    /// True once `readyFrames` frames have been added (the modes that need a pedestal wait for it).
    public var isReady: Bool { frames >= readyFrames }

    /// Per-pixel mean (ADU), row-major. Valid while the tracker lives; changes with each frame.
    public var mean: UnsafeBufferPointer<Float> { meanStore.readOnly }
    /// Per-pixel variance (ADU²), ≥ 0; the photon finder tests against it without square roots.
    public var variance: UnsafeBufferPointer<Float> { varianceStore.readOnly }
    /// Per-pixel number of frames taken, saturating at `window`.
    public var pixelFrames: UnsafeBufferPointer<UInt32> { countStore.readOnly }

    /// Forgets everything, as if just created.
    public func reset() {
        meanStore.fill(0)
        varianceStore.fill(0)
        countStore.fill(0)
        frames = 0
    }

    /// A dark frame: every unmasked pixel updates.
    public func addDark(_ frame: UnsafeBufferPointer<Float>) throws(CountingError) {
        try CountingError.check(frame.count, is: pixelCount)
        ck_pedestal_add(frame.baseAddress, nil, state, pixelCount, UInt32(window), path.c)
        frames += 1
    }

    /// A frame with light: only pixels whose `excluded` byte is 0 update (the photon finder
    /// marks each photon's 3×3 there), so photons do not pull the pedestal up.
    public func add(_ frame: UnsafeBufferPointer<Float>, excluding excluded: UnsafeBufferPointer<UInt8>) throws(CountingError) {
        try CountingError.check(frame.count, is: pixelCount)
        try CountingError.check(excluded.count, is: pixelCount)
        ck_pedestal_add(frame.baseAddress, excluded.baseAddress, state, pixelCount, UInt32(window), path.c)
        frames += 1
    }

    /// `out = frame − mean`; NaN where the frame is masked or the pixel has taken fewer than
    /// `readyFrames` frames.
    public func subtract(_ frame: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>) throws(CountingError) {
        try CountingError.check(frame.count, is: pixelCount)
        try CountingError.check(out.count, is: pixelCount)
        ck_pedestal_subtract(frame.baseAddress, state, pixelCount, UInt32(readyFrames), out.baseAddress, path.c)
    }

    /// Per-pixel σ (the square root of `variance`), for display; not a per-frame operation.
    public func sigma(into out: UnsafeMutableBufferPointer<Float>) throws(CountingError) {
        try CountingError.check(out.count, is: pixelCount)
        for i in 0..<pixelCount { out[i] = varianceStore.pointer[i].squareRoot() }
    }

    private var state: ck_pedestal {
        ck_pedestal(mean: meanStore.base, variance: varianceStore.base, count: countStore.base)
    }
}
