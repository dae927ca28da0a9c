import DetectorStream
import Platform
import Processing
import SharedMemory
import Workers
import XCTest

/// A worker's answer to a snapshot request (`S`): in a mode that shows the latest frame, the
/// next processed frame's full-resolution pixels of the viewport; in a mode with a composed
/// view, at once, its share cut to the viewport; tagged with the request, in the share memfd.
final class SnapshotAnswerTests: XCTestCase {
    private var region: DetviewRegion!
    private let (w, h) = (64, 48)
    private let view = PixelRegion(x0: 8, y0: 4, x1: 40, y1: 28)

    override func setUpWithError() throws { region = try makeRegion(slotCount: 8) }
    override func tearDown() { region = nil }

    private func process(_ pipeline: inout FramePipeline, _ pixels: [UInt32], number: UInt64) throws {
        var header = rawHeader(width: w, height: h, type: .uint16)
        header.series = 1
        header.frameNumber = number
        try publish(header, payload: bytes(of: pixels, as: .uint16), into: region.ring)
        let slot = try XCTUnwrap(region.ring.claimNext(worker: 0))
        defer { region.ring.release(slot) }
        _ = pipeline.process(slot: slot, worker: 0, region: region)
    }

    private func control(_ mode: ProcessingMode, zoomed: Bool) -> ControlSettings {
        ControlSettings(displayWidth: 40, displayHeight: 30, mode: mode.rawValue, viewRegion: zoomed ? view : PixelRegion(x0: 0, y0: 0, x1: 0, y1: 0),
                        viewWidth: zoomed ? 32 : 0, viewHeight: zoomed ? 24 : 0, viewGeneration: 1)
    }

    private func crop(_ pixels: [UInt32], _ r: PixelRegion) -> [Float] {
        (r.y0..<r.y1).flatMap { y in pixels[(y * w + r.x0)..<(y * w + r.x1)].map { Float($0) } }
    }

    /// Distinct unmasked values (no all-ones pixel, which the worker masks as NaN).
    private func pixels(seed: UInt32) -> [UInt32] {
        (0..<UInt32(w * h)).map { ($0 &* 7919 &+ seed &* 104_729) % 50_000 }
    }

    func testRawAnswersWithTheNextFramesPixelsOfTheViewport() throws {
        let file = try MemFD(name: "snapshot-test")
        var pipeline = FramePipeline(maxPixels: region.layout.boardMaxPixels)
        pipeline.snapshotFD = file.fd
        let settings = control(.raw, zoomed: true)
        region.control.set(settings)
        let request = region.control.requestSnapshot()
        XCTAssertFalse(pipeline.answerSnapshot(request, control: settings), "raw waits for a frame")
        XCTAssertNil(SavedShare.read(from: file.fd))
        let frame = pixels(seed: 3)
        try process(&pipeline, frame, number: 1)
        XCTAssertTrue(pipeline.answeredSnapshotWithFrame)
        let answer = try XCTUnwrap(SavedShare.read(from: file.fd))
        XCTAssertEqual(SavedShare.request(in: file.fd), request)
        XCTAssertEqual([answer.width, answer.height, answer.x0, answer.y0], [32, 24, 8, 4])
        XCTAssertEqual(answer.a, crop(frame, view), "the region's full-resolution pixels, not the binned image")

        try process(&pipeline, frame, number: 2)
        XCTAssertFalse(pipeline.answeredSnapshotWithFrame, "a request is answered once")
    }

    func testSumAnswersAtOnceWithItsShareCutToTheViewportOrWhole() throws {
        let file = try MemFD(name: "snapshot-test")
        var pipeline = FramePipeline(maxPixels: region.layout.boardMaxPixels)
        pipeline.snapshotFD = file.fd
        let frames = (1...3).map { pixels(seed: UInt32($0)) }
        region.control.set(control(.sum, zoomed: true))
        for (i, frame) in frames.enumerated() { try process(&pipeline, frame, number: UInt64(i + 1)) }
        let sum = (0..<(w * h)).map { i in frames.reduce(Float(0)) { $0 + Float($1[i]) } }

        XCTAssertTrue(pipeline.answerSnapshot(5, control: control(.sum, zoomed: true)), "answered at once")
        let zoomed = try XCTUnwrap(SavedShare.read(from: file.fd))
        XCTAssertEqual([zoomed.width, zoomed.height, zoomed.x0, zoomed.y0], [32, 24, 8, 4])
        XCTAssertEqual(zoomed.request, 5)
        XCTAssertEqual(zoomed.framesA, 3)
        let expected = (view.y0..<view.y1).flatMap { y in sum[(y * w + view.x0)..<(y * w + view.x1)] }
        XCTAssertEqual(zoomed.a, expected)

        XCTAssertTrue(pipeline.answerSnapshot(6, control: control(.sum, zoomed: false)))
        let whole = try XCTUnwrap(SavedShare.read(from: file.fd))
        XCTAssertEqual([whole.width, whole.height, Int(whole.request)], [w, h, 6])
        XCTAssertEqual(whole.a, sum)
    }

    func testAWorkerWithoutFramesAnswersWithAnEmptyShare() throws {
        let file = try MemFD(name: "snapshot-test")
        var pipeline = FramePipeline(maxPixels: region.layout.boardMaxPixels)
        pipeline.snapshotFD = file.fd
        XCTAssertTrue(pipeline.answerSnapshot(2, control: control(.max, zoomed: false)))
        let answer = try XCTUnwrap(SavedShare.read(from: file.fd), "the viewer hears that this worker answered")
        XCTAssertEqual([answer.width, answer.height, Int(answer.request)], [0, 0, 2])
    }

    func testWithoutAShareFileNothingIsAnswered() {
        var pipeline = FramePipeline(maxPixels: region.layout.boardMaxPixels)
        XCTAssertFalse(pipeline.answerSnapshot(2, control: control(.sum, zoomed: false)))
    }
}
