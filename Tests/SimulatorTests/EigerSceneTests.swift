import DetectorStream
import Processing
import Simulator
import XCTest

final class EigerSceneTests: XCTestCase {
    private func scene(_ w: Int, _ h: Int, _ type: PixelType = .uint16, seed: UInt64 = 5) -> EigerScene {
        var o = EigerScene.Options()
        o.width = w
        o.height = h
        o.pixelType = type
        o.seed = seed
        o.bankSize = 2
        return EigerScene(options: o)
    }

    private func render(_ scene: inout EigerScene, frames: Int) -> [[UInt8]] {
        (0..<frames).map { i in
            var bytes = [UInt8](repeating: 0, count: scene.frameBytes)
            bytes.withUnsafeMutableBytes { _ = scene.render(frameIndex: UInt64(i), into: $0) }
            return bytes
        }
    }

    func testStandardGeometriesHaveTheRealModuleGaps() {
        let m1 = EigerGeometry(width: 1030, height: 1065)
        XCTAssertEqual([m1.modulesX, m1.modulesY, m1.gapY], [1, 2, 37])
        XCTAssertEqual(m1.gapRows.indices.filter { m1.gapRows[$0] }, Array(514..<551))
        XCTAssertEqual(m1.gapPixelCount, 37 * 1030)
        let m4 = EigerGeometry(width: 2068, height: 2162)
        XCTAssertEqual([m4.moduleWidth, m4.moduleHeight, m4.modulesX, m4.modulesY, m4.gapX, m4.gapY], [1028, 512, 2, 4, 12, 38])
        XCTAssertEqual(m4.gapColumns.indices.filter { m4.gapColumns[$0] }, Array(1028..<1040))
        let m16 = EigerGeometry(width: 4148, height: 4362)
        XCTAssertEqual([m16.modulesX, m16.modulesY], [4, 8])
        XCTAssertEqual(m16.gapPixelCount, 7 * 38 * 4148 + 3 * 12 * (4362 - 7 * 38))
        let small = EigerGeometry(width: 512, height: 512)
        XCTAssertEqual([small.modulesX, small.modulesY], [2, 2])
        XCTAssertGreaterThan(small.gapPixelCount, 0)
    }

    func testTheMaskMarksTheHotPixelsAsNoisy() {
        let s = scene(512, 512, .uint16)
        let mask = s.pixelMask!
        XCTAssertFalse(s.hotPixels.isEmpty)
        for i in s.hotPixels { XCTAssertNotEqual(mask[i] & SimplonEncoder.noisyMaskBit, 0, "hot pixel \(i)") }
        let noisy = mask.indices.filter { mask[$0] & SimplonEncoder.noisyMaskBit != 0 }
        XCTAssertEqual(Set(noisy), Set(s.hotPixels), "nothing else is noisy")
    }

    func testGapsAreAllOnesExactlyWhereTheGeometrySays() {
        for type in PixelType.detectorTypes {
            var s = scene(512, 512, type)
            let frame = render(&s, frames: 1)[0]
            let mask = s.pixelMask!
            frame.withUnsafeBytes { raw in
                for i in stride(from: 0, to: 512 * 512, by: 1) {
                    let value: UInt64 = switch type {
                    case .uint8: UInt64(raw[i])
                    case .uint16: UInt64(raw.load(fromByteOffset: 2 * i, as: UInt16.self))
                    case .uint32: UInt64(raw.load(fromByteOffset: 4 * i, as: UInt32.self))
                    default: UInt64.max
                    }
                    if (value == type.allOnes) != (mask[i] & SimplonEncoder.gapMaskBit != 0) {
                        XCTFail("\(type.name) pixel \(i) = \(value), mask \(mask[i])")
                        return
                    }
                }
            }
            let stats = frame.withUnsafeBytes { FrameStats(reference: $0, pixelType: type) }
            XCTAssertEqual(stats.masked, s.geometry.gapPixelCount)
            XCTAssertLessThanOrEqual(stats.max, Double(s.saturationValue))
        }
    }

    func testRingsAreBrighterThanTheBackgroundBetweenThem() {
        var s = scene(600, 600)
        let frames = render(&s, frames: 4)
        let mask = s.pixelMask!
        var onRing = (sum: 0.0, n: 0), between = (sum: 0.0, n: 0)
        let r0 = s.rings[0].radius, r1 = s.rings[1].radius
        for frame in frames {
            frame.withUnsafeBytes { raw in
                for y in 0..<600 {
                    for x in 0..<600 where mask[y * 600 + x] == 0 {
                        let v = Double(raw.load(fromByteOffset: 2 * (y * 600 + x), as: UInt16.self))
                        guard v < 100 else { continue }   // leave spots and hot pixels out
                        let dx = Double(x) - s.beamCentre.x, dy = Double(y) - s.beamCentre.y
                        let r = (dx * dx + dy * dy).squareRoot()
                        if abs(r - r0) < 1 { onRing.sum += v; onRing.n += 1 }
                        if abs(r - (r0 + r1) / 2) < 1 { between.sum += v; between.n += 1 }
                    }
                }
            }
        }
        let ring = onRing.sum / Double(onRing.n), background = between.sum / Double(between.n)
        XCTAssertGreaterThan(ring, 4 * background, "ring \(ring), background \(background)")
        XCTAssertLessThan(background, 0.5)
        XCTAssertGreaterThan(background, 0.02)
    }

    func testSameSeedRendersIdenticalFramesAndOtherSeedsDiffer() {
        var a = scene(256, 200, .uint32, seed: 9), b = scene(256, 200, .uint32, seed: 9), c = scene(256, 200, .uint32, seed: 10)
        let fa = render(&a, frames: 3), fb = render(&b, frames: 3), fc = render(&c, frames: 3)
        XCTAssertEqual(fa, fb)
        XCTAssertNotEqual(fa, fc)
        XCTAssertNotEqual(fa[0], fa[1], "frames of one run differ")
    }

    func testSpotsHotAndSaturatedPixelsAppear() {
        var s = scene(400, 400, .uint16)
        let frames = render(&s, frames: 10)
        var saturated = 0, bright = 0
        for frame in frames {
            frame.withUnsafeBytes { raw in
                for v in raw.bindMemory(to: UInt16.self) {
                    if UInt64(v) == s.saturationValue { saturated += 1 }
                    if v > 200, v != 0xFFFF { bright += 1 }
                }
            }
        }
        XCTAssertGreaterThan(saturated, 0, "some pixels saturate over 10 frames")
        XCTAssertGreaterThan(bright, 10 * s.hotPixels.count, "spots add bright pixels beside the hot ones")
    }
}
