import Foundation
import XCTest
import ZeroMQ

/// Pixel types beyond the detectors' uint8/16/32, through real processes: the test pushes
/// array-1.0 int16 and float32 frames and stream v2 big-endian uint16 frames (bytes written
/// here, not by detview's encoders) to `detview view --headless --per-frame`, and checks the
/// per-frame sum, min, max and masked count against values computed here from the same pixels.
final class PixelTypeTests: XCTestCase {
    /// What the viewer must print for one frame.
    private struct Truth {
        var sum = 0.0, min = Double.infinity, max = -Double.infinity, masked = 0

        mutating func add(_ value: Double?) {
            guard let value else { masked += 1; return }
            sum += value
            min = Swift.min(min, value)
            max = Swift.max(max, value)
        }
    }

    /// Pushes `messages` (each a list of parts) to a headless viewer and returns its frame lines,
    /// in frame order, after it processed `messages.count` frames.
    private func view(_ messages: [[[UInt8]]], format: String, file: StaticString = #filePath,
                      line: UInt = #line) throws -> [[String: Any]] {
        let context = try ZMQContext(ioThreads: 1, defaultLingerMilliseconds: 2000)
        let push = try ZMQSocket(context, .push)
        try push.bind("tcp://127.0.0.1:*")
        let viewer = try DetviewProcess(["view", try push.lastEndpoint, "--headless", "--per-frame", "--format", format,
                                         "--socket", "pull", "--workers", "1", "--stats-interval", "0",
                                         "--exit-after-frames", String(messages.count)])
        for message in messages { XCTAssertTrue(try push.sendMultipart(message), file: file, line: line) }
        XCTAssertEqual(viewer.waitForExit(timeout: 30), 0, viewer.standardError, file: file, line: line)
        push.close()
        XCTAssertEqual(viewer.events("bad_frame").count, 0, "\(viewer.events("bad_frame"))", file: file, line: line)
        return viewer.events("frame").sorted { ($0["frame"] as? Int ?? 0) < ($1["frame"] as? Int ?? 0) }
    }

    private func assertFrame(_ got: [String: Any]?, _ truth: Truth, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(number(got?["sum"]), truth.sum, "sum of \(what)", file: file, line: line)
        XCTAssertEqual(number(got?["min"]), truth.min, "min of \(what)", file: file, line: line)
        XCTAssertEqual(number(got?["max"]), truth.max, "max of \(what)", file: file, line: line)
        XCTAssertEqual(number(got?["masked"]), Double(truth.masked), "masked of \(what)", file: file, line: line)
    }

    private func arrayHeader(type: String, width: Int, height: Int, frame: Int) -> [UInt8] {
        Array("{\"htype\":\"array-1.0\",\"shape\":[\(height),\(width)],\"type\":\"\(type)\",\"frame\":\(frame),\"endianness\":\"little\"}".utf8)
    }

    func testArrayInt16FramesShowTheirSignedSumsWithTheMinimumMasked() throws {
        let (width, height) = (64, 32)
        var messages: [[[UInt8]]] = [], truths: [Truth] = []
        for frame in 0..<2 {
            var data: [UInt8] = [], truth = Truth()
            for i in 0..<(width * height) {
                let value: Int16 = i % 50 == 7 ? .min : Int16((i * 37 + frame * 11) % 2001 - 1000)
                truth.add(value == .min ? nil : Double(value))
                data += [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8)]
            }
            messages.append([arrayHeader(type: "int16", width: width, height: height, frame: frame), data])
            truths.append(truth)
        }
        let frames = try view(messages, format: "array")
        XCTAssertEqual(frames.count, 2)
        XCTAssertLessThan(truths[0].min, 0, "the test frame has negative pixels")
        for (k, truth) in truths.enumerated() { assertFrame(frames.count > k ? frames[k] : nil, truth, "int16 frame \(k)") }
    }

    func testArrayFloat32FramesShowTheirSumsWithNaNAndInfinityMasked() throws {
        let (width, height) = (48, 40)
        var messages: [[[UInt8]]] = [], truths: [Truth] = []
        for frame in 0..<2 {
            var data: [UInt8] = [], truth = Truth()
            for i in 0..<(width * height) {
                // Quarters of small integers: their sum is exact in any order.
                let value: Float = i % 17 == 3 ? .nan : i == 100 ? .infinity : Float((i * 13 + frame) % 1000) * 0.25 - 100
                truth.add(value.isFinite ? Double(value) : nil)
                data += withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }
            }
            messages.append([arrayHeader(type: "float32", width: width, height: height, frame: frame), data])
            truths.append(truth)
        }
        let frames = try view(messages, format: "array")
        XCTAssertEqual(frames.count, 2)
        for (k, truth) in truths.enumerated() { assertFrame(frames.count > k ? frames[k] : nil, truth, "float32 frame \(k)") }
    }

    func testStream2BigEndianUint16FramesAreSwappedBeforeTheirStatistics() throws {
        let (width, height) = (32, 16)
        var messages: [[[UInt8]]] = [], truths: [Truth] = []
        for image in 0..<2 {
            var pixels: [UInt8] = [], truth = Truth()
            for i in 0..<(width * height) {
                let value: UInt16 = i % 23 == 1 ? 0xFFFF : UInt16((i * 301 + image * 7) % 60_000)
                truth.add(value == 0xFFFF ? nil : Double(value))
                pixels += [UInt8(value >> 8), UInt8(value & 0xFF)]   // big-endian
            }
            messages.append([Self.stream2Image(image: image, width: width, height: height, tag: 65, pixels: pixels)])
            truths.append(truth)
        }
        let frames = try view(messages, format: "stream2")
        XCTAssertEqual(frames.count, 2)
        for (k, truth) in truths.enumerated() { assertFrame(frames.count > k ? frames[k] : nil, truth, "BE uint16 image \(k)") }
    }

    /// A stream v2 image message, CBOR written out by hand: 55799, map {type, series_id,
    /// image_id, data: {threshold_1: 40([[height, width], tag(bytes)])}}.
    static func stream2Image(image: Int, width: Int, height: Int, tag: UInt64, pixels: [UInt8]) -> [UInt8] {
        func head(_ major: UInt8, _ n: UInt64) -> [UInt8] {
            switch n {
            case 0..<24: [major << 5 | UInt8(n)]
            case 24..<256: [major << 5 | 24, UInt8(n)]
            case 256..<65536: [major << 5 | 25, UInt8(n >> 8), UInt8(n & 0xFF)]
            default: [major << 5 | 26] + (0..<4).reversed().map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) }
            }
        }
        func text(_ s: String) -> [UInt8] { head(3, UInt64(s.utf8.count)) + Array(s.utf8) }
        var out = head(6, 55799) + head(5, 4)
        out += text("type") + text("image")
        out += text("series_id") + head(0, 1)
        out += text("image_id") + head(0, UInt64(image))
        out += text("data") + head(5, 1) + text("threshold_1")
        out += head(6, 40) + head(4, 2) + head(4, 2) + head(0, UInt64(height)) + head(0, UInt64(width))
        out += head(6, tag) + head(2, UInt64(pixels.count)) + pixels
        return out
    }
}
