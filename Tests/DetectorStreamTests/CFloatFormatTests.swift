import DetectorStream
import Glibc
import XCTest

/// The progress value must print exactly as the receiver's C/C++ runtime prints it.
final class CFloatFormatTests: XCTestCase {
    private func c(_ format: String, _ x: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        _ = withVaList([x]) { args in vsnprintf(&buffer, buffer.count, format, args) }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    private var samples: [Double] {
        var values: [Double] = [0, -0.0, 1, 100, 0.5, 2.5, 1e-5, 0.0001, 0.00012345675, 123456.5, 999999.5,
                                9999995, 1234567, 0.333333, 33.33333333, 1e300, .leastNonzeroMagnitude, 12.3456500000001,
                                .nan, .infinity, -.infinity, -42.125, 0.1, 0.2, 0.3, 1.0 / 3.0]
        for n in [3, 7, 300, 900, 1_000_000, 10_000_000] {
            for k in [1, 2, n / 3, n / 2, n - 1, n] where k > 0 { values.append(100.0 * Double(k) / Double(n)) }
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<400 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let x = Double(bitPattern: state >> 2 | 0x3000_0000_0000_0000 & ~(state & 0x0F00_0000_0000_0000))
            if x.isFinite { values.append(x) }
            values.append(Double(state % 2_000_000) / 1000)
        }
        return values
    }

    func testGeneralMatchesPrintfG() {
        for x in samples {
            XCTAssertEqual(CFloatFormat.general(x), c("%g", x), "value bits \(x.bitPattern)")
        }
    }

    func testFixedMatchesPrintfF() {
        for x in samples {
            XCTAssertEqual(CFloatFormat.fixed(x), c("%f", x), "value bits \(x.bitPattern)")
        }
    }
}
