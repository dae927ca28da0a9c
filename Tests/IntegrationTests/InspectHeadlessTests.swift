import Foundation
import XCTest
import ZeroMQ

/// `--inspect X,Y` through the real binary and real workers: the test pushes array-1.0 uint16
/// frames whose every pixel it knows (each frame a different pattern, so a readout from another
/// frame than its line names would show) and checks every frame line's pixel, raw value, mask
/// reason and 3×3 neighbourhood.
final class InspectHeadlessTests: XCTestCase {
    private let (width, height) = (40, 30)

    /// The pixel (x, y) of frame `frame`; one all-ones pixel beside the inspected one.
    private func value(_ x: Int, _ y: Int, frame: Int) -> UInt16 {
        if x == 12 && y == 9 { return .max }
        return UInt16((7 * x + 13 * y + 100 * frame) % 1000)
    }

    func testEveryFrameLineCarriesTheInspectedPixelOfThatFrame() throws {
        let frames = 6
        let context = try ZMQContext(ioThreads: 1, defaultLingerMilliseconds: 2000)
        let push = try ZMQSocket(context, .push)
        try push.bind("tcp://127.0.0.1:*")
        let viewer = try DetviewProcess(["view", try push.lastEndpoint, "--headless", "--per-frame", "--format", "array",
                                         "--socket", "pull", "--workers", "2", "--stats-interval", "0",
                                         "--inspect", "11,10", "--exit-after-frames", String(frames)])
        for frame in 0..<frames {
            var data: [UInt8] = []
            for y in 0..<height {
                for x in 0..<width {
                    let v = value(x, y, frame: frame)
                    data += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)]
                }
            }
            let header = "{\"htype\":\"array-1.0\",\"shape\":[\(height),\(width)],\"type\":\"uint16\",\"frame\":\(frame),\"endianness\":\"little\"}"
            XCTAssertTrue(try push.sendMultipart([Array(header.utf8), data]))
        }
        XCTAssertEqual(viewer.waitForExit(timeout: 30), 0, viewer.standardError)
        push.close()
        let lines = viewer.events("frame")
        XCTAssertEqual(lines.count, frames)
        for line in lines {
            let frame = try XCTUnwrap(line["frame"] as? Int)
            let inspect = try XCTUnwrap(line["inspect"] as? [String: Any], "frame \(frame): \(line)")
            XCTAssertEqual(inspect["x"] as? Int, 11)
            XCTAssertEqual(inspect["y"] as? Int, 10)
            XCTAssertEqual(number(inspect["raw"]), Double(value(11, 10, frame: frame)), "frame \(frame)")
            XCTAssertEqual(number(inspect["value"]), Double(value(11, 10, frame: frame)))
            XCTAssertEqual(inspect["masked"] as? Bool, false)
            XCTAssertEqual(inspect["reason"] as? String, "none")
            let neighbours = try XCTUnwrap(inspect["neighbours"] as? [[Any]])
            let expected = (9...11).map { y in (10...12).map { x in Double(value(x, y, frame: frame)) } }
            XCTAssertEqual(neighbours.map { $0.map { number($0) ?? -1 } }, expected, "frame \(frame)")
            XCTAssertEqual(expected[0][2], 65535, "the all-ones pixel is among the neighbours")
        }
    }

    func testAnInspectedAllOnesPixelIsMaskedWithItsReason() throws {
        let context = try ZMQContext(ioThreads: 1, defaultLingerMilliseconds: 2000)
        let push = try ZMQSocket(context, .push)
        try push.bind("tcp://127.0.0.1:*")
        let viewer = try DetviewProcess(["view", try push.lastEndpoint, "--headless", "--per-frame", "--format", "array",
                                         "--socket", "pull", "--workers", "1", "--stats-interval", "0",
                                         "--inspect", "12,9", "--exit-after-frames", "1"])
        var data: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                let v = value(x, y, frame: 0)
                data += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)]
            }
        }
        let header = "{\"htype\":\"array-1.0\",\"shape\":[\(height),\(width)],\"type\":\"uint16\",\"frame\":0,\"endianness\":\"little\"}"
        XCTAssertTrue(try push.sendMultipart([Array(header.utf8), data]))
        XCTAssertEqual(viewer.waitForExit(timeout: 30), 0, viewer.standardError)
        push.close()
        let inspect = try XCTUnwrap(viewer.events("frame").first?["inspect"] as? [String: Any])
        XCTAssertEqual(number(inspect["raw"]), 65535)
        XCTAssertTrue(inspect["value"] is NSNull, "\(inspect)")
        XCTAssertEqual(inspect["masked"] as? Bool, true)
        XCTAssertEqual(inspect["reason"] as? String, "all-ones")
    }

    func testInspectNeedsHeadlessAndTwoCoordinates() throws {
        for arguments in [["--inspect", "3,4"], ["--headless", "--inspect", "3"], ["--headless", "--inspect", "-1,2"]] {
            let viewer = try DetviewProcess(["view", "tcp://127.0.0.1:1"] + arguments)
            XCTAssertEqual(viewer.waitForExit(timeout: 10), 64, "\(arguments)")
            XCTAssertTrue(eventually(timeout: 5) { viewer.standardError.contains("--inspect") }, viewer.standardError)
        }
    }
}
