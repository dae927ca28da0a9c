import ArgumentParser

import Processing
import SharedMemory

extension ProcessingMode: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(name: argument)
    }

    public static var allValueStrings: [String] { allCases.map(\.name) }
}

/// The processing options of `detview view` (and `detview bench process`).
struct ProcessingArguments: ParsableArguments {
    @Option(help: "Start in this processing mode: \(ProcessingMode.allCases.map(\.name).joined(separator: ", ")).")
    var mode: ProcessingMode = .raw

    @Option(parsing: .unconditional, help: "Frames of the pedestal's moving average, and of a dark series taken with p.")
    var pedestalFrames: Int = 1000

    @Option(parsing: .unconditional, help: "Treat the first N frames of each series as dark (what p does live).")
    var darkFrames: Int = 0

    @Option(parsing: .unconditional, help: "Photon counting: a photon passes n·σ (pixel), 3n·σ (3×3 sum) or 2n·σ (2×2 sum).")
    var sigma: Double = 4

    @Option(parsing: .unconditional, help: "Threshold mode: ADU above the pedestal (+/- change it live).")
    var threshold: Double = 50

    @Option(help: "Pump-probe: the repeating frame pattern, e.g. up,p (unpumped, pumped) or ped,up,p.")
    var pattern: String = ""

    @Option(parsing: .unconditional, help: "Hits: a peak's pixels are this many σ over the local background.")
    var hitSigma: Double = 6

    @Option(parsing: .unconditional, help: "Hits: pixels a peak needs at least.")
    var minPixels: Int = 2

    @Option(parsing: .unconditional, help: "Hits: peaks that make a frame a hit.")
    var minPeaks: Int = 10

    @Option(parsing: .unconditionalSingleValue, help: "Region of interest x0,y0,x1,y1 (pixels, x1 and y1 excluded): sum, mean, max and centroid per frame; up to 4 (repeat the option).",
            transform: { text throws in
                do { return try PixelRectangle(parsing: text) } catch { throw ValidationError("\(error)") }
            })
    var roi: [PixelRectangle] = []

    @Option(parsing: .unconditional, help: "Beam centre x,y in pixels for the radial profile (default: the stream's, else the image centre).",
            transform: { text throws in
                do { return try BeamCentre(parsing: text) } catch { throw ValidationError("\(error)") }
            })
    var beamCenter: BeamCentre?

    func validate() throws {
        guard pedestalFrames >= 1 && pedestalFrames <= 1_000_000 else {
            throw ValidationError("--pedestal-frames must be 1…1000000")
        }
        guard darkFrames >= 0 else { throw ValidationError("--dark-frames must be 0 or more") }
        guard sigma > 0, sigma.isFinite else { throw ValidationError("--sigma must be positive") }
        guard threshold.isFinite else { throw ValidationError("--threshold must be a number") }
        guard hitSigma > 0, hitSigma.isFinite else { throw ValidationError("--hit-sigma must be positive") }
        guard minPixels >= 1 else { throw ValidationError("--min-pixels must be at least 1") }
        guard minPeaks >= 1 else { throw ValidationError("--min-peaks must be at least 1") }
        try ProcessingSettingsCheck.check(pattern: pattern)
        // The type clips a rectangle to the image, but a negative corner typed on the command
        // line is far likelier a slip than a wish: say the range instead of clipping silently.
        guard roi.count <= ControlRegions.capacity else {
            throw ValidationError("--roi given \(roi.count) times: at most \(ControlRegions.capacity) regions")
        }
        for rectangle in roi {
            if let (name, value) = [("x0", rectangle.x0), ("y0", rectangle.y0)].first(where: { $0.1 < 0 }) {
                throw ValidationError("--roi: \(name) \(value) is out of range: pixel coordinates start at 0 "
                                      + "(x0,y0,x1,y1 with 0 ≤ x0 < x1 and 0 ≤ y0 < y1)")
            }
            // The control block carries Int32 corners.
            if rectangle.x1 > Int(Int32.max) || rectangle.y1 > Int(Int32.max) {
                throw ValidationError("--roi \(rectangle): corners must be below \(Int32.max)")
            }
        }
    }

    var options: ProcessingOptions {
        var o = ProcessingOptions()
        o.sigma = sigma
        o.pedestalFrames = pedestalFrames
        o.darkFrames = darkFrames
        o.threshold = threshold
        o.pattern = pattern
        o.hitSigma = hitSigma
        o.minPixels = minPixels
        o.minPeaks = minPeaks
        o.rois = roi
        o.beamCentre = beamCenter
        return o
    }
}

/// Checks of the text options with the parsers the workers use, so a typo is an error at
/// start rather than a mode that silently does nothing.
enum ProcessingSettingsCheck {
    static func check(pattern: String) throws {
        if !pattern.isEmpty {
            do { _ = try FramePattern(parsing: pattern) } catch { throw ValidationError("--pattern: \(error)") }
        }
    }
}
