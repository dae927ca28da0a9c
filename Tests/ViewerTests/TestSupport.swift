import DetectorStream
import Glibc
import Processing
import TerminalUI
import Viewer
import XCTest

extension ViewerState {
    /// The state after folding in `events`, in order.
    func reduced(_ events: ViewerEvent...) -> ViewerState {
        var state = self
        for event in events { state.reduce(event) }
        return state
    }
}

func key(_ c: Character) -> ViewerEvent { .key(.character(c)) }

func seriesInfo(series: UInt64 = 1, width: Int = 400, height: Int = 200) -> SeriesInfo {
    SeriesInfo(format: .sls, series: series, width: width, height: height, pixelType: .uint16, detector: .moench)
}

/// A display image whose pixels are `values`, laid out `width` wide.
func displayImage(_ values: [Float], width: Int, frameNumber: UInt64 = 17) -> DisplayImage {
    let stats = FrameStats(sum: 1234, min: 1, max: 99, mean: 12.5, masked: 3, count: 100)
    return DisplayImage(series: 1, frameNumber: frameNumber, frameWidth: width * 4, frameHeight: values.count / width * 4,
                        width: width, height: values.count / width, pixels: values, stats: stats)
}

/// A smooth ramp image with a few NaN (masked) bins.
func rampImage(width: Int = 40, height: Int = 30) -> DisplayImage {
    let values = (0..<width * height).map { i -> Float in i % 97 == 3 ? .nan : Float(i % width) * 10 + Float(i / width) }
    return displayImage(values, width: width)
}

/// True when `fd` is readable within `milliseconds`.
func isReadable(_ fd: Int32, within milliseconds: Int32 = 0) -> Bool {
    var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    return poll(&pfd, 1, milliseconds) == 1 && pfd.revents & Int16(POLLIN) != 0
}

/// Everything readable from a non-blocking fd right now.
func readAvailable(_ fd: Int32) -> [UInt8] {
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = read(fd, &buffer, buffer.count)
        if n <= 0 { break }
        out += buffer[0..<n]
    }
    return out
}

/// A short text for an event, so that sequences of events compare in assertions.
func describe(_ event: ViewerEvent) -> String {
    switch event {
    case .key(let k): "key \(k)"
    case .resized(let w, let h): "resized \(w)x\(h)"
    case .seriesStarted(let info): "seriesStarted \(info.series) \(info.width)x\(info.height) \(info.pixelType.name)"
    case .seriesEnded(let series, let frames): "seriesEnded \(series) \(frames)"
    case .badFrame(let reason, let count): count == 1 ? "badFrame \(reason)" : "badFrame \(reason) ×\(count)"
    case .frameGap(let missing): "frameGap \(missing)"
    case .image(let image): "image \(image.frameNumber)"
    case .sample(let s): "sample \(s.timeNanoseconds)"
    case .workerExited(let index, let cause, let restarted): "workerExited \(index) \(cause) \(restarted)"
    case .message(let text, let severity): "message \(text) \(severity)"
    case .composed(let view): "composed \(view.mode.name) \(view.width)x\(view.height)"
    case .readout(let r): "readout \(r.checked) \(r.hits)"
    }
}
