import Processing
import Simulator
import XCTest

final class MoenchSceneTests: XCTestCase {
    private let pixels = MoenchScene.width * MoenchScene.height

    private func scene(_ configure: (inout MoenchScene.Options) -> Void = { _ in }) -> MoenchScene {
        var o = MoenchScene.Options()
        configure(&o)
        return MoenchScene(options: o)
    }

    private func render(_ scene: inout MoenchScene, frames: Int) -> [([UInt16], [Photon])] {
        (0..<frames).map { i in
            var frame = [UInt16](repeating: 0, count: pixels)
            let photons = frame.withUnsafeMutableBufferPointer { scene.render(frameIndex: UInt64(i), into: $0) }
            return (frame, photons)
        }
    }

    func testSameSeedRendersIdenticalFramesAndOtherSeedsDiffer() {
        var a = scene { $0.seed = 7 }, b = scene { $0.seed = 7 }, c = scene { $0.seed = 8 }
        let fa = render(&a, frames: 3), fb = render(&b, frames: 3), fc = render(&c, frames: 3)
        for i in 0..<3 {
            XCTAssertEqual(fa[i].0, fb[i].0)
            XCTAssertEqual(fa[i].1, fb[i].1)
            XCTAssertNotEqual(fa[i].0, fc[i].0)
        }
        XCTAssertNotEqual(fa[0].0, fa[1].0, "frames of one run differ")
    }

    func testPedestalMeanAndNoiseSigmaMeasuredOnFrames() {
        var s = scene { $0.photonsPerFrame = 0 }
        let frames = render(&s, frames: 4).map(\.0)
        let mean = frames[0].reduce(0.0) { $0 + Double($1) } / Double(pixels)
        XCTAssertEqual(mean, 5400, accuracy: 3)
        // Pedestal cancels in a frame difference: var(f1 − f2) = 2σ².
        var sumSquares = 0.0
        for i in 0..<pixels {
            let d = Double(frames[1][i]) - Double(frames[2][i])
            sumSquares += d * d
        }
        let sigma = (sumSquares / Double(pixels) / 2).squareRoot()
        XCTAssertEqual(sigma, 19, accuracy: 0.4)
        // The pedestal is fixed per pixel and spread by about ±100 ADU.
        let perPixel = (0..<pixels).map { i in frames.reduce(0.0) { $0 + Double($1[i]) } / 4 }
        let spread = (perPixel.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) } / Double(pixels)).squareRoot()
        XCTAssertEqual(spread, (100.0 * 100 / 3 + 19.0 * 19 / 4).squareRoot(), accuracy: 3)
    }

    func testPhotonsAreAboveThePedestalAtTheirReturnedPositions() {
        var s = scene { $0.chargeSharing = 0; $0.photonsPerFrame = 40 }
        let frames = render(&s, frames: 10)
        var hits = 0, total = 0, backgroundOver = 0
        for (frame, photons) in frames {
            var isPhoton = [Bool](repeating: false, count: pixels)
            for p in photons {
                let i = p.y * MoenchScene.width + p.x
                isPhoton[i] = true
                total += 1
                if Int(frame[i]) - Int(s.pedestal[i]) > 60 { hits += 1 }
            }
            for i in 0..<pixels where !isPhoton[i] && Int(frame[i]) - Int(s.pedestal[i]) > 60 { backgroundOver += 1 }
        }
        XCTAssertGreaterThan(total, 300, "about 40 photons per frame")
        XCTAssertLessThan(total, 500)
        XCTAssertGreaterThan(Double(hits) / Double(total), 0.97)
        XCTAssertLessThan(backgroundOver, 10 * 300, "noise alone rarely reaches pedestal + 60 (3.2σ)")
    }

    func testSharedChargeAddsUpToThePhotonEnergy() {
        var s = scene { $0.chargeSharing = 1; $0.photonsPerFrame = 5; $0.noiseSigma = 0; $0.pedestalSpread = 0 }
        var checked = 0, spread = 0
        for (frame, photons) in render(&s, frames: 20) {
            for p in photons where p.x > 0 && p.y > 0 && p.x < 399 && p.y < 399 {
                var sum = 0, touched = 0
                for dy in -1...1 {
                    for dx in -1...1 {
                        let excess = Int(frame[(p.y + dy) * MoenchScene.width + p.x + dx]) - 5400
                        sum += excess
                        if excess > 0 { touched += 1 }
                    }
                }
                if photons.filter({ abs($0.x - p.x) <= 2 && abs($0.y - p.y) <= 2 }).count > 1 { continue }
                checked += 1
                XCTAssertEqual(sum, p.adu, accuracy: 5, "3x3 sum around \(p)")
                if touched > 1 { spread += 1 }
            }
        }
        XCTAssertGreaterThan(checked, 50)
        XCTAssertEqual(spread, checked, "with sharing 1 every photon spreads over neighbours")
    }

    func testDeadPixelsAreAllOnesInEveryFrameAndNowhereElse() {
        var s = scene { $0.deadPixels = 25; $0.photonsPerFrame = 2000 }
        XCTAssertEqual(Set(s.deadPixels).count, 25)
        for (frame, _) in render(&s, frames: 3) {
            for i in s.deadPixels { XCTAssertEqual(frame[i], 0xFFFF) }
            XCTAssertEqual(frame.filter { $0 == 0xFFFF }.count, 25)
            let stats = frame.withUnsafeBytes { FrameStats(reference: $0, pixelType: .uint16) }
            XCTAssertEqual(stats.masked, 25)
            XCTAssertLessThanOrEqual(stats.max, 0x3FFF, "live pixels stay within 14 bits")
        }
    }

    func testPumpedFramesHaveMorePhotonsInTheDisc() {
        var s = scene { $0.pumpProbe = true }
        let frames = render(&s, frames: 8)
        func inDisc(_ photons: [Photon]) -> Int {
            photons.filter { p in
                let dx = p.x - MoenchScene.pumpCentre.x, dy = p.y - MoenchScene.pumpCentre.y
                return dx * dx + dy * dy <= MoenchScene.pumpRadius * MoenchScene.pumpRadius
            }.count
        }
        let pumped = stride(from: 0, to: 8, by: 2).map { inDisc(frames[$0].1) }.reduce(0, +)
        let unpumped = stride(from: 1, to: 8, by: 2).map { inDisc(frames[$0].1) }.reduce(0, +)
        XCTAssertTrue(s.isPumped(frameIndex: 0))
        XCTAssertFalse(s.isPumped(frameIndex: 1))
        XCTAssertGreaterThan(pumped, 4 * 100, "about 120 extra photons per pumped frame")
        XCTAssertLessThan(unpumped, 4 * 10)
    }

    func testFrameStatisticsSkipMaskedPixels() {
        let values: [UInt16] = [1, 0xFFFF, 7, 3, 0xFFFF]
        let stats = values.withUnsafeBytes { FrameStats(reference: $0, pixelType: .uint16) }
        XCTAssertEqual(stats, FrameStats(sum: 11, min: 1, max: 7, mean: 11.0 / 3, masked: 2, count: 3))
    }

    func testTheFirstDarkFramesHaveNoPhotonsAndTheRestDo() {
        var options = MoenchScene.Options()
        options.darkFrames = 3
        options.pumpProbe = true
        var scene = MoenchScene(options: options)
        var frame = [UInt16](repeating: 0, count: 400 * 400)
        let photons = (0..<6).map { index in frame.withUnsafeMutableBufferPointer { scene.render(frameIndex: UInt64(index), into: $0) } }
        XCTAssertEqual(photons.prefix(3).map(\.count), [0, 0, 0])
        XCTAssertTrue(photons.suffix(3).allSatisfy { $0.count > 10 }, "\(photons.map(\.count))")
    }
}
