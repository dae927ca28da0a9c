import XCTest
@testable import Processing

final class FitSizeTests: XCTestCase {
    private func fit(_ fw: Int, _ fh: Int, _ aw: Int, _ ah: Int) -> [Int] {
        let s = FrameKernels.fitSize(frameWidth: fw, frameHeight: fh, areaWidth: aw, areaHeight: ah)
        return [s.width, s.height]
    }

    func testSquareFrameIntoWideAreaIsLimitedByHeight() {
        XCTAssertEqual(fit(1000, 1000, 200, 50), [50, 50])
    }

    func testWideFrameIntoTallAreaIsLimitedByWidth() {
        XCTAssertEqual(fit(1030, 514, 100, 300), [100, 50])
    }

    func testTinyAreaGivesAtLeastOnePixel() {
        XCTAssertEqual(fit(4000, 10, 1, 1), [1, 1])
        XCTAssertEqual(fit(4000, 10, 40, 40), [40, 1])
    }

    func testFrameSmallerThanAreaIsScaledUpByAWholeFactor() {
        XCTAssertEqual(fit(64, 64, 200, 100), [64, 64])
        XCTAssertEqual(fit(20, 10, 200, 100), [200, 100])
        XCTAssertEqual(fit(30, 20, 100, 50), [60, 40])
    }

    func testFrameExactlyTheAreaIsUnchanged() {
        XCTAssertEqual(fit(80, 40, 80, 40), [80, 40])
    }

    func testEmptyFrameOrAreaGivesNothing() {
        XCTAssertEqual(fit(0, 10, 10, 10), [0, 0])
        XCTAssertEqual(fit(10, 10, 0, 10), [0, 0])
    }

    func testResultAlwaysFitsTheArea() {
        var random = TestRandom(seed: 9)
        for _ in 0..<500 {
            let fw = 1 + random.below(3000), fh = 1 + random.below(3000)
            let aw = 1 + random.below(400), ah = 1 + random.below(200)
            let s = fit(fw, fh, aw, ah)
            XCTAssertTrue(s[0] >= 1 && s[0] <= aw && s[1] >= 1 && s[1] <= ah, "\(fw)x\(fh) in \(aw)x\(ah) → \(s)")
        }
    }
}
