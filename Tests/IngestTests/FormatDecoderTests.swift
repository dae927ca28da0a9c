import DetectorStream
@testable import Ingest
import XCTest

/// FormatDecoder on plain message bytes, driven as the receive thread drives it (detect, then
/// consume): a sender of another format on the same endpoint is detected again.
final class FormatDecoderTests: XCTestCase {
    private func slsFrame(_ index: UInt64) -> [[UInt8]] {
        var h = SlsHeader()
        h.bitmode = 16
        h.shape = [4, 3]
        h.size = 24
        h.frameIndex = index
        h.frameNumber = 100 + index
        h.data = 1
        h.completeImage = 1
        h.detType = 5
        return [h.encoded(jsonVersion: 5), [UInt8](repeating: 1, count: 24)]
    }

    private let slsEnd = [SlsHeader.endOfAcquisition(jsonVersion: 5).encoded(jsonVersion: 5)]

    private func arrayFrame(_ number: UInt64) -> [[UInt8]] {
        [ArrayEncoder.header(width: 8, height: 2, pixelType: .uint8, frame: number), [UInt8](repeating: 2, count: 16)]
    }

    private func simplonEnd() -> [[UInt8]] { [Array("{\"htype\":\"dseries_end-1.0\",\"series\":7}".utf8)] }

    /// Runs the messages through `decoder` and describes what came out, one line per event.
    private func run(_ decoder: inout FormatDecoder, _ messages: [[[UInt8]]]) -> [String] {
        var lines: [String] = []
        func record(_ event: StreamEvent, _ format: WireFormat?) {
            let name = format?.name ?? "?"
            switch event {
            case .seriesStart(let info): lines.append("\(name) start \(info.series) \(info.format.name) \(info.width)x\(info.height)")
            case .frame(let frame, _): lines.append("\(name) frame \(frame.series)/\(frame.frameNumber)")
            case .seriesEnd(let series, let frames): lines.append("\(name) end \(series) after \(frames)")
            case .gap(let series, let missing): lines.append("\(name) gap \(series) \(missing)")
            case .bad(let error): lines.append("\(name) bad \(error.message)")
            case .pixelMask(let series, _): lines.append("\(name) mask \(series)")
            }
        }
        for message in messages {
            withBuffers(message) { parts in
                if let detection = decoder.detect(parts, emit: record) { lines.append("format \(detection)") }
                decoder.consume(parts, emit: record)
            }
        }
        return lines
    }

    private func auto() -> FormatDecoder { FormatDecoder(.init(format: nil, maxFrameBytes: 1 << 20)) }

    func testArrayAfterAnSlsSeriesEndIsDetectedAgain() {
        var decoder = auto()
        let lines = run(&decoder, [slsFrame(0), slsFrame(1), slsEnd, arrayFrame(5), arrayFrame(6)])
        XCTAssertEqual(lines, [
            "format sls (detected)",
            "sls start 1 sls 4x3", "sls frame 1/100", "sls frame 1/101", "sls end 1 after 2",
            "format array (detected again after sls series 1 ended)",
            "array start 2 array 8x2", "array frame 2/5", "array frame 2/6",
        ])
        XCTAssertEqual(decoder.format, .array)
    }

    func testArrayAfterAnSlsSeriesWithoutEndIsDetectedAgainAfterFiveRejections() {
        var decoder = auto()
        let lines = run(&decoder, [slsFrame(0), slsFrame(1)] + (5...12).map(arrayFrame))
        let bad = "sls bad sls: frame header has no \"bitmode\" (looks like array: detected again after 5 in a row)"
        XCTAssertEqual(lines, [
            "format sls (detected)",
            "sls start 1 sls 4x3", "sls frame 1/100", "sls frame 1/101",
            bad, bad, bad, bad, bad,
            "sls end 1 after 2",   // the old series ends before the new one starts
            "format array (detected again after 5 frames the sls decoder rejected)",
            "array start 2 array 8x2", "array frame 2/10", "array frame 2/11", "array frame 2/12",
        ])
    }

    func testSlsAfterArrayIsDetectedAgainAndCountsSeriesOn() {
        var decoder = auto()
        let lines = run(&decoder, [arrayFrame(0)] + Array(repeating: slsFrame(0), count: 5) + [slsFrame(0), slsFrame(1)])
        XCTAssertEqual(lines.filter { !$0.contains(" bad ") }, [
            "format array (detected)", "array start 1 array 8x2", "array frame 1/0",
            "array end 1 after 1",
            "format sls (detected again after 5 frames the array decoder rejected)",
            "sls start 2 sls 4x3", "sls frame 2/100", "sls frame 2/101",
        ])
        XCTAssertEqual(lines.filter { $0.contains(" bad ") }.count, 5)
    }

    func testAForcedFormatKeepsItsDecoderAndSaysWhatTheStreamLooksLike() {
        var decoder = FormatDecoder(.init(format: .sls, maxFrameBytes: 1 << 20))
        let lines = run(&decoder, [slsFrame(0), slsEnd] + (0..<8).map(arrayFrame))
        XCTAssertEqual(Array(lines.prefix(3)), ["sls start 1 sls 4x3", "sls frame 1/100", "sls end 1 after 1"])
        XCTAssertEqual(Array(lines.dropFirst(3)), Array(repeating:
            "sls bad sls: frame header has no \"bitmode\" (looks like array, but --format sls is forced)", count: 8))
        XCTAssertEqual(decoder.format, .sls)
    }

    func testRejectedFramesOfTheSameFormatKeepTheDecoderAndItsSeries() {
        var decoder = auto()
        var broken = slsFrame(1)
        broken[1].removeLast()   // a data part shorter than the header says
        let lines = run(&decoder, [slsFrame(0)] + Array(repeating: broken, count: 6) + [slsFrame(2)])
        XCTAssertFalse(lines.contains { $0.hasPrefix("format") && $0 != "format sls (detected)" })
        XCTAssertEqual(lines.filter { $0.contains(" bad ") }.count, 6)
        XCTAssertFalse(lines.contains { $0.contains("looks like") }, "a malformed sls frame is not another format")
        XCTAssertEqual(lines.last, "sls frame 1/102", "the series goes on")
    }

    func testTheSameFormatAfterASeriesEndKeepsItsDecoder() {
        var decoder = auto()
        let lines = run(&decoder, [slsFrame(0), slsEnd, slsFrame(0), slsEnd])
        XCTAssertEqual(lines, [
            "format sls (detected)", "sls start 1 sls 4x3", "sls frame 1/100", "sls end 1 after 1",
            "sls start 2 sls 4x3", "sls frame 2/100", "sls end 2 after 1",
        ])
    }

    func testAMessageOfNoKnownFormatAfterASeriesEndKeepsTheDecoder() {
        var decoder = auto()
        let lines = run(&decoder, [slsFrame(0), slsEnd, [[0x00, 0x01]], slsFrame(0)])
        XCTAssertEqual(lines.filter { $0.hasPrefix("format") }, ["format sls (detected)"])
        XCTAssertEqual(lines.last, "sls frame 2/100")
    }

    func testSimplonAfterAnSlsSeriesEndIsDetectedAgain() {
        var decoder = auto()
        let lines = run(&decoder, [slsFrame(0), slsEnd, simplonEnd()])
        XCTAssertEqual(lines.last, "format simplon (detected again after sls series 1 ended)")
        XCTAssertEqual(decoder.format, .simplon)
    }
}

/// Calls `body` with the bytes of every part, valid only during the call.
private func withBuffers(_ parts: [[UInt8]], _ body: ([UnsafeRawBufferPointer]) -> Void) {
    func step(_ i: Int, _ buffers: [UnsafeRawBufferPointer]) {
        if i == parts.count { return body(buffers) }
        parts[i].withUnsafeBytes { step(i + 1, buffers + [$0]) }
    }
    step(0, [])
}
