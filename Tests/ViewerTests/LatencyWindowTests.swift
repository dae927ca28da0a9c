import SharedMemory
import Viewer
import XCTest

final class LatencyWindowTests: XCTestCase {
    private let second: UInt64 = 1_000_000_000

    /// 100 frames whose decode takes 1..100 µs, process 10× that, receive to result 100× that.
    private func fill(_ window: inout LatencyWindow) {
        for i in UInt64(1)...100 {
            window.add(FrameResult(status: .ok, decodeNs: i * 1_000, processNs: i * 10_000, receiveToResultNs: i * 100_000))
        }
    }

    /// HdrHistogram with three significant digits: within 0.1 % of the exact value.
    private func assertNear(_ value: UInt64, _ expected: UInt64, _ what: String, line: UInt = #line) {
        XCTAssertEqual(Double(value), Double(expected), accuracy: Double(expected) * 0.001, what, line: line)
    }

    func testPercentilesOfAWindowPerStage() throws {
        var window = LatencyWindow(intervalSeconds: 1)
        XCTAssertNil(window.readout(now: 0), "the first reading starts the window")
        fill(&window)
        let r = try XCTUnwrap(window.readout(now: second))
        XCTAssertEqual(r.frames, 100)
        assertNear(r.decode.p50Ns, 50_000, "decode p50")
        assertNear(r.decode.p99Ns, 99_000, "decode p99")
        assertNear(r.process.p50Ns, 500_000, "process p50")
        assertNear(r.process.p99Ns, 990_000, "process p99")
        assertNear(r.receiveToResult.p50Ns, 5_000_000, "receive to result p50")
        assertNear(r.receiveToResult.p99Ns, 9_900_000, "receive to result p99")
    }

    func testAReadingInsideTheIntervalRepeatsTheLastWindowAndKeepsCounting() throws {
        var window = LatencyWindow(intervalSeconds: 2)
        _ = window.readout(now: 0)
        fill(&window)
        XCTAssertNil(window.readout(now: second), "no window has ended yet")
        let first = try XCTUnwrap(window.readout(now: 2 * second))
        window.add(decodeNs: 7_000_000, processNs: 7_000_000, receiveToResultNs: 7_000_000)
        XCTAssertEqual(window.readout(now: 3 * second), first, "the ended window stays until the next ends")
        let second = try XCTUnwrap(window.readout(now: 4 * second))
        XCTAssertEqual(second.frames, 1, "the new window holds only what came after the last one ended")
        assertNear(second.decode.p50Ns, 7_000_000, "decode p50")
    }

    func testAWindowWithoutFramesReadsNil() {
        var window = LatencyWindow(intervalSeconds: 1)
        _ = window.readout(now: 0)
        fill(&window)
        XCTAssertNotNil(window.readout(now: second))
        XCTAssertNil(window.readout(now: 2 * second), "an idle interval has no latency to show")
    }

    func testBadFramesAreLeftOut() throws {
        var window = LatencyWindow(intervalSeconds: 1)
        _ = window.readout(now: 0)
        window.add(FrameResult(status: .ok, decodeNs: 4_000, processNs: 4_000, receiveToResultNs: 4_000))
        window.add(FrameResult(status: .bad, decodeNs: 1, processNs: 1, receiveToResultNs: 1))
        let r = try XCTUnwrap(window.readout(now: second))
        XCTAssertEqual(r.frames, 1)
        assertNear(r.decode.p50Ns, 4_000, "decode p50")
    }

    func testATimeBeyondTheTrackableRangeIsClampedNotLost() throws {
        var window = LatencyWindow(intervalSeconds: 1)
        _ = window.readout(now: 0)
        window.add(decodeNs: .max, processNs: 0, receiveToResultNs: 0)
        let r = try XCTUnwrap(window.readout(now: second))
        XCTAssertEqual(r.frames, 1)
        assertNear(r.decode.p99Ns, LatencyWindow.highestTrackableNs, "decode p99")
    }

    func testStatsOffGivesOneSecondWindows() {
        XCTAssertEqual(LatencyWindow(intervalSeconds: 0).intervalNs, second)
        XCTAssertEqual(LatencyWindow(intervalSeconds: 2.5).intervalNs, 2_500_000_000)
    }
}
