import Foundation
import XCTest

/// The processing modes end to end: `detview simulate` and `detview view --headless --mode M`
/// as real processes; per-frame numbers against the simulator's record, and `--save` images
/// read back from disk.
final class ProcessingModeTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("detview-modes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// Runs a simulator into a headless viewer; returns the viewer and the record's lines.
    private func run(simulate: [String], view: [String], frames: Int) throws -> (DetviewProcess, [[String: Any]]) {
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        let record = scratch.appendingPathComponent("record.jsonl").path
        let viewer = try DetviewProcess(["view", endpoint, "--headless", "--per-frame", "--exit-on-series-end",
                                         "--stats-interval", "0"] + view)
        let simulator = try DetviewProcess(["simulate", "--bind", endpoint, "--frames", "\(frames)", "--rate", "300",
                                            "--record", record, "--wait-subscriber", "20"] + simulate)
        XCTAssertEqual(simulator.waitForExit(timeout: 60), 0, simulator.standardError)
        XCTAssertEqual(viewer.waitForExit(timeout: 60), 0, viewer.standardError)
        let stats = viewer.events("stats").last
        XCTAssertEqual(stats?["processed"] as? Int, frames, "every frame processed")
        return (viewer, try recordLines(record))
    }

    /// A float32 or float64 .npy: its shape and values.
    private func readNpy(_ path: String) throws -> (shape: [Int], values: [Double]) {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(Array(data[0..<6]), [0x93] + Array("NUMPY".utf8))
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        let header = String(decoding: data[10..<10 + headerLength], as: UTF8.self)
        let shapeText = try XCTUnwrap(header.split(separator: "(").last?.split(separator: ")").first)
        let shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let body = Array(data[(10 + headerLength)...])
        let values: [Double] = header.contains("<f8")
            ? body.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
            : body.withUnsafeBytes { $0.bindMemory(to: Float.self).map(Double.init) }
        XCTAssertEqual(values.count, shape.reduce(1, *))
        return (shape, values)
    }

    func testTheSavedSumOfAnEigerSeriesHoldsEveryFramesCounts() throws {
        let saved = scratch.appendingPathComponent("sum.npy").path
        let (viewer, record) = try run(simulate: ["--detector", "eiger", "--format", "sls", "--size", "256x192"],
                                       view: ["--mode", "sum", "--save", saved, "--workers", "2"], frames: 40)
        XCTAssertEqual(viewer.events("frame").count, 40)
        XCTAssertTrue(viewer.events("frame").allSatisfy { $0["photons"] == nil }, "sum mode has no photon counts")
        let (shape, values) = try readNpy(saved)
        XCTAssertEqual(shape, [192, 256])
        let total = values.filter { !$0.isNaN }.reduce(0, +)
        let recorded = record.compactMap { number($0["sum"]) }.reduce(0, +)
        XCTAssertEqual(total, recorded, "every count of every frame, once, from both workers")
        XCTAssertEqual(values.filter(\.isNaN).count, record.first.flatMap { number($0["masked"]) }.map(Int.init) ?? -1,
                       "gap pixels (masked in every frame) stay NaN")
        let remaining = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())
            .filter { $0.hasPrefix("detview-save-") }
        XCTAssertEqual(remaining, [], "the workers' parts are removed")
    }

    /// A worker killed mid-run takes its share with it: the saved image says it holds fewer
    /// frames, and a warning says why, rather than passing for the whole run.
    func testASavedImageAfterAWorkerWasKilledSaysWhatIsMissing() throws {
        let saved = scratch.appendingPathComponent("sum-after-kill.npy").path
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        let viewer = try DetviewProcess(["view", endpoint, "--headless", "--exit-on-series-end", "--stats-interval", "0.1",
                                         "--mode", "sum", "--save", saved, "--workers", "2"])
        let simulator = try DetviewProcess(["simulate", "--bind", endpoint, "--frames", "600", "--rate", "200",
                                            "--detector", "eiger", "--format", "sls", "--size", "128x96",
                                            "--wait-subscriber", "20"])
        XCTAssertTrue(eventually(timeout: 20) { (viewer.events("stats").last?["processed"] as? Int ?? 0) > 100 },
                      "frames flow before the kill")
        let victim = try XCTUnwrap(children(of: viewer.pid).first)
        kill(victim, SIGKILL)
        XCTAssertEqual(simulator.waitForExit(timeout: 60), 0, simulator.standardError)
        XCTAssertEqual(viewer.waitForExit(timeout: 60), 0, viewer.standardError)
        let info = viewer.events("info").compactMap { $0["message"] as? String }.first { $0.hasPrefix("saved sum image of ") }
        let savedFrames = try XCTUnwrap(info.flatMap { Int($0.split(separator: " ")[4]) }, "\(viewer.events("info"))")
        XCTAssertLessThan(savedFrames, 600, "the killed worker's frames are not in the image")
        XCTAssertGreaterThan(savedFrames, 0)
        XCTAssertTrue(viewer.standardError.contains("--save: 1 worker restart(s) during the run"), viewer.standardError)
        XCTAssertTrue(viewer.standardError.contains("holds \(savedFrames) frames"), viewer.standardError)
    }

    /// A mode whose kernel refuses the stream (a beam centre farther from the image than a
    /// radial profile has rings) turns every frame bad with the kernel's reason, end to end:
    /// each frame's line names it, and the counters hold them as bad, not processed.
    func testARadialProfileRefusingTheBeamCentreReportsBadFramesWithTheReason() throws {
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        let viewer = try DetviewProcess(["view", endpoint, "--headless", "--per-frame", "--exit-on-series-end",
                                         "--stats-interval", "0", "--mode", "radial", "--beam-center", "100000,3"])
        let simulator = try DetviewProcess(["simulate", "--bind", endpoint, "--frames", "12", "--rate", "300",
                                            "--detector", "eiger", "--format", "sls", "--size", "64x48",
                                            "--wait-subscriber", "20"])
        XCTAssertEqual(simulator.waitForExit(timeout: 60), 0, simulator.standardError)
        XCTAssertEqual(viewer.waitForExit(timeout: 60), 0, viewer.standardError)
        let bad = viewer.events("bad_frame")
        XCTAssertEqual(bad.count, 12, viewer.outputLines.joined(separator: "\n"))
        XCTAssertTrue(bad.allSatisfy { ($0["reason"] as? String)?.hasPrefix("radial: invalid setting: beam centre") == true },
                      "\(bad.first ?? [:])")
        XCTAssertEqual(viewer.events("frame").count, 0, "no frame passes for processed")
        let stats = viewer.events("stats").last
        XCTAssertEqual(stats?["bad"] as? Int, 12)
        XCTAssertEqual(stats?["processed"] as? Int, 0)
    }

    func testCountingAfterADarkSeriesFindsAboutTheRecordedPhotons() throws {
        let saved = scratch.appendingPathComponent("counts.tiff").path
        let (viewer, record) = try run(simulate: ["--detector", "moench", "--seed", "11", "--dark-frames", "300"],
                                       view: ["--mode", "counting", "--dark-frames", "300", "--workers", "1",
                                              "--save", saved], frames: 360)
        let frames = viewer.events("frame")
        let dark = frames.filter { $0["dark"] as? Bool == true }
        XCTAssertEqual(dark.count, 300, "the first 300 frames of the series are dark")
        XCTAssertTrue(dark.allSatisfy { $0["photons"] == nil })
        let counted = frames.compactMap { $0["photons"] as? Int }
        XCTAssertEqual(counted.count, 60)
        let truth = record.suffix(60).map { ($0["photons"] as? [Any])?.count ?? 0 }
        let found = Double(counted.reduce(0, +)), sent = Double(truth.reduce(0, +))
        XCTAssertGreaterThan(sent, 2000)
        // Finding ≥ 0.93 of them with ≤ 10–15 false counts per frame (pinned exactly in
        // CountingEfficiencyTests) gives counts between these bounds.
        XCTAssertGreaterThan(found, 0.9 * sent, "found \(found) for \(sent) sent")
        XCTAssertLessThan(found, sent + 20 * 60, "found \(found) for \(sent) sent")
        let size = try FileManager.default.attributesOfItem(atPath: saved)[.size] as? Int
        XCTAssertGreaterThan(size ?? 0, 400 * 400 * 4, "a 400×400 float TIFF")
        XCTAssertTrue(viewer.events("info").contains { ($0["message"] as? String)?.hasPrefix("saved counting image of 60 frames") == true },
                      "\(viewer.events("info"))")
        XCTAssertFalse(viewer.events("warning").contains { ($0["message"] as? String)?.hasPrefix("--dark-frames") == true },
                       "300 dark frames are enough for one worker")
    }

    func testADarkSeriesTooShortForEveryWorkersPedestalIsNamed() throws {
        let (viewer, _) = try run(simulate: ["--detector", "moench"],
                                  view: ["--mode", "counting", "--dark-frames", "150", "--workers", "2"], frames: 5)
        let warnings = viewer.events("warning").compactMap { $0["message"] as? String }
        XCTAssertTrue(warnings.contains("--dark-frames 150: too few for 2 workers (100 each): take at least 200"),
                      "\(warnings)")
    }

    func testHitsAreFramesWithAtLeastMinPeaksPeaks() throws {
        let (viewer, _) = try run(simulate: ["--detector", "eiger", "--format", "sls", "--size", "256x192"],
                                  view: ["--mode", "hits", "--min-peaks", "3", "--workers", "2"], frames: 30)
        let frames = viewer.events("frame")
        XCTAssertEqual(frames.count, 30)
        for frame in frames {
            let peaks = try XCTUnwrap(frame["peaks"] as? Int)
            XCTAssertEqual(frame["hit"] as? Bool, peaks >= 3, "\(frame)")
        }
        XCTAssertTrue(frames.contains { ($0["peaks"] as? Int ?? 0) > 0 }, "the scene's Bragg spots are found")
    }

    func testARegionOfInterestIsReportedPerFrame() throws {
        let (viewer, _) = try run(simulate: ["--detector", "moench"],
                                  view: ["--roi", "100,100,200,150", "--workers", "2"], frames: 20)
        for frame in viewer.events("frame") {
            let sum = try XCTUnwrap(number(frame["roi_sum"]))
            let mean = try XCTUnwrap(number(frame["roi_mean"]))
            XCTAssertEqual(sum / mean, 100 * 50, accuracy: 0.5, "100 × 50 pixels, none dead")
        }
    }

    func testBadProcessingOptionsAreRefusedAtStartNamingTheOption() throws {
        for (arguments, words) in [(["--pattern", "up,x"], "--pattern"), (["--roi", "1,2,3"], "--roi"),
                                   (["--mode", "photons"], "--mode"), (["--save", "out.png"], "--save"),
                                   (["--beam-center", "12"], "--beam-center"), (["--sigma", "0"], "--sigma")] {
            let viewer = try DetviewProcess(["view", "--demo"] + arguments)
            XCTAssertEqual(viewer.waitForExit(timeout: 10), 64, "\(arguments) is a usage error")
            XCTAssertTrue(viewer.standardError.contains(words), "\(arguments): \(viewer.standardError)")
        }
    }

    func testARegionOfInterestOutsideTheImageIsNamedInAWarning() throws {
        let (viewer, _) = try run(simulate: ["--detector", "moench"], view: ["--roi", "500,500,600,600"], frames: 5)
        XCTAssertTrue(viewer.events("warning").contains { ($0["message"] as? String)?.hasPrefix("--roi 500,500,600,600:") == true },
                      "\(viewer.events("warning"))")
        XCTAssertTrue(viewer.events("frame").allSatisfy { $0["roi_sum"] == nil })
    }
}
