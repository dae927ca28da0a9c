import DetectorStream
import SharedMemory

/// The JSON Lines that headless mode writes: the scripting interface of detview and the one
/// the integration tests read. Pure formatting; the session decides when to write.
public enum HeadlessReport {
    public static func seriesStart(_ info: SeriesInfo, source: String) -> String {
        var j = JSONLine()
        j.add("event", "series_start")
        j.add("series", info.series)
        j.add("format", info.format.name)
        j.add("detector", info.detector.name)
        j.add("width", info.width)
        j.add("height", info.height)
        j.add("pixel_type", info.pixelType.name)
        j.add("source", source)
        return j.line
    }

    public static func frame(_ r: FrameResult) -> String {
        var j = JSONLine()
        switch r.status {
        case .bad:
            j.add("event", "bad_frame")
            j.add("series", r.series)
            j.add("frame", r.frameNumber)
            j.add("reason", r.badReason)
        default:
            j.add("event", "frame")
            j.add("series", r.series)
            j.add("frame", r.frameNumber)
            j.add("sum", r.stats.sum)
            j.add("min", r.stats.min)
            j.add("max", r.stats.max)
            j.add("mean", r.stats.mean)
            j.add("masked", r.stats.masked)
            j.add("complete", r.status != .incomplete)
            j.add("worker", Int(r.worker))
            if r.dark != 0 { j.add("dark", true) }
            if r.photons >= 0 { j.add("photons", Int(r.photons)) }
            if r.peaks >= 0 { j.add("peaks", Int(r.peaks)) }
            if r.hit >= 0 { j.add("hit", r.hit == 1) }
            let regions = r.regions
            // The first region's numbers also under their names from before there were several.
            if let first = regions.first, first.measured {
                j.add("roi_sum", first.sum)
                j.add("roi_mean", first.mean)
                j.add("roi_max", first.max)
                j.add("roi_x", first.centroidX)
                j.add("roi_y", first.centroidY)
            }
            if r.inspect.isPresent { j.addRaw("inspect", inspect(r.inspect)) }
            if !regions.isEmpty { j.addRaw("rois", Self.regionsJSON(regions)) }
        }
        return j.line
    }

    /// The pixel inspector's readout of one frame: {"x","y","raw","value","masked","reason",
    /// "gain" (JUNGFRAU), "neighbours" (raw, 3 rows of 3, null outside the frame), "bin_max"
    /// (where the display pixel's bin has its maximum, when binned)}.
    public static func inspect(_ r: PixelReadout) -> String {
        func number(_ v: Float) -> String {
            guard v.isFinite else { return "null" }
            return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        }
        var o = JSONLine()
        o.add("x", Int(r.x))
        o.add("y", Int(r.y))
        o.addRaw("raw", number(r.raw[4]))
        o.addRaw("value", number(r.value[4]))
        o.add("masked", r.isMasked)
        o.add("reason", r.reason.name)
        if r.gains[4] != PixelReadout.noGain { o.add("gain", Int(r.gains[4])) }
        let rows = (0..<3).map { row in "[" + (0..<3).map { number(r.raw[row * 3 + $0]) }.joined(separator: ",") + "]" }
        o.addRaw("neighbours", "[" + rows.joined(separator: ",") + "]")
        if r.binMaxX >= 0 && r.isBinned { o.addRaw("bin_max", "[\(r.binMaxX),\(r.binMaxY)]") }
        return o.line
    }

    /// `[{"x0":…,"y0":…,"x1":…,"y1":…,"sum":…,"mean":…,"max":…,"cx":…,"cy":…,"pixels":…}, …]`:
    /// each region clipped to the frame (x1, y1 excluded); a region that missed the frame
    /// has empty bounds and null numbers.
    static func regionsJSON(_ regions: [RegionNumbers]) -> String {
        "[" + regions.map { n in
            var o = JSONLine()
            o.add("x0", Int(n.x0)); o.add("y0", Int(n.y0)); o.add("x1", Int(n.x1)); o.add("y1", Int(n.y1))
            o.add("sum", n.sum); o.add("mean", n.mean); o.add("max", n.max)
            o.add("cx", n.centroidX); o.add("cy", n.centroidY); o.add("pixels", Int(n.pixels))
            return o.line
        }.joined(separator: ",") + "]"
    }

    public static func stats(_ state: ViewerState) -> String {
        var j = JSONLine()
        let c = state.counters
        j.add("event", "stats")
        j.add("received", c.received)
        j.add("processed", c.processed)
        j.add("dropped", c.dropped)
        j.add("stale", c.stale)
        j.add("bad", c.bad)
        j.add("gaps", state.gaps)
        j.add("in_flight", c.inFlight)
        j.add("fps", (state.rates.framesPerSecond * 10).rounded() / 10)
        j.add("mbps", (state.rates.bytesPerSecond / 1e4).rounded() / 100)
        j.add("restarts", state.restarts)
        var ring = JSONLine()
        ring.add("filled", c.ring.filled)
        ring.add("claimed", c.ring.claimed)
        ring.add("slots", c.ring.slots)
        // Fill in bytes: the slots holding frames, of the ring's byte budget.
        ring.add("used_bytes", c.ring.usedBytes)
        ring.add("bytes", c.ring.ringBytes)
        ring.add("slot_bytes", c.ring.slotBytes)
        ring.add("fill", (c.ring.byteFill * 1000).rounded() / 1000)
        j.addRaw("ring", ring.line)
        if let share = c.pullShare {
            // The PULL socket's round-robin share of the sender's frames (received / span).
            j.add("share", (share.fraction * 1000).rounded() / 1000)
        }
        if let forward = c.forward {
            var o = JSONLine()
            o.add("endpoint", forward.endpoint)
            o.add("messages", forward.messages)
            o.add("bytes", forward.bytes)
            o.add("blocked_ms", (Double(forward.blockedNanoseconds) / 1e5).rounded() / 10)
            o.add("waiting", forward.waiting)
            j.addRaw("forward", o.line)
        }
        if let latency = c.latency {
            // Microseconds: frame times are tens of µs to tens of ms.
            var stages = JSONLine()
            stages.add("frames", latency.frames)
            for (name, stage) in [("decode", latency.decode), ("process", latency.process),
                                  ("receive_to_result", latency.receiveToResult)] {
                var o = JSONLine()
                o.add("p50", (Double(stage.p50Ns) / 100).rounded() / 10)
                o.add("p99", (Double(stage.p99Ns) / 100).rounded() / 10)
                stages.addRaw(name, o.line)
            }
            j.addRaw("latency_us", stages.line)
        }
        let workers = state.workers.map { w -> String in
            var o = JSONLine()
            o.add("index", w.index)
            o.add("load", (w.load * 1000).rounded() / 1000)
            o.add("frames", w.frames)
            o.add("restarts", w.restarts)
            o.add("alive", w.alive)
            o.add("stalled", w.stalled)
            return o.line
        }
        j.addRaw("workers", "[" + workers.joined(separator: ",") + "]")
        return j.line
    }

    /// Frames rejected without a per-frame line of their own (see `BadFrameLines`): how many
    /// since the last such line, and the latest reason.
    public static func badFrames(count: UInt64, reason: String) -> String {
        var j = JSONLine()
        j.add("event", "bad_frame")
        j.add("count", count)
        j.add("reason", reason)
        return j.line
    }

    public static func seriesEnd(series: UInt64, frames: UInt64) -> String {
        var j = JSONLine()
        j.add("event", "series_end")
        j.add("series", series)
        j.add("frames", frames)
        return j.line
    }

    public static func message(_ text: String, severity: Severity) -> String {
        var j = JSONLine()
        j.add("event", severity == .error ? "error" : severity == .warning ? "warning" : "info")
        j.add("message", text)
        return j.line
    }
}
