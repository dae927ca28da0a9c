import Processing

/// What accompanies the display image on the result board: which frame it came from, its
/// shapes, and the frame's statistics. Plain old data copied in and out of shared memory.
public struct BoardHeader: Equatable, Sendable {
    /// The ring sequence of the frame; the board keeps only the newest.
    public var sequence: UInt64
    public var series: UInt64
    public var frameNumber: UInt64
    /// The statistics of the frame this board image shows.
    public var stats: FrameStats
    public var frameWidth: UInt32
    public var frameHeight: UInt32
    /// The display image's shape: `imageWidth * imageHeight` floats follow on the board.
    public var imageWidth: UInt32
    public var imageHeight: UInt32
    public var worker: UInt32
    /// The control block generation the worker computed the image under, so the UI can
    /// ignore an image made for the previous display size or mode.
    public var controlGeneration: UInt32
    public var pixelType: UInt8
    /// The control block's `viewGeneration` the image was binned for, and the region of the
    /// frame it shows (the whole frame in the fitted view).
    public var viewGeneration: UInt32 = 0
    public var viewRegion = PixelRegion(x0: 0, y0: 0, x1: 0, y1: 0)
    /// Marks on the image (`ResultBoard.maxMarks` at most): the last frame's photons or peaks.
    public var markCount: UInt32 = 0

    public init(sequence: UInt64 = 0, series: UInt64 = 0, frameNumber: UInt64 = 0,
                stats: FrameStats = .noPixels(), frameWidth: UInt32 = 0, frameHeight: UInt32 = 0,
                imageWidth: UInt32 = 0, imageHeight: UInt32 = 0, worker: UInt32 = 0,
                controlGeneration: UInt32 = 0, pixelType: UInt8 = 0) {
        self.sequence = sequence
        self.series = series
        self.frameNumber = frameNumber
        self.stats = stats
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
        self.worker = worker
        self.controlGeneration = controlGeneration
        self.pixelType = pixelType
    }

    /// Pixels of the display image.
    public var imagePixelCount: Int { Int(imageWidth) * Int(imageHeight) }
}
