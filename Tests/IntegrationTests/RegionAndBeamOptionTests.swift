import XCTest

/// `--roi` and `--beam-center` are parsed once, on the command line: a wrong one is refused
/// before anything starts, with what was expected.
final class RegionAndBeamOptionTests: XCTestCase {
    func testAnROIWithoutFourValuesIsRefusedAtStart() throws {
        let viewer = try DetviewProcess(["view", "tcp://127.0.0.1:\(freePort())", "--headless", "--roi", "1,2"])
        XCTAssertEqual(viewer.waitForExit(timeout: 10), 64)
        XCTAssertTrue(viewer.standardError.contains("ROI '1,2' has 2 values, expected 4: x0,y0,x1,y1"), viewer.standardError)
        XCTAssertEqual(viewer.outputLines, [], "nothing started")
    }

    func testABeamCentreThatIsNotTwoNumbersIsRefusedAtStart() throws {
        let viewer = try DetviewProcess(["view", "tcp://127.0.0.1:\(freePort())", "--headless", "--beam-center", "1,2,3"])
        XCTAssertEqual(viewer.waitForExit(timeout: 10), 64)
        XCTAssertTrue(viewer.standardError.contains("'1,2,3' is not x,y in pixels"), viewer.standardError)
    }
}
