import TerminalUI

extension ViewerState {
    /// Where everything goes on this state's screen: the history strips, the line profile and
    /// the side panel as the keys left them, where they fit. The one place the screen, the
    /// control block's display size and the viewport take it from.
    public var layout: ScreenLayout { layout(width: width, height: height) }

    public func layout(width: Int, height: Int) -> ScreenLayout {
        ScreenLayout(width: width, height: height, stripRows: stripRows,
                     profileRows: lineProfile == nil ? 0 : ScreenLayout.profileRows, showsPanel: showsPanel)
    }

    /// The help overlay's pages at this screen size (one before the size is known).
    var helpPageCount: Int {
        guard width > 0, height > 0 else { return 1 }
        return HelpText.overlay(page: 0).pageCount(in: Rect(x: 0, y: 0, width: width, height: height))
    }

    /// The line profile of what the heatmap shows, as `|` asks for it: the composed view in a
    /// mode that shows one (not the radial profile, already a curve), else the shown image; nil
    /// when off, when nothing is shown, or when what is there was binned for another view.
    public var shownLineProfile: LineProfile? {
        guard let axis = lineProfile else { return nil }
        if modes.showsComposedView {
            guard let view = modes.composed, view.mode != .radial,
                  shows(view.viewGeneration, view.region, view.frameWidth, view.frameHeight) else { return nil }
            return LineProfile(axis: axis, pixels: view.pixels, width: view.width, height: view.height,
                               region: view.region ?? .whole(width: view.frameWidth, height: view.frameHeight), cursor: cursor)
        }
        guard let image = shownImage, shows(image.viewGeneration, image.region, image.frameWidth, image.frameHeight) else {
            return nil
        }
        return LineProfile(axis: axis, pixels: image.pixels, width: image.width, height: image.height,
                           region: image.region ?? .whole(width: image.frameWidth, height: image.frameHeight), cursor: cursor)
    }

    /// `|` (the line profile: row, column, off) and `P` (the side panel).
    mutating func handleLayoutCommand(_ command: KeyCommand) {
        switch command {
        case .nextLineProfile:
            switch lineProfile {
            case nil: lineProfile = .row
            case .row: lineProfile = .column
            case .column: lineProfile = nil
            }
            let through = cursor == nil ? "the view's centre" : "the cursor"
            if let axis = lineProfile {
                let fits = layout.profile != nil
                status = Status(text: fits ? "line profile: the \(axis.name) through \(through) (display pixels)"
                                           : "line profile does not fit at \(width)×\(height) (shown when there is room)",
                                severity: fits ? .info : .warning)
            } else {
                status = Status(text: "line profile off", severity: .info)
            }
        case .togglePanel:
            showsPanel.toggle()
            if showsPanel && layout.panel == nil {
                status = Status(text: "the side panel needs \(ScreenLayout.minimumWidthForPanel) columns "
                                    + "(shown when there is room)", severity: .warning)
            } else {
                status = Status(text: showsPanel ? "side panel on" : "side panel off", severity: .info)
            }
        default:
            break
        }
    }
}
