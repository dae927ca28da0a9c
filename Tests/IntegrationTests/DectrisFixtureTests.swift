import Foundation
import XCTest
import ZeroMQ

/// Real EIGER2 R 500K stream v2 messages (Tests/Fixtures/dectris-stream2) pushed to a
/// headless viewer exactly as the detector sent them: every channel's sum, max and masked
/// count must equal the independently computed expected.json.
final class DectrisFixtureTests: XCTestCase {
    private let folders = ["r500k_bm_bslz4_8bit", "r500k_bm_bslz4_16bit", "r500k_bm_bslz4_32bit", "r500k_bm_lz4_16bit"]
    private let channels = ["threshold_1", "threshold_2", "difference"]

    /// The repository's copy, found from this file; a missing copy fails the test.
    private func fixtures() throws -> URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/dectris-stream2")
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("expected.json").path) else {
            throw MissingTestInput("fixtures not found at \(root.path) (they belong in the repository)")
        }
        return root
    }

    func testEveryChannelOfEveryFixtureMatchesTheIndependentDecoder() throws {
        let root = try fixtures()
        let expected = try JSONSerialization.jsonObject(
            with: Data(contentsOf: root.appendingPathComponent("expected.json"))) as! [String: [String: Any]]
        let context = try ZMQContext(ioThreads: 1, defaultLingerMilliseconds: 2000)
        for folder in folders {
            let messages = try ["000001", "000002", "000011"].map {
                try Data(contentsOf: root.appendingPathComponent("\(folder)/\($0).cbor"))
            }
            for channel in channels {
                let push = try ZMQSocket(context, .push)
                try push.bind("tcp://127.0.0.1:*")
                let endpoint = try push.lastEndpoint
                let viewer = try DetviewProcess(["view", endpoint, "--headless", "--per-frame", "--exit-on-series-end",
                                                 "--format", "stream2", "--socket", "pull", "--channel", channel, "--workers", "1",
                                                 "--stats-interval", "0"])
                for message in messages { XCTAssertTrue(try push.send([UInt8](message))) }
                XCTAssertEqual(viewer.waitForExit(timeout: 30), 0, "\(folder) \(channel): \(viewer.standardError)")
                push.close()

                let frames = viewer.events("frame").sorted { ($0["frame"] as! Int) < ($1["frame"] as! Int) }
                XCTAssertEqual(frames.count, 2, "\(folder) \(channel): two images")
                XCTAssertTrue(viewer.events("bad_frame").isEmpty, "\(folder) \(channel): \(viewer.events("bad_frame"))")
                for (file, frame) in zip(["000001", "000002"], frames) {
                    let truth = try XCTUnwrap((expected["\(folder)/\(file).cbor"]?["channels"] as? [String: Any])?[channel]
                        as? [String: Any])
                    let what = "\(folder)/\(file) \(channel)"
                    XCTAssertEqual(number(frame["sum"]), number(truth["sum_unmasked"]), "sum of \(what)")
                    XCTAssertEqual(number(frame["max"]), number(truth["max_unmasked"]), "max of \(what)")
                    XCTAssertEqual(number(frame["masked"]), number(truth["all_ones_count"]), "masked of \(what)")
                }
                let start = try XCTUnwrap(viewer.events("series_start").first)
                XCTAssertEqual(start["format"] as? String, "stream2")
                XCTAssertEqual(start["width"] as? Int, 1030)
                XCTAssertEqual(start["height"] as? Int, 514)
            }
        }
    }
}
