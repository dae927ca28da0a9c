import DetectorStream
import Foundation
import XCTest

/// Real EIGER2 R 500K messages (`Tests/Fixtures/dectris-stream2`)
/// against the independently computed `expected.json`. The series' start messages were never
/// published, so each series is joined late.
final class Stream2FixtureTests: XCTestCase {
    private let folders = Stream2Fixtures.folders

    private func root() throws -> URL { try Stream2Fixtures.root() }

    /// Frame payloads checked while they are valid: inside the message (not copied) and framed.
    private struct Seen {
        var events: [Recorded] = []
        var payloadInsideMessage: [Bool] = []
        var headerSizes: [UInt64] = []
        var blockSizes: [UInt32] = []
    }

    private func run(_ decoder: inout Stream2Decoder, _ files: [URL]) throws -> Seen {
        var seen = Seen()
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: file))
            bytes.withUnsafeBytes { message in
                decoder.consume([message]) { event in
                    if case .frame(_, let payload) = event {
                        let base = message.baseAddress!, p = payload.baseAddress!
                        seen.payloadInsideMessage.append(p >= base && p + payload.count <= base + message.count)
                        seen.headerSizes.append(payload.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
                        seen.blockSizes.append(payload.dropFirst(8).prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
                    }
                    seen.events.append(Recorded(event))
                }
            }
        }
        return seen
    }

    func testEveryFixtureSeriesDecodesToStartTwoFramesAndEnd() throws {
        let root = try root(), expected = try Stream2Fixtures.expected()
        for folder in folders {
            let names = ["000001.cbor", "000002.cbor", "000011.cbor"]
            var decoder = Stream2Decoder(maxFrameBytes: 64 << 20)
            let seen = try run(&decoder, names.map { root.appendingPathComponent(folder).appendingPathComponent($0) })
            let image0 = try XCTUnwrap(expected["\(folder)/000001.cbor"])
            let end = try XCTUnwrap(expected["\(folder)/000011.cbor"])
            let channel = try XCTUnwrap((image0["channels"] as? [String: [String: Any]])?["threshold_1"])
            let dtype = try XCTUnwrap(channel["dtype"] as? String)
            let shape = try XCTUnwrap(channel["shape_rows_cols"] as? [Int])
            // lz4's element size is 0 on the wire: the pixel size comes from the dtype.
            let elemSize = try XCTUnwrap(PixelType(name: dtype)).bytesPerPixel
            let encoding: PayloadEncoding = channel["encoding"] as? String == "bslz4" ? .bitshuffleLZ4 : .lz4
            let seriesID = try XCTUnwrap(image0["series_id"] as? Int)
            XCTAssertEqual(end["type"] as? String, "end")

            XCTAssertEqual(seen.events.count, 4, "\(folder): \(seen.events.map { "\($0)".prefix(80) })")
            guard seen.events.count == 4, case .seriesStart(let info) = seen.events[0] else { continue }
            XCTAssertEqual(info.format, .stream2)
            XCTAssertEqual(info.series, UInt64(seriesID))
            XCTAssertEqual([info.height, info.width], shape, folder)
            XCTAssertEqual(info.pixelType.name, dtype, folder)
            XCTAssertEqual(info.metadata["series_unique_id"], image0["series_unique_id"] as? String)
            XCTAssertEqual(info.metadata["channels"], "threshold_1,threshold_2,difference")
            XCTAssertEqual(info.metadata["late_join"], "true")
            let frames = seen.events.compactMap(\.frameDescriptor)
            XCTAssertEqual(frames.map(\.frameNumber), [0, 1], folder)
            for (i, f) in frames.enumerated() {
                XCTAssertEqual(f.series, UInt64(seriesID))
                XCTAssertEqual([f.height, f.width], shape)
                XCTAssertEqual(f.pixelType.name, dtype)
                XCTAssertEqual(f.encoding, encoding, folder)
                if case .frame(_, let payload) = seen.events[1 + i] { XCTAssertEqual(payload.count, f.byteCount) }
                // Three compressed channels share the message: each is well under a third of it.
                XCTAssertGreaterThan(f.byteCount, 12)
                XCTAssertLessThan(f.byteCount, 514 * 1030 * elemSize)
            }
            XCTAssertEqual(seen.payloadInsideMessage, [true, true])
            XCTAssertEqual(seen.headerSizes, [UInt64(shape[0] * shape[1] * elemSize), UInt64(shape[0] * shape[1] * elemSize)])
            XCTAssertEqual(seen.blockSizes, [8192, 8192])
            XCTAssertEqual(seen.events[3], .seriesEnd(series: UInt64(seriesID), frames: 2))
            XCTAssertEqual(decoder.bad, 0)
        }
    }

    func testChoosingAChannelSelectsADifferentPayloadOfTheSameShape() throws {
        let root = try root()
        let file = root.appendingPathComponent("r500k_bm_bslz4_16bit/000001.cbor")
        var payloads: [[UInt8]] = []
        for channel in ["threshold_1", "threshold_2", "difference"] {
            var decoder = Stream2Decoder(maxFrameBytes: 64 << 20, channel: channel)
            let events = try run(&decoder, [file]).events
            guard case .frame(let d, let payload)? = events.last else { return XCTFail("\(channel): \(events)") }
            XCTAssertEqual([d.width, d.height], [1030, 514])
            payloads.append(payload)
        }
        XCTAssertEqual(Set(payloads).count, 3)
        var first = Stream2Decoder(maxFrameBytes: 64 << 20)
        guard case .frame(_, let defaultPayload)? = try run(&first, [file]).events.last else { return XCTFail() }
        XCTAssertEqual(defaultPayload, payloads[0], "nil channel takes the message's first, threshold_1")
    }

    func testAFrameLimitBelowTheFixtureShapeRejectsItsImages() throws {
        let root = try root()
        var decoder = Stream2Decoder(maxFrameBytes: 1 << 20)
        let events = try run(&decoder, [root.appendingPathComponent("r500k_bm_bslz4_32bit/000001.cbor")]).events
        XCTAssertEqual(events.map(\.badError?.kind), [.tooLarge])
    }
}
