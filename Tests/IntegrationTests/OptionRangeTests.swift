import Foundation
import XCTest

/// Issue 12, defect 8: a negative number given to an option reaches the option, which then
/// either takes it (a threshold below the pedestal) or refuses it naming its range, instead of
/// swift-argument-parser reading `-1` as a flag and saying "Missing value".
final class OptionRangeTests: XCTestCase {
    private func refusal(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let process = try DetviewProcess(arguments)
        XCTAssertNotEqual(process.waitForExit(timeout: 10), 0, "\(arguments) was accepted", file: file, line: line)
        XCTAssertTrue(eventually(timeout: 5) { process.standardError.contains("Usage:") }, process.standardError,
                      file: file, line: line)
        return process.standardError
    }

    func testNegativeValuesAreRefusedWithTheirRanges() throws {
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        let cases: [([String], String)] = [
            (["view", endpoint, "--roi", "-1,0,5,5"], "--roi: x0 -1 is out of range: pixel coordinates start at 0"),
            (["view", endpoint, "--roi", "0,-2,5,5"], "--roi: y0 -2 is out of range"),
            (["view", endpoint, "--workers", "-1"], "--workers must be 1…64"),
            (["view", endpoint, "--series-timeout", "-1"], "--series-timeout must be above 0 seconds"),
            (["view", endpoint, "--stats-interval", "-1"], "--stats-interval must be 0 (stats only at exit) or more seconds"),
            (["view", endpoint, "--slots", "-3"], "--slots must be 2…4096"),
            (["view", endpoint, "--min-peaks", "-1"], "--min-peaks must be at least 1"),
            (["simulate", "--frames", "-1"], "--frames must be 0 or more"),
            (["simulate", "--dark-frames", "-5"], "--dark-frames must be 0 or more"),
            (["simulate", "--rate", "-200"], "--rate must be above 0 frames/s"),
        ]
        for (arguments, expected) in cases {
            let text = try refusal(arguments)
            XCTAssertTrue(text.contains(expected), "\(arguments): \(text)")
            XCTAssertFalse(text.contains("Missing value"), "\(arguments): \(text)")
        }
    }

    /// Values that may be negative are taken: a threshold below the pedestal, a beam centre off
    /// the detector's edge.
    func testNegativeValuesAnOptionAllowsAreTaken() throws {
        let viewer = try DetviewProcess(["view", "tcp://127.0.0.1:\(freePort())", "--headless", "--stats-interval", "0.1",
                                         "--workers", "1", "--mode", "threshold", "--threshold", "-5",
                                         "--beam-center", "-20,512.5"])
        XCTAssertTrue(eventually(timeout: 10) { !viewer.events("stats").isEmpty }, "runs; stderr: \(viewer.standardError)")
        viewer.signal(SIGTERM)
        XCTAssertEqual(viewer.waitForExit(timeout: 10), 128 + SIGTERM, viewer.standardError)
        XCTAssertFalse(viewer.standardError.contains("Error"), viewer.standardError)
    }
}
