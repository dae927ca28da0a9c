import Processing

/// Autoscale of a shown image. With true pixels (`--graphics`) the picture shows the
/// picture-sized pixels the workers binned, not the text image: each text pixel is the max of
/// a bin of them, so percentiles of the text image sit near the picture's brightest pixels and
/// most of the picture would be drawn near the bottom of the scale (dark). So the limits come
/// from the pixels the picture draws; the colour bar and the text parts use the same limits,
/// so the bar says what the picture shows. Without a picture (half blocks, a paused image,
/// whose history drops the picture) nothing changes: the display pixels, as before.
extension ViewerState {
    /// At most this many picture pixels go into the percentiles.
    static let pictureAutoscaleSamples = 1 << 16

    /// The picture's limits are the same percentiles as the text image's, of its own pixels:
    /// taken from the max-binned text image, a picture of a million pixels would be dark.

    mutating func autoscale(shown image: DisplayImage, leavingOutSaturation: Bool) {
        guard let picture = image.picture else {
            autoscale(image.pixels, leavingOutSaturation: leavingOutSaturation)
            return
        }
        autoscale(Self.sample(picture.pixels, atMost: Self.pictureAutoscaleSamples),
                  leavingOutSaturation: leavingOutSaturation)
    }

    /// An evenly strided sample of `pixels`, at most `limit` of them (all when fewer).
    /// Why a sample: a picture holds up to a million pixels and autoscale runs for every image
    /// on the main actor; an exact selection would copy them all and pass over them twice.
    /// The rank error of a quantile from n samples is about sqrt(q(1-q)/n): for the 99.9th
    /// from 65,536 samples, 0.012 percentile points, far below what a colour scale shows.
    /// A stride over the row-major pixels, not a random draw: deterministic (snapshot and
    /// screen tests), and unless the width is a multiple of the stride the sampled columns
    /// shift from row to row, so no column or row structure is missed as a whole.
    static func sample(_ pixels: [Float], atMost limit: Int) -> [Float] {
        guard limit > 0, pixels.count > limit else { return pixels }
        let step = (pixels.count + limit - 1) / limit
        var kept = [Float]()
        kept.reserveCapacity(pixels.count / step + 1)
        for index in stride(from: 0, to: pixels.count, by: step) { kept.append(pixels[index]) }
        return kept
    }
}
