/// What a SIMPLON v1 image message (`dimage-1.0`, `dimage_d-1.0`, data, `dconfig-1.0`) says about
/// its frame, validated against the data part. A plain value, built on the receiver thread.
struct SimplonImageHeader {
    var series: UInt64?
    var frame: UInt64
    var width: Int
    var height: Int
    var pixelType: PixelType
    var encoding: PayloadEncoding
    /// Set when a bitshuffle encoding's element size overrode the announced `type`.
    var typeOverride: (announced: String, used: PixelType)?

    /// Validates the parts of one image message. `dataCount` is the data part's size.
    static func validate(image: HtypeHeader, descriptor d: HtypeHeader, dataCount: Int,
                         maxFrameBytes: Int) throws(StreamError) -> SimplonImageHeader {
        guard let frame = image.frame else {
            throw StreamError(.missingKey, "simplon: dimage-1.0 has no \"frame\"")
        }
        guard d.htype == "dimage_d-1.0" else {
            throw StreamError(.badValue, "simplon: part 2 of an image is \(describe(d.htype)), expected dimage_d-1.0")
        }
        guard let shape = d.shape else { throw StreamError(.missingKey, "simplon: dimage_d-1.0 has no \"shape\"") }
        guard shape.count == 2, shape[0] > 0, shape[1] > 0 else {
            throw StreamError(.badValue, "simplon: shape \(shape) is not [width, height] with both above 0")
        }
        guard let typeName = d.type else { throw StreamError(.missingKey, "simplon: dimage_d-1.0 has no \"type\"") }
        guard let encodingName = d.encoding else {
            throw StreamError(.missingKey, "simplon: dimage_d-1.0 has no \"encoding\"")
        }
        guard let (encoding, elementSize) = Self.encoding(encodingName) else {
            throw StreamError(.badValue, "simplon: encoding \"\(encodingName)\" is not <, lz4<, bs8-lz4<, bs16-lz4< or bs32-lz4<")
        }
        var pixelType: PixelType
        if let t = PixelType(name: typeName), PixelType.detectorTypes.contains(t) {
            pixelType = t
        } else if PixelType(name: typeName) != nil {
            throw StreamError(.unsupported, "simplon: pixel type \(typeName) is not a SIMPLON v1 type (DECTRIS sends uint8, uint16 or uint32)")
        } else {
            throw StreamError(.badValue, "simplon: type \"\(typeName)\" is not uint8, uint16 or uint32")
        }
        // The bitshuffle element size decides how the payload decodes; some senders announce
        // uint16 whatever they hold, so the encoding wins.
        var typeOverride: (announced: String, used: PixelType)?
        if let size = elementSize, let fromEncoding = PixelType.detectorTypes.first(where: { $0.bytesPerPixel == size }),
           fromEncoding != pixelType {
            typeOverride = (typeName, fromEncoding)
            pixelType = fromEncoding
        }
        let (width, height) = (shape[0], shape[1])
        guard let expected = HeaderBytes.frameBytes(width, height, pixelType.bytesPerPixel), expected <= maxFrameBytes else {
            throw StreamError(.tooLarge, "simplon: shape [\(width), \(height)] × \(pixelType.bytesPerPixel) bytes exceeds the \(HeaderBytes.limitText(maxFrameBytes)) frame limit (--max-frame-bytes)")
        }
        if let size = d.size, size != dataCount {
            throw StreamError(.sizeMismatch, "simplon: data part is \(dataCount) bytes, dimage_d says size \(size)")
        }
        switch encoding {
        case .raw:
            guard dataCount == expected else {
                throw StreamError(.sizeMismatch, "simplon: raw data part is \(dataCount) bytes, shape [\(width), \(height)] × \(pixelType.bytesPerPixel) bytes = \(expected)")
            }
        case .lz4, .bitshuffleLZ4, .packed4:   // (SIMPLON names no packed encoding; kept total)
            guard dataCount <= maxFrameBytes else {
                throw StreamError(.tooLarge, "simplon: compressed data part of \(dataCount) bytes exceeds the \(HeaderBytes.limitText(maxFrameBytes)) frame limit (--max-frame-bytes)")
            }
            guard dataCount > 0 else { throw StreamError(.sizeMismatch, "simplon: compressed data part is empty") }
        }
        return SimplonImageHeader(series: image.series, frame: frame, width: width, height: height,
                                  pixelType: pixelType, encoding: encoding, typeOverride: typeOverride)
    }

    /// The DECTRIS encoding names; the element size is set for bitshuffle encodings.
    static func encoding(_ name: String) -> (PayloadEncoding, Int?)? {
        switch name {
        case "<": (.raw, nil)
        case "lz4<": (.lz4, nil)
        case "bs8-lz4<": (.bitshuffleLZ4, 1)
        case "bs16-lz4<": (.bitshuffleLZ4, 2)
        case "bs32-lz4<": (.bitshuffleLZ4, 4)
        default: nil
        }
    }

    static func describe(_ htype: String?) -> String {
        htype.map { "\"\($0)\"" } ?? "a part without htype"
    }
}
