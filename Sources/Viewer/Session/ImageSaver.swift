import Processing

/// `--save` at the end of a run: composes the workers' full-resolution shares of the shown
/// mode as the screen does and writes the image atomically (saying so when it replaced a file).
/// Returns what to tell the user; `ViewerCore` decides where each line goes.
enum ImageSaver {
    static func save(to path: String, shares: SaveShareFiles, modes: ModeState, restarts: Int) -> SaveOutcome {
        var outcome = SaveOutcome()
        let mode = modes.mode
        guard mode.showsComposedView else {
            outcome.lines.append(.init(.warning, "--save: the \(mode.name) mode accumulates nothing; nothing written to \(path)"))
            return outcome
        }
        guard let image = SavedImage.compose(files: shares, mode: mode,
                                             pumpView: modes.pumpView, pedestalView: modes.pedestalView) else {
            outcome.lines.append(.init(.warning, "--save: no worker had a \(mode.name) image (no frames?); nothing written to \(path)"))
            return outcome
        }
        let what = mode.name + (modes.pumpProbe && mode.accumulates ? " (\(modes.pumpView.name))" : "")
            + (mode == .pedestal ? " \(modes.pedestalView.name)" : "")
        do {
            let placement = try image.pixels.withUnsafeBufferPointer { pixels throws(ExportError) in
                try ImageFileWriter.write(path: path, width: image.width, height: image.height, pixels: pixels,
                                          description: "detview \(what) of \(image.frames) frames")
            }
            outcome.saved = "saved \(what) image of \(image.frames) frames to \(path)"
                + (placement == .replaced ? " (replaced the file that was there)" : "")
            // The write is atomic, but an earlier image of that name is gone: never silently.
            if placement == .replaced {
                outcome.lines.append(.init(.warning, "--save: replaced the existing \(path)"))
            }
            // A killed worker's share died with it (its replacement starts from zero): say so
            // rather than let the image pass for the whole run.
            if restarts > 0 {
                outcome.lines.append(.init(.warning, "--save: \(restarts) worker restart(s) during the run; what a killed worker had "
                                      + "accumulated is not in \(path), which holds \(image.frames) frames"))
            }
        } catch {
            outcome.lines.append(.init(.error, "--save: \(error)"))
            outcome.failed = true
        }
        return outcome
    }
}
