import DetectorStream
import Processing
import SharedMemory
@testable import Workers
import XCTest

/// A small region in plain (not pre-faulted) memory.
func makeRegion(slotCount: Int = 4, slotCapacity: Int = 64 * 1024, boardMaxPixels: Int = 4096) throws -> DetviewRegion {
    let layout = try RegionLayout(slotCount: slotCount, slotCapacity: slotCapacity, maxWorkers: 2,
                                  boardMaxPixels: boardMaxPixels, resultCapacity: 16, maskCapacity: 4096)
    return try DetviewRegion.create(layout: layout, name: "detview-workers-test", populate: false)
}

/// A slot header for a raw frame of `width × height` pixels of `type`.
func rawHeader(width: Int, height: Int, type: PixelType, byteCount: Int? = nil) -> SlotHeader {
    SlotHeader(byteCount: UInt64(byteCount ?? width * height * type.bytesPerPixel),
               width: UInt32(width), height: UInt32(height), pixelType: type.rawValue,
               encoding: PayloadEncoding.raw.rawValue, format: WireFormat.sls.rawValue)
}

/// The little-endian bytes of `pixels`, each stored in `type`'s width.
func bytes(of pixels: [UInt32], as type: PixelType) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(pixels.count * type.bytesPerPixel)
    for p in pixels {
        for b in 0..<type.bytesPerPixel { out.append(UInt8(truncatingIfNeeded: p >> (8 * b))) }
    }
    return out
}

/// Publishes a frame into the ring exactly as the receiver does, and returns its sequence.
@discardableResult
func publish(_ header: SlotHeader, payload: [UInt8], into ring: FrameRing,
             file: StaticString = #filePath, line: UInt = #line) throws -> UInt64 {
    let slot = try XCTUnwrap(ring.acquireForWriting(), "no slot to write", file: file, line: line)
    var h = header
    h.byteCount = UInt64(payload.count)
    slot.header.pointee = h
    payload.withUnsafeBytes { slot.payload.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    return ring.publish(slot)
}

/// Frame statistics the slow obvious way: the all-ones value of the type is masked.
struct NaiveStats {
    var sum = 0.0, min = Double.nan, max = Double.nan, mean = Double.nan
    var masked = 0, count = 0

    init(_ pixels: [UInt32], type: PixelType) {
        var lowest = UInt64.max, highest: UInt64 = 0, total: UInt64 = 0
        for p in pixels {
            if UInt64(p) == type.allOnes { masked += 1; continue }
            count += 1
            total += UInt64(p)
            lowest = Swift.min(lowest, UInt64(p))
            highest = Swift.max(highest, UInt64(p))
        }
        if count > 0 {
            sum = Double(total)
            min = Double(lowest)
            max = Double(highest)
            mean = sum / Double(count)
        }
    }
}

/// Max binning the slow obvious way, following Processing's documented bin ranges; NaN for
/// bins of masked pixels only.
func naiveBinMax(_ pixels: [UInt32], width: Int, height: Int, type: PixelType,
                 outWidth: Int, outHeight: Int) -> [Float] {
    var out = [Float](repeating: .nan, count: outWidth * outHeight)
    for j in 0..<outHeight {
        let y0 = j * height / outHeight, y1 = Swift.max(y0 + 1, (j + 1) * height / outHeight)
        for i in 0..<outWidth {
            let x0 = i * width / outWidth, x1 = Swift.max(x0 + 1, (i + 1) * width / outWidth)
            var best: UInt32?
            for y in y0..<y1 {
                for x in x0..<x1 {
                    let p = pixels[y * width + x]
                    if UInt64(p) == type.allOnes { continue }
                    best = Swift.max(best ?? 0, p)
                }
            }
            out[j * outWidth + i] = best.map { Float($0) } ?? .nan
        }
    }
    return out
}

/// Deterministic pseudo-random pixels below `limit`, with every 37th pixel at the mask value.
func testPixels(count: Int, type: PixelType, limit: UInt32, seed: UInt64 = 1) -> [UInt32] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    return (0..<count).map { i in
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        if i % 37 == 5 { return UInt32(truncatingIfNeeded: type.allOnes) }
        return UInt32(state % UInt64(limit))
    }
}

/// NaN-aware equality of float images.
func assertSameImage(_ a: [Float], _ b: [Float], file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "image sizes", file: file, line: line)
    for (i, (x, y)) in zip(a, b).enumerated() where !(x == y || (x.isNaN && y.isNaN)) {
        XCTFail("pixel \(i): \(x) != \(y)", file: file, line: line)
        return
    }
}

/// A frame decoded into another pixel view than the test expects: thrown, so the test fails
/// with both views named instead of skipping.
struct UnexpectedPixelView: Error, CustomStringConvertible {
    let expected: String
    let got: PixelFrame.Pixels
    var description: String { "expected the \(expected) pixel view, got \(got)" }
}

/// Publishes `frames` (uint16 pixels, width × height) into `region`'s ring one at a time and
/// runs each through `pipeline` as worker 0; frame i has number and index `firstIndex + i`.
func processFrames(_ pipeline: inout FramePipeline, _ frames: [[UInt32]], width: Int, height: Int,
                   in region: DetviewRegion, firstIndex: UInt64, chargeIntegrating: Bool,
                   gainBits: Bool = false) throws -> [FrameResult] {
    var results: [FrameResult] = []
    for (i, pixels) in frames.enumerated() {
        var header = rawHeader(width: width, height: height, type: .uint16)
        header.series = 1
        header.frameNumber = firstIndex + UInt64(i)
        header.frameIndex = firstIndex + UInt64(i)
        header.isChargeIntegrating = chargeIntegrating
        header.hasGainBits = gainBits
        try publish(header, payload: bytes(of: pixels, as: .uint16), into: region.ring)
        let slot = try XCTUnwrap(region.ring.claimNext(worker: 0))
        results.append(pipeline.process(slot: slot, worker: 0, region: region))
        region.ring.release(slot)
    }
    return results
}
