import Ingest
import Viewer
import XCTest

/// The receive thread's events reach the reducer unchanged in meaning.
final class ViewerEventIngestTests: XCTestCase {
    func testEveryIngestEventMapsToTheViewerEventOfTheSameMeaning() {
        let events: [IngestEvent] = [
            .seriesStarted(seriesInfo(series: 3)),
            .seriesEnded(series: 3, frames: 12),
            .badFrame(reason: "truncated header"),
            .frameGap(missing: 4),
            .message("stream format: sls", .info),
            .message("module missing", .warning),
            .message("receive failed", .error),
        ]
        XCTAssertEqual(events.map { describe(ViewerEvent($0)) }, [
            "seriesStarted 3 400x200 uint16",
            "seriesEnded 3 12",
            "badFrame truncated header",
            "frameGap 4",
            "message stream format: sls info",
            "message module missing warning",
            "message receive failed error",
        ])
    }
}
