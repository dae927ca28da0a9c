extension Receiver {
    /// The receive thread's loop for a monitor source: the frames it polls go through `handle`,
    /// as a stream's do (ring, accounting, series events), until the receiver is stopped.
    func runMonitor(_ settings: MonitorSource.Settings) {
        var source = MonitorSource(settings: settings, maxFrameBytes: options.maxFrameBytes)
        var seriesOpen = false
        source.run(stopFD: stopSignal.fd,
                   emit: { handle($0, format: .monitor, &seriesOpen) },
                   post: { inbox.post($0) })
    }
}
