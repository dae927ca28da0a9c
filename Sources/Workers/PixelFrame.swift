import DetectorStream
import Processing
import SharedMemory

/// A decoded frame: its shape and its typed pixels.
///
/// Raw little-endian payloads are read where they lie in their ring slot (no copy);
/// LZ4 and bitshuffle-LZ4 payloads are decoded into the worker's reusable buffer.
struct PixelFrame {
    enum Pixels {
        case uint8(UnsafeBufferPointer<UInt8>)
        case uint16(UnsafeBufferPointer<UInt16>)
        case uint32(UnsafeBufferPointer<UInt32>)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let width: Int
    let height: Int
    let pixels: Pixels

    /// Views or decodes the payload of a slot. `buffer` receives decoded pixels of compressed
    /// payloads (it is grown as needed, up to its limit) and must outlive the returned frame.
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
        var payload = payload
        if encoding != .raw {
            guard let buffer else {
                return .failure(Failure(description: "encoding code \(header.encoding) needs a decode buffer"))
            }
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
        let pixels: Pixels
        switch type {
        case .uint8: pixels = .uint8(payload.bindMemory(to: UInt8.self))
        case .uint16: pixels = .uint16(payload.bindMemory(to: UInt16.self))
        case .uint32: pixels = .uint32(payload.bindMemory(to: UInt32.self))
        }
        return .success(PixelFrame(width: width, height: height, pixels: pixels))
    }

    func stats() -> FrameStats {
        switch pixels {
        case .uint8(let p): return FrameKernels.stats(p, maskValue: .max)
        case .uint16(let p): return FrameKernels.stats(p, maskValue: .max)
        case .uint32(let p): return FrameKernels.stats(p, maskValue: .max)
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
        }
    }
}
