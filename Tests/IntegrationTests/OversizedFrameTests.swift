import Foundation
import XCTest

/// A frame above `--max-frame-bytes` is a counted bad frame with its reason, and the stream goes
/// on; the default limit takes the largest detector in use (EIGER2 16M uint32, 72 MB a frame).
/// Before, libzmq's own limit dropped the connection silently and a SUB never reconnected.
final class OversizedFrameTests: XCTestCase {
    func testEiger16MFramesAreBadBelowTheirSizeReceivedByDefaultAndTheStreamGoesOn() throws {
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        let limited = try DetviewProcess(["view", endpoint, "--headless", "--workers", "1", "--stats-interval", "0.2",
                                          "--max-frame-bytes", "\(32 << 20)", "--max-lag", "0"])
        // --max-lag 0: a loaded machine can take longer than the default second per 72 MB frame.
        let byDefault = try DetviewProcess(["view", endpoint, "--headless", "--workers", "1", "--stats-interval", "0.2",
                                            "--max-lag", "0"])
        defer {
            limited.signal(SIGKILL)
            byDefault.signal(SIGKILL)
        }
        func stats(_ viewer: DetviewProcess) -> [String: Any] { viewer.events("stats").last ?? [:] }

        let eiger16M = try DetviewProcess(["simulate", "--detector", "eiger", "--size", "16M", "--format", "array",
                                           "--encoding", "raw", "--bind", endpoint, "--frames", "3", "--rate", "1",
                                           "--wait-subscriber", "60"])
        XCTAssertEqual(eiger16M.waitForExit(timeout: 300), 0, eiger16M.standardError)
        XCTAssertTrue(eventually(timeout: 30) { stats(byDefault)["processed"] as? Int == 3 },
                      "the default limit takes 72 MB frames: \(stats(byDefault))")
        XCTAssertTrue(eventually(timeout: 10) { stats(limited)["bad"] as? Int == 3 },
                      "below their size they are bad frames: \(stats(limited))")
        let lines = limited.events("bad_frame")
        XCTAssertEqual(lines.reduce(0) { $0 + ($1["count"] as? Int ?? 0) }, 3, "\(lines)")
        XCTAssertTrue(lines.allSatisfy { $0["reason"] as? String
            == "72.4 MB frame exceeds --max-frame-bytes 32 MiB: raise it (to 72374304 or more)" }, "\(lines)")

        // The next sender's frames arrive at both (PUB: a viewer that reconnects a moment after
        // the first subscriber may miss its first frames, so not every one of them is required).
        let small = try DetviewProcess(["simulate", "--detector", "eiger", "--size", "512x512", "--format", "array",
                                        "--bind", endpoint, "--frames", "40", "--rate", "50", "--wait-subscriber", "30"])
        XCTAssertEqual(small.waitForExit(timeout: 60), 0, small.standardError)
        for (viewer, before) in [(limited, 0), (byDefault, 3)] {
            XCTAssertTrue(eventually(timeout: 20) { (stats(viewer)["processed"] as? Int ?? 0) >= before + 30 },
                          "frames flow again: \(stats(viewer))")
        }
        XCTAssertEqual(stats(limited)["bad"] as? Int, 3, "only the oversized frames are bad")
    }
}
