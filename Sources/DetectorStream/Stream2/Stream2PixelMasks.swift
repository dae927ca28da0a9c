/// Reads the `pixel_mask` of a stream v2 start message: a map from channel name to a
/// [height, width] array (any unsigned typed array, raw or compressed with tag 56500) whose
/// non-zero elements mark pixels that never count. Runs once per series on the receiver
/// thread; a mask it cannot read is skipped with a reason, never an error of the series.
enum Stream2PixelMasks {
    static func read(_ message: CBORValue, part: UnsafeRawBufferPointer,
                     maxFrameBytes: Int) -> (masks: [String: PixelMask], problems: [String]) {
        guard case .map(let entries)? = message["pixel_mask"] else { return ([:], []) }
        var masks: [String: PixelMask] = [:], problems: [String] = []
        for entry in entries {
            guard let channel = entry.key.text else { continue }
            do throws(StreamError) {
                masks[channel] = try mask(entry.value, part: part, maxFrameBytes: maxFrameBytes, what: "pixel_mask \(channel)")
            } catch {
                problems.append(error.message)
            }
        }
        return (masks, problems)
    }

    private static func mask(_ value: CBORValue, part: UnsafeRawBufferPointer, maxFrameBytes: Int,
                             what: String) throws(StreamError) -> PixelMask {
        let array = try Stream2Array(value, what: what)
        guard let dims = array.dims, dims.count == 2, !array.columnMajor else {
            throw StreamError(.badValue, "stream2: \(what): expected a row-major [height, width] array")
        }
        let (height, width) = (dims[0], dims[1])
        let elementSize = array.kind?.pixelType?.bytesPerPixel ?? array.compression?.elementSize ?? 4
        guard [1, 2, 4, 8].contains(elementSize) else {
            throw StreamError(.badValue, "stream2: \(what): element size \(elementSize)")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        let (bytes, bytesOverflow) = pixels.multipliedReportingOverflow(by: elementSize)
        guard !overflow, !bytesOverflow, bytes <= maxFrameBytes else {
            throw StreamError(.tooLarge, "stream2: \(what): [\(height), \(width)] is beyond the frame limit")
        }
        var stored: [UInt8] = []
        for range in array.ranges { stored.append(contentsOf: part[range]) }
        var flat = [UInt8](repeating: 0, count: bytes)
        if let compression = array.compression {
            let encoding: PayloadEncoding = compression.algorithm == "bslz4" ? .bitshuffleLZ4 : .lz4
            guard compression.algorithm == "bslz4" || compression.algorithm == "lz4" else {
                throw StreamError(.unsupported, "stream2: \(what): compression \"\(compression.algorithm)\"")
            }
            let decoded = stored.withUnsafeBytes { input in
                flat.withUnsafeMutableBytes { output in
                    Result { () throws(StreamError) in
                        try PayloadCodec.decode(encoding, elementSize: elementSize, elementCount: pixels,
                                                input: input, output: output)
                    }
                }
            }
            try decoded.get()
        } else {
            guard stored.count == bytes else {
                throw StreamError(.sizeMismatch, "stream2: \(what): \(stored.count) bytes, [\(height), \(width)] needs \(bytes)")
            }
            flat = stored
        }
        // Non-zero in either byte order is non-zero: no swap needed.
        var indices: [UInt32] = []
        for i in 0..<pixels {
            let base = i * elementSize
            var any: UInt8 = 0
            for b in 0..<elementSize { any |= flat[base + b] }
            if any != 0 { indices.append(UInt32(truncatingIfNeeded: i)) }
        }
        return PixelMask(width: width, height: height, indices: indices)
    }
}
