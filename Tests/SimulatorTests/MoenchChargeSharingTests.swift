import Simulator
import XCTest

/// The charge sharing of MoenchScene, seen on noiseless frames: which photons split, how much
/// charge the main pixel keeps, and that it stays the pixel with the largest share.
final class MoenchChargeSharingTests: XCTestCase {
    private let width = MoenchScene.width, height = MoenchScene.height

    /// Per isolated photon away from the border: the main pixel's share of the 3×3 excess, and
    /// whether it is strictly the largest of the window.
    private func shares(_ configure: (inout MoenchScene.Options) -> Void) -> [(main: Double, isLargest: Bool)] {
        var o = MoenchScene.Options()
        o.noiseSigma = 0
        o.pedestalSpread = 0
        o.photonsPerFrame = 40
        o.photonADU = 1000  // large enough that rounding to ADU hides no share
        o.photonSigma = 0
        configure(&o)
        var scene = MoenchScene(options: o)
        var frame = [UInt16](repeating: 0, count: width * height)
        var result: [(Double, Bool)] = []
        for i in 0..<40 {
            let photons = frame.withUnsafeMutableBufferPointer { scene.render(frameIndex: UInt64(i), into: $0) }
            for p in photons where p.x > 0 && p.y > 0 && p.x < width - 1 && p.y < height - 1 {
                guard photons.filter({ abs($0.x - p.x) <= 2 && abs($0.y - p.y) <= 2 }).count == 1 else { continue }
                let main = Double(Int(frame[p.y * width + p.x]) - Int(o.pedestal))
                var largestOther = 0.0
                for dy in -1...1 {
                    for dx in -1...1 where dx != 0 || dy != 0 {
                        largestOther = max(largestOther, Double(Int(frame[(p.y + dy) * width + p.x + dx]) - Int(o.pedestal)))
                    }
                }
                result.append((main / 1000, main > largestOther))
            }
        }
        return result
    }

    func testDefaultSharingSplitsAFewPercentOfThePhotonsAndTheMainPixelKeepsMost() {
        let all = shares { _ in }
        XCTAssertGreaterThan(all.count, 1000)
        let split = all.filter { $0.main < 0.9995 }
        XCTAssertEqual(Double(split.count) / Double(all.count), 0.05, accuracy: 0.02)
        for s in split {
            XCTAssertGreaterThanOrEqual(s.main, 0.85 - 0.001)
            XCTAssertLessThanOrEqual(s.main, 0.95 + 0.001)
        }
        XCTAssertTrue(all.allSatisfy(\.isLargest))
    }

    func testHeavySharingKeepsTheMainPixelTheLargestShare() {
        let all = shares {
            $0.chargeSharing = 1
            $0.mainPixelShare = 0.5...0.85
        }
        XCTAssertGreaterThan(all.count, 1000)
        XCTAssertTrue(all.allSatisfy { $0.main < 0.8505 && $0.main > 0.4995 }, "every photon split as asked")
        XCTAssertLessThan(all.map(\.main).reduce(0, +) / Double(all.count), 0.7, "spread over the range")
        XCTAssertTrue(all.allSatisfy(\.isLargest), "the recorded pixel has the largest share")
    }

    func testMainPixelShareBelowHalfIsClampedSoTheRecordedPixelStaysTheLargest() {
        let all = shares {
            $0.chargeSharing = 1
            $0.mainPixelShare = 0.1...0.3
        }
        XCTAssertTrue(all.allSatisfy { abs($0.main - 0.5) < 0.0015 })
        XCTAssertTrue(all.allSatisfy(\.isLargest))
    }
}
