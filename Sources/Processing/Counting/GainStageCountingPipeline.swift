/// The counting pipeline of a detector that switches gain per pixel (JUNGFRAU): one pedestal
/// per gain stage, each pixel subtracted with, and learning into, the pedestal of the stage
/// its value was taken in. The finder runs on the combined subtracted frame with each
/// pixel's own stage's variance. A stage's pedestal learns only from the pixels the frames
/// put in it, so G1 and G2 pixels are subtracted once their own pedestal has seen enough
/// frames (NaN, i.e. masked, until then). Owned by one worker's processing thread; nothing
/// is allocated after `init`.
public final class GainStageCountingPipeline {
    public static let stageCount = 3
    /// G0, G1, G2.
    public let pedestals: [PedestalTracker]
    public let finder: PhotonFinder
    private let stageFrame: OwnedPixels<Float>
    private let stageSubtracted: OwnedPixels<Float>
    private let subtractedStore: OwnedPixels<Float>
    private let varianceStore: OwnedPixels<Float>
    private let count: Int

    public init(width: Int, height: Int, window: Int = 1000, photonCapacity: Int = 4096) throws(CountingError) {
        var trackers: [PedestalTracker] = []
        for _ in 0..<Self.stageCount { trackers.append(try PedestalTracker(width: width, height: height, window: window)) }
        pedestals = trackers
        finder = try PhotonFinder(width: width, height: height, capacity: photonCapacity)
        count = width * height
        stageFrame = OwnedPixels(count: count, zero: .nan)
        stageSubtracted = OwnedPixels(count: count, zero: .nan)
        subtractedStore = OwnedPixels(count: count, zero: .nan)
        varianceStore = OwnedPixels(count: count, zero: 0)
    }

    /// The last frame minus the pedestal of each pixel's stage (NaN: masked or not ready).
    public var subtracted: UnsafeBufferPointer<Float> { subtractedStore.readOnly }

    /// The G0 pedestal is ready: the modes may start (most pixels sit in G0).
    public var isReady: Bool { pedestals[0].isReady }

    /// One frame with light: `stages` holds each pixel's gain stage (0, 1, 2; anything else is
    /// masked; nil: every pixel in G0). Returns the photons found.
    @discardableResult
    public func process(frame: UnsafeBufferPointer<Float>, stages: UnsafeBufferPointer<UInt8>?) throws(CountingError) -> Int {
        try check(frame, stages)
        subtractedStore.fill(.nan)
        for stage in 0..<Self.stageCount {
            guard select(frame, stages, stage) else { continue }
            try pedestals[stage].subtract(stageFrame.readOnly, into: stageSubtracted.pointer)
            let variance = pedestals[stage].variance
            for i in 0..<count where (stages?[i] ?? 0) == UInt8(stage) {
                subtractedStore.pointer[i] = stageSubtracted.pointer[i]
                varianceStore.pointer[i] = variance[i]
            }
        }
        let photons = try finder.find(subtracted, variance: varianceStore.readOnly, accumulate: isReady)
        for stage in 0..<Self.stageCount where select(frame, stages, stage) {
            try pedestals[stage].add(stageFrame.readOnly, excluding: finder.exclusion)
        }
        return photons
    }

    /// A dark frame: each pixel's value teaches its stage's pedestal.
    public func processDark(frame: UnsafeBufferPointer<Float>, stages: UnsafeBufferPointer<UInt8>?) throws(CountingError) {
        try check(frame, stages)
        for stage in 0..<Self.stageCount where select(frame, stages, stage) {
            try pedestals[stage].addDark(stageFrame.readOnly)
        }
    }

    private func check(_ frame: UnsafeBufferPointer<Float>, _ stages: UnsafeBufferPointer<UInt8>?) throws(CountingError) {
        try CountingError.check(frame.count, is: count)
        if let stages { try CountingError.check(stages.count, is: count) }
    }

    /// `stageFrame` = the frame's pixels of `stage`, NaN elsewhere; false when it has none.
    private func select(_ frame: UnsafeBufferPointer<Float>, _ stages: UnsafeBufferPointer<UInt8>?, _ stage: Int) -> Bool {
        let s = UInt8(stage)
        guard let stages else {
            if stage != 0 { return false }
            stageFrame.pointer.baseAddress!.update(from: frame.baseAddress!, count: count)
            return true
        }
        var any = false
        for i in 0..<count {
            let mine = stages[i] == s
            any = any || mine
            stageFrame.pointer[i] = mine ? frame[i] : .nan
        }
        return any
    }
}
