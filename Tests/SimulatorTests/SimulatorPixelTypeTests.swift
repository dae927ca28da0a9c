import DetectorStream
import Simulator
import XCTest

/// The scenes render the detectors' types only; the other pixel types are refused up front
/// instead of reaching a scene that cannot draw them.
final class SimulatorPixelTypeTests: XCTestCase {
    func testOnlyTheDetectorPixelTypesAreAccepted() {
        for type in PixelType.allCases {
            var o = SimulationOptions()
            o.detector = .eiger
            o.pixelType = type
            if PixelType.detectorTypes.contains(type) {
                XCTAssertNoThrow(try o.validate(), type.name)
            } else {
                XCTAssertThrowsError(try o.validate(), type.name) { error in
                    XCTAssertTrue("\(error)".contains("--pixel-type \(type.name)"), "\(error)")
                }
            }
        }
    }
}
