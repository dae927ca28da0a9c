import SharedMemory

/// The last `capacity` images the heatmap was given, for pause and rewind (space, ←/→).
///
/// Owned by `ViewerState` (main actor). It holds display-sized images only (what the result
/// board gave the heatmap: the terminal's cells × 2 rows), never frames, so its memory is
/// `capacity × display pixels × 4 bytes` plus the marks: at 200×60 (about 170×114 display
/// pixels) 64 images take about 5 MB (`bytes`, `bytesBound`).
///
/// While paused nothing is recorded: the images that come in meanwhile are not shown, and
/// keeping them out leaves the held positions still, so "image 3/64" stays image 3.
public struct ShownImageHistory: Sendable {
    /// One shown image and when it was shown (monotonic nanoseconds).
    public struct Entry: Sendable, Equatable {
        public var image: DisplayImage
        public var shownAtNanoseconds: UInt64
    }

    public static let defaultCapacity = 64

    public let capacity: Int
    /// A ring: `entries[(start + i) % capacity]` is the i-th oldest.
    private var entries: [Entry] = []
    private var start = 0
    /// Steps back from the newest image while paused (0: the newest); nil: live.
    public private(set) var stepsBack: Int?

    public init(capacity: Int = Self.defaultCapacity) {
        self.capacity = max(1, capacity)
        entries.reserveCapacity(self.capacity)
    }

    public var count: Int { entries.count }
    public var isPaused: Bool { stepsBack != nil }

    /// The i-th oldest held image (0: the oldest).
    private func entry(_ i: Int) -> Entry { entries[(start + i) % entries.count] }

    public var newest: Entry? { entries.isEmpty ? nil : entry(entries.count - 1) }

    /// The image shown while paused; nil when live.
    public var shown: Entry? {
        guard let stepsBack, !entries.isEmpty else { return nil }
        return entry(entries.count - 1 - stepsBack)
    }

    /// The shown image's place, counted from the oldest held one (1…count): "image 3/64".
    public var shownPosition: Int? { stepsBack.map { entries.count - $0 } }

    /// Keeps `image` as shown at `now`, dropping the oldest beyond `capacity`. The same frame
    /// again (the board is read at every redraw, new frame or not) is not kept twice.
    public mutating func record(_ image: DisplayImage, at now: UInt64) {
        guard !isPaused else { return }
        if let newest, newest.image.series == image.series, newest.image.frameNumber == image.frameNumber,
           newest.image.width == image.width, newest.image.height == image.height {
            return
        }
        // Without the picture-sized pixels (`--graphics`): 64 of them would take 256 MB; a
        // held image is drawn from its display pixels.
        var kept = image
        kept.picture = nil
        let new = Entry(image: kept, shownAtNanoseconds: now)
        if entries.count < capacity {
            entries.append(new)
        } else {
            entries[start] = new
            start = (start + 1) % capacity
        }
    }

    /// Holds the newest image; false when there is nothing to hold yet.
    @discardableResult
    public mutating func pause() -> Bool {
        guard !entries.isEmpty else { return false }
        stepsBack = 0
        return true
    }

    /// Back to the live picture; the history records again.
    public mutating func goLive() { stepsBack = nil }

    /// One image older; false (and no move) at the oldest or when live.
    @discardableResult
    public mutating func stepBack() -> Bool {
        guard let steps = stepsBack, steps + 1 < entries.count else { return false }
        stepsBack = steps + 1
        return true
    }

    /// One image newer; false (and no move) at the newest or when live.
    @discardableResult
    public mutating func stepForward() -> Bool {
        guard let steps = stepsBack, steps > 0 else { return false }
        stepsBack = steps - 1
        return true
    }

    /// Bytes of pixels and marks held now.
    public var bytes: Int {
        entries.reduce(0) { $0 + ($1.image.pixels.count + $1.image.marks.count) * 4 }
    }

    /// The most `capacity` images of a display `width × height` take: their pixels and
    /// marks (a frame's photons or peaks, at most `ResultBoard.maxMarks`).
    public static func bytesBound(capacity: Int, displayWidth: Int, displayHeight: Int) -> Int {
        max(1, capacity) * (displayWidth * displayHeight + ResultBoard.maxMarks) * 4
    }
}
