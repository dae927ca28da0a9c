import DetectorStream
import XCTest

/// Detector families from what the streams say, their names as the detector software writes
/// them, and the two questions the viewer asks of them.
final class DetectorFamilyTests: XCTestCase {
    func testSlsDetTypesNameTheirFamilies() {
        let expected: [(Int, DetectorFamily, String)] = [
            (1, .eigerPSI, "EIGER"), (2, .gotthard, "GOTTHARD"), (3, .jungfrau, "JUNGFRAU"),
            (4, .chipTestBoard, "CHIPTESTBOARD"), (5, .moench, "MOENCH"), (6, .mythen3, "MYTHEN3"),
            (7, .gotthard2, "GOTTHARD2"), (8, .xilinxChipTestBoard, "XILINX_CHIPTESTBOARD"),
            (0, .unnamed, ""), (99, .unnamed, ""),
        ]
        for (detType, family, name) in expected {
            XCTAssertEqual(DetectorFamily(slsDetType: detType), family, "detType \(detType)")
            XCTAssertEqual(family.name, name)
        }
    }

    func testDectrisDescriptionsNameTheLongestMatchingFamily() {
        XCTAssertEqual(DetectorFamily(dectrisDescription: "Dectris EIGER2 Si 4M"), .eiger2)
        XCTAssertEqual(DetectorFamily(dectrisDescription: "Dectris Eiger 16M"), .eiger)
        XCTAssertEqual(DetectorFamily(dectrisDescription: "Dectris PILATUS4 CdTe 1M"), .pilatus4)
        XCTAssertEqual(DetectorFamily(dectrisDescription: "PILATUS3 X 2M"), .pilatus3)
        XCTAssertEqual(DetectorFamily(dectrisDescription: "Pilatus 6M"), .pilatus)
        XCTAssertEqual(DetectorFamily(dectrisDescription: "a camera"), .unnamed)
        XCTAssertEqual(DetectorFamily.unnamed.name, "")
        XCTAssertEqual(DetectorFamily.unknown("TIMEPIX").name, "TIMEPIX")
    }

    func testOnlyJungfrauCarriesGainBitsAndTheChargeIntegratingFamiliesAreSlsOnes() {
        let all: [DetectorFamily] = [.eigerPSI, .gotthard, .jungfrau, .chipTestBoard, .moench, .mythen3, .gotthard2,
                                     .xilinxChipTestBoard, .eiger, .eiger2, .pilatus, .pilatus3, .pilatus4,
                                     .unnamed, .unknown("JUNGFRAU-ish")]
        XCTAssertEqual(all.filter(\.carriesGainBits), [.jungfrau])
        XCTAssertEqual(all.filter(\.isChargeIntegrating), [.jungfrau, .moench, .gotthard2])
    }
}
