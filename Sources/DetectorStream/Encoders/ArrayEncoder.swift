/// Writes array-1.0 headers (PSI std-detector-buffer form: `htype` as a string, `shape` slowest
/// axis first, [height, width]) for the simulator and tests; the data part follows as sent.
/// Stateless; any thread may call it.
public enum ArrayEncoder {
    /// `{"htype":"array-1.0","shape":[h,w],"type":"uint16","frame":n,"endianness":"little"}`,
    /// plus `"encoding"` ("lz4", "bslz4") when the data is compressed; `bigEndian` writes
    /// `"endianness":"big"` (the data part must then hold big-endian pixels).
    public static func header(width: Int, height: Int, pixelType: PixelType, frame: UInt64,
                              encoding: PayloadEncoding = .raw, bigEndian: Bool = false) -> [UInt8] {
        var json = "{\"htype\":\"array-1.0\",\"shape\":[\(height),\(width)],\"type\":\"\(pixelType.name)\","
        json += "\"frame\":\(frame),\"endianness\":\"\(bigEndian ? "big" : "little")\""
        switch encoding {
        case .raw: break
        case .lz4: json += ",\"encoding\":\"lz4\""
        case .bitshuffleLZ4: json += ",\"encoding\":\"bslz4\""
        case .packed4: preconditionFailure("array-1.0 has no packed 4-bit encoding")
        }
        json += "}"
        return Array(json.utf8)
    }
}
