import SharedMemory
import Viewer
import XCTest

/// Headless `bad_frame` lines for frames without a per-frame line of their own: one at once,
/// then at most one per 100 ms carrying the count since the last, none lost. Time is the
/// harness's injected clock: no sleeps.
final class ViewerCoreBadFrameTests: XCTestCase {
    private let ms: UInt64 = 1_000_000

    /// (count, reason) of each `bad_frame` line among the effects.
    private func badFrameLines(_ effects: [ViewerEffect]) throws -> [(count: Int, reason: String)] {
        try effects.lines.compactMap { line in
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard object["event"] as? String == "bad_frame" else { return nil }
            return (try XCTUnwrap(object["count"] as? Int), try XCTUnwrap(object["reason"] as? String))
        }
    }

    func testTheFirstReceiverRejectionIsALineAtOnceWithItsCountAndReason() throws {
        var h = CoreHarness(headless: headless(perFrame: false))
        let effects = h.feed(.ingest([.badFrame(reason: "sls: not a header", count: 3)], h.counters(received: 3, bad: 3)))
        let lines = try badFrameLines(effects)
        XCTAssertEqual(lines.map(\.count), [3])
        XCTAssertEqual(lines.map(\.reason), ["sls: not a header"])
        XCTAssertEqual(effects.logs, ["3 bad frames, the last: sls: not a header"])
    }

    func testRejectionsFasterThanTenASecondAreHeldAndWrittenAsOneLineWithTheirSum() throws {
        var h = CoreHarness(headless: headless(perFrame: false))
        XCTAssertEqual(try badFrameLines(h.feed(.ingest([.badFrame(reason: "a")], h.counters(received: 1, bad: 1)))).map(\.count), [1])
        // 20 ms apart for 80 ms: held.
        for (i, reason) in ["b", "c", "d", "e"].enumerated() {
            let effects = h.feed(.ingest([.badFrame(reason: reason, count: 10)], h.counters(received: UInt64(11 + 10 * i))), after: 20 * ms)
            XCTAssertTrue(try badFrameLines(effects).isEmpty, "within 100 ms of the last line: held")
        }
        // Any input 100 ms after the last line writes them, with the latest reason.
        let due = try badFrameLines(h.feed(.sample(h.counters(received: 41)), after: 20 * ms))
        XCTAssertEqual(due.map(\.count), [40])
        XCTAssertEqual(due.map(\.reason), ["e"])
        XCTAssertTrue(try badFrameLines(h.feed(.sample(h.counters(received: 41)), after: 500 * ms)).isEmpty,
                      "nothing held: nothing written")
    }

    func testAFloodGivesAtMostTenLinesASecondAndEveryFrameIsCounted() throws {
        var h = CoreHarness(headless: headless(perFrame: false))
        var lines: [(count: Int, reason: String)] = []
        for _ in 0..<1000 {   // one rejection per ms for one second
            lines += try badFrameLines(h.feed(.ingest([.badFrame(reason: "garbage")], h.counters(received: 0)), after: ms))
        }
        lines += try badFrameLines(h.feed(.finishing(h.counters(received: 1000, bad: 1000)), after: ms))
        XCTAssertLessThanOrEqual(lines.count, 11, "one at once, then one per 100 ms, and the rest at the end")
        XCTAssertEqual(lines.reduce(0) { $0 + $1.count }, 1000, "the counts add up to every rejected frame")
    }

    func testHeldRejectionsAreWrittenBeforeTheLastStatsLine() throws {
        var h = CoreHarness(headless: headless(perFrame: false))
        h.feed(.ingest([.badFrame(reason: "x")], h.counters(received: 1, bad: 1)))
        h.feed(.ingest([.badFrame(reason: "y", count: 5)], h.counters(received: 6, bad: 6)), after: ms)
        let effects = h.feed(.finishing(h.counters(received: 6, bad: 6)), after: ms)
        XCTAssertEqual(effects.lineEvents, ["bad_frame", "stats"])
        XCTAssertEqual(try badFrameLines(effects).map(\.count), [5])
    }

    func testAWorkerRejectionWithoutPerFrameLinesIsCoalescedLikeTheReceiversOnes() throws {
        var h = CoreHarness(headless: headless(perFrame: false))
        let bad = FrameResult(sequence: 1, series: 1, frameNumber: 1, status: .bad, badReason: "lz4: corrupt block")
        let effects = h.feed(.results([bad], lost: 0, h.counters(received: 1, bad: 1)))
        XCTAssertEqual(try badFrameLines(effects).map(\.reason), ["lz4: corrupt block"])
    }

    func testWithPerFrameLinesAWorkerRejectionKeepsItsOwnLineWithFrameNumber() throws {
        var h = CoreHarness(headless: headless(perFrame: true))
        let bad = FrameResult(sequence: 1, series: 1, frameNumber: 7, status: .bad, badReason: "lz4: corrupt block")
        let lines = h.feed(.results([bad], lost: 0, h.counters(received: 1, bad: 1))).lines
        XCTAssertEqual(lines.count, 1)
        XCTAssertTrue(lines[0].contains(#""frame":7"#), lines[0])
        XCTAssertFalse(lines[0].contains(#""count""#), "not coalesced: it has its own line")
    }

    func testAnInteractiveViewerWritesNoLines() {
        var h = CoreHarness(interactive: true)
        let effects = h.feed(.ingest([.badFrame(reason: "x", count: 2)], h.counters(received: 2, bad: 2)))
        XCTAssertEqual(effects.lines, [])
        XCTAssertEqual(h.core.screen.status?.text, "bad frame: x")
    }
}
