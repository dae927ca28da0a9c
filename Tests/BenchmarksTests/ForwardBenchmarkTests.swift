import Benchmarks
import XCTest

/// `detview bench forward` as a library: both paths deliver every message (a lost or cut one
/// throws) and the row carries both rates and their ratio.
final class ForwardBenchmarkTests: XCTestCase {
    func testBothPathsDeliverEveryMessageAndTheRowCarriesTheRatio() throws {
        for transport in ForwardBenchmark.Transport.allCases {
            let bench = ForwardBenchmark(benchCase: .init(name: "tiny", dataBytes: 4096), transport: transport, seconds: 0.01)
            let result = try bench.run(rounds: 1)
            XCTAssertGreaterThan(result.directMessagesPerSecond, 0, transport.rawValue)
            XCTAssertGreaterThan(result.forwardMessagesPerSecond, 0, transport.rawValue)
            XCTAssertGreaterThan(result.messageBytes, 4096, "the data part and the three JSON parts")
            XCTAssertTrue(result.tableRow.hasPrefix("tiny"), result.tableRow)
            let printed = try XCTUnwrap(result.tableRow.split(separator: " ").last.flatMap { Double($0) }, result.tableRow)
            XCTAssertEqual(printed, result.ratio, accuracy: 0.006, "the last column is the ratio")
        }
    }
}
