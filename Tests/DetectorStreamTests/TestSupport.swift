import DetectorStream
import XCTest

/// A `StreamEvent` with its payload copied out, so tests can compare events after the callback.
enum Recorded: Equatable {
    case seriesStart(SeriesInfo)
    case frame(FrameDescriptor, payload: [UInt8])
    case seriesEnd(series: UInt64, frames: UInt64)
    case gap(series: UInt64, missing: UInt64)
    case bad(StreamError)
    case pixelMask(series: UInt64, PixelMask)

    init(_ event: StreamEvent) {
        switch event {
        case .seriesStart(let info): self = .seriesStart(info)
        case .frame(let d, let payload): self = .frame(d, payload: Array(payload))
        case .seriesEnd(let s, let n): self = .seriesEnd(series: s, frames: n)
        case .gap(let s, let n): self = .gap(series: s, missing: n)
        case .bad(let e): self = .bad(e)
        case .pixelMask(let s, let m): self = .pixelMask(series: s, m)
        }
    }

    var badError: StreamError? {
        if case .bad(let e) = self { return e }
        return nil
    }

    var frameDescriptor: FrameDescriptor? {
        if case .frame(let d, _) = self { return d }
        return nil
    }
}

/// Feeds messages (each a list of parts) to a decoder and returns what it emitted.
func feed<D: StreamDecoder>(_ decoder: inout D, _ messages: [[[UInt8]]]) -> [Recorded] {
    var out: [Recorded] = []
    for message in messages {
        feedOne(&decoder, message, into: &out)
    }
    return out
}

private func feedOne<D: StreamDecoder>(_ decoder: inout D, _ parts: [[UInt8]], into out: inout [Recorded]) {
    // Parts are copied into separate allocations so a decoder that reads past a part's end
    // would be caught by the sanitizers rather than read its neighbour.
    let buffers = parts.map { part -> UnsafeMutableRawBufferPointer in
        let b = UnsafeMutableRawBufferPointer.allocate(byteCount: max(part.count, 1), alignment: 16)
        b.copyBytes(from: part)
        return b
    }
    defer { buffers.forEach { $0.deallocate() } }
    let views = zip(buffers, parts).map { UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer($0)[0..<$1.count]) }
    decoder.consume(views) { out.append(Recorded($0)) }
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// A frame header as the 9.2 receiver would fill it for a MOENCH-like port.
func frameHeader(frameNumber: UInt64, frameIndex: UInt64, width: Int = 4, height: Int = 3,
                 bitmode: Int = 16, complete: Bool = true) -> SlsHeader {
    var h = SlsHeader()
    h.jsonVersion = 5
    h.bitmode = bitmode
    h.detShape = [1, 1]
    h.shape = [width, height]
    h.size = width * height * max(bitmode / 8, 1)
    h.acqIndex = frameNumber
    h.frameIndex = frameIndex
    h.progress = 50
    h.fname = "/data/run"
    h.data = 1
    h.completeImage = complete ? 1 : 0
    h.frameNumber = frameNumber
    h.packetNumber = 50
    h.detType = 5
    h.version = 2
    h.rxROI = [0, width - 1, 0, height - 1]
    return h
}

func payload(count: Int, seed: UInt8 = 7) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
}
