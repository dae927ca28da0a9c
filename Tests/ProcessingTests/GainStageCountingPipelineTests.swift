import Processing
import XCTest

/// JUNGFRAU-like frames: pixels switch gain, and each stage has its own dark level.
final class GainStageCountingPipelineTests: XCTestCase {
    private let width = 12, height = 10
    private var count: Int { width * height }

    /// G0 pixels at 1000 ADU, the first row in G1 at 3000 ADU, pixel 13 masked (stage 255).
    private func darkFrame(_ n: Int) -> (values: [Float], stages: [UInt8]) {
        var values = [Float](repeating: 1000, count: count), stages = [UInt8](repeating: 0, count: count)
        for x in 0..<width {
            stages[x] = 1
            values[x] = 3000
        }
        stages[13] = 255
        values[13] = .nan
        // A little deterministic noise so that σ is not zero everywhere.
        for i in 0..<count where !values[i].isNaN { values[i] += Float((i * 7 + n * 3) % 5) - 2 }
        return (values, stages)
    }

    func testEachStageIsSubtractedWithItsOwnPedestalAndPhotonsAreFoundInEveryStage() throws {
        let pipeline = try GainStageCountingPipeline(width: width, height: height, window: 200)
        for n in 0..<150 {
            let (values, stages) = darkFrame(n)
            try values.withUnsafeBufferPointer { v in
                try stages.withUnsafeBufferPointer { try pipeline.processDark(frame: v, stages: $0) }
            }
        }
        XCTAssertTrue(pipeline.isReady)
        XCTAssertEqual(pipeline.pedestals[1].mean[3], 3000, accuracy: 2, "G1 learned only from G1 pixels")
        XCTAssertEqual(pipeline.pedestals[0].mean[30], 1000, accuracy: 2)

        var (values, stages) = darkFrame(7)
        values[5] += 110       // a photon on a G1 pixel (row 0)
        values[6 * width + 6] += 110   // and one on a G0 pixel
        let photons = try values.withUnsafeBufferPointer { v in
            try stages.withUnsafeBufferPointer { try pipeline.process(frame: v, stages: $0) }
        }
        XCTAssertEqual(photons, 2)
        let found = (0..<pipeline.finder.storedPhotonCount).map { pipeline.finder.photon(at: $0) }
        XCTAssertEqual(Set(found.map { $0.y * width + $0.x }), [5, 6 * width + 6])
        let subtracted = pipeline.subtracted
        XCTAssertEqual(subtracted[3], 0, accuracy: 3, "a G1 pixel less the G1 pedestal, not the G0 one")
        XCTAssertEqual(subtracted[40], 0, accuracy: 3)
        XCTAssertTrue(subtracted[13].isNaN, "the masked pixel stays masked")
    }

    func testWithoutAStageMapEveryPixelIsG0() throws {
        let pipeline = try GainStageCountingPipeline(width: width, height: height, window: 100)
        let flat = [Float](repeating: 500, count: count)
        for _ in 0..<120 { try flat.withUnsafeBufferPointer { try pipeline.processDark(frame: $0, stages: nil) } }
        XCTAssertEqual(pipeline.pedestals[0].frames, 120)
        XCTAssertEqual(pipeline.pedestals[1].frames, 0)
        XCTAssertEqual(pipeline.pedestals[0].mean[17], 500)
    }

    func testAStageMapOfTheWrongSizeIsAnError() throws {
        let pipeline = try GainStageCountingPipeline(width: width, height: height)
        let frame = [Float](repeating: 0, count: count), stages = [UInt8](repeating: 0, count: count - 1)
        XCTAssertThrowsError(try frame.withUnsafeBufferPointer { v in
            try stages.withUnsafeBufferPointer { try pipeline.process(frame: v, stages: $0) }
        })
    }
}
