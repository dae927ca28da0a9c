import Processing

extension ViewerState {
    /// The detector pixel a region starts at or is deleted under: the cursor, else the view's centre.
    var regionAnchor: (x: Int, y: Int)? {
        if let cursor { return (Int(cursor.x.rounded(.down)), Int(cursor.y.rounded(.down))) }
        guard let region = viewGeometry?.region else { return nil }
        return ((region.x0 + region.x1) / 2, (region.y0 + region.y1) / 2)
    }

    /// Detector pixels per shown pixel, so one arrow press moves an edge by one shown pixel.
    var regionStep: Int {
        guard let geometry = viewGeometry, geometry.imageWidth > 0 else { return 1 }
        return max(1, Int((Double(geometry.region.width) / Double(geometry.imageWidth)).rounded()))
    }

    /// `R`, Enter and Escape outside drawing, and Delete.
    mutating func handleRegionCommand(_ command: KeyCommand) {
        switch command {
        case .startRegion:
            guard !regions.isFull else {
                status = Status(text: "already \(regions.fixed.count) regions, the most there can be: Delete one first",
                                severity: .warning)
                return
            }
            guard let anchor = regionAnchor, let frame = frameSize else {
                status = Status(text: "no frame yet to draw a region on", severity: .info)
                return
            }
            let step = regionStep
            let x0 = min(max(0, anchor.x), frame.width - 1), y0 = min(max(0, anchor.y), frame.height - 1)
            regions.drawing = PixelRegion(x0: x0, y0: y0, x1: min(x0 + step, frame.width), y1: min(y0 + step, frame.height))
            status = Status(text: "drawing region \(regions.fixed.count + 1): → ↓ grow, ← ↑ shrink, Enter fixes, Esc drops",
                            severity: .info)
        case .deleteRegion:
            guard let index = regions.indexToDelete(at: regionAnchor) else {
                status = Status(text: "no region to remove", severity: .info)
                return
            }
            let region = regions.fixed[index]
            regions.remove(at: index)
            status = Status(text: "region \(index + 1) \(Self.regionText(region)) removed", severity: .info)
        default:
            break
        }
    }

    /// A key while a region is drawn: true when it acted on the region (other keys keep
    /// their meaning, so the picture can still be scaled or zoomed meanwhile).
    mutating func handleDrawingCommand(_ command: KeyCommand) -> Bool {
        guard var drawing = regions.drawing else { return false }
        switch command {
        case .pan(let dx, let dy):
            let step = regionStep
            let frame = frameSize ?? (drawing.x1, drawing.y1)
            // The left and top edges stay; the right and bottom ones move, never past the
            // frame and never closer than one step to the fixed edge.
            drawing.x1 = min(max(drawing.x0 + 1, drawing.x1 + dx * step), max(frame.width, drawing.x0 + 1))
            drawing.y1 = min(max(drawing.y0 + 1, drawing.y1 + dy * step), max(frame.height, drawing.y0 + 1))
            regions.drawing = drawing
            status = Status(text: "region \(Self.regionText(drawing)): Enter fixes, Esc drops", severity: .info)
        case .fixRegion:
            regions.drawing = nil
            regions.add(drawing)
            status = Status(text: "region \(regions.fixed.count) \(Self.regionText(drawing)) fixed", severity: .info)
        case .hideInspector:  // Escape: while drawing, it drops the region (the inspector stays as it is)
            regions.drawing = nil
            status = Status(text: "region dropped", severity: .info)
        case .startRegion, .deleteRegion:
            status = Status(text: "drawing a region: Enter fixes it, Esc drops it", severity: .info)
        default:
            return false
        }
        return true
    }
}
