import XCTest
@testable import Processing

final class RegionOfInterestTests: XCTestCase {
    func parseError(_ text: String) -> RegionError? {
        do { _ = try PixelRectangle(parsing: text) } catch { return error }
        return nil
    }

    func measure(_ frame: [Float], _ roi: RegionOfInterest) throws -> RegionStats {
        try frame.withUnsafeBufferPointer { try roi.measure($0) }
    }

    /// Naive: every pixel of the image, kept when inside the half-open clipped rectangle.
    func naive(_ f: [Float], _ w: Int, _ h: Int, _ r: PixelRectangle) -> RegionStats {
        var sum = 0.0, valid = 0, top = -Double.infinity, weight = 0.0, wx = 0.0, wy = 0.0
        for y in 0..<h {
            for x in 0..<w where x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1 && !f[y * w + x].isNaN {
                let v = Double(f[y * w + x])
                sum += v
                valid += 1
                top = max(top, v)
                if v > 0 {
                    weight += v
                    wx += v * (Double(x) + 0.5)
                    wy += v * (Double(y) + 0.5)
                }
            }
        }
        return RegionStats(sum: sum, mean: valid == 0 ? .nan : sum / Double(valid), max: valid == 0 ? .nan : Float(top),
                           centroidX: weight > 0 ? wx / weight : .nan, centroidY: weight > 0 ? wy / weight : .nan,
                           validPixels: valid)
    }

    func testParsesFourIntegersWithBlanksAndSigns() throws {
        XCTAssertEqual(try PixelRectangle(parsing: "10,20,30,40"), try PixelRectangle(x0: 10, y0: 20, x1: 30, y1: 40))
        XCTAssertEqual(try PixelRectangle(parsing: " -5 ,+2, 7,\t9 ").description, "-5,2,7,9")
    }

    func testBadRectangleTextNamesTheProblem() {
        XCTAssertEqual(parseError("1,2,3"), .wrongCount(3, text: "1,2,3"))
        XCTAssertEqual(parseError(""), .wrongCount(1, text: ""))
        XCTAssertEqual(parseError("1,2,3,4,5"), .wrongCount(5, text: "1,2,3,4,5"))
        XCTAssertEqual(parseError("1,2,x,4"), .notAnInteger(name: "x1", entry: "x"))
        XCTAssertEqual(parseError("1,,3,4"), .notAnInteger(name: "y0", entry: ""))
        XCTAssertEqual(parseError("1.5,2,3,4"), .notAnInteger(name: "x0", entry: "1.5"))
        XCTAssertEqual(parseError("1,2,3,99999999999999999999"), .notAnInteger(name: "y1", entry: "99999999999999999999"))
        XCTAssertTrue(parseError("1,2,x,4")!.description.contains("x1 'x'"))
        XCTAssertTrue(parseError("5,2,5,4")!.description.contains("x1 5 must be greater than x0 5"))
        XCTAssertTrue(parseError("1,9,3,4")!.description.contains("y1 4 must be greater than y0 9"))
    }

    func testRectanglePartlyOutsideIsClippedToTheImage() throws {
        let roi = try RegionOfInterest(try PixelRectangle(parsing: "-3,2,100,5"), imageWidth: 10, imageHeight: 4)
        XCTAssertEqual(roi.bounds, try PixelRectangle(x0: 0, y0: 2, x1: 10, y1: 4))
    }

    func testRectangleOutsideTheImageIsAnError() throws {
        for text in ["10,0,12,4", "-5,-5,0,3", "0,4,10,8"] {
            let rectangle = try PixelRectangle(parsing: text)
            XCTAssertThrowsError(try RegionOfInterest(rectangle, imageWidth: 10, imageHeight: 4)) { error in
                XCTAssertEqual(error as? RegionError, .outsideImage(rectangle, width: 10, height: 4))
                XCTAssertTrue("\(error)".contains("10×4"))
            }
        }
    }

    func testMeasuresMatchNaiveLoopsOnRandomFrames() throws {
        let (w, h) = (13, 9)
        for (seed, text) in [(1, "2,3,11,8"), (2, "-4,-1,5,20"), (3, "12,8,40,40"), (4, "0,0,13,9")] {
            var frame = randomCountFrame(count: w * h, seed: UInt64(seed), maskedPercent: 12)
            // Pedestal-subtracted frames carry negative values: they must not weigh in the centroid.
            for i in stride(from: 0, to: frame.count, by: 3) where !frame[i].isNaN { frame[i] -= 600 }
            let rectangle = try PixelRectangle(parsing: text)
            let roi = try RegionOfInterest(rectangle, imageWidth: w, imageHeight: h)
            let got = try measure(frame, roi)
            let want = naive(frame, w, h, rectangle)
            XCTAssertEqual(got.sum, want.sum)
            XCTAssertEqual(got.validPixels, want.validPixels)
            XCTAssertEqual(got.max, want.max)
            XCTAssertEqual(got.mean, want.mean, accuracy: 1e-9)
            XCTAssertEqual(got.centroidX, want.centroidX, accuracy: 1e-9)
            XCTAssertEqual(got.centroidY, want.centroidY, accuracy: 1e-9)
        }
    }

    func testSingleSpotCentroidIsThePixelCentre() throws {
        let roi = try RegionOfInterest(try PixelRectangle(parsing: "0,0,8,8"), imageWidth: 8, imageHeight: 8)
        let stats = try measure(handFrame(width: 8, height: 8, value: -2, spots: [(5, 2, 40)]), roi)
        XCTAssertEqual(stats, RegionStats(sum: 40 - 2 * 63, mean: Double(40 - 2 * 63) / 64, max: 40,
                                          centroidX: 5.5, centroidY: 2.5, validPixels: 64))
    }

    func testBoundsAreHalfOpen() throws {
        // Columns 1 and 2, row 0 only: pixel (3, 0) and row 1 are outside.
        let roi = try RegionOfInterest(try PixelRectangle(parsing: "1,0,3,1"), imageWidth: 4, imageHeight: 2)
        let stats = try measure([1, 2, 4, 8, 16, 32, 64, 128], roi)
        XCTAssertEqual(stats.sum, 6)
        XCTAssertEqual(stats.validPixels, 2)
    }

    func testAllMaskedRegionHasNaNStatsAndNoPixels() throws {
        let roi = try RegionOfInterest(try PixelRectangle(parsing: "0,0,2,1"), imageWidth: 3, imageHeight: 1)
        let stats = try measure([.nan, .nan, 5], roi)
        XCTAssertEqual(stats, RegionStats(sum: 0, mean: .nan, max: .nan, centroidX: .nan, centroidY: .nan, validPixels: 0))
    }

    func testOnePixelImageAndWrongFrameSize() throws {
        let roi = try RegionOfInterest(try PixelRectangle(parsing: "-1,-1,5,5"), imageWidth: 1, imageHeight: 1)
        XCTAssertEqual(try measure([3], roi), RegionStats(sum: 3, mean: 3, max: 3, centroidX: 0.5, centroidY: 0.5, validPixels: 1))
        XCTAssertThrowsError(try measure([3, 4], roi)) { error in
            XCTAssertEqual(error as? AnalysisError, .frameSizeMismatch(expected: 1, actual: 2))
        }
        XCTAssertThrowsError(try RegionOfInterest(try PixelRectangle(parsing: "0,0,1,1"), imageWidth: 0, imageHeight: 1))
    }
}
