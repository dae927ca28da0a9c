import TerminalUI
import XCTest

final class SixelEncoderTests: XCTestCase {
    private func text(_ picture: TerminalPicture) -> String { String(decoding: SixelEncoder.encode(picture), as: UTF8.self) }

    /// Two rows in one band: register 0 in five columns (a run), register 1 in the last one,
    /// its leading empty columns as a run of `?`; palette in percent; one band, so no `-`.
    func testTinyImageEncodesToTheExactSixelString() {
        let picture = TerminalPicture(cells: Rect(x: 0, y: 0, width: 1, height: 1), width: 6, height: 2,
                                      indices: [0, 0, 0, 0, 0, 1,
                                                0, 0, 0, 0, 0, 1],
                                      palette: [.init(0, 0, 0), .init(255, 0, 0)])
        XCTAssertEqual(text(picture), "\u{1B}P0;1;0q\"1;1;6;2#0;2;0;0;0#1;2;100;0;0#0!5B$#1!5?B\u{1B}\\")
    }

    /// Seven rows make two bands (`-` between them); runs shorter than four are written out;
    /// registers not used are not defined.
    func testBandsShortRunsAndOnlyTheRegistersUsed() {
        let picture = TerminalPicture(cells: Rect(x: 0, y: 0, width: 1, height: 1), width: 3, height: 7,
                                      indices: [UInt8](repeating: 2, count: 21),
                                      palette: [.init(0, 0, 0), .init(255, 255, 255), .init(128, 64, 255)])
        XCTAssertEqual(text(picture), "\u{1B}P0;1;0q\"1;1;3;7#2;2;50;25;100#2~~~-#2@@@\u{1B}\\")
    }

    /// Bits of one register in a column: row r of the band is bit r (sixel = 63 + bits).
    func testRowsOfABandAreTheBitsOfOneSixel() {
        // Column 0: register 1 in rows 0 and 2 (bits 1 + 4 = 5: "D"), register 0 in the others (58: "y").
        let picture = TerminalPicture(cells: Rect(x: 0, y: 0, width: 1, height: 1), width: 1, height: 6,
                                      indices: [1, 0, 1, 0, 0, 0], palette: [.init(0, 0, 0), .init(0, 0, 255)])
        XCTAssertEqual(text(picture), "\u{1B}P0;1;0q\"1;1;1;6#0;2;0;0;0#1;2;0;0;100#0y$#1D\u{1B}\\")
    }
}
