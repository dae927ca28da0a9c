import Glibc
import Processing
import Workers

/// `S`: asks the workers for the full-resolution pixels of the shown view through the control
/// block and collects their answers from the memfds `--save` uses (`SaveShareFiles`), then
/// writes the image as .npy and .tiff (32-bit float) and the picture taken at the key press as
/// .png, under names that replace nothing (`SnapshotNaming`). A mode with a composed view is
/// answered by every worker with its share of the region (composed as the screen composes
/// them); a mode that shows the latest frame by the first worker to process a frame after the
/// request. Owned by the session on the main actor; one snapshot at a time.
final class SnapshotTaker {
    /// Where the files go (`--snapshot-dir`); made on the first snapshot.
    let directory: String
    private let home: String?
    private var pending: Pending?
    /// How long the workers have to answer: a stream that stopped gives no frame to take, and
    /// a worker that died cannot answer.
    static let answerWaitNanoseconds: UInt64 = 3_000_000_000

    private struct Pending {
        var request: UInt32
        var modes: ModeState
        var picture: Screen.Picture?
        var workers: Int
        var deadline: UInt64
        var stamp: String
    }

    init(directory: String, home: String? = ProcessInfoHome.value) {
        self.directory = directory
        self.home = home
    }

    var isWaiting: Bool { pending != nil }

    /// Remembers what was asked (`request`, the control block's number) with the picture of the
    /// screen at the key press (replacing a snapshot still waiting: the session asks first).
    func begin(request: UInt32, modes: ModeState, picture: Screen.Picture?, workers: Int, now: UInt64,
               secondsSinceEpoch: Int) {
        pending = Pending(request: request, modes: modes, picture: picture, workers: workers,
                          deadline: now &+ Self.answerWaitNanoseconds,
                          stamp: SnapshotNaming.stamp(secondsSinceEpoch: secondsSinceEpoch))
    }

    /// Looks at the answers so far (`answered`: how many workers answered, from the headers);
    /// when they are all in (or the wait is over) reads them (`read`), writes the files and
    /// returns what to tell the user, else nil.
    func poll(answered: (UInt32) -> Int, read: () -> [SavedShare], now: UInt64) -> SaveOutcome.Line? {
        guard let pending else { return nil }
        let mode = pending.modes.mode
        let count = answered(pending.request)
        let complete = mode.showsComposedView ? count >= pending.workers : count > 0
        guard complete || now >= pending.deadline else { return nil }
        self.pending = nil
        let mine = count > 0 ? read().filter { $0.request == pending.request } : []
        let image = Self.image(from: mine, modes: pending.modes)
        var notes: [String] = []
        if image == nil {
            notes.append(mode.showsComposedView ? "no worker had a \(mode.name) image yet"
                                                : "no frame came within \(Self.answerWaitNanoseconds / 1_000_000_000) s")
        } else if mode.showsComposedView && mine.count < pending.workers {
            notes.append("\(mine.count) of \(pending.workers) workers answered")
        }
        return write(image: image, picture: pending.picture, mode: mode, stamp: pending.stamp, notes: notes)
    }

    /// The full-resolution image the answers make: the composed shares, or the latest frame.
    static func image(from answers: [SavedShare], modes: ModeState) -> SnapshotImage? {
        let withPixels = answers.filter { $0.width > 0 && $0.height > 0 && $0.mode == modes.mode }
        guard let first = withPixels.first else { return nil }
        guard modes.mode.showsComposedView else {
            return SnapshotImage(width: first.width, height: first.height, pixels: first.a, frames: 1, x0: first.x0, y0: first.y0)
        }
        let sameRegion = withPixels.filter {
            $0.width == first.width && $0.height == first.height && $0.x0 == first.x0 && $0.y0 == first.y0
        }
        guard let composed = SavedImage.compose(sameRegion, mode: modes.mode, pumpView: modes.pumpView,
                                                pedestalView: modes.pedestalView) else { return nil }
        return SnapshotImage(width: composed.width, height: composed.height, pixels: composed.pixels,
                             frames: composed.frames, x0: first.x0, y0: first.y0)
    }

    private func write(image: SnapshotImage?, picture: Screen.Picture?, mode: ProcessingMode, stamp: String,
                       notes: [String]) -> SaveOutcome.Line {
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            return .init(.error, "snapshot: cannot make \(shown(directory)): \(String(cString: strerror(errno)))")
        }
        let naming = SnapshotNaming(directory: directory, stamp: stamp, mode: mode.name)
        var after = 0
        var written: [String] = []
        while written.isEmpty, let (attempt, base) = naming.firstFree(after: after, exists: SnapshotNaming.exists) {
            do throws(ExportError) {
                written = try Self.writeFiles(base: base, image: image, picture: picture, mode: mode)
                if written.isEmpty { return .init(.warning, "snapshot: nothing to write (\(notes.joined(separator: "; ")))") }
            } catch {
                // Another writer took the name between the look and the write: the next name.
                if case .systemCall("link", _, EEXIST) = error { after = attempt; continue }
                return .init(.error, "snapshot: \(error)")
            }
        }
        guard let first = written.first else { return .init(.error, "snapshot: every name for \(stamp) is taken") }
        let rest = written.dropFirst().map { "." + ($0.split(separator: ".").last ?? "") }
        let text = "snapshot: " + ([shown(first)] + rest).joined(separator: ", ")
            + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))")
        return .init(image == nil ? .warning : .info, text)
    }

    /// Writes what there is under `base` (never replacing a file); the paths written. A file
    /// already written stays when a later one fails: the message names the failure.
    private static func writeFiles(base: String, image: SnapshotImage?, picture: Screen.Picture?,
                                   mode: ProcessingMode) throws(ExportError) -> [String] {
        var written: [String] = []
        if let image {
            let description = "detview snapshot: \(mode.name) of \(image.frames) frame(s), "
                + "x \(image.x0)-\(image.x0 + image.width - 1), y \(image.y0)-\(image.y0 + image.height - 1)"
            for ext in ["npy", "tiff"] {
                let path = base + "." + ext
                try image.pixels.withUnsafeBufferPointer { pixels throws(ExportError) in
                    _ = try ImageFileWriter.write(path: path, width: image.width, height: image.height, pixels: pixels,
                                                  description: description, replacing: false)
                }
                written.append(path)
            }
        }
        if let picture {
            let path = base + ".png"
            let png = try PngEncoder.encode(width: picture.width, height: picture.height, rgb: picture.rgb)
            try ImageFileWriter.write(path: path, bytes: png, replacing: false)
            written.append(path)
        }
        return written
    }

    private func shown(_ path: String) -> String { SnapshotNaming.shown(path, home: home) }

    /// The default directory: `$HOME/detview-snapshots`, or the current directory without a home.
    static func defaultDirectory(home: String? = ProcessInfoHome.value) -> String {
        guard let home, !home.isEmpty else { return "." }
        return home + "/detview-snapshots"
    }
}

/// The full-resolution image of a snapshot and where it lies in the frame.
struct SnapshotImage: Equatable {
    var width: Int
    var height: Int
    var pixels: [Float]
    var frames: UInt64
    var x0: Int
    var y0: Int
}

/// `$HOME` as the process got it.
enum ProcessInfoHome {
    static var value: String? { getenv("HOME").map { String(cString: $0) } }
}
