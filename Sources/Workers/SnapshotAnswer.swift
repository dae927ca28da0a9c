import Processing
import SharedMemory

/// How a worker answers a snapshot request (`S`): the full-resolution pixels of the region the
/// viewer shows, taken from the mode's accumulated share or from a processed frame, written as
/// a `SavedShare` tagged with the request into the same memfd `--save` uses. Pure helpers; the
/// worker's `FramePipeline` decides when.
enum SnapshotAnswer {
    /// The region of a `width × height` image the viewer shows: its zoomed viewport when that
    /// lies inside, else the whole image.
    static func region(_ control: ControlSettings, width: Int, height: Int) -> PixelRegion {
        control.binning(frameWidth: width, frameHeight: height)?.region ?? .whole(width: width, height: height)
    }

    /// The pixels of `region` out of a row-major image `width` pixels wide.
    static func crop(_ image: UnsafeBufferPointer<Float>, width: Int, region: PixelRegion) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(region.width * region.height)
        for y in region.y0..<region.y1 {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: image[(y * width + region.x0)..<(y * width + region.x1)]))
        }
        return out
    }

    /// A mode's full share cut to the shown region (a profile, which is no frame-shaped image,
    /// stays whole); an empty share when the worker has none yet, so the viewer still hears
    /// that this worker answered.
    static func fromShare(_ full: SavedShare?, mode: ProcessingMode, request: UInt32, control: ControlSettings,
                          frameWidth: Int, frameHeight: Int) -> SavedShare {
        guard var share = full, share.width > 0, share.height > 0 else {
            return SavedShare(mode: mode, width: 0, height: 0, framesA: 0, framesB: 0, a: [], b: [], request: request)
        }
        share.request = request
        guard share.width == frameWidth, share.height == frameHeight else { return share }
        let region = Self.region(control, width: share.width, height: share.height)
        guard !region.isWhole(width: share.width, height: share.height) else { return share }
        share.a = share.a.withUnsafeBufferPointer { crop($0, width: share.width, region: region) }
        if share.b.count == share.width * share.height {
            share.b = share.b.withUnsafeBufferPointer { crop($0, width: share.width, region: region) }
        }
        share.width = region.width
        share.height = region.height
        share.x0 = region.x0
        share.y0 = region.y0
        return share
    }
}
