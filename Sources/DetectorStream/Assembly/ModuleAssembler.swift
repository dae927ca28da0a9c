/// Assembles the frames of a multi-port slsDetector (one stream per module or interface) into
/// full-detector images. Fed module frames in any order, it copies each module's pixels to its
/// place (port (row, column) at y = row × ny, x = column × nx; rows reversed when the port says
/// they arrive flipped) and emits a frame, in frame-number order, once all modules of its frame
/// number are in. A frame still missing modules is emitted anyway, flagged incomplete with the
/// missing modules at the all-ones (masked) value, when a frame newer by more than `window`
/// arrives, when `window` frames are already pending, or on `flush` (series end, idle).
///
/// Memory is bounded: at most `window` full frames are pending, their buffers allocated once per
/// geometry and reused. Packed 4-bit modules are unpacked while placed: the image is uint8 raw
/// (15 becomes 255, masked like every all-ones pixel). `quad` (EIGER quad) is not interpreted:
/// ports are placed by row and column like any other. A module that does not fit (position
/// outside the grid, other shape or type, duplicate, or one for a frame already emitted) is a
/// `StreamError`, never a crash.
///
/// Geometry: from the first module of a series, `detshape` × `shape` when detshape is sane;
/// when it is [0, 0] (or absurd), `fallbackGrid` (the receiver passes one column of as many
/// rows as it has endpoints: the way JUNGFRAU and MOENCH stack their interfaces).
///
/// A pure value type: no threads, no sockets; owned by the receiver thread.
public struct ModuleAssembler {
    /// The most frames pending at once.
    public let window: Int
    public let maxFrameBytes: Int
    /// The grid assumed when a module's detshape says nothing: (columns, rows).
    public var fallbackGrid: (columns: Int, rows: Int)

    /// The geometry of the current (or last) series; nil before the first module.
    public private(set) var geometry: AssemblyGeometry?
    /// Frames emitted, and of those the ones missing modules or flagged incomplete.
    public private(set) var emitted: UInt64 = 0
    public private(set) var incomplete: UInt64 = 0
    /// Modules missing, summed over the frames emitted.
    public private(set) var missingModules: UInt64 = 0
    /// Modules rejected (`add` threw).
    public private(set) var rejected: UInt64 = 0

    /// A frame being assembled. Its buffers live as long as the geometry.
    private struct Slot {
        var frameNumber: UInt64 = 0
        var frameIndex: UInt64 = 0
        var series: UInt64 = 0
        var arrivedCount = 0
        var allComplete = true
        var arrived: [Bool]
        var pixels: [UInt8]
    }

    private var slots: [Slot] = []
    /// Indices into `slots` of the pending frames, by ascending frame number.
    private var pending: [Int] = []
    /// Indices into `slots` free for the next frame.
    private var free: [Int] = []
    /// Unpacked pixels of one packed 4-bit module.
    private var unpackScratch: [UInt8] = []
    /// The last frame number emitted in this series: modules at or below it come too late.
    private var lastEmitted: UInt64?
    /// False after a flush: the next module may set a new geometry.
    private var geometryLocked = false

    public init(window: Int = 4, maxFrameBytes: Int, fallbackGrid: (columns: Int, rows: Int) = (1, 1)) {
        self.window = max(window, 1)
        self.maxFrameBytes = maxFrameBytes
        self.fallbackGrid = fallbackGrid
        pending.reserveCapacity(self.window)
        free.reserveCapacity(self.window)
    }

    /// Frames waiting for modules.
    public var pendingCount: Int { pending.count }

    /// Places one module frame (`payload` valid only during the call); emits every frame this
    /// completes or pushes out of the window. Throws, having changed nothing, when the module
    /// does not fit.
    public mutating func add(_ frame: FrameDescriptor, payload: UnsafeRawBufferPointer,
                             emit: (AssembledFrame) -> Void) throws(StreamError) {
        do throws(StreamError) {
            try adopt(geometryFor: frame)
            if let problem = geometry!.mismatch(frame, payloadCount: payload.count) { throw problem }
            if let last = lastEmitted, frame.frameNumber <= last, slotIndex(of: frame.frameNumber) == nil {
                throw StreamError(.unexpectedData, "assembly: module at \(cell(frame)) for frame \(frame.frameNumber) came after that frame was emitted (late or repeated)")
            }
            if slotIndex(of: frame.frameNumber) == nil, pending.count >= window, let oldest = pending.first,
               frame.frameNumber < slots[oldest].frameNumber {
                throw StreamError(.unexpectedData, "assembly: module at \(cell(frame)) for frame \(frame.frameNumber) is older than the \(window) frames pending (late)")
            }
            if let s = slotIndex(of: frame.frameNumber) {
                let index = geometry!.cellIndex(row: frame.module!.row, column: frame.module!.column)
                if slots[s].arrived[index] {
                    throw StreamError(.unexpectedData, "assembly: module at \(cell(frame)) sent frame \(frame.frameNumber) twice")
                }
            }
        } catch {
            rejected += 1
            throw error
        }
        let s = slotIndex(of: frame.frameNumber) ?? open(frame, emit: emit)
        place(frame, payload: payload, in: s)
        emitReady(emit: emit)
    }

    /// Emits every pending frame, complete or not, and forgets the frame numbering and the
    /// geometry lock: the series ended (or went idle), the next may start anywhere.
    public mutating func flush(emit: (AssembledFrame) -> Void) {
        while !pending.isEmpty { emitOldest(emit: emit) }
        lastEmitted = nil
        geometryLocked = false
    }

    // MARK: - Geometry

    private mutating func adopt(geometryFor frame: FrameDescriptor) throws(StreamError) {
        guard !geometryLocked else { return }
        let implied = try AssemblyGeometry.implied(by: frame, fallbackGrid: fallbackGrid, maxFrameBytes: maxFrameBytes)
        if implied != geometry {
            // Buffers are made for one geometry; pending is empty here (a flush came first).
            geometry = implied
            slots.removeAll()
            free.removeAll(keepingCapacity: true)
            unpackScratch = implied.moduleEncoding == .packed4
                ? [UInt8](repeating: 0, count: implied.moduleWidth * implied.moduleHeight) : []
        }
        geometryLocked = true
    }

    // MARK: - Pending frames

    private func slotIndex(of frameNumber: UInt64) -> Int? {
        for s in pending where slots[s].frameNumber == frameNumber { return s }
        return nil
    }

    /// Makes room (emitting what falls out of the window) and opens a slot for a new frame.
    private mutating func open(_ frame: FrameDescriptor, emit: (AssembledFrame) -> Void) -> Int {
        while let oldest = pending.first,
              pending.count >= window || frame.frameNumber > slots[oldest].frameNumber &+ UInt64(window) {
            emitOldest(emit: emit)
            emitReady(emit: emit)
        }
        let s: Int
        if let reused = free.popLast() {
            s = reused
        } else {
            let g = geometry!
            slots.append(Slot(arrived: [Bool](repeating: false, count: g.moduleCount),
                              pixels: [UInt8](repeating: 0xFF, count: g.frameBytes)))
            s = slots.count - 1
        }
        slots[s].frameNumber = frame.frameNumber
        slots[s].frameIndex = frame.frameIndex
        slots[s].series = frame.series
        slots[s].arrivedCount = 0
        slots[s].allComplete = true
        for i in slots[s].arrived.indices { slots[s].arrived[i] = false }
        let at = pending.firstIndex { slots[$0].frameNumber > frame.frameNumber } ?? pending.count
        pending.insert(s, at: at)
        return s
    }

    /// Emits complete frames at the front of the queue (frames leave in frame-number order).
    private mutating func emitReady(emit: (AssembledFrame) -> Void) {
        while let oldest = pending.first, slots[oldest].arrivedCount == geometry!.moduleCount {
            emitOldest(emit: emit)
        }
    }

    private mutating func emitOldest(emit: (AssembledFrame) -> Void) {
        let s = pending.removeFirst()
        let g = geometry!
        let missing = g.moduleCount - slots[s].arrivedCount
        if missing > 0 { maskMissing(in: s) }
        let complete = missing == 0 && slots[s].allComplete
        emitted += 1
        if !complete { incomplete += 1 }
        missingModules += UInt64(missing)
        lastEmitted = slots[s].frameNumber
        let descriptor = FrameDescriptor(
            series: slots[s].series, frameNumber: slots[s].frameNumber, frameIndex: slots[s].frameIndex,
            width: g.width, height: g.height, pixelType: g.pixelType, encoding: .raw,
            byteCount: g.frameBytes, complete: complete)
        slots[s].pixels.withUnsafeBytes { pixels in
            slots[s].arrived.withUnsafeBufferPointer { arrived in
                emit(AssembledFrame(descriptor: descriptor, pixels: pixels, missingModules: missing,
                                    geometry: g, arrived: arrived))
            }
        }
        free.append(s)
    }

    // MARK: - Pixels

    private mutating func place(_ frame: FrameDescriptor, payload: UnsafeRawBufferPointer, in s: Int) {
        let g = geometry!
        let module = frame.module!
        slots[s].arrived[g.cellIndex(row: module.row, column: module.column)] = true
        slots[s].arrivedCount += 1
        if !frame.complete { slots[s].allComplete = false }
        if g.moduleEncoding == .packed4 {
            let scratch = unpackScratch.withUnsafeMutableBytes { out in
                Result { () throws(StreamError) in
                    try PayloadCodec.unpack4(payload, into: out, count: out.count, elementSize: 1)
                }
            }
            // The size was checked against the geometry: unpacking cannot fail here.
            guard case .success = scratch else { return }
            unpackScratch.withUnsafeBytes { source in
                slots[s].pixels.withUnsafeMutableBytes { Self.copyModule(source, to: $0, at: module, g) }
            }
        } else {
            slots[s].pixels.withUnsafeMutableBytes { Self.copyModule(payload, to: $0, at: module, g) }
        }
    }

    /// Copies one module's rows (raw pixels of the image's type) to their place in the image.
    private static func copyModule(_ source: UnsafeRawBufferPointer, to image: UnsafeMutableRawBufferPointer,
                            at module: ModulePosition, _ g: AssemblyGeometry) {
        let rowBytes = g.moduleWidth * g.pixelType.bytesPerPixel
        let imageRowBytes = g.width * g.pixelType.bytesPerPixel
        let flipped = module.rowsArriveFlipped
        guard let from = source.baseAddress, let to = image.baseAddress else { return }
        for y in 0..<g.moduleHeight {
            let imageRow = module.row * g.moduleHeight + (flipped ? g.moduleHeight - 1 - y : y)
            (to + imageRow * imageRowBytes + module.column * rowBytes).copyMemory(from: from + y * rowBytes, byteCount: rowBytes)
        }
    }

    /// Sets the pixels of every missing module to all ones (every byte 0xFF, whatever the type).
    private mutating func maskMissing(in s: Int) {
        let g = geometry!
        let rowBytes = g.moduleWidth * g.pixelType.bytesPerPixel
        let imageRowBytes = g.width * g.pixelType.bytesPerPixel
        for index in 0..<g.moduleCount where !slots[s].arrived[index] {
            let row = index / g.gridColumns, column = index % g.gridColumns
            slots[s].pixels.withUnsafeMutableBytes { image in
                for y in 0..<g.moduleHeight {
                    let start = (row * g.moduleHeight + y) * imageRowBytes + column * rowBytes
                    UnsafeMutableRawBufferPointer(rebasing: image[start..<start + rowBytes]).initializeMemory(as: UInt8.self, repeating: 0xFF)
                }
            }
        }
    }

    private func cell(_ frame: FrameDescriptor) -> String {
        frame.module.map { "row \($0.row), column \($0.column)" } ?? "no position"
    }
}
