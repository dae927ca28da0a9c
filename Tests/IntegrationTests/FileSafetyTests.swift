import Foundation
import XCTest

/// What the real binary does with the files it is told to write: `--log` and `simulate
/// --record` never follow a symbolic link, `--save` says when it replaced a file, and a killed
/// viewer leaves nothing of `--save` behind.
final class FileSafetyTests: XCTestCase {
    private var scratch = ""

    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "detview-files-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: scratch)
    }

    /// A file someone cares about, and a symbolic link to it where detview is told to write.
    private func linkToPreciousFile(named name: String) throws -> (link: String, target: String) {
        let target = scratch + "/precious.txt", link = scratch + "/" + name
        try "precious bytes\n".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        return (link, target)
    }

    func testALogPathThatIsASymbolicLinkIsRefusedAndItsTargetKept() throws {
        let (link, target) = try linkToPreciousFile(named: "viewer.log")
        let viewer = try DetviewProcess(["view", "tcp://127.0.0.1:\(freePort())", "--headless", "--log", link])
        XCTAssertEqual(viewer.waitForExit(timeout: 10), 1, "refused at start, not run")
        XCTAssertTrue(viewer.standardError.contains("--log \(link): is a symbolic link"), viewer.standardError)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "precious bytes\n")
    }

    func testARecordPathThatIsASymbolicLinkIsRefusedAndItsTargetNotTruncated() throws {
        let (link, target) = try linkToPreciousFile(named: "record.jsonl")
        let simulator = try DetviewProcess(["simulate", "--bind", "tcp://127.0.0.1:\(freePort())", "--frames", "3",
                                            "--record", link])
        XCTAssertNotEqual(simulator.waitForExit(timeout: 10), 0)
        XCTAssertTrue(simulator.standardError.contains("--record \(link): is a symbolic link"), simulator.standardError)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "precious bytes\n", "not truncated")
    }

    /// A headless viewer summing one short series into `--save`; returns it after it ended.
    private func saveASeries(to path: String, log: String) throws -> DetviewProcess {
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        let viewer = try DetviewProcess(["view", endpoint, "--headless", "--exit-on-series-end", "--stats-interval", "0",
                                         "--mode", "sum", "--workers", "2", "--save", path, "--log", log])
        let simulator = try DetviewProcess(["simulate", "--bind", endpoint, "--frames", "20", "--rate", "300",
                                            "--detector", "eiger", "--format", "sls", "--size", "64x48",
                                            "--wait-subscriber", "20"])
        XCTAssertEqual(simulator.waitForExit(timeout: 60), 0, simulator.standardError)
        XCTAssertEqual(viewer.waitForExit(timeout: 60), 0, viewer.standardError)
        return viewer
    }

    private func savedLines(_ viewer: DetviewProcess) -> [String] {
        viewer.events("info").compactMap { $0["message"] as? String }.filter { $0.hasPrefix("saved ") }
    }

    func testSavingOverAnExistingFileSaysSoOnStderrInTheLogAndInTheInfoLine() throws {
        let image = scratch + "/sum.npy", log = scratch + "/viewer.log"
        let first = try saveASeries(to: image, log: log)
        XCTAssertEqual(savedLines(first), ["saved sum image of 20 frames to \(image)"], "a new file: nothing replaced")
        XCTAssertFalse(first.standardError.contains("replaced"), first.standardError)

        let second = try saveASeries(to: image, log: log)
        XCTAssertEqual(savedLines(second), ["saved sum image of 20 frames to \(image) (replaced the file that was there)"])
        XCTAssertTrue(second.standardError.contains("detview: --save: replaced the existing \(image)"), second.standardError)
        let logText = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertTrue(logText.contains("WARN  --save: replaced the existing \(image)"), logText)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch).sorted(), ["sum.npy", "viewer.log"],
                       "the atomic write leaves no temporary file")
    }

    /// Issue 12, defect 9: the "saved" info line is printed once, not twice.
    func testHeadlessPrintsTheSavedLineOnce() throws {
        let viewer = try saveASeries(to: scratch + "/once.npy", log: scratch + "/once.log")
        XCTAssertEqual(viewer.outputLines.filter { $0.contains("saved sum image") }.count, 1,
                       viewer.outputLines.joined(separator: "\n"))
    }

    /// SIGKILL cannot be caught: whatever `--save` keeps during the run must have no name in
    /// the file system (the shares live in memfds), or it stays behind.
    func testAViewerKilledDuringASaveRunLeavesNothingInItsTemporaryDirectory() throws {
        let temporary = scratch + "/tmp"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        let image = scratch + "/never.npy"
        let viewer = try DetviewProcess(["view", "--demo", "--headless", "--stats-interval", "0.1", "--mode", "max",
                                         "--workers", "2", "--save", image], environment: ["TMPDIR": temporary])
        XCTAssertTrue(eventually(timeout: 20) { (viewer.events("stats").last?["processed"] as? Int ?? 0) > 0 },
                      "frames are processed before the kill; stderr: \(viewer.standardError)")
        let children = children(of: viewer.pid)
        XCTAssertEqual(children.count, 3, "two workers and the demo simulator")
        viewer.signal(SIGKILL)
        viewer.waitForExit(timeout: 10)
        XCTAssertTrue(eventually(timeout: 5) { children.allSatisfy { !isAlive($0) } }, "the children die with the viewer")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary), [], "nothing left under TMPDIR")
        XCTAssertFalse(FileManager.default.fileExists(atPath: image))
    }
}
