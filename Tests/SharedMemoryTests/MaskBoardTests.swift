import XCTest
@testable import SharedMemory

final class MaskBoardTests: XCTestCase {
    func testNothingPublishedReadsNil() throws {
        let masks = try makeRegion().masks
        XCTAssertEqual(masks.sequence, 0)
        XCTAssertNil(masks.read())
    }

    func testPublishedMaskReadsBackWholeAndBumpsTheSequence() throws {
        let masks = try makeRegion(maskCapacity: 100).masks
        let first = MaskBoard.Mask(series: 3, width: 10, height: 8, indices: [0, 7, 79])
        XCTAssertTrue(masks.publish(first))
        let (read, sequence) = try XCTUnwrap(masks.read())
        XCTAssertEqual(read, first)
        XCTAssertEqual(sequence, masks.sequence)
        XCTAssertEqual(sequence & 1, 0, "an even sequence: no write in progress")

        let second = MaskBoard.Mask(series: 4, width: 10, height: 8, indices: [])
        XCTAssertTrue(masks.publish(second))
        XCTAssertGreaterThan(masks.sequence, sequence)
        XCTAssertEqual(masks.read()?.mask, second)
    }

    func testAMaskOverCapacityOrWithIndicesOutsideItsShapeIsRefusedAndLeavesTheOldOne() throws {
        let masks = try makeRegion(maskCapacity: 4).masks
        let kept = MaskBoard.Mask(series: 1, width: 4, height: 4, indices: [1, 2])
        XCTAssertTrue(masks.publish(kept))
        let sequence = masks.sequence
        XCTAssertFalse(masks.publish(.init(series: 2, width: 4, height: 4, indices: [0, 1, 2, 3, 4])), "5 > capacity 4")
        XCTAssertFalse(masks.publish(.init(series: 2, width: 4, height: 4, indices: [16])), "index 16 of 16 pixels")
        XCTAssertFalse(masks.publish(.init(series: 2, width: -1, height: 4, indices: [])), "negative width")
        XCTAssertEqual(masks.sequence, sequence)
        XCTAssertEqual(masks.read()?.mask, kept)
    }

    func testAMaskAppliesOnlyToItsSeriesAndShape() {
        let mask = MaskBoard.Mask(series: 5, width: 3, height: 2, indices: [1])
        XCTAssertTrue(mask.applies(series: 5, width: 3, height: 2))
        XCTAssertFalse(mask.applies(series: 6, width: 3, height: 2))
        XCTAssertFalse(mask.applies(series: 5, width: 2, height: 3))
    }

    func testAnAttachedMappingSeesTheMask() throws {
        let created = try makeRegion(maskCapacity: 50)
        let attached = try DetviewRegion.attach(created.region)
        XCTAssertEqual(attached.layout.maskCapacity, 50)
        let mask = MaskBoard.Mask(series: 9, width: 5, height: 5, indices: [4, 24])
        XCTAssertTrue(created.masks.publish(mask))
        XCTAssertEqual(attached.masks.read()?.mask, mask)
    }

    func testReadersNeverSeeATornMask() throws {
        let masks = try makeRegion(maskCapacity: 64).masks
        let torn = Collected<UInt64>()
        runConcurrently([
            {
                for n in UInt64(1)...5_000 {
                    // Every index equals the series modulo 1000: a torn copy mixes two series.
                    let value = UInt32(n % 1000)
                    masks.publish(.init(series: n, width: 1000, height: 1,
                                        indices: [UInt32](repeating: value, count: Int(n % 64))))
                }
            },
            {
                var bad: [UInt64] = []
                for _ in 0..<5_000 {
                    guard let (mask, _) = masks.read() else { continue }
                    if mask.indices.count != Int(mask.series % 64)
                        || mask.indices.contains(where: { UInt64($0) != mask.series % 1000 }) {
                        bad.append(mask.series)
                    }
                }
                torn.append(contentsOf: bad)
            },
        ])
        XCTAssertEqual(torn.items, [])
    }
}
