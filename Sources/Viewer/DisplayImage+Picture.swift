import Processing
import SharedMemory
import TerminalUI

/// True pixels (`--graphics`): the workers bin the view to the picture's pixels, while
/// everything text (half blocks under the help overlay, the cursor, the regions' outlines,
/// the marks, the line profile, autoscale, pause and rewind) keeps working on the display
/// size, as with half blocks. One image serves both: the picture-sized one rides along as
/// `picture`, and `pixels` become it reduced by the binning's rule (max, so a single photon
/// stays visible in the text too) to the size the workers would have sent for half blocks.
extension DisplayImage {
    /// This picture-sized image as a text-sized one carrying the picture: `width × height`
    /// display pixels, max-binned (or replicated where the text image is the larger, as for a
    /// small frame the display enlarges by a whole factor); marks scaled with it.
    func reduced(toWidth textWidth: Int, height textHeight: Int) -> DisplayImage {
        guard textWidth > 0, textHeight > 0, width > 0, height > 0, pixels.count >= width * height,
              (textWidth, textHeight) != (width, height) else {
            var same = self
            same.picture = HeatmapPicture.Source(pixels: pixels, width: width, height: height)
            return same
        }
        // Each text pixel's span of picture pixels: Processing's bin ranges (at least one).
        func spans(_ out: Int, _ size: Int) -> [Range<Int>] {
            (0..<out).map { i in
                let start = i * size / out
                return start..<max(start + 1, (i + 1) * size / out)
            }
        }
        let columns = spans(textWidth, width), rows = spans(textHeight, height)
        var text = [Float](repeating: .nan, count: textWidth * textHeight)
        pixels.withUnsafeBufferPointer { source in
            for (j, rowSpan) in rows.enumerated() {
                for (i, columnSpan) in columns.enumerated() {
                    var best = Float.nan
                    for y in rowSpan {
                        // Float.maximum keeps a number over NaN (masked), as the kernels do.
                        for x in columnSpan { best = Float.maximum(best, source[y * width + x]) }
                    }
                    text[j * textWidth + i] = best
                }
            }
        }
        var image = self
        image.picture = HeatmapPicture.Source(pixels: pixels, width: width, height: height)
        image.pixels = text
        image.marks = marks.map { mark in
            let (x, y) = ResultBoard.position(of: mark)
            return ResultBoard.mark(x: min(textWidth - 1, x * textWidth / width), y: min(textHeight - 1, y * textHeight / height))
        }
        image.width = textWidth
        image.height = textHeight
        return image
    }
}

extension ViewerState {
    /// A board image binned at the picture's pixels, made into what the text heatmap takes:
    /// the display image the workers bin for half blocks (the view geometry's size when the
    /// image is for the current view, else its region fitted to the heatmap) with the
    /// picture-sized pixels kept for the picture.
    public func textImage(fromPicture image: DisplayImage) -> DisplayImage {
        let region = image.region ?? .whole(width: image.frameWidth, height: image.frameHeight)
        let size: (width: Int, height: Int)
        if image.viewGeneration == viewGeneration, let view = viewGeometry {
            size = (view.imageWidth, view.imageHeight)
        } else {
            let area = heatmapArea
            size = FrameKernels.fitSize(frameWidth: region.width, frameHeight: region.height,
                                        areaWidth: area.width, areaHeight: area.height)
        }
        return image.reduced(toWidth: size.width, height: size.height)
    }
}
