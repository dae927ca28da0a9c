import XCTest
@testable import SharedMemory

final class ViewBoardTests: XCTestCase {
    func testEachWorkersEntryReadsBackWithItsImages() throws {
        let views = try makeRegion(maxWorkers: 3, boardMaxPixels: 64).views
        var a: [Float] = [], b: [Float] = []
        XCTAssertNil(views.read(worker: 0, a: &a, b: &b), "nothing published")
        let header = ViewHeader(mode: 5, clears: 2, imageWidth: 4, imageHeight: 2, frameWidth: 400, frameHeight: 200,
                                framesA: 10, framesB: 9, pedestalFrames: 3, pedestalReady: true, series: 7, sequence: 99)
        let imageA: [Float] = (0..<8).map { Float($0) }, imageB: [Float] = (0..<8).map { Float(-$0) }
        XCTAssertTrue(imageA.withUnsafeBufferPointer { pa in
            imageB.withUnsafeBufferPointer { pb in views.publish(worker: 1, header: header, a: pa, b: pb) }
        })
        XCTAssertTrue([Float](repeating: 1, count: 8).withUnsafeBufferPointer {
            views.publish(worker: 2, header: header, a: $0)
        })
        let read = try XCTUnwrap(views.read(worker: 1, a: &a, b: &b))
        var expected = header
        expected.hasB = 1
        XCTAssertEqual(read, expected)
        XCTAssertEqual(a, imageA)
        XCTAssertEqual(b, imageB)
        XCTAssertEqual(views.read(worker: 2, a: &a, b: &b)?.hasB, 0)
        XCTAssertEqual(b, [], "no image B")
        XCTAssertNil(views.read(worker: 0, a: &a, b: &b), "worker 0 never published")
        views.clear(worker: 1)
        XCTAssertNil(views.read(worker: 1, a: &a, b: &b), "cleared")
    }

    func testImagesThatDoNotMatchTheHeaderOrTheBoardAreRefused() throws {
        let views = try makeRegion(maxWorkers: 2, boardMaxPixels: 16).views
        let four = [Float](repeating: 0, count: 4)
        four.withUnsafeBufferPointer { p in
            XCTAssertFalse(views.publish(worker: 0, header: ViewHeader(imageWidth: 3, imageHeight: 1), a: p))
            XCTAssertFalse(views.publish(worker: 2, header: ViewHeader(imageWidth: 4, imageHeight: 1), a: p), "no worker 2")
            XCTAssertFalse(views.publish(worker: 0, header: ViewHeader(imageWidth: 4, imageHeight: 1), a: p,
                                         b: UnsafeBufferPointer(rebasing: p[0..<2])), "B of another size")
        }
        let big = [Float](repeating: 0, count: 20)
        big.withUnsafeBufferPointer { p in
            XCTAssertFalse(views.publish(worker: 0, header: ViewHeader(imageWidth: 20, imageHeight: 1), a: p), "over 16")
        }
    }

    func testReadsAreNeverTorn() throws {
        let views = try makeRegion(maxWorkers: 1, boardMaxPixels: 256).views
        let torn = Collected<UInt64>()
        runConcurrently([
            {
                var image = [Float](repeating: 0, count: 256)
                for n in UInt64(1)...3_000 {
                    for i in image.indices { image[i] = Float(n % 1000) }
                    image.withUnsafeBufferPointer {
                        _ = views.publish(worker: 0, header: ViewHeader(imageWidth: 16, imageHeight: 16, framesA: n), a: $0)
                    }
                }
            },
            {
                var a: [Float] = [], b: [Float] = [], bad: [UInt64] = []
                for _ in 0..<3_000 {
                    guard let h = views.read(worker: 0, a: &a, b: &b) else { continue }
                    if a.contains(where: { $0 != Float(h.framesA % 1000) }) { bad.append(h.framesA) }
                }
                torn.append(contentsOf: bad)
            },
        ])
        XCTAssertEqual(torn.items, [])
    }

    func testOptionsTextRoundTripsThroughAnAttachedMapping() throws {
        let created = try makeRegion()
        XCTAssertEqual(created.options, "")
        XCTAssertTrue(created.writeOptions("sigma=4\npattern=up,p"))
        XCTAssertEqual(try DetviewRegion.attach(created.region).options, "sigma=4\npattern=up,p")
        XCTAssertFalse(created.writeOptions(String(repeating: "x", count: 9000)), "over the 8 KiB block")
        XCTAssertEqual(created.options, "sigma=4\npattern=up,p", "a refused write leaves the old text")
    }
}
