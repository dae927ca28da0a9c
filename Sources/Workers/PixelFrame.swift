import DetectorStream
import Processing
import SharedMemory

/// A decoded frame: its shape and its typed pixels, ready for the kernels. Built and used by
/// one worker process, within the life of its claimed slot and its `DecodeBuffer`.
///
/// Raw little-endian uint8/16/32 payloads are read where they lie in their ring slot (no
/// copy); LZ4 and bitshuffle-LZ4 payloads are decoded into the worker's reusable buffer.
/// Big-endian uint16/32 are byte-swapped into (or within) that buffer and then take the same
/// integer kernels. Every other type (uint64, int8–int64, float32, float64, either byte order)
/// is converted once into the buffer's Float32 copy, masked pixels as NaN, with the frame's
/// statistics computed from the original values in that pass (`PixelConversion`): the display
/// of 64-bit values is rounded to Float32, their statistics are not.
struct PixelFrame {
    enum Pixels {
        case uint8(UnsafeBufferPointer<UInt8>)
        case uint16(UnsafeBufferPointer<UInt16>)
        case uint32(UnsafeBufferPointer<UInt32>)
        /// A frame of another type for display (masked = NaN), with its exact statistics.
        case converted(UnsafeBufferPointer<Float>, stats: FrameStats)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let width: Int
    let height: Int
    let pixels: Pixels

    /// Views or decodes the payload of a slot. `buffer` receives decoded pixels of compressed
    /// payloads, byte-swapped and converted frames (it is grown as needed, up to its limit) and
    /// must outlive the returned frame; raw little-endian uint8/16/32 frames need none.
    static func make(header: SlotHeader, payload: UnsafeRawBufferPointer,
                     buffer: DecodeBuffer? = nil) -> Result<PixelFrame, Failure> {
        guard let type = PixelType(rawValue: header.pixelType) else {
            return .failure(Failure(description: "unknown pixel type code \(header.pixelType)"))
        }
        guard let encoding = PayloadEncoding(rawValue: header.encoding) else {
            return .failure(Failure(description: "unknown encoding code \(header.encoding)"))
        }
        let width = Int(header.width), height = Int(header.height)
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        let (needed, bytesOverflow) = count.multipliedReportingOverflow(by: type.bytesPerPixel)
        guard !overflow, !bytesOverflow, width > 0, height > 0 else {
            return .failure(Failure(description: "absurd shape \(width)×\(height)"))
        }
        let bigEndian = header.isBigEndian && type.bytesPerPixel > 1
        let ownKernels = PixelType.detectorTypes.contains(type)
        guard buffer != nil || (encoding == .raw && ownKernels && !bigEndian) else {
            return .failure(Failure(description:
                "\(bigEndian ? "big-endian " : "")\(type.name) frame of encoding code \(header.encoding) needs a decode buffer"))
        }
        var payload = payload
        if encoding != .raw, let buffer {
            guard let output = buffer.reserve(needed) else {
                return .failure(Failure(description:
                    "\(width)×\(height) \(type.name) decodes to \(needed) bytes, over the \(buffer.limit)-byte limit"))
            }
            do {
                try PayloadCodec.decode(encoding, elementSize: type.bytesPerPixel, elementCount: count,
                                        input: payload, output: output)
            } catch {
                return .failure(Failure(description: error.description))
            }
            payload = UnsafeRawBufferPointer(output)
        }
        guard payload.count == needed else {
            return .failure(Failure(description:
                "payload is \(payload.count) bytes, \(width)×\(height) \(type.name) needs \(needed)"))
        }
        if !ownKernels, let buffer {
            guard let floats = buffer.reserveFloats(count),
                  let stats = PixelConversion.toFloat(payload, element: type.element, bigEndian: bigEndian, into: floats)
            else {
                return .failure(Failure(description: "\(width)×\(height) \(type.name) is over the \(buffer.limit)-pixel limit"))
            }
            return .success(PixelFrame(width: width, height: height, pixels: .converted(UnsafeBufferPointer(floats), stats: stats)))
        }
        if bigEndian, let buffer {
            // A decoded payload already lives in the buffer (swap it there); a raw one is the
            // slot's, which the receiver may still see: swap it on the way into the buffer.
            let target = encoding == .raw ? buffer.reserve(needed) : UnsafeMutableRawBufferPointer(mutating: payload)
            guard let target else {
                return .failure(Failure(description: "\(width)×\(height) \(type.name) is \(needed) bytes, over the \(buffer.limit)-byte limit"))
            }
            PixelConversion.copySwappingBytes(from: payload, to: target, elementSize: type.bytesPerPixel)
            payload = UnsafeRawBufferPointer(target)
        }
        let pixels: Pixels
        switch type {
        case .uint8: pixels = .uint8(payload.bindMemory(to: UInt8.self))
        case .uint16: pixels = .uint16(payload.bindMemory(to: UInt16.self))
        case .uint32: pixels = .uint32(payload.bindMemory(to: UInt32.self))
        default: return .failure(Failure(description: "\(type.name) has no integer kernels"))   // converted above
        }
        return .success(PixelFrame(width: width, height: height, pixels: pixels))
    }

    func stats() -> FrameStats {
        switch pixels {
        case .uint8(let p): return FrameKernels.stats(p, maskValue: .max)
        case .uint16(let p): return FrameKernels.stats(p, maskValue: .max)
        case .uint32(let p): return FrameKernels.stats(p, maskValue: .max)
        case .converted(_, let stats): return stats
        }
    }

    /// Statistics of the whole frame plus its max-binned display image in one pass;
    /// nil (and nothing written) when the output size does not fit the buffer.
    func statsAndBinMax(into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> FrameStats? {
        switch pixels {
        case .uint8(let p):
            return FrameKernels.statsAndBinMax(p, width: width, height: height, maskValue: .max,
                                               into: out, outWidth: outWidth, outHeight: outHeight)
        case .uint16(let p):
            return FrameKernels.statsAndBinMax(p, width: width, height: height, maskValue: .max,
                                               into: out, outWidth: outWidth, outHeight: outHeight)
        case .uint32(let p):
            return FrameKernels.statsAndBinMax(p, width: width, height: height, maskValue: .max,
                                               into: out, outWidth: outWidth, outHeight: outHeight)
        case .converted(let p, let stats):
            // The conversion already has the exact statistics; only the image is left.
            let drawn = FrameKernels.binMax(p, width: width, height: height,
                                            into: out, outWidth: outWidth, outHeight: outHeight)
            return drawn ? stats : nil
        }
    }
}

extension PixelFrame {
    /// The max-binned image of `region` of the frame (a zoomed viewport); false (and nothing
    /// written) when the region leaves the frame or the output does not fit the buffer.
    func binMax(region: PixelRegion, into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        switch pixels {
        case .uint8(let p):
            return FrameKernels.binMax(p, frameWidth: width, frameHeight: height, region: region,
                                       into: out, outWidth: outWidth, outHeight: outHeight)
        case .uint16(let p):
            return FrameKernels.binMax(p, frameWidth: width, frameHeight: height, region: region,
                                       into: out, outWidth: outWidth, outHeight: outHeight)
        case .uint32(let p):
            return FrameKernels.binMax(p, frameWidth: width, frameHeight: height, region: region,
                                       into: out, outWidth: outWidth, outHeight: outHeight)
        case .converted(let p, _):
            return FrameKernels.binMax(p, frameWidth: width, frameHeight: height, region: region,
                                       into: out, outWidth: outWidth, outHeight: outHeight)
        }
    }
}

extension PixelType {
    /// The element `PixelConversion` reads for this type.
    var element: PixelConversion.Element {
        switch self {
        case .uint8: .uint8
        case .uint16: .uint16
        case .uint32: .uint32
        case .uint64: .uint64
        case .int8: .int8
        case .int16: .int16
        case .int32: .int32
        case .int64: .int64
        case .float32: .float32
        case .float64: .float64
        }
    }
}
