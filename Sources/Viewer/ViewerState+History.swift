import Processing

extension ViewerState {
    /// The image the heatmap shows: the held one while paused, else the latest.
    public var shownImage: DisplayImage? { history.shown?.image ?? image }

    /// "PAUSED 12.4 s behind, image 3/64" while paused (without the image's place in a
    /// mode that shows its composed view: that view is held as it was); nil when live.
    public var pauseText: String? {
        guard let shown = history.shown, let position = history.shownPosition else { return nil }
        let behind = Double(counters.timeNanoseconds &- shown.shownAtNanoseconds) / 1e9
        let seconds = counters.timeNanoseconds >= shown.shownAtNanoseconds ? (behind * 10).rounded() / 10 : 0
        let place = modes.showsComposedView ? "" : ", image \(position)/\(history.count)"
        return "PAUSED \(seconds) s behind\(place)"
    }

    /// Rows the history strips take below the heatmap when shown: a heading and one strip
    /// per series (the hit rate and peaks only in hits mode); 0 when `H` has them off.
    public var stripRows: Int {
        guard showsStrips else { return 0 }
        return 1 + HistoryStrip.strips(hitsMode: modes.mode == .hits).count
    }

    /// The space and `H` commands (keys in `KeyMap`).
    mutating func handleHistoryCommand(_ command: KeyCommand) {
        switch command {
        case .togglePause:
            if history.isPaused {
                history.goLive()
                autoscaleToShownView()
                status = Status(text: "live", severity: .info)
            } else if history.pause() {
                status = Status(text: "paused: frames are still received and processed; ←/→ step, space goes live",
                                severity: .info)
            } else {
                status = Status(text: "nothing shown yet to pause", severity: .warning)
            }
        case .toggleStrips:
            showsStrips.toggle()
            if !showsStrips {
                status = Status(text: "history strips off", severity: .info)
            } else if layout.strips == nil {
                let needed = ScreenLayout.minimumSize(stripRows: stripRows)
                status = Status(text: "history strips do not fit at \(width)×\(height): they need "
                                    + "\(needed.width)×\(needed.height) (shown when there is room)", severity: .warning)
            } else {
                status = Status(text: "history strips: the last \(StatsHistory.seconds) s", severity: .info)
            }
        default:
            break
        }
    }

    /// While paused (← / →, which pan when live): one shown image older or newer.
    mutating func stepHistory(back: Bool) {
        guard history.isPaused else { return }
        if modes.showsComposedView {
            status = Status(text: "the history holds latest-frame images (modes \(ProcessingMode.raw.digit) raw, "
                                + "\(ProcessingMode.hits.digit) hits); "
                                + "\(modes.mode.name) is held as it was", severity: .warning)
            return
        }
        let moved = back ? history.stepBack() : history.stepForward()
        if moved {
            if scale.autoscale, let shown = history.shown { autoscale(shown.image.pixels, leavingOutSaturation: true) }
            status = Status(text: "frame \(history.shown?.image.frameNumber ?? 0)", severity: .info)
        } else {
            status = Status(text: back ? "the oldest image held (--history \(history.capacity))"
                                       : "the newest image held; space goes live", severity: .info)
        }
    }

    /// The second's point for the strips, from the rates just measured.
    mutating func recordStatsPoint(at nanoseconds: UInt64) {
        let ring = counters.ring
        var point = StatsHistory.Point(
            framesPerSecond: rates.framesPerSecond, megabytesPerSecond: rates.bytesPerSecond / 1e6,
            dropsPerSecond: rates.droppedPerSecond,
            ringFill: ring.slots > 0 ? Double(ring.slots - ring.free) / Double(ring.slots) : 0,
            workerLoad: workers.isEmpty ? 0 : workers.reduce(0) { $0 + $1.load } / Double(workers.count))
        if modes.mode == .hits {
            point.hitRate = modes.hitRate ?? .nan
            point.peaksPerFrame = modes.peaks.map(Double.init) ?? .nan
        }
        statsHistory.record(point, atNanoseconds: nanoseconds)
    }
}
