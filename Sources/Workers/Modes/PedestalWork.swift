import Processing

/// What a mode needs of pedestal tracking and photon finding, whether one pedestal serves
/// every pixel (MOENCH) or each gain stage has its own (JUNGFRAU). Owned by the worker's ActiveMode; shared by the modes that subtract the pedestal.
protocol PedestalWork: AnyObject {
    var finder: PhotonFinder { get }
    /// The last frame minus its pedestal (NaN: masked or not ready).
    var subtracted: UnsafeBufferPointer<Float> { get }
    var isReady: Bool { get }
    /// For the pedestal view: the (G0) pedestal and the frames it has seen.
    var shownPedestal: PedestalTracker { get }
    func process(_ frame: UnsafeBufferPointer<Float>, stages: UnsafeBufferPointer<UInt8>?) throws(CountingError) -> Int
    func processDark(_ frame: UnsafeBufferPointer<Float>, stages: UnsafeBufferPointer<UInt8>?) throws(CountingError)
}

extension CountingPipeline: PedestalWork {
    var isReady: Bool { pedestal.isReady }
    var shownPedestal: PedestalTracker { pedestal }

    func process(_ frame: UnsafeBufferPointer<Float>, stages _: UnsafeBufferPointer<UInt8>?) throws(CountingError) -> Int {
        try process(frame: frame)
    }

    func processDark(_ frame: UnsafeBufferPointer<Float>, stages _: UnsafeBufferPointer<UInt8>?) throws(CountingError) {
        try processDark(frame: frame)
    }
}

extension GainStageCountingPipeline: PedestalWork {
    var shownPedestal: PedestalTracker { pedestals[0] }

    func process(_ frame: UnsafeBufferPointer<Float>, stages: UnsafeBufferPointer<UInt8>?) throws(CountingError) -> Int {
        try process(frame: frame, stages: stages)
    }

    func processDark(_ frame: UnsafeBufferPointer<Float>, stages: UnsafeBufferPointer<UInt8>?) throws(CountingError) {
        try processDark(frame: frame, stages: stages)
    }
}
