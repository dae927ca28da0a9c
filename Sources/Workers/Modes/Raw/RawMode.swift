import Processing
import SharedMemory

/// Raw mode: the latest frame as it came. It computes nothing beyond the frame's statistics
/// (and the region of interest, which the engine measures in every mode); its state exists
/// only when an ROI makes the engine load the frame, and then holds nothing.
final class RawMode: ModeUnit {
    init(_: ModeSetup) {}

    func process(_: ModeFrame, result _: inout FrameResult) {}

    func fill(_: inout ShareImages) -> (width: Int, height: Int)? { nil }

    /// Never called: raw mode has no composed view, and its workers publish no share.
    static func compose(_: ViewShares, pumpView _: PumpView, pedestalView _: PedestalView) -> [Float] { [] }
}
