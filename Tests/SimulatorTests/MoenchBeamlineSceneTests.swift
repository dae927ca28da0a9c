import Simulator
import XCTest

/// The demo's MOENCH scene: a beam profile through a Siemens star, hot and dead pixels.
final class MoenchBeamlineSceneTests: XCTestCase {
    private func beamline(seed: UInt64 = 7, photons: Double = 3000) -> MoenchScene {
        var options = MoenchScene.Options()
        options.seed = seed
        options.illumination = .beamline
        options.photonsPerFrame = photons
        options.hotPixels = 6
        options.deadPixels = 12
        return MoenchScene(options: options)
    }

    /// The mean of `frames` frames minus the pedestal, per pixel.
    private func meanSignal(_ scene: inout MoenchScene, frames: Int) -> [Double] {
        var sum = [Double](repeating: 0, count: scene.pixelCount)
        var frame = [UInt16](repeating: 0, count: scene.pixelCount)
        for index in 0..<frames {
            _ = frame.withUnsafeMutableBufferPointer { scene.render(frameIndex: UInt64(index), into: $0) }
            for i in sum.indices { sum[i] += Double(frame[i]) - Double(scene.pedestal[i]) }
        }
        return sum.map { $0 / Double(frames) }
    }

    /// The mean over the pixels `include` picks, leaving out `defects` (a dead pixel's all ones
    /// would outweigh a corner's faint beam).
    private func mean(_ image: [Double], skipping defects: Set<Int>, where include: (Double, Double) -> Bool) -> Double {
        var total = 0.0, count = 0
        for y in 0..<MoenchScene.height {
            for x in 0..<MoenchScene.width where !defects.contains(y * MoenchScene.width + x)
                && include(Double(x) + 0.5, Double(y) + 0.5) {
                total += image[y * MoenchScene.width + x]
                count += 1
            }
        }
        return total / Double(max(count, 1))
    }

    /// Polar coordinates around the star's centre.
    private func polar(_ x: Double, _ y: Double) -> (r: Double, angle: Double) {
        let dx = x - MoenchIllumination.starCentre.x, dy = y - MoenchIllumination.starCentre.y
        return ((dx * dx + dy * dy).squareRoot(), atan2(dy, dx))
    }

    /// Averaged over frames, the spokes are dark and the gaps between them bright (in ADU over
    /// the pedestal, as a raw-mode viewer would average them), and the beam is brighter in the
    /// middle than at the edges of the sensor.
    func testTheMeanImageShowsTheStarAndTheBeamProfile() {
        var scene = beamline()
        let image = meanSignal(&scene, frames: 60)
        let defects = Set(scene.hotPixels + scene.deadPixels)
        func mean(where include: (Double, Double) -> Bool) -> Double { self.mean(image, skipping: defects, where: include) }
        func inStarRing(_ x: Double, _ y: Double) -> Bool { let p = polar(x, y); return p.r > 30 && p.r < 110 }
        let spokes = mean { x, y in inStarRing(x, y) && MoenchIllumination.isInSpoke(angle: polar(x, y).angle) }
        let gaps = mean { x, y in inStarRing(x, y) && !MoenchIllumination.isInSpoke(angle: polar(x, y).angle) }
        XCTAssertGreaterThan(gaps, 4 * spokes, "gaps \(gaps) ADU, spokes \(spokes) ADU")
        let centreGaps = mean { x, y in
            let p = polar(x, y); return p.r > 20 && p.r < 50 && !MoenchIllumination.isInSpoke(angle: p.angle)
        }
        let corners = mean { x, y in min(x, 400 - x) < 40 && min(y, 400 - y) < 40 }
        XCTAssertGreaterThan(centreGaps, 5 * corners, "centre \(centreGaps) ADU, corners \(corners) ADU")
        XCTAssertGreaterThan(corners, 0.5, "the beam's tail still reaches the corners")
    }

    /// Photons land where the intensity map says: none in a fully dark place, and the map's
    /// sampling covers its whole range.
    func testPhotonPositionsFollowTheIntensityMap() {
        let illumination = MoenchIllumination(.beamline, width: 400, height: 400)
        XCTAssertEqual(illumination.intensity.count, 400 * 400)
        XCTAssertEqual(illumination.pixel(for: 0), 0, "the corner pixel has a little beam")
        XCTAssertEqual(illumination.pixel(for: 0.999_999_999), 400 * 400 - 1)
        // (240, 216) is 15° round from the star's centre: in the gap after the first spoke.
        let centre = illumination.intensity[216 * 400 + 240], corner = illumination.intensity[0]
        XCTAssertGreaterThan(centre, 10 * corner)
        XCTAssertTrue(MoenchIllumination(.flat, width: 400, height: 400).intensity.isEmpty)
    }

    /// Hot pixels sit at places the seed fixes, never on a dead pixel, and fire in most frames;
    /// dead pixels are all ones in every frame.
    func testHotAndDeadPixelsAreAtTheSeededPlaces() {
        var scene = beamline(photons: 0)
        XCTAssertEqual(scene.hotPixels.count, 6)
        XCTAssertEqual(scene.deadPixels.count, 12)
        XCTAssertTrue(Set(scene.hotPixels).isDisjoint(with: scene.deadPixels))
        XCTAssertEqual(beamline(photons: 0).hotPixels, scene.hotPixels, "the same seed, the same places")
        XCTAssertNotEqual(beamline(seed: 8, photons: 0).hotPixels, scene.hotPixels)
        let image = meanSignal(&scene, frames: 40)
        for i in scene.hotPixels { XCTAssertGreaterThan(image[i], 150, "hot pixel \(i) fires in most frames") }
        var frame = [UInt16](repeating: 0, count: scene.pixelCount)
        _ = frame.withUnsafeMutableBufferPointer { scene.render(frameIndex: 40, into: $0) }
        for i in scene.deadPixels { XCTAssertEqual(frame[i], 0xFFFF) }
    }

    /// `--seed` makes the demo repeatable: the same seed, the same frames and photons.
    func testTheSameSeedGivesIdenticalFrames() {
        func frames(seed: UInt64) -> [[UInt16]] {
            var scene = beamline(seed: seed, photons: 150)
            return (0..<3).map { index in
                var frame = [UInt16](repeating: 0, count: scene.pixelCount)
                _ = frame.withUnsafeMutableBufferPointer { scene.render(frameIndex: UInt64(index), into: $0) }
                return frame
            }
        }
        XCTAssertEqual(frames(seed: 3), frames(seed: 3))
        XCTAssertNotEqual(frames(seed: 3), frames(seed: 4))
    }
}
