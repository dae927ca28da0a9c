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

    func testKittyEncodingCarriesRGBInChunks() {
        let one = TerminalPicture(cells: Rect(x: 3, y: 2, width: 1, height: 1), width: 1, height: 1,
                                  indices: [0], palette: [.init(1, 2, 3)])
        XCTAssertEqual(String(decoding: KittyGraphicsEncoder.encode(one, id: 7), as: UTF8.self),
                       "\u{1B}_Ga=T,f=24,s=1,v=1,i=7,c=1,r=1,C=1,q=2,m=0;AQID\u{1B}\\")
        // 1100 pixels: 3300 bytes, 4400 base64 characters: a chunk of 4096 and one of 304.
        let large = TerminalPicture(cells: Rect(x: 0, y: 0, width: 10, height: 5), width: 110, height: 10,
                                    indices: [UInt8](repeating: 0, count: 1100), palette: [.init(1, 2, 3)])
        let chunks = String(decoding: KittyGraphicsEncoder.encode(large, id: 1), as: UTF8.self)
            .components(separatedBy: "\u{1B}\\").filter { !$0.isEmpty }
        XCTAssertEqual(chunks.count, 2)
        XCTAssertTrue(chunks[0].hasPrefix("\u{1B}_Ga=T,f=24,s=110,v=10,i=1,c=10,r=5,C=1,q=2,m=1;"))
        XCTAssertEqual(chunks[0].split(separator: ";")[1].count, 4096)
        XCTAssertEqual(chunks[1], "\u{1B}_Gm=0;" + String(repeating: "AQID", count: 76))
    }
}
