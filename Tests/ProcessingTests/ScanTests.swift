import CKernels
@testable import Processing
import XCTest

/// `ck_next_above`, the hit finder's scan: the first value above the level at every position
/// around the vector width, never NaN or a value equal to the level, in both variants.
final class ScanTests: XCTestCase {
    func testFindsTheFirstValueAboveTheLevelAtEveryPosition() {
        for count in [0, 1, 7, 8, 9, 16, 17, 40] {
            for bright in -1..<count {
                var values = [Float](repeating: 5, count: count)
                for i in stride(from: 0, to: count, by: 3) { values[i] = .nan }
                if bright >= 0 { values[bright] = 5.5 }
                if bright + 2 < count { values[bright + 2] = 9 }  // a later one must not win
                let expected = values.firstIndex { $0 > 5 } ?? count
                for path in [KernelPath.scalar, .avx2] {
                    let got = values.withUnsafeBufferPointer { ck_next_above($0.baseAddress, count, 5, path.c) }
                    XCTAssertEqual(got, expected, "\(path) count \(count) bright \(bright)")
                }
            }
        }
    }
}
