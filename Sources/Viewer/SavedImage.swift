import Glibc
import Processing
import SharedMemory
import Workers

/// `--save`: the workers leave their full-resolution shares in a private directory when
/// they exit; this composes them (as the screen composes the binned ones) into the image
/// that is written. Owned by the viewer's main thread, at the end of a session.
struct SavedImage {
    var width: Int
    var height: Int
    var pixels: [Float]
    var frames: UInt64
    var mode: ProcessingMode

    /// Creates the directory the workers write into (mode 0700, under $TMPDIR or /tmp).
    static func makePartsDirectory() throws -> String {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(base)/detview-save-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw ViewerError("cannot create a directory for --save under \(base): \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }

    /// Removes the parts and their directory: nothing is left behind.
    static func removeParts(in directory: String, workers: Int) {
        for index in 0..<workers { unlink("\(directory)/part-\(index).bin") }
        rmdir(directory)
    }

    /// Composes the shares the workers left; nil when none holds the mode.
    static func compose(directory: String, workers: Int, mode: ProcessingMode, pumpView: PumpView,
                        pedestalView: PedestalView = .mean) -> SavedImage? {
        let shares = (0..<workers).compactMap { SavedShare.read(from: "\(directory)/part-\($0).bin") }
            .filter { $0.mode == mode }
        return compose(shares, mode: mode, pumpView: pumpView, pedestalView: pedestalView)
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
