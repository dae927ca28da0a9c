import CursesBackend
import XCTest

/// The DECRQM reply for mode 2026, among whatever else the terminal sent.
final class SynchronizedOutputProbeTests: XCTestCase {
    private func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    func testRepliesSayWhetherTheModeIsKnown() {
        let set = SynchronizedOutputProbe.parse(bytes("\u{1B}[?2026;2$y\u{1B}[?62;22c"))
        XCTAssertEqual(set, .init(supported: true, complete: true))
        XCTAssertEqual(SynchronizedOutputProbe.parse(bytes("\u{1B}[?2026;0$y\u{1B}[?1;2c")).supported, false, "0: not recognised")
        XCTAssertEqual(SynchronizedOutputProbe.parse(bytes("\u{1B}[?2026;4$y")).supported, false, "4: permanently reset")
    }

    func testATerminalThatIgnoresDECRQMIsDoneAtTheDeviceAttributes() {
        XCTAssertEqual(SynchronizedOutputProbe.parse(bytes("\u{1B}[?64;1;9c")), .init(supported: nil, complete: true))
    }

    func testKeysTypedMeanwhileAndPartialRepliesAreSkipped() {
        XCTAssertEqual(SynchronizedOutputProbe.parse(bytes("ab\u{1B}[?2026;1$y q")), .init(supported: true, complete: false))
        XCTAssertEqual(SynchronizedOutputProbe.parse(bytes("\u{1B}[?2026;1")), .init(supported: nil, complete: false))
        XCTAssertEqual(SynchronizedOutputProbe.parse(bytes("\u{1B}[?1049;1$y\u{1B}[c")).supported, nil, "another mode")
    }
}
