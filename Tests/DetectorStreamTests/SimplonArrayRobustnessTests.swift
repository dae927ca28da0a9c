import DetectorStream
import XCTest

/// Mutated SIMPLON and array-1.0 messages must only ever produce events, never a trap or a hang,
/// and a clean message after the noise still decodes.
final class SimplonArrayRobustnessTests: XCTestCase {
    private func mutate(_ message: [[UInt8]], _ g: inout SplitMix) -> [[UInt8]] {
        var parts = message
        if g.below(5) == 0, !parts.isEmpty { parts.remove(at: g.below(parts.count)) }
        guard !parts.isEmpty else { return parts }
        let i = g.below(parts.count)
        var part = parts[i]
        switch g.below(3) {
        case 0: for _ in 0..<(1 + g.below(4)) where !part.isEmpty { part[g.below(part.count)] = UInt8(truncatingIfNeeded: g.next()) }
        case 1: part = Array(part.prefix(g.below(part.count + 1)))
        default:
            let structural = Array("{}[]\":,0-".utf8)
            part.insert(structural[g.below(structural.count)], at: g.below(part.count + 1))
        }
        parts[i] = part
        return parts
    }

    func testMutatedSimplonMessagesNeverCrashAndTheStreamRecovers() {
        var g = SplitMix(state: 99)
        var d = SimplonStreamDecoder(maxFrameBytes: 4096)
        let sources = [Simplon.headerAll(), [Simplon.dheader(detail: "basic"), Simplon.config], Simplon.rawImage(frame: 1),
                       [Simplon.dimage(frame: 2), Simplon.dimageD(encoding: "bs16-lz4<", size: 21), Simplon.bitshufflePayload, Simplon.dconfig],
                       [Simplon.seriesEnd]]
        for _ in 0..<3000 {
            _ = feed(&d, [mutate(sources[g.below(sources.count)], &g)])
        }
        _ = feed(&d, [[Simplon.seriesEnd]])
        let events = feed(&d, [Simplon.rawImage(frame: 0)])
        XCTAssertEqual(events.compactMap(\.frameDescriptor).count, 1, "\(events)")
        XCTAssertGreaterThan(d.bad, 0)
    }

    func testMutatedArrayMessagesNeverCrashAndTheStreamRecovers() {
        var g = SplitMix(state: 7)
        var d = ArrayStreamDecoder(maxFrameBytes: 4096)
        let sources = [[ArrayStreamDecoderTests.ndPluginZMQHeader(), payload(count: 24)],
                       [ArrayStreamDecoderTests.stdDetectorBufferHeader(), payload(count: 24)]]
        for _ in 0..<3000 {
            _ = feed(&d, [mutate(sources[g.below(sources.count)], &g)])
        }
        let events = feed(&d, [sources[1]])
        XCTAssertEqual(events.compactMap(\.frameDescriptor).count, 1, "\(events)")
        XCTAssertGreaterThan(d.bad, 0)
    }
}
