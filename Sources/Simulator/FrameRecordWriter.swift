import Glibc
import Platform
import Processing

/// Writes `--record FILE`: one JSON line per frame sent, with the truth a test compares a
/// viewer against: {"series":1,"frame":N,"sum":S,"max":M,"masked":K,"photons":[[x,y],...]}
/// (`max` is null when every pixel is masked, as in the viewer's headless lines).
/// Buffered; owned by the sending thread. `close()` (or deinit) flushes. The file is opened by
/// Platform's `OutputFile`: a symbolic link at the path is refused (never followed, so its
/// target is never truncated), and only a regular file is emptied.
public final class FrameRecordWriter {
    private var fd: Int32
    private var buffer: [UInt8] = []
    public let path: String

    public init(path: String) throws(SimulatorError) {
        self.path = path
        do {
            fd = try OutputFile.open(path, .truncate).release()
        } catch {
            throw SimulatorError("simulate: --record \(error)")
        }
        buffer.reserveCapacity(1 << 16)
    }

    deinit { try? close() }

    public func write(series: UInt64, frame: UInt64, statistics: FrameStats, photons: [Photon]) throws(SimulatorError) {
        let sum = Self.integer(statistics.sum), max = Self.integer(statistics.max)
        var line = "{\"series\":\(series),\"frame\":\(frame),\"sum\":\(sum),\"max\":\(max),"
        line += "\"masked\":\(statistics.masked),\"photons\":["
        for (i, p) in photons.enumerated() {
            if i > 0 { line += "," }
            line += "[\(p.x),\(p.y)]"
        }
        line += "]}\n"
        buffer.append(contentsOf: line.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Simulated pixels are integers, so are their sums and maxima: written as integers (a
    /// Double's own text would say 1.0e+16), NaN (no unmasked pixel) as null.
    private static func integer(_ value: Double) -> String {
        UInt64(exactly: value).map { String($0) } ?? "null"
    }

    public func flush() throws(SimulatorError) {
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SimulatorError.system("write \(path)", errno)
            }
            done += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    public func close() throws(SimulatorError) {
        guard fd >= 0 else { return }
        defer { _ = Glibc.close(fd); fd = -1 }
        try flush()
    }
}
