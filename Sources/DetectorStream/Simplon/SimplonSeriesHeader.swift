/// What a SIMPLON v1 series header (`dheader-1.0` and its detail parts) announces, kept by
/// `SimplonStreamDecoder` until the first image of the series. A plain value on the receiver thread.
struct SimplonSeriesHeader {
    enum Detail: String {
        case none, basic, all
    }

    var series: UInt64
    var detail: Detail
    /// Selected detector configuration values as text, for `SeriesInfo.metadata`.
    var metadata: [String: String] = [:]
    var detector = DetectorFamily.unnamed

    /// The configuration members worth showing or logging.
    static let metadataKeys = [
        "description", "detector_number", "software_version", "count_time", "frame_time", "nimages",
        "ntrigger", "beam_center_x", "beam_center_y", "detector_distance", "wavelength",
        "x_pixels_in_detector", "y_pixels_in_detector", "bit_depth_image", "countrate_correction_count_cutoff",
    ]

    /// Reads the detector configuration part (a JSON object without htype).
    mutating func readConfig(_ part: UnsafeRawBufferPointer) throws(StreamError) {
        var reader = JSONReader(part, maxDepth: 32)
        let value: JSONValue
        do throws(StreamError) {
            guard reader.peekSignificant() == UInt8(ascii: "{") else {
                throw StreamError(.notJSON, "detector config is not a JSON object")
            }
            value = try reader.readValue()
            try reader.finish()
        } catch {
            throw StreamError(error.kind, "simplon: detector config of series \(series): " + error.message)
        }
        for key in Self.metadataKeys {
            if let text = value[key].flatMap(Self.text) { metadata[key] = text }
        }
        detector = DetectorFamily(dectrisDescription: metadata["description"] ?? "")
    }

    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): s
        case .number(let n): n.signed.map(String.init) ?? n.unsigned.map(String.init) ?? String(n.double)
        case .bool(let b): String(b)
        default: nil
        }
    }
}

/// The kinds of `header_detail: all` part pairs, in the order the detector sends them.
enum SimplonDetailPart: String, CaseIterable {
    case flatfield = "dflatfield-1.0"
    case pixelMask = "dpixelmask-1.0"
    case countRateTable = "dcountrate_table-1.0"

    var label: String {
        switch self {
        case .flatfield: "flatfield"
        case .pixelMask: "pixel mask"
        case .countRateTable: "count-rate table"
        }
    }

    /// The pixel mask as uint32 values when `data` holds exactly shape[0] × shape[1] of them;
    /// nil for placeholders (some senders put a short string there).
    static func pixelMask(header: HtypeHeader, data: UnsafeRawBufferPointer) -> (mask: [UInt32], width: Int, height: Int)? {
        guard let shape = header.shape, shape.count == 2, header.type == nil || header.type == "uint32",
              let bytes = HeaderBytes.frameBytes(shape[0], shape[1], 4), bytes > 0, bytes == data.count else {
            return nil
        }
        let mask = [UInt32](unsafeUninitializedCapacity: bytes / 4) { buffer, count in
            for i in 0..<(bytes / 4) {
                buffer[i] = UInt32(littleEndian: data.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
            }
            count = bytes / 4
        }
        return (mask, shape[0], shape[1])
    }
}
