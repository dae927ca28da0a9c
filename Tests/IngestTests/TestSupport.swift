import DetectorStream
import Foundation
import Glibc
import Ingest

func seriesInfo(series: UInt64 = 1, width: Int = 400, height: Int = 200) -> SeriesInfo {
    SeriesInfo(format: .sls, series: series, width: width, height: height, pixelType: .uint16, detector: .moench)
}

/// Polls `condition` every millisecond until it holds or `seconds` pass (the receive thread
/// works on its own; these tests watch what it did).
func waitUntil(_ seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() > deadline { return false }
        usleep(1000)
    }
    return true
}

/// True when `fd` is readable within `milliseconds`.
func isReadable(_ fd: Int32, within milliseconds: Int32 = 0) -> Bool {
    var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    return poll(&pfd, 1, milliseconds) == 1 && pfd.revents & Int16(POLLIN) != 0
}

/// A short text for an event, so that sequences of events compare in assertions.
func describe(_ event: IngestEvent) -> String {
    switch event {
    case .seriesStarted(let info): "seriesStarted \(info.series) \(info.width)x\(info.height) \(info.pixelType.name)"
    case .seriesEnded(let series, let frames): "seriesEnded \(series) \(frames)"
    case .badFrame(let reason, let count): count == 1 ? "badFrame \(reason)" : "badFrame \(reason) ×\(count)"
    case .frameGap(let missing): "frameGap \(missing)"
    case .message(let text, let severity): "message \(text) \(severity)"
    }
}
