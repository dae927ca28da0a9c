import Viewer
import XCTest

final class StatsHistoryTests: XCTestCase {
    private let second: UInt64 = 1_000_000_000

    private func point(_ fps: Double) -> StatsHistory.Point { StatsHistory.Point(framesPerSecond: fps) }

    private func same(_ a: [Double], _ b: [Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.map { $0.isNaN ? "gap" : "\($0)" }, b.map { $0.isNaN ? "gap" : "\($0)" }, file: file, line: line)
    }

    func testOnePointPerSecondTheLastSampleOfASecondWins() {
        var history = StatsHistory()
        history.record(point(1), atNanoseconds: 10 * second)
        history.record(point(2), atNanoseconds: 10 * second + 500_000_000)
        history.record(point(3), atNanoseconds: 11 * second + 1)
        XCTAssertEqual(history.count, 2)
        same(history.values(\.framesPerSecond), [2, 3])
        XCTAssertEqual(history.newest, point(3))
    }

    func testTheWindowIsTheLastSixtySeconds() {
        var history = StatsHistory()
        for s in UInt64(0)..<100 { history.record(point(Double(s)), atNanoseconds: s * second) }
        let values = history.values(\.framesPerSecond)
        XCTAssertEqual(values.count, StatsHistory.seconds)
        XCTAssertEqual(values.first, 40)
        XCTAssertEqual(values.last, 99)
    }

    func testSecondsWithoutASampleAreMarkedAsGaps() {
        var history = StatsHistory()
        history.record(point(5), atNanoseconds: 3 * second)
        history.record(point(6), atNanoseconds: 6 * second)
        same(history.values(\.framesPerSecond), [5, .nan, .nan, 6])
        // A gap longer than the window leaves only the newest second and gaps before it.
        history.record(point(7), atNanoseconds: 200 * second)
        let values = history.values(\.framesPerSecond)
        XCTAssertEqual(values.count, 60)
        XCTAssertEqual(values.last, 7)
        XCTAssertTrue(values.dropLast().allSatisfy(\.isNaN))
    }

    func testAGapIsClearedEvenWhereTheRingHeldAnOlderSecond() {
        var history = StatsHistory()
        for s in UInt64(0)..<60 { history.record(point(1), atNanoseconds: s * second) }
        history.record(point(2), atNanoseconds: 65 * second)   // seconds 60…64 reuse slots of 0…4
        let values = history.values(\.framesPerSecond)
        same(Array(values.suffix(6)), [.nan, .nan, .nan, .nan, .nan, 2])
    }

    func testAnOlderSampleIsIgnored() {
        var history = StatsHistory()
        history.record(point(1), atNanoseconds: 20 * second)
        history.record(point(9), atNanoseconds: 19 * second)
        same(history.values(\.framesPerSecond), [1])
    }

    func testEmptyBeforeTheFirstSample() {
        let history = StatsHistory()
        XCTAssertEqual(history.count, 0)
        XCTAssertEqual(history.values(\.framesPerSecond), [])
        XCTAssertNil(history.newest)
    }
}
