/// Writes DECTRIS SIMPLON stream v1 messages (PROTOCOLS.md §2) as lists of parts, one list per
/// multipart ZMQ message: the series header (`dheader-1.0` with header_detail none, basic or
/// all), images (`dimage-1.0`, `dimage_d-1.0`, data, `dconfig-1.0`) and `dseries_end-1.0`.
/// For the simulator and tests; stateless, any thread may call it.
public enum SimplonEncoder {
    public enum HeaderDetail: String, Sendable, CaseIterable {
        case none, basic, all
    }

    /// A detector configuration value (the `header_detail: basic` part holds a flat JSON object).
    public enum ConfigValue: Sendable, Equatable {
        case text(String)
        case int(Int64)
        case number(Double)
        case bool(Bool)
    }

    /// The value a gap pixel has in the `dpixelmask-1.0` part (DECTRIS bit 0: gap).
    public static let gapMaskBit: UInt32 = 1
    /// DECTRIS bit 4: a noisy (hot) pixel.
    public static let noisyMaskBit: UInt32 = 0x10

    /// The series header message. `config` is the detector configuration (basic and all);
    /// `pixelMask` (all only) holds width × height uint32 values, row-major.
    public static func seriesHeader(series: UInt64, detail: HeaderDetail, config: [(String, ConfigValue)],
                                    width: Int, height: Int, pixelMask: [UInt32]? = nil) -> [[UInt8]] {
        var parts = [json("{\"htype\":\"dheader-1.0\",\"series\":\(series),\"header_detail\":\"\(detail.rawValue)\"}")]
        guard detail != .none else { return parts }
        parts.append(configJSON(config))
        guard detail == .all else { return parts }
        let pixels = width * height
        let flatfield = [Float](repeating: 1, count: pixels)
        parts.append(json("{\"htype\":\"dflatfield-1.0\",\"shape\":[\(width),\(height)],\"type\":\"float32\"}"))
        parts.append(littleEndianBytes(flatfield.map(\.bitPattern)))
        let mask = pixelMask ?? [UInt32](repeating: 0, count: pixels)
        precondition(mask.count == pixels, "simplon: pixel mask of \(mask.count) values for \(width)×\(height) pixels")
        parts.append(json("{\"htype\":\"dpixelmask-1.0\",\"shape\":[\(width),\(height)],\"type\":\"uint32\"}"))
        parts.append(littleEndianBytes(mask))
        // A small identity table: [2, n] float32 (measured, corrected counts).
        let n = 16
        let table = (0..<2).flatMap { _ in (0..<n).map { Float($0 * 1000).bitPattern } }
        parts.append(json("{\"htype\":\"dcountrate_table-1.0\",\"shape\":[2,\(n)],\"type\":\"float32\"}"))
        parts.append(littleEndianBytes(table))
        return parts
    }

    /// The encoding name for `dimage_d-1.0`: `<`, `lz4<`, or `bs8-lz4<`/`bs16-lz4<`/`bs32-lz4<`.
    public static func encodingName(_ encoding: PayloadEncoding, pixelType: PixelType) -> String {
        switch encoding {
        case .raw: "<"
        case .lz4: "lz4<"
        case .bitshuffleLZ4: "bs\(pixelType.bytesPerPixel * 8)-lz4<"
        case .packed4: preconditionFailure("SIMPLON has no packed 4-bit encoding")
        }
    }

    /// The three header parts of an image; the data (`dataCount` bytes, already encoded) goes
    /// between `descriptor` and `config`. Times are nanoseconds since the series start.
    public static func imageParts(series: UInt64, frame: UInt64, width: Int, height: Int, pixelType: PixelType,
                                  encoding: PayloadEncoding, dataCount: Int, startTime: UInt64, stopTime: UInt64)
        -> (image: [UInt8], descriptor: [UInt8], config: [UInt8]) {
        let image = json("{\"htype\":\"dimage-1.0\",\"series\":\(series),\"frame\":\(frame),\"hash\":\"\"}")
        let descriptor = json("{\"htype\":\"dimage_d-1.0\",\"shape\":[\(width),\(height)],\"type\":\"\(pixelType.name)\","
            + "\"encoding\":\"\(encodingName(encoding, pixelType: pixelType))\",\"size\":\(dataCount)}")
        let config = json("{\"htype\":\"dconfig-1.0\",\"start_time\":\(startTime),\"stop_time\":\(stopTime),"
            + "\"real_time\":\(stopTime &- startTime)}")
        return (image, descriptor, config)
    }

    public static func seriesEnd(series: UInt64) -> [UInt8] {
        json("{\"htype\":\"dseries_end-1.0\",\"series\":\(series)}")
    }

    /// The configuration object, keys in the given order.
    public static func configJSON(_ config: [(String, ConfigValue)]) -> [UInt8] {
        var text = "{"
        for (i, (key, value)) in config.enumerated() {
            if i > 0 { text += "," }
            text += JSONString.quoted(key) + ":"
            switch value {
            case .text(let s): text += JSONString.quoted(s)
            case .int(let n): text += String(n)
            case .number(let x): text += x.isFinite ? "\(x)" : "null"
            case .bool(let b): text += b ? "true" : "false"
            }
        }
        return json(text + "}")
    }

    private static func json(_ text: String) -> [UInt8] { Array(text.utf8) }

    private static func littleEndianBytes(_ values: [UInt32]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: values.count * 4)
        out.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() { raw.storeBytes(of: v.littleEndian, toByteOffset: i * 4, as: UInt32.self) }
        }
        return out
    }
}
