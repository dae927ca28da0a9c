import TerminalUI
import XCTest

final class RectTests: XCTestCase {
    func testNegativeSizesBecomeEmpty() {
        let r = Rect(x: 1, y: 1, width: -3, height: 2)
        XCTAssertEqual(r.width, 0)
        XCTAssertTrue(r.isEmpty)
        XCTAssertTrue(Rect(x: 0, y: 0, width: 3, height: 3).inset(by: 2).isEmpty)
    }

    func testInsetShrinksEachSide() {
        XCTAssertEqual(Rect(x: 0, y: 0, width: 10, height: 5).inset(top: 1, left: 2, bottom: 0, right: 3),
                       Rect(x: 2, y: 1, width: 5, height: 4))
    }

    func testIntersection() {
        let a = Rect(x: 0, y: 0, width: 5, height: 5), b = Rect(x: 3, y: 2, width: 5, height: 5)
        XCTAssertEqual(a.intersection(b), Rect(x: 3, y: 2, width: 2, height: 3))
        XCTAssertTrue(a.intersection(Rect(x: 10, y: 10, width: 1, height: 1)).isEmpty)
    }

    func testCenteredClipsToTheRect() {
        let r = Rect(x: 2, y: 2, width: 10, height: 4)
        XCTAssertEqual(r.centered(width: 4, height: 2), Rect(x: 5, y: 3, width: 4, height: 2))
        XCTAssertEqual(r.centered(width: 40, height: 20), r)
    }
}
