import DetectorStream
import XCTest

/// Random and mutated messages must only ever produce events, never a trap or a hang.
final class DecoderRobustnessTests: XCTestCase {
    func testRandomAndMutatedMessagesNeverCrashAndAreAllAccountedFor() {
        var g = SplitMix(state: 12345)
        let good = frameHeader(frameNumber: 3, frameIndex: 1).encoded(jsonVersion: 5)
        let end = SlsHeader.endOfAcquisition(jsonVersion: 5).encoded(jsonVersion: 5)
        let alphabet = Array("{}[]\":,0123456789-.eE \\ntruefalsnul".utf8)
        var d = SlsStreamDecoder(maxFrameBytes: 4096)
        var events = 0
        for round in 0..<3000 {
            var header = round % 2 == 0 ? good : end
            switch g.below(4) {
            case 0:   // flip bytes
                for _ in 0..<(1 + g.below(6)) where !header.isEmpty { header[g.below(header.count)] = UInt8(truncatingIfNeeded: g.next()) }
            case 1:   // truncate
                header = Array(header.prefix(g.below(header.count)))
            case 2:   // JSON-ish noise
                header = (0..<g.below(200)).map { _ in alphabet[g.below(alphabet.count)] }
            default:  // insert structural characters
                for _ in 0..<(1 + g.below(4)) { header.insert(alphabet[g.below(8)], at: g.below(header.count + 1)) }
            }
            let data = payload(count: g.below(3) == 0 ? 24 : g.below(64))
            let message: [[UInt8]] = g.below(3) == 0 ? [header] : g.below(2) == 0 ? [header, data] : [data]
            events += feed(&d, [message]).count
        }
        XCTAssertGreaterThan(d.bad, 100, "mutations must be noticed")
        XCTAssertGreaterThan(events, 0)
    }
}
