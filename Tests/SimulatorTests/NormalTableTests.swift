import Glibc
@testable import Simulator
import XCTest

final class NormalTableTests: XCTestCase {
    private let table = NormalTable().values

    /// The normal law's upper tail P(X > k), from Glibc.
    private func normalTail(_ k: Double) -> Double { 0.5 * erfc(k / 2.0.squareRoot()) }

    func testFractionAboveKSigmaMatchesTheNormalLawToOneEntry() {
        let n = Double(NormalTable.size)
        for k in [1.0, 2, 3, 4] {
            let above = table.filter { Double($0) > k }.count
            let below = table.filter { Double($0) < -k }.count
            XCTAssertEqual(Double(above), n * normalTail(k), accuracy: 1, "entries above \(k)σ")
            XCTAssertEqual(Double(below), n * normalTail(k), accuracy: 1, "entries below −\(k)σ")
        }
    }

    func testTableIsSortedAntisymmetricWithZeroMeanAndUnitVariance() {
        XCTAssertEqual(table.count, NormalTable.size)
        for i in 1..<table.count { XCTAssertLessThan(table[i - 1], table[i]) }
        for i in 0..<(table.count / 2) { XCTAssertEqual(table[i], -table[table.count - 1 - i]) }
        let mean = table.reduce(0.0) { $0 + Double($1) } / Double(table.count)
        let variance = table.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(table.count)
        XCTAssertEqual(mean, 0, accuracy: 1e-12)
        XCTAssertEqual(variance, 1, accuracy: 1e-6)
    }

    func testQuantileInvertsTheNormalDistribution() {
        XCTAssertEqual(NormalTable.quantile(0.5), 0, accuracy: 1e-15)
        XCTAssertEqual(NormalTable.quantile(0.975), 1.959963984540054, accuracy: 1e-13)
        XCTAssertEqual(NormalTable.quantile(1e-10), -6.361340902404056, accuracy: 1e-11)
        for p in [1e-300, 1e-12, 7.6e-6, 0.001, 0.02425, 0.1, 0.3, 0.6, 0.9, 0.99, 1 - 1e-9] {
            let x = NormalTable.quantile(p)
            let back = 0.5 * erfc(-x / 2.0.squareRoot())
            XCTAssertEqual(back, p, accuracy: p * 1e-11 + 1e-15, "Φ(Φ⁻¹(\(p)))")
        }
    }

    func testDarkMoenchFramesHaveAboutFivePixelsPerFrameAboveFourSigma() {
        var options = MoenchScene.Options()
        options.photonsPerFrame = 0
        var scene = MoenchScene(options: options)
        let frames = 100, pixels = MoenchScene.width * MoenchScene.height
        let cut = Int((4 * options.noiseSigma).rounded())
        var frame = [UInt16](repeating: 0, count: pixels)
        var over = 0
        for i in 0..<frames {
            _ = frame.withUnsafeMutableBufferPointer { scene.render(frameIndex: UInt64(i), into: $0) }
            for p in 0..<pixels where Int(frame[p]) - Int(scene.pedestal[p]) > cut { over += 1 }
        }
        // The normal law: 3.17·10⁻⁵ × 160,000 = 5.07 per frame; a random-draw table gave ~14.
        let perFrame = Double(over) / Double(frames)
        XCTAssertEqual(perFrame, 5, accuracy: 1, "pixels per frame above pedestal + 4σ")
    }
}
