import Foundation
import XCTest

/// `detview simulate`'s options are typed: a value it does not take stops the command before
/// anything is bound or sent, with the option's name and the values it does take.
final class SimulateOptionsTests: XCTestCase {
    private func refusal(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let simulator = try DetviewProcess(["simulate", "--frames", "1"] + arguments)
        XCTAssertNotEqual(simulator.waitForExit(timeout: 10), 0, "\(arguments) was accepted", file: file, line: line)
        // The pipe's handler may take the last bytes after the exit: ArgumentParser's refusal ends with the usage.
        XCTAssertTrue(eventually(timeout: 5) { simulator.standardError.contains("Usage:") }, simulator.standardError,
                      file: file, line: line)
        return simulator.standardError
    }

    func testUnknownNamesAreRefusedListingTheKnownOnes() throws {
        let cases: [([String], String)] = [
            (["--detector", "pilatus"], "'--detector <detector>'. Please provide one of 'moench', 'jungfrau' or 'eiger'"),
            (["--format", "hdf5"], "'--format <format>'. Please provide one of 'sls', 'simplon', 'stream2' or 'array'"),
            (["--encoding", "zstd"], "'--encoding <encoding>'. Please provide one of 'raw', 'lz4' or 'bslz4'"),
            (["--pixel-type", "float32"], "'--pixel-type <pixel-type>'. Please provide one of 'uint8', 'uint16' or 'uint32'"),
            (["--header-detail", "most"], "'--header-detail <header-detail>'. Please provide one of 'none', 'basic' or 'all'"),
        ]
        for (arguments, expected) in cases {
            let text = try refusal(arguments)
            XCTAssertTrue(text.contains("The value '\(arguments[1])' is invalid for \(expected)"), "\(arguments): \(text)")
        }
    }

    func testMalformedSizesAndGridsAreRefusedWithTheirForms() throws {
        let size = try refusal(["--detector", "eiger", "--size", "4Q"])
        XCTAssertTrue(size.contains("The value '4Q' is invalid for '--size <size>'"), size)
        for form in ["512x512", "500K", "1M", "4M", "16M", "WxH"] { XCTAssertTrue(size.contains(form), "\(form) in \(size)") }
        let grid = try refusal(["--streams", "2", "--stream-grid", "2by1"])
        XCTAssertTrue(grid.contains("The value '2by1' is invalid for '--stream-grid <CxR>'"), grid)
        XCTAssertTrue(grid.contains("COLUMNSxROWS"), grid)
    }

    func testCombinationsAreStillCheckedAfterParsing() throws {
        let text = try refusal(["--detector", "moench", "--size", "4M"])
        XCTAssertTrue(text.contains("--size and --pixel-type apply to --detector eiger only (moench has a fixed geometry)"), text)
    }
}
