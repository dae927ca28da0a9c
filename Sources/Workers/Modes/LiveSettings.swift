import Processing
import SharedMemory

/// The processing parameters the viewer's keys change while frames arrive (threshold, the
/// photon finder's nσ, the hit finder's nσ and minimum peaks), as one frame is processed
/// with them: the control block's values, read per frame, or the command line's where the
/// block has none yet (0, before the viewer's first write). A plain value.
struct LiveSettings: Equatable {
    var threshold: Float
    var photonSigma: Float
    var hitSigma: Float
    var minPeaks: Int

    init(threshold: Float, photonSigma: Float, hitSigma: Float, minPeaks: Int) {
        self.threshold = threshold
        self.photonSigma = photonSigma
        self.hitSigma = hitSigma
        self.minPeaks = minPeaks
    }

    init(control: ControlSettings, options: ProcessingOptions) {
        threshold = control.threshold
        photonSigma = control.photonSigma > 0 ? control.photonSigma : Float(options.sigma)
        hitSigma = control.hitSigma > 0 ? control.hitSigma : Float(options.hitSigma)
        minPeaks = control.minPeaks > 0 ? Int(control.minPeaks) : options.minPeaks
    }
}
