/// The counting mode of one worker, per frame: pedestal subtraction, photon finding, pedestal
/// update away from the photons, and the count image. The one entry point the worker (and
/// `detview bench process`) calls per frame. Owned by one worker's processing thread; nothing
/// is allocated after `init`.
public final class CountingPipeline {
    public let pedestal: PedestalTracker
    public let finder: PhotonFinder
    private let subtractedStore: OwnedPixels<Float>

    public init(width: Int, height: Int, window: Int = 1000, photonCapacity: Int = 4096) throws(CountingError) {
        pedestal = try PedestalTracker(width: width, height: height, window: window)
        finder = try PhotonFinder(width: width, height: height, capacity: photonCapacity)
        subtractedStore = OwnedPixels(count: width * height, zero: .nan)
    }

    /// The last frame minus the pedestal it was processed with (NaN: masked or no pedestal yet).
    public var subtracted: UnsafeBufferPointer<Float> { subtractedStore.readOnly }

    /// One frame with light (Float, NaN = masked): subtract, find, update the pedestal outside
    /// the photons' 3×3, and add the photons to the count image once the pedestal is ready
    /// (before, pixels without a pedestal are NaN and nothing is found). Returns the photons found.
    @discardableResult
    public func process(frame: UnsafeBufferPointer<Float>) throws(CountingError) -> Int {
        try pedestal.subtract(frame, into: subtractedStore.pointer)
        let photons = try finder.find(subtractedStore.readOnly, variance: pedestal.variance, accumulate: pedestal.isReady)
        try pedestal.add(frame, excluding: finder.exclusion)
        return photons
    }

    /// One dark frame (the `p` series, `--dark-frames`): only the pedestal learns from it.
    public func processDark(frame: UnsafeBufferPointer<Float>) throws(CountingError) {
        try pedestal.addDark(frame)
    }
}
