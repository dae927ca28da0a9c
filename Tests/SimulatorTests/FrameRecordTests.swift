import Glibc
import Processing
import Simulator
import XCTest

/// The `--record` truth: `FrameStats` computed apart from the workers' kernels, written so a
/// viewer's headless numbers compare equal to the last bit.
final class FrameRecordTests: XCTestCase {
    func testReferenceStatisticsAgreeWithTheKernelsBeyondTwoToThe53() {
        // (2^21 + 3) pixels of 2^32 - 2: a sum above 2^53 that Double must round; the record
        // and the worker round it alike because both convert one UInt64 total.
        var pixels = [UInt32](repeating: 0xFFFF_FFFE, count: (1 << 21) + 3)
        pixels[0] = 5
        pixels[1] = .max
        let exact = UInt64(pixels.count - 2) * 0xFFFF_FFFE + 5
        XCTAssertGreaterThan(exact, UInt64(1) << 53)
        let reference = pixels.withUnsafeBytes { FrameStats(reference: $0, pixelType: .uint32) }
        let kernels = pixels.withUnsafeBufferPointer { FrameKernels.stats($0) }
        XCTAssertEqual(reference, kernels)
        XCTAssertEqual(reference.sum, Double(exact))
        XCTAssertEqual(reference.min, 5)
        XCTAssertEqual(reference.masked, 1)
        XCTAssertEqual(reference.count, pixels.count - 1)
    }

    func testReferenceStatisticsOfTheAdcBitsLeaveTheGainBitsOut() {
        // JUNGFRAU: gain stage in bits 15-14; the ADC value below them is what viewers show.
        let pixels: [UInt16] = [0xC000 | 7, 0x4000 | 2, .max, 3]
        let stats = pixels.withUnsafeBytes { FrameStats(reference: $0, pixelType: .uint16, adcBits: 14) }
        XCTAssertEqual(stats, FrameStats(sum: 12, min: 2, max: 7, mean: 4, masked: 1, count: 3))
    }

    func testRecordLineWritesIntegersAndNullForAFrameWithNothingUnmasked() throws {
        let path = "/tmp/detview-simtest-\(getpid())-record-line.jsonl"
        defer { unlink(path) }
        let writer = try FrameRecordWriter(path: path)
        // 2^54 + 4 is a Double exactly; its own text would be 1.8014398509481988e+16.
        let large = FrameStats(integerSum: UInt64(1) << 54 | 4, min: 1, max: 4_000_000_000, masked: 2, total: 10)
        try writer.write(series: 1, frame: 7, statistics: large, photons: [Photon(x: 3, y: 4, adu: 1)])
        try writer.write(series: 1, frame: 8, statistics: .noPixels(masked: 10), photons: [])
        try writer.close()

        let fd = open(path, O_RDONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        XCTAssertEqual(String(decoding: bytes.prefix(max(n, 0)), as: UTF8.self),
                       #"{"series":1,"frame":7,"sum":18014398509481988,"max":4000000000,"masked":2,"photons":[[3,4]]}"# + "\n"
                       + #"{"series":1,"frame":8,"sum":0,"max":null,"masked":10,"photons":[]}"# + "\n")
    }
}
