import DetectorStream
import Foundation
import Ingest
import SharedMemory
import XCTest
import ZeroMQ

/// What the receiver passes on besides frames: the stream's pixel mask (to the mask board),
/// JUNGFRAU's gain bits (a slot flag), and the channel the `t` key picks (from the control
/// block). Real sockets over tcp loopback, a real region.
final class ReceiverSettingsTests: ReceiverTestCase {
    private func startWithRoomForMasks() throws {
        try start(slotCapacity: 1 << 21, maxFrameBytes: 1 << 21, maskCapacity: 1 << 16)
    }

    private func nextSlot(file: StaticString = #filePath, line: UInt = #line) throws -> (SlotHeader, [UInt8]) {
        var claimed: ClaimedSlot?
        XCTAssertTrue(waitUntil { claimed = region.ring.claimNext(worker: 0); return claimed != nil },
                      "no frame arrived", file: file, line: line)
        let slot = try XCTUnwrap(claimed, file: file, line: line)
        defer { region.ring.release(slot) }
        return (slot.header, Array(slot.payload))
    }

    func testASimplonPixelMaskReachesTheMaskBoardTaggedWithItsSeries() throws {
        try startWithRoomForMasks()
        let width = 6, height = 4
        var flags = [UInt32](repeating: 0, count: width * height)
        flags[2] = 1
        flags[23] = 0x10
        XCTAssertTrue(try push.sendMultipart(SimplonEncoder.seriesHeader(series: 42, detail: .all, config: [],
                                                                      width: width, height: height, pixelMask: flags)))
        let pixels = [UInt8](repeating: 1, count: width * height * 2)
        let parts = SimplonEncoder.imageParts(series: 42, frame: 0, width: width, height: height, pixelType: .uint16,
                                              encoding: .raw, dataCount: pixels.count, startTime: 0, stopTime: 1)
        XCTAssertTrue(try push.sendMultipart([parts.image, parts.descriptor, pixels, parts.config]))
        waitForEvent("message pixel mask of series 42: 2 pixels masked")
        let (mask, _) = try XCTUnwrap(region.masks.read())
        XCTAssertEqual(mask, MaskBoard.Mask(series: 42, width: width, height: height, indices: [2, 23]))
        XCTAssertEqual(try nextSlot().0.series, 42, "frames carry the series the mask is tagged with")
    }

    private func slsFrame(detType: Int, index: UInt64) -> [[UInt8]] {
        var h = SlsHeader()
        h.bitmode = 16
        h.shape = [4, 2]
        h.size = 16
        h.frameIndex = index
        h.frameNumber = 1 + index
        h.data = 1
        h.completeImage = 1
        h.detType = detType
        return [h.encoded(jsonVersion: 5), [UInt8](repeating: 7, count: 16)]
    }

    func testJungfrauFramesAreFlaggedAsCarryingGainBitsAndMoenchFramesAreNot() throws {
        try startWithRoomForMasks()
        XCTAssertTrue(try push.sendMultipart(slsFrame(detType: 3, index: 0)))
        XCTAssertTrue(try nextSlot().0.hasGainBits, "JUNGFRAU")
        XCTAssertTrue(try push.sendMultipart([SlsHeader.endOfAcquisition(jsonVersion: 5).encoded(jsonVersion: 5)]))
        XCTAssertTrue(try push.sendMultipart(slsFrame(detType: 5, index: 0)))
        XCTAssertFalse(try nextSlot().0.hasGainBits, "MOENCH")
    }

    private func fixture(_ name: String) throws -> [UInt8] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/dectris-stream2/r500k_bm_bslz4_16bit/\(name)")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: file.path])
        }
        return [UInt8](try Data(contentsOf: file))
    }

    /// The sum of the unmasked pixels of a bslz4 uint16 payload.
    private func sum(ofBitshuffled payload: [UInt8], pixels: Int) throws -> UInt64 {
        var out = [UInt16](repeating: 0, count: pixels)
        try payload.withUnsafeBytes { input in
            try out.withUnsafeMutableBytes { output in
                try PayloadCodec.decode(.bitshuffleLZ4, elementSize: 2, elementCount: pixels, input: input, output: output)
            }
        }
        return out.reduce(0) { $1 == .max ? $0 : $0 + UInt64($1) }
    }

    func testTheChannelStepsOfTheControlBlockCycleTheStreamV2Channels() throws {
        try startWithRoomForMasks()
        let image = try fixture("000001.cbor")
        let pixels = 1030 * 514
        // Sums from the fixtures' expected.json (an independent decoder).
        let expected: [UInt64] = [909_218, 908_375, 305_475, 909_218]
        for (step, sum) in expected.enumerated() {
            region.control.set(ControlSettings(channel: UInt32(step)))
            XCTAssertTrue(try push.send(image))
            let (_, payload) = try nextSlot()
            XCTAssertEqual(try self.sum(ofBitshuffled: payload, pixels: pixels), sum, "after \(step) steps")
        }
        waitForEvent("message showing channel threshold_2 (of threshold_1, threshold_2, difference)")
        waitForEvent("message showing channel difference")
        waitForEvent("message showing channel threshold_1")
    }
}
