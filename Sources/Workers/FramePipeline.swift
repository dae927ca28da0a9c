import Platform
import DetectorStream
import Processing
import SharedMemory

/// What a worker does to one frame: check it, compute its statistics, and, when it is the
/// newest frame, bin it to the display size and put it on the result board.
///
/// Owned by one worker process; holds that worker's reusable display and decode buffers so
/// that no frame allocates.
public struct FramePipeline {
    var display: [Float]
    let decoded: DecodeBuffer
    /// The stream's pixel mask as last copied from the mask board, and the board's sequence
    /// then (re-read only when the board changes).
    private var mask: MaskBoard.Mask?
    private var maskSequence: UInt64 = 0
    private var lastBoardPublish: UInt64 = 0
    /// The viewport generation of the last image published: a new viewport (a zoom or pan) is
    /// binned with the next frame, whatever the interval says.
    private var publishedViewGeneration: UInt32?
    /// The marks of the image being published (reused).
    private var marks: [UInt32] = []
    /// The latest frame goes on the board at most this often per worker: 100 Hz is beyond
    /// what a terminal draws, and binning a 4M frame costs as much as widening it. (Tests that
    /// read the board after every frame set 0.)
    public var latestFrameIntervalNs: UInt64 = 10_000_000
    /// The same while the heatmap shows a mode's composed view (the latest frame only feeds
    /// the panel's numbers then).
    public var composedViewFrameIntervalNs: UInt64 = ModeEngine.publishIntervalNs
    /// Each pixel's gain stage of the current JUNGFRAU frame (value view only), reused.
    private var stages: [UInt8] = []
    private var hasStages = false
    /// The processing modes beyond a frame's statistics.
    let modes: ModeEngine
    /// Snapshots (`S`): the memfd answers go to (the worker's fd 5; nil: none, nothing answered).
    public var snapshotFD: Int32?
    /// A request waiting for the next processed frame (modes that show the latest frame).
    private var pendingSnapshot: UInt32?
    /// The frame as Float for a snapshot of a frame (reused between snapshots).
    private var snapshotValues: [Float] = []
    /// The frame just processed answered a request: the worker rings the viewer.
    public private(set) var answeredSnapshotWithFrame = false

    /// `maxDecodedBytes` bounds a decompressed frame (the viewer's --max-frame-bytes).
    public init(maxPixels: Int, maxDecodedBytes: Int = 1 << 30, options: ProcessingOptions = ProcessingOptions()) {
        modes = ModeEngine(options: options)
        display = [Float](repeating: .nan, count: max(1, maxPixels))
        decoded = DecodeBuffer(limit: maxDecodedBytes)
    }

    /// A snapshot request seen in the control block: a mode with a composed view answers at
    /// once with its share of the shown region (true: ring the viewer); a mode that shows the
    /// latest frame answers with the next frame this worker processes.
    public mutating func answerSnapshot(_ request: UInt32, control: ControlSettings) -> Bool {
        guard snapshotFD != nil else { return false }
        let mode = ProcessingMode(rawValue: control.mode) ?? .raw
        guard mode.showsComposedView else {
            pendingSnapshot = request
            return false
        }
        pendingSnapshot = nil
        return answerFromShare(request, mode: mode, control: control)
    }

    private func answerFromShare(_ request: UInt32, mode: ProcessingMode, control: ControlSettings) -> Bool {
        guard let fd = snapshotFD else { return false }
        let full = modes.savedShare()
        let frame = modes.frameSize ?? (full?.width ?? 0, full?.height ?? 0)
        let share = SnapshotAnswer.fromShare(full, mode: mode, request: request, control: control,
                                             frameWidth: frame.width, frameHeight: frame.height)
        return share.write(to: fd)
    }

    /// The processed frame's pixels of the shown region, as the answer to `request`.
    private mutating func answerFromFrame(_ request: UInt32, frame: PixelFrame, mode: ProcessingMode,
                                          control: ControlSettings) -> Bool {
        guard let fd = snapshotFD else { return false }
        let count = frame.width * frame.height
        if snapshotValues.count != count { snapshotValues = [Float](repeating: 0, count: count) }
        _ = snapshotValues.withUnsafeMutableBufferPointer { frame.widen(into: $0) }
        let region = SnapshotAnswer.region(control, width: frame.width, height: frame.height)
        let pixels = snapshotValues.withUnsafeBufferPointer { SnapshotAnswer.crop($0, width: frame.width, region: region) }
        return SavedShare(mode: mode, width: region.width, height: region.height, framesA: 1, framesB: 0,
                          a: pixels, b: [], request: request, x0: region.x0, y0: region.y0).write(to: fd)
    }

    /// Between frames: when the control block holds a new viewport, this worker's share of an
    /// accumulating mode's view is binned for it and published now, without waiting for a
    /// frame (see `ModeEngine.publishForNewViewport`). True when it published.
    public mutating func publishShareForNewViewport(worker: Int, region: DetviewRegion) -> Bool {
        modes.publishForNewViewport(control: region.control.snapshot().settings, worker: worker, views: region.views)
    }

    /// Processes one claimed frame, pushes its result to the result queue, and only then
    /// counts it processed (or bad): whoever sees the counter can find the result.
    public mutating func process(slot: ClaimedSlot, worker: Int, region: DetviewRegion) -> FrameResult {
        var result = compute(slot: slot, worker: worker, region: region)
        let received = slot.header.receivedNs
        result.receiveToResultNs = received > 0 ? MonotonicClock.nanoseconds &- received : 0
        region.results.push(result)
        if result.status == .bad { region.ring.accounting.rejectedByWorker() } else { region.ring.accounting.processed() }
        return result
    }

    private mutating func compute(slot: ClaimedSlot, worker: Int, region: DetviewRegion) -> FrameResult {
        let header = slot.header
        var result = FrameResult()
        result.sequence = header.sequence
        result.series = header.series
        result.frameNumber = header.frameNumber
        result.frameIndex = header.frameIndex
        result.worker = UInt32(worker)
        result.width = header.width
        result.height = header.height
        result.pixelType = header.pixelType
        let started = MonotonicClock.nanoseconds

        var frame: PixelFrame
        switch PixelFrame.make(header: header, payload: slot.payload, buffer: decoded) {
        case .success(let f): frame = f
        case .failure(let error):
            result.status = .bad
            result.badReason = error.description
            return result
        }
        let control = region.control.snapshot().settings
        // The inspector's raw values are read before the mask and the gain view overwrite them.
        var inspected = control.inspectedPixel.flatMap {
            PixelInspector.begin(frame, x: $0.x, y: $0.y, hasGainBits: header.hasGainBits)
        }
        frame = adjust(frame, header: header, control: control, masks: region.masks)
        if inspected != nil {
            let applied = mask.flatMap { $0.applies(series: header.series, width: frame.width, height: frame.height) ? $0.indices : nil }
            PixelInspector.finish(&inspected!, frame, maskIndices: applied,
                                  binning: control.binning(frameWidth: frame.width, frameHeight: frame.height))
            result.inspect = inspected!
        }
        let decoded = MonotonicClock.nanoseconds
        result.decodeNs = decoded &- started

        let board = region.board
        // The latest frame is binned for the board at most every 10 ms per worker, or, while
        // the heatmap shows a mode's composed view and it only feeds the panel's numbers,
        // every 40 ms; a new viewport at once.
        let mode = ProcessingMode(rawValue: control.mode) ?? .raw
        let now = MonotonicClock.nanoseconds
        let interval = mode.showsComposedView ? composedViewFrameIntervalNs : latestFrameIntervalNs
        let wantsImage = control.displayWidth > 0 && control.displayHeight > 0
            && header.sequence > board.latestSequence
            && (now &- lastBoardPublish >= interval || control.viewGeneration != publishedViewGeneration)
        if wantsImage {
            lastBoardPublish = now
            publishedViewGeneration = control.viewGeneration
        }
        // The statistics first when the load gives them: a mode may use them (counting on a
        // photon-counting detector). Raw mode loads nothing; its binning pass below takes them.
        let loaded = modes.load(frame, mode: mode, regions: control.regions)
        if let loaded { result.stats = loaded }
        stages.withUnsafeBufferPointer { gain in
            modes.process(frame, header: header, control: control, worker: worker, views: region.views,
                          stages: hasStages ? gain : nil, result: &result)
        }
        // After processing, so the image carries this frame's photons or peaks as marks.
        var binned: FrameStats?
        // With `--graphics` pictures the region is binned to the picture's size (true pixels),
        // else to the display size; a mode's composed view keeps the display size.
        if wantsImage, let view = control.boardBinning(frameWidth: frame.width, frameHeight: frame.height,
                                                       maxPixels: display.count) {
            let image = (width: view.width, height: view.height)
            if view.region.isWhole(width: frame.width, height: frame.height) {
                // The fitted view: the frame's statistics come out of the same pass.
                binned = display.withUnsafeMutableBufferPointer { out in
                    frame.statsAndBinMax(into: out, outWidth: image.width, outHeight: image.height)
                }
            } else {
                // A zoomed viewport: its full-resolution pixels only, and the whole frame's
                // statistics apart (unless the mode's load already took them).
                let drawn = display.withUnsafeMutableBufferPointer { out in
                    frame.binMax(region: view.region, into: out, outWidth: image.width, outHeight: image.height)
                }
                if drawn { binned = loaded ?? frame.stats() }
            }
            if let stats = binned {
                modes.marks(mode: mode, frameWidth: frame.width, frameHeight: frame.height, region: view.region,
                            image: image, into: &marks)
                publish(stats: stats, header: header, frame: frame, image: image, region: view.region,
                        generation: control.viewGeneration, worker: worker, board: board)
            }
        }
        if loaded == nil { result.stats = binned ?? frame.stats() }
        answeredSnapshotWithFrame = false
        if let request = pendingSnapshot, result.status != .bad {
            pendingSnapshot = nil
            // The mode may have changed since the request: answer as the mode now shows.
            answeredSnapshotWithFrame = mode.showsComposedView
                ? answerFromShare(request, mode: mode, control: control)
                : answerFromFrame(request, frame: frame, mode: mode, control: control)
        }
        result.processNs = MonotonicClock.nanoseconds &- decoded
        // A mode's kernel may have refused the frame (bad, with its reason); that stands.
        if result.status != .bad { result.status = header.isIncomplete ? .incomplete : .ok }
        return result
    }

    /// Applies the stream's mask and the JUNGFRAU pixel view before anything is computed.
    private mutating func adjust(_ frame: PixelFrame, header: SlotHeader, control: ControlSettings,
                                 masks: MaskBoard) -> PixelFrame {
        let sequence = masks.sequence
        if sequence != maskSequence, sequence & 1 == 0, let (copied, at) = masks.read() {
            mask = copied
            maskSequence = at
        }
        var frame = frame
        if let mask, mask.applies(series: header.series, width: frame.width, height: frame.height) {
            frame = frame.applyingMask(mask.indices)
        }
        hasStages = header.hasGainBits && control.pixelView == ControlSettings.viewValue
        if hasStages && stages.count != frame.width * frame.height {
            stages = [UInt8](repeating: 0, count: frame.width * frame.height)
        }
        if header.hasGainBits {
            if hasStages {
                stages.withUnsafeMutableBufferPointer { frame.applyGainView(control.pixelView, stages: $0) }
            } else {
                frame.applyGainView(control.pixelView)
            }
        }
        return frame
    }

    private func publish(stats: FrameStats, header: SlotHeader, frame: PixelFrame, image: (width: Int, height: Int),
                         region: PixelRegion, generation: UInt32, worker: Int, board: ResultBoard) {
        var boardHeader = BoardHeader()
        boardHeader.sequence = header.sequence
        boardHeader.series = header.series
        boardHeader.frameNumber = header.frameNumber
        boardHeader.frameWidth = UInt32(frame.width)
        boardHeader.frameHeight = UInt32(frame.height)
        boardHeader.imageWidth = UInt32(image.width)
        boardHeader.imageHeight = UInt32(image.height)
        boardHeader.pixelType = header.pixelType
        boardHeader.worker = UInt32(worker)
        boardHeader.stats = stats
        boardHeader.viewGeneration = generation
        boardHeader.viewRegion = region
        display.withUnsafeBufferPointer { pixels in
            marks.withUnsafeBufferPointer { marks in
                _ = board.publish(header: boardHeader, pixels: UnsafeBufferPointer(rebasing: pixels[0..<image.width * image.height]),
                                  marks: marks)
            }
        }
    }
}
