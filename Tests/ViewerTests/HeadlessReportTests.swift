import DetectorStream
import Foundation
import Ingest
import Processing
import SharedMemory
import Viewer
import XCTest

final class HeadlessReportTests: XCTestCase {
    private func parse(_ line: String, file: StaticString = #filePath, line l: UInt = #line) throws -> [String: Any] {
        XCTAssertFalse(line.contains("\n"), "one line", file: file, line: l)
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try XCTUnwrap(object as? [String: Any], line, file: file, line: l)
    }

    func testSeriesStartCarriesSeriesFormatDetectorShapeAndPixelType() throws {
        let info = SeriesInfo(format: .sls, series: 3, width: 400, height: 200, pixelType: .uint16, detector: .moench)
        let line = HeadlessReport.seriesStart(info, source: "tcp://h:1")
        XCTAssertTrue(line.hasPrefix(#"{"event":"series_start","series":3,"#), line)
        let o = try parse(line)
        XCTAssertEqual(o["event"] as? String, "series_start")
        XCTAssertEqual(o["series"] as? Int, 3)
        XCTAssertEqual(o["format"] as? String, "sls")
        XCTAssertEqual(o["detector"] as? String, "MOENCH")
        XCTAssertEqual(o["width"] as? Int, 400)
        XCTAssertEqual(o["height"] as? Int, 200)
        XCTAssertEqual(o["pixel_type"] as? String, "uint16")
        XCTAssertEqual(o["source"] as? String, "tcp://h:1")
    }

    func testFrameCarriesItsStatistics() throws {
        let r = FrameResult(sequence: 9, series: 1, frameNumber: 17, worker: 2, status: .ok,
                            stats: FrameStats(sum: 25_922_311, min: 5301, max: 5620, mean: 162.5, masked: 4, count: 160_000))
        let o = try parse(HeadlessReport.frame(r))
        XCTAssertEqual(o["event"] as? String, "frame")
        XCTAssertEqual(o["series"] as? Int, 1)
        XCTAssertEqual(o["frame"] as? Int, 17)
        XCTAssertEqual(o["sum"] as? Int, 25_922_311)
        XCTAssertEqual(o["min"] as? Int, 5301)
        XCTAssertEqual(o["max"] as? Int, 5620)
        XCTAssertEqual(o["mean"] as? Double, 162.5)
        XCTAssertEqual(o["masked"] as? Int, 4)
        XCTAssertEqual(o["complete"] as? Bool, true)
        XCTAssertEqual(o["worker"] as? Int, 2)
    }

    /// Scripts read these lines: the statistics' names, order and number forms stay as they are.
    func testFrameLineSpellsItsStatisticsExactly() {
        let r = FrameResult(series: 1, frameNumber: 17, worker: 2, status: .ok,
                            stats: FrameStats(sum: 25_922_311, min: 5301, max: 5620, mean: 162.5, masked: 4, count: 160_000))
        XCTAssertEqual(HeadlessReport.frame(r), #"{"event":"frame","series":1,"frame":17,"sum":25922311,"min":5301,"max":5620,"#
                       + #""mean":162.5,"masked":4,"complete":true,"worker":2}"#)
    }

    func testFrameCarriesEveryRegionsNumbersAndTheFirstUnderItsOldNames() throws {
        var r = FrameResult(frameNumber: 3, status: .ok, stats: .noPixels())
        r.regions = [RegionNumbers(x0: 1, y0: 2, x1: 5, y1: 6, sum: 160, mean: 10, max: 12, centroidX: 3.5, centroidY: 4.25, pixels: 16),
                     RegionNumbers()]
        let line = HeadlessReport.frame(r)
        XCTAssertTrue(line.contains(#""rois":[{"x0":1,"y0":2,"x1":5,"y1":6,"sum":160,"mean":10,"max":12,"cx":3.5,"cy":4.25,"pixels":16},"#
                                    + #"{"x0":0,"y0":0,"x1":0,"y1":0,"sum":null,"mean":null,"max":null,"cx":null,"cy":null,"pixels":0}]"#), line)
        let o = try parse(line)
        XCTAssertEqual(o["roi_sum"] as? Int, 160)
        XCTAssertEqual((o["rois"] as? [[String: Any]])?.count, 2)
        XCTAssertNil(try parse(HeadlessReport.frame(FrameResult(frameNumber: 1)))["rois"], "no regions, no key")
    }

    func testIncompleteFrameSaysSo() throws {
        let o = try parse(HeadlessReport.frame(FrameResult(frameNumber: 1, status: .incomplete,
                                                                       stats: FrameStats(sum: 1, min: 1, max: 1, mean: 1, masked: 0, count: 1))))
        XCTAssertEqual(o["event"] as? String, "frame")
        XCTAssertEqual(o["complete"] as? Bool, false)
    }

    func testAllMaskedFrameHasNullExtremes() throws {
        let o = try parse(HeadlessReport.frame(FrameResult(frameNumber: 1, status: .ok, stats: .noPixels(masked: 16))))
        XCTAssertTrue(o["min"] is NSNull)
        XCTAssertTrue(o["max"] is NSNull)
        XCTAssertTrue(o["mean"] is NSNull)
    }

    func testBadFrameIsABadFrameEventWithItsReason() throws {
        let r = FrameResult(series: 2, frameNumber: 5, status: .bad, badReason: "unknown pixel type code 9 \"x\"")
        let o = try parse(HeadlessReport.frame(r))
        XCTAssertEqual(o["event"] as? String, "bad_frame")
        XCTAssertEqual(o["series"] as? Int, 2)
        XCTAssertEqual(o["frame"] as? Int, 5)
        XCTAssertEqual(o["reason"] as? String, "unknown pixel type code 9 \"x\"")
        XCTAssertNil(o["sum"])
    }

    func testStatsCarryCountersRatesRestartsAndWorkers() throws {
        var state = ViewerState(source: "x")
        var s0 = CounterSample(timeNanoseconds: 0)
        s0.workers = [WorkerSample(index: 0, busyNanoseconds: 0, frames: 0, restarts: 0, alive: true),
                      WorkerSample(index: 1, busyNanoseconds: 0, frames: 0, restarts: 0, alive: true)]
        var s1 = CounterSample(timeNanoseconds: 2_000_000_000)
        s1.received = 400
        s1.processed = 390
        s1.dropped = 6
        s1.bad = 1
        s1.bytes = 127_880_000
        s1.workers = [WorkerSample(index: 0, busyNanoseconds: 500_000_000, frames: 200, restarts: 0, alive: true),
                      WorkerSample(index: 1, busyNanoseconds: 1_000_000_000, frames: 190, restarts: 1, alive: false)]
        state.reduce(.sample(s0))
        state.reduce(.sample(s1))
        state.reduce(.workerExited(index: 1, cause: "killed", restarted: true))

        let o = try parse(HeadlessReport.stats(state))
        XCTAssertEqual(o["event"] as? String, "stats")
        XCTAssertEqual(o["received"] as? Int, 400)
        XCTAssertEqual(o["processed"] as? Int, 390)
        XCTAssertEqual(o["dropped"] as? Int, 6)
        XCTAssertEqual(o["bad"] as? Int, 1)
        XCTAssertEqual(o["in_flight"] as? Int, 3)
        XCTAssertEqual(o["fps"] as? Int, 200)
        XCTAssertEqual(o["mbps"] as? Double, 63.94)
        XCTAssertEqual(o["restarts"] as? Int, 1)
        let workers = try XCTUnwrap(o["workers"] as? [[String: Any]])
        XCTAssertEqual(workers.count, 2)
        XCTAssertEqual(workers[0]["index"] as? Int, 0)
        XCTAssertEqual(workers[0]["load"] as? Double, 0.25)
        XCTAssertEqual(workers[0]["frames"] as? Int, 200)
        XCTAssertEqual(workers[1]["load"] as? Double, 0.5)
        XCTAssertEqual(workers[1]["restarts"] as? Int, 1)
        XCTAssertEqual(workers[1]["alive"] as? Bool, false)
        XCTAssertEqual(workers.map { $0["stalled"] as? Bool }, [false, false])
    }

    func testStatsMarkAStalledWorker() throws {
        var state = ViewerState(source: "x")
        var sample = CounterSample(timeNanoseconds: 0)
        sample.workers = [WorkerSample(index: 0, busyNanoseconds: 0, frames: 9, restarts: 0, alive: true, stalled: true)]
        state.reduce(.sample(sample))
        let workers = try XCTUnwrap(try parse(HeadlessReport.stats(state))["workers"] as? [[String: Any]])
        XCTAssertEqual(workers.first?["stalled"] as? Bool, true)
        XCTAssertEqual(workers.first?["alive"] as? Bool, true, "a stalled worker's process still lives")
    }

    func testStatsCarryTheRingFillAndTheLatencyPercentilesInMicroseconds() throws {
        var state = ViewerState(source: "x")
        var sample = CounterSample(timeNanoseconds: 0)
        sample.ring = SlotOccupancy(free: 10, filling: 1, filled: 4, claimed: 2)
        sample.latency = LatencyReadout(
            frames: 120, decode: StageLatency(p50Ns: 81_234, p99Ns: 250_000),
            process: StageLatency(p50Ns: 1_500_000, p99Ns: 3_000_000),
            receiveToResult: StageLatency(p50Ns: 2_000_000, p99Ns: 9_870_000))
        state.reduce(.sample(sample))

        let o = try parse(HeadlessReport.stats(state))
        let ring = try XCTUnwrap(o["ring"] as? [String: Any])
        XCTAssertEqual(ring["filled"] as? Int, 4)
        XCTAssertEqual(ring["claimed"] as? Int, 2)
        XCTAssertEqual(ring["slots"] as? Int, 17)
        let latency = try XCTUnwrap(o["latency_us"] as? [String: Any])
        XCTAssertEqual(latency["frames"] as? Int, 120)
        let decode = try XCTUnwrap(latency["decode"] as? [String: Any])
        XCTAssertEqual(decode["p50"] as? Double, 81.2)
        XCTAssertEqual(decode["p99"] as? Int, 250)
        let process = try XCTUnwrap(latency["process"] as? [String: Any])
        XCTAssertEqual(process["p50"] as? Int, 1500)
        let total = try XCTUnwrap(latency["receive_to_result"] as? [String: Any])
        XCTAssertEqual(total["p99"] as? Int, 9870)
    }

    func testStatsCarryStaleFramesAndTheRingFillInBytes() throws {
        var state = ViewerState(source: "x")
        var sample = CounterSample(timeNanoseconds: 0)
        sample.dropped = 9
        sample.stale = 5
        sample.ring = SlotOccupancy(free: 90, filling: 0, filled: 8, claimed: 2, slotBytes: 1 << 20, ringBytes: 400 << 20)
        state.reduce(.sample(sample))
        let o = try parse(HeadlessReport.stats(state))
        XCTAssertEqual(o["stale"] as? Int, 5)
        XCTAssertEqual(o["dropped"] as? Int, 9, "stale frames stay part of dropped")
        let ring = try XCTUnwrap(o["ring"] as? [String: Any])
        XCTAssertEqual(ring["used_bytes"] as? Int, 10 << 20, "ten slots hold frames")
        XCTAssertEqual(ring["bytes"] as? Int, 400 << 20)
        XCTAssertEqual(ring["slot_bytes"] as? Int, 1 << 20)
        XCTAssertEqual(ring["fill"] as? Double, 0.025, "bytes used of the ring's bytes")
    }

    func testStatsCarryThePullShareAndTheForwardCountersOnlyWhenTheyApply() throws {
        var state = ViewerState(source: "x")
        let plain = try parse(HeadlessReport.stats(state))
        XCTAssertNil(plain["share"], "a SUB socket has no share")
        XCTAssertNil(plain["forward"], "no forward without --forward")
        var sample = CounterSample(timeNanoseconds: 0)
        sample.pullShare = PullShare.Estimate(series: 2, frames: 50, span: 99)
        var forward = MessageForwarder.Snapshot(endpoint: "ipc:///tmp/writer")
        forward.messages = 104
        forward.bytes = 9_876_543
        forward.blockedNanoseconds = 12_345_678
        sample.forward = forward
        state.reduce(.sample(sample))
        let o = try parse(HeadlessReport.stats(state))
        XCTAssertEqual(number(o["share"]), 0.505)
        let f = try XCTUnwrap(o["forward"] as? [String: Any])
        XCTAssertEqual(f["endpoint"] as? String, "ipc:///tmp/writer")
        XCTAssertEqual(f["messages"] as? Int, 104)
        XCTAssertEqual(f["bytes"] as? Int, 9_876_543)
        XCTAssertEqual(number(f["blocked_ms"]), 12.3)
        XCTAssertEqual(f["waiting"] as? Bool, false)
    }

    private func number(_ any: Any?) -> Double? { (any as? NSNumber)?.doubleValue }

    func testStatsBeforeAnyLatencyWindowHaveNoLatency() throws {
        let o = try parse(HeadlessReport.stats(ViewerState(source: "x")))
        XCTAssertNil(o["latency_us"])
        XCTAssertEqual((o["ring"] as? [String: Any])?["slots"] as? Int, 0)
    }

    func testStatsCarryTheFramesMissingFromGapsInTheFrameNumbers() throws {
        var state = ViewerState(source: "x")
        XCTAssertEqual(try parse(HeadlessReport.stats(state))["gaps"] as? Int, 0)
        state.reduce(.frameGap(missing: 3))
        state.reduce(.frameGap(missing: 4))
        XCTAssertEqual(try parse(HeadlessReport.stats(state))["gaps"] as? Int, 7)
    }

    func testRejectedFramesLineCarriesCountAndReason() throws {
        let o = try parse(HeadlessReport.badFrames(count: 120, reason: "sls: not a header"))
        XCTAssertEqual(o["event"] as? String, "bad_frame")
        XCTAssertEqual(o["count"] as? Int, 120)
        XCTAssertEqual(o["reason"] as? String, "sls: not a header")
    }

    func testStatsBeforeAnySampleAreZeroWithNoWorkers() throws {
        let o = try parse(HeadlessReport.stats(ViewerState(source: "x")))
        XCTAssertEqual(o["received"] as? Int, 0)
        XCTAssertEqual(o["fps"] as? Int, 0)
        XCTAssertEqual((o["workers"] as? [Any])?.count, 0)
    }

    func testSeriesEndCarriesSeriesAndFrames() throws {
        let o = try parse(HeadlessReport.seriesEnd(series: 4, frames: 300))
        XCTAssertEqual(o["event"] as? String, "series_end")
        XCTAssertEqual(o["series"] as? Int, 4)
        XCTAssertEqual(o["frames"] as? Int, 300)
    }

    func testMessagesAreNamedAfterTheirSeverity() throws {
        XCTAssertEqual(try parse(HeadlessReport.message("a", severity: .info))["event"] as? String, "info")
        XCTAssertEqual(try parse(HeadlessReport.message("b", severity: .warning))["event"] as? String, "warning")
        let error = try parse(HeadlessReport.message("cannot bind \"x\"\n", severity: .error))
        XCTAssertEqual(error["event"] as? String, "error")
        XCTAssertEqual(error["message"] as? String, "cannot bind \"x\"\n")
    }
}
