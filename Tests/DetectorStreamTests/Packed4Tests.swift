import DetectorStream
import XCTest

/// slsDetector bitmode 4: two pixels per byte, high nibble first.
final class Packed4Tests: XCTestCase {
    private func unpack(_ packed: [UInt8], count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0xAA, count: count)
        try packed.withUnsafeBytes { input in
            try out.withUnsafeMutableBytes { output in
                try PayloadCodec.decode(.packed4, elementSize: 1, elementCount: count, input: input, output: output)
            }
        }
        return out
    }

    func testHighNibbleComesFirst() throws {
        XCTAssertEqual(try unpack([0x12, 0x3E, 0x70], count: 5), [1, 2, 3, 14, 7])
    }

    /// 15 is the 4-bit all-ones value: it becomes uint8's all-ones, so it stays masked.
    func testAllOnesNibbleStaysMasked() throws {
        XCTAssertEqual(try unpack([0xF0, 0x0F], count: 4), [255, 0, 0, 255])
    }

    func testPackThenUnpackRoundTrips() throws {
        let pixels: [UInt8] = (0..<101).map { UInt8($0 % 15) }
        XCTAssertEqual(try unpack(PayloadCodec.pack4(pixels), count: pixels.count), pixels)
    }

    func testWrongPayloadSizeIsASizeMismatch() {
        XCTAssertThrowsError(try unpack([0x12, 0x34], count: 5)) { error in
            XCTAssertEqual((error as? StreamError)?.kind, .sizeMismatch)
            XCTAssertTrue("\(error)".contains("packed4"), "\(error)")
        }
    }
}
