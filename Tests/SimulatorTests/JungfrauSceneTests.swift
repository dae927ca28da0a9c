import DetectorStream
import Simulator
import XCTest

final class JungfrauSceneTests: XCTestCase {
    func testGainStagesFollowTheDepositedEnergy() {
        XCTAssertEqual(JungfrauScene.stage(JungfrauScene.encode(keV: 0, pedestal: 3000)), .g0)
        XCTAssertEqual(JungfrauScene.encode(keV: 12.4, pedestal: 3000), 3000 + 496)
        let g1 = JungfrauScene.encode(keV: 12.4 * 100, pedestal: 3000)
        XCTAssertEqual(JungfrauScene.stage(g1), .g1)
        XCTAssertEqual(g1 & 0x3FFF, 14_500 - 1_860)
        let g2 = JungfrauScene.encode(keV: 12.4 * 2000, pedestal: 3000)
        XCTAssertEqual(JungfrauScene.stage(g2), .g2)
        XCTAssertEqual(g2 >> 14, 3)
    }

    func testFramesAreMostlyG0AtThePedestalWithAFewG1AndG2Pixels() {
        var scene = JungfrauScene()
        var counts: [UInt16: Int] = [:]
        var g0Sum = 0.0, g0N = 0
        var frame = [UInt8](repeating: 0, count: scene.frameBytes)
        for i in 0..<10 {
            frame.withUnsafeMutableBytes { _ = scene.render(frameIndex: UInt64(i), into: $0) }
            frame.withUnsafeBytes { raw in
                for v in raw.bindMemory(to: UInt16.self) {
                    counts[v >> 14, default: 0] += 1
                    if v >> 14 == 0 { g0Sum += Double(v & 0x3FFF); g0N += 1 }
                }
            }
        }
        let total = 10 * 1024 * 512
        XCTAssertNil(counts[2], "2 is not a gain stage")
        XCTAssertGreaterThan(Double(counts[0] ?? 0) / Double(total), 0.999)
        XCTAssertGreaterThan(counts[1] ?? 0, 5, "bright spots switch pixels to G1")
        XCTAssertGreaterThan(counts[3] ?? 0, 0, "the brightest spot centres reach G2")
        XCTAssertLessThan(counts[3] ?? 0, counts[1] ?? 0)
        XCTAssertEqual(g0Sum / Double(g0N), 3000, accuracy: 15)
    }

    func testSameSeedRendersIdenticalFrames() {
        var a = JungfrauScene(), b = JungfrauScene()
        var fa = [UInt8](repeating: 0, count: a.frameBytes), fb = fa
        fa.withUnsafeMutableBytes { _ = a.render(frameIndex: 0, into: $0) }
        fb.withUnsafeMutableBytes { _ = b.render(frameIndex: 0, into: $0) }
        XCTAssertEqual(fa, fb)
    }
}
