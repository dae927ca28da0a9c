import Processing
import SharedMemory

/// In-place changes a worker makes to a frame's pixels before computing anything: the
/// stream's pixel mask and the JUNGFRAU gain bits. The worker owns the memory it changes
/// (its claimed ring slot or its own decode buffer), so writing through is safe.
extension PixelFrame {
    /// Sets every pixel in `indices` (row-major, each below width × height) to the masked
    /// value: the all-ones value of an integer type, NaN in a converted frame, whose
    /// statistics are then taken again. Returns the frame as it now is.
    func applyingMask(_ indices: [UInt32]) -> PixelFrame {
        switch pixels {
        case .uint8(let p): Self.mask(p, indices)
        case .uint16(let p): Self.mask(p, indices)
        case .uint32(let p): Self.mask(p, indices)
        case .converted(let p, _):
            let out = UnsafeMutableBufferPointer(mutating: p)
            for index in indices where Int(index) < out.count { out[Int(index)] = .nan }
            return PixelFrame(width: width, height: height, pixels: .converted(p, stats: FrameKernels.stats(p)))
        }
        return self
    }

    private static func mask<T: FixedWidthInteger & UnsignedInteger>(_ pixels: UnsafeBufferPointer<T>, _ indices: [UInt32]) {
        let out = UnsafeMutableBufferPointer(mutating: pixels)
        for index in indices where Int(index) < out.count { out[Int(index)] = .max }
    }

    /// JUNGFRAU pixels hold the gain stage in bits 15–14 (0 = G0, 1 = G1, 3 = G2) and the ADC
    /// value in bits 13–0. Leaves the ADC value, or (`ControlSettings.viewGainStage`) the gain
    /// stage as 0, 1, 2. The masked value stays masked, and so does the gain code 2, which no
    /// JUNGFRAU sends (a broken pixel).
    /// In the value view `stages` (when given, `width × height` bytes) receives each pixel's
    /// gain stage 0, 1, 2, or 255 for a masked pixel, for the per-stage pedestals.
    func applyGainView(_ view: UInt32, stages: UnsafeMutableBufferPointer<UInt8>? = nil) {
        guard case .uint16(let p) = pixels else { return }
        let out = UnsafeMutableBufferPointer(mutating: p)
        if view == ControlSettings.viewGainStage {
            for i in out.indices {
                let v = out[i]
                let code = v >> 14
                out[i] = v == .max || code == 2 ? .max : (code == 3 ? 2 : code)
            }
        } else if let stages, stages.count >= out.count {
            for i in out.indices {
                let v = out[i]
                let code = v >> 14
                stages[i] = v == .max || code == 2 ? 255 : UInt8(truncatingIfNeeded: code == 3 ? 2 : code)
                out[i] = v == .max ? v : v & 0x3FFF
            }
        } else {
            for i in out.indices {
                let v = out[i]
                out[i] = v == .max ? v : v & 0x3FFF
            }
        }
    }
}
