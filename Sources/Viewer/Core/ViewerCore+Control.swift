import Processing
import SharedMemory

/// What the workers and the receiver are told: a function of the state, written when it changed.
extension ViewerCore {
    /// The control block's settings for the current state.
    public var control: ControlSettings {
        var wanted = ControlSettings()
        if settings.interactive {
            let area = screen.layout.heatmapInterior
            wanted.displayWidth = UInt32(max(0, area.width))
            wanted.displayHeight = UInt32(max(0, area.height * 2))
            // A picture terminal: the board's image is the picture's pixels (true pixels), while
            // the display size above stays the geometry of everything text (zoom steps, cursor,
            // regions, composed views); the session reduces the image to it for the text.
            if let cell = settings.pictureCellPixels, cell.width > 0, cell.height > 0 {
                wanted.pictureWidth = UInt32(max(0, area.width) * cell.width)
                wanted.pictureHeight = UInt32(max(0, area.height) * cell.height)
            }
            // A zoomed viewport goes to the workers as the region and image they bin; fitted,
            // the region stays empty and they fit the whole frame as before.
            if !screen.viewport.isFitted, let view = screen.viewGeometry {
                wanted.viewRegion = view.region
                wanted.viewWidth = UInt32(view.imageWidth)
                wanted.viewHeight = UInt32(view.imageHeight)
            }
            wanted.viewGeneration = screen.viewGeneration
        }
        wanted.pixelView = screen.pixelView == .gainStage ? ControlSettings.viewGainStage : ControlSettings.viewValue
        wanted.channel = screen.channelSteps
        let modes = screen.modes
        wanted.mode = modes.mode.rawValue
        wanted.threshold = modes.threshold
        wanted.photonSigma = modes.live.photonSigma
        wanted.hitSigma = modes.live.hitSigma
        wanted.minPeaks = UInt32(clamping: modes.live.minPeaks)
        wanted.pedestalResets = modes.pedestalResets
        wanted.clears = modes.clears
        wanted.darkFrom = darkRange.from
        wanted.darkTo = darkRange.to
        // The pixel inspector: the cursor while it is on, else headless `--inspect`.
        if screen.inspecting, let pixel = screen.cursorPixel {
            wanted.inspectX = Int32(clamping: pixel.x)
            wanted.inspectY = Int32(clamping: pixel.y)
        } else if let pixel = settings.headless?.inspect {
            wanted.inspectX = Int32(clamping: pixel.x)
            wanted.inspectY = Int32(clamping: pixel.y)
        }
        wanted.regions = screen.regions.control
        if let beam = beamCentre {
            wanted.beamX = beam.x
            wanted.beamY = beam.y
        }
        return wanted
    }

    /// The beam centre from `--beam-center`, else the stream's metadata (DECTRIS
    /// beam_center_x/y); nil leaves it to the workers (the image centre).
    var beamCentre: (x: Float, y: Float)? {
        if let given = settings.processing.beamCentre { return (given.x, given.y) }
        guard let metadata = screen.series?.metadata, let x = metadata["beam_center_x"].flatMap(Float.init),
              let y = metadata["beam_center_y"].flatMap(Float.init) else { return nil }
        return (x, y)
    }
}
