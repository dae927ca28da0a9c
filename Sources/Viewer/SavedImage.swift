import Glibc
import Processing
import SharedMemory
import Workers

/// `--save`: the workers leave their full-resolution shares in memfds (`SaveShareFiles`) when
/// they exit; this composes them (as the screen composes the binned ones) into the image
/// that is written. Owned by the viewer's main thread, at the end of a session.
struct SavedImage {
    var width: Int
    var height: Int
    var pixels: [Float]
    var frames: UInt64
    var mode: ProcessingMode

    /// Composes the shares the workers left in their memfds; nil when none holds the mode.
    static func compose(files: SaveShareFiles, mode: ProcessingMode, pumpView: PumpView,
                        pedestalView: PedestalView = .mean) -> SavedImage? {
        // Request 0: what the workers left at exit, never a snapshot's share of a region.
        compose(files.shares().filter { $0.mode == mode && $0.request == 0 }, mode: mode, pumpView: pumpView,
                pedestalView: pedestalView)
    }

    static func compose(_ shares: [SavedShare], mode: ProcessingMode, pumpView: PumpView,
                        pedestalView: PedestalView = .mean) -> SavedImage? {
        let parts = shares.map { share in
            ViewPart(header: ViewHeader(mode: mode.rawValue, imageWidth: UInt32(share.width), imageHeight: UInt32(share.height),
                                        frameWidth: UInt32(share.width), frameHeight: UInt32(share.height),
                                        framesA: share.framesA, framesB: share.framesB, pedestalFrames: share.framesA,
                                        pedestalReady: true, hasB: !share.b.isEmpty),
                     a: share.a, b: share.b)
        }
        guard let view = ViewComposer.compose(mode: mode, pumpView: pumpView, pedestalView: pedestalView, clears: 0,
                                              pedestalResets: 0, parts: parts)
        else { return nil }
        return SavedImage(width: view.width, height: view.height, pixels: view.pixels,
                          frames: view.framesA + view.framesB, mode: mode)
    }
}
