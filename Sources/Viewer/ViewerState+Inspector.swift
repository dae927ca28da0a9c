import Processing
import SharedMemory

/// A worker's pixel readout and the frame it was read from.
public struct InspectedFrame: Sendable, Equatable {
    public var sequence: UInt64
    public var frameNumber: UInt64
    public var readout: PixelReadout
}

extension ViewerState {
    /// The detector pixel under the cursor.
    public var cursorPixel: (x: Int, y: Int)? {
        guard let cursor else { return nil }
        return (Int(cursor.x.rounded(.down)), Int(cursor.y.rounded(.down)))
    }

    /// The inspector's readout for the pixel under the cursor (a readout of a pixel the cursor
    /// has left is not shown).
    public var currentInspection: InspectedFrame? {
        guard inspecting, let pixel = cursorPixel, let inspection,
              Int(inspection.readout.x) == pixel.x, Int(inspection.readout.y) == pixel.y else { return nil }
        return inspection
    }

    /// `i`, Escape and Shift+arrows.
    mutating func handleInspectorCommand(_ command: KeyCommand) {
        switch command {
        case .toggleInspector where inspecting, .hideInspector:
            guard inspecting else { return }
            inspecting = false
            cursor = nil
            inspection = nil
            status = Status(text: "inspector off", severity: .info)
        case .toggleInspector:
            guard let frame = frameSize else {
                status = Status(text: "no frame yet to inspect", severity: .info)
                return
            }
            // A cursor already in the shown region stays; else the view's centre.
            let region = viewGeometry?.region ?? .whole(width: frame.width, height: frame.height)
            if let pixel = cursorPixel, pixel.x >= region.x0, pixel.x < region.x1, pixel.y >= region.y0, pixel.y < region.y1 {
                placeCursor(x: pixel.x, y: pixel.y, frame: frame)
            } else {
                placeCursor(x: region.x0 + region.width / 2, y: region.y0 + region.height / 2, frame: frame)
            }
            inspecting = true
            inspection = nil
            status = Status(text: "inspector: arrows move the cursor (Shift: ×10), i or Escape hides it", severity: .info)
        case .moveCursor(let dx, let dy):
            guard inspecting else {
                status = Status(text: "i shows the inspector's cursor first", severity: .info)
                return
            }
            moveCursor(dx: dx, dy: dy, far: true)
        default:
            return
        }
    }

    /// Moves the cursor by `dx`, `dy` shown pixels (`far`: the steps are already ×10), clamped
    /// to the frame. A shown pixel is as many detector pixels as one display pixel covers (at
    /// least one: zoomed past one pixel per display pixel, a step is one detector pixel).
    mutating func moveCursor(dx: Int, dy: Int, far: Bool) {
        guard let frame = frameSize, let pixel = cursorPixel else { return }
        let step = cursorStep
        placeCursor(x: pixel.x + dx * step, y: pixel.y + dy * step, frame: frame)
        if let moved = cursorPixel { status = Status(text: "cursor \(moved.x),\(moved.y)", severity: .info) }
    }

    /// Detector pixels per shown pixel.
    var cursorStep: Int {
        guard let geometry = viewGeometry, geometry.scale > 0 else { return 1 }
        return max(1, Int((1 / geometry.scale).rounded()))
    }

    private mutating func placeCursor(x: Int, y: Int, frame: (width: Int, height: Int)) {
        let cx = min(max(0, x), frame.width - 1), cy = min(max(0, y), frame.height - 1)
        cursor = Viewport.Point(x: Double(cx) + 0.5, y: Double(cy) + 0.5)
    }

    /// Keeps the newest readout (by ring sequence) while the inspector is on.
    mutating func absorbInspection(_ newest: InspectedFrame?) {
        guard inspecting, let newest, newest.sequence > inspection?.sequence ?? 0 else { return }
        inspection = newest
    }
}
