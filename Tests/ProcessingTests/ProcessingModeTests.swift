import Processing
import XCTest

final class ProcessingModeTests: XCTestCase {
    func testEveryModeHasAUniqueNameAndDigitAndMCyclesThroughAllOfThem() {
        let modes = ProcessingMode.allCases
        XCTAssertEqual(Set(modes.map(\.name)).count, modes.count)
        XCTAssertEqual(Set(modes.map(\.digit)).count, modes.count)
        XCTAssertEqual(modes.map(\.digit), ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"])
        for mode in modes {
            XCTAssertEqual(ProcessingMode(name: mode.name), mode)
            XCTAssertEqual(ProcessingMode(name: mode.name.uppercased()), mode)
            XCTAssertEqual(ProcessingMode(digit: mode.digit), mode)
            XCTAssertFalse(mode.summary.isEmpty)
        }
        var seen: [ProcessingMode] = []
        var mode = ProcessingMode.raw
        for _ in modes {
            mode = mode.next
            seen.append(mode)
        }
        XCTAssertEqual(seen, Array(modes.dropFirst()) + [.raw])
        XCTAssertNil(ProcessingMode(name: "photons"))
        XCTAssertNil(ProcessingMode(digit: "x"))
    }

    func testThePedestalAndTheAccumulatingModesShowAComposedView() {
        XCTAssertEqual(ProcessingMode.allCases.filter(\.showsComposedView),
                       [.pedestal, .analog, .threshold, .counting, .sum, .mean, .max, .radial])
    }

    func testOptionsRoundTripThroughTheirText() throws {
        var options = ProcessingOptions()
        options.sigma = 3.5
        options.pedestalFrames = 250
        options.darkFrames = 100
        options.threshold = 42
        options.pattern = "up,p,ped"
        options.hitSigma = 5
        options.minPixels = 3
        options.minPeaks = 7
        options.rois = [try PixelRectangle(parsing: "1,2,30,40"), try PixelRectangle(parsing: "0,0,5,5")]
        options.beamCentre = try BeamCentre(parsing: "200.5,199")
        options.savesShare = true
        XCTAssertEqual(try ProcessingOptions(encoded: options.encoded), options)
        XCTAssertEqual(try ProcessingOptions(encoded: ""), ProcessingOptions(), "defaults")
    }

    func testBadOptionTextNamesTheKey() {
        for (text, words) in [("sigma=four", "sigma"), ("dark-frames=-1", "dark-frames"), ("colour=red", "colour"),
                              ("sigma", "no '='"), ("threshold=nan", "threshold"),
                              ("roi=1,2,3", "roi"), ("beam-center=1,x", "beam-center")] {
            XCTAssertThrowsError(try ProcessingOptions(encoded: text), text) { error in
                XCTAssertTrue("\(error)".contains(words), "\(error)")
            }
        }
    }

    func testBeamCentreParsesTwoFiniteNumbersAndNamesWhatItWanted() throws {
        XCTAssertEqual(try BeamCentre(parsing: " 512.5, 480 "), BeamCentre(x: 512.5, y: 480))
        XCTAssertEqual(try BeamCentre(parsing: "-3,4"), BeamCentre(x: -3, y: 4), "a centre may lie off the detector")
        for text in ["512", "1,2,3", "a,b", "nan,1", "1,inf", ""] {
            XCTAssertThrowsError(try BeamCentre(parsing: text), text) { error in
                XCTAssertTrue("\(error)".contains("x,y in pixels"), "\(error)")
            }
        }
    }
}
