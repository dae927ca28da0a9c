/// The processing settings fixed for a viewer's lifetime (given on the command line), which
/// every worker needs: written once by the viewer into the shared region as `key=value`
/// lines and parsed by each worker when it attaches, so a restarted worker gets the same.
/// Settings that change live (mode, threshold, dark series, resets) go through the control
/// block instead. A plain value.
public struct ProcessingOptions: Sendable, Equatable {
    /// Photon-finder significance n: a photon passes n·σ (max), 3n·σ (3×3 sum), 2n·σ (2×2).
    public var sigma: Double = 4
    /// Frames of the pedestal's moving average.
    public var pedestalFrames: Int = 1000
    /// Frames at the start of each series treated as dark (0: none).
    public var darkFrames: Int = 0
    /// Starting threshold of threshold mode, in ADU above the pedestal.
    public var threshold: Double = 50
    /// Pump-probe pattern over the frame number (`up,p`, with `ped` for dark frames); "" is off.
    public var pattern: String = ""
    /// Hit finding: significance of a peak pixel over the local background, its minimum
    /// size, and the peaks that make a frame a hit.
    public var hitSigma: Double = 6
    public var minPixels: Int = 2
    public var minPeaks: Int = 10
    /// The regions of interest given at start (`--roi`, repeatable). The viewer starts with
    /// them and hands them, with those drawn later, to the workers through the control block.
    public var rois: [PixelRectangle] = []
    /// Beam centre in pixels (nil: the stream's, else the image centre).
    public var beamCentre: BeamCentre?
    /// `--save`: each worker leaves its accumulated image, when it exits, in the memfd the
    /// viewer passed it (the worker's fd 5).
    public var savesShare = false
    /// Snapshots (`S`, interactive viewer): each worker answers a request in that same memfd.
    public var answersSnapshots = false

    public init() {}

    /// A wrong value: the key and why.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// The `key=value` lines the region stores.
    public var encoded: String {
        [("sigma", "\(sigma)"), ("pedestal-frames", "\(pedestalFrames)"), ("dark-frames", "\(darkFrames)"),
         ("threshold", "\(threshold)"), ("pattern", pattern), ("hit-sigma", "\(hitSigma)"),
         ("min-pixels", "\(minPixels)"), ("min-peaks", "\(minPeaks)"),
         ("roi", rois.map(\.description).joined(separator: ";")), ("beam-center", beamCentre?.description ?? ""),
         ("save-share", savesShare ? "1" : "0"), ("snapshot-share", answersSnapshots ? "1" : "0")]
            .map { "\($0.0)=\($0.1)" }.joined(separator: "\n")
    }

    /// Parses what `encoded` wrote; unknown keys are an error (a mismatched binary).
    public init(encoded text: String) throws(Failure) {
        self.init()
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let equals = line.firstIndex(of: "=") else { throw Failure(description: "no '=' in \"\(line)\"") }
            let key = String(line[..<equals]), value = String(line[line.index(after: equals)...])
            func number() throws(Failure) -> Double {
                guard let v = Double(value), v.isFinite else { throw Failure(description: "\(key) \"\(value)\" is not a number") }
                return v
            }
            func count() throws(Failure) -> Int {
                guard let v = Int(value), v >= 0 else { throw Failure(description: "\(key) \"\(value)\" is not a count") }
                return v
            }
            switch key {
            case "sigma": sigma = try number()
            case "pedestal-frames": pedestalFrames = try count()
            case "dark-frames": darkFrames = try count()
            case "threshold": threshold = try number()
            case "pattern": pattern = value
            case "hit-sigma": hitSigma = try number()
            case "min-pixels": minPixels = try count()
            case "min-peaks": minPeaks = try count()
            case "roi":
                do {
                    rois = try value.split(separator: ";").map { text throws(RegionError) in try PixelRectangle(parsing: String(text)) }
                } catch {
                    throw Failure(description: "roi: \(error)")
                }
            case "beam-center":
                do { beamCentre = value.isEmpty ? nil : try BeamCentre(parsing: value) } catch {
                    throw Failure(description: "beam-center: \(error)")
                }
            case "save-share": savesShare = value == "1"
            case "snapshot-share": answersSnapshots = value == "1"
            default: throw Failure(description: "unknown processing option \"\(key)\"")
            }
        }
    }
}
