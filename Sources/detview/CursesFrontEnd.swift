import CursesBackend
import Platform
import TerminalUI
import Viewer

/// Plugs the ncurses terminal into the viewer session (which must not import ncurses).
/// Owned by the main actor, like the terminal it wraps.
@MainActor
final class CursesFrontEnd: FrontEnd {
    private let terminal: CursesTerminal

    init(colors: ColorChoice, graphics: GraphicsOption, mouse: Bool) throws {
        let mode: ColorMode?
        switch colors {
        case .auto: mode = nil
        case .truecolor: mode = .truecolor
        case .color256: mode = .color256
        case .color16: mode = .color16
        case .mono: mode = .mono
        }
        // A crash must not leave the user's terminal raw and on the alternate screen.
        TerminalControl.restoreOnCrash(fd: 1)
        // A quit signal must end the viewer also while nothing reads the terminal (the main
        // thread then waits in a write and cannot serve the signal pipe).
        QuitWatchdog.install(terminalFD: 1, quitSignals: SignalPipe.quitSignals)
        terminal = try CursesTerminal(colorMode: mode, graphics: graphics, mouse: mouse)
    }

    var size: (width: Int, height: Int) { terminal.size }
    var glyphs: GlyphSet { terminal.glyphs }
    var heatmapGlyphs: HeatmapWidget.Glyphs { terminal.heatmapGlyphs }
    var colors: ColorDepth { terminal.profile.colors }
    var inputFileDescriptor: Int32 { terminal.inputFileDescriptor }
    func readKeys() -> [Key] { terminal.readKeys() }
    func resize() { terminal.resize() }
    func draw(_ buffer: Buffer) { terminal.draw(buffer) }
    func draw(_ buffer: Buffer, picture: TerminalPicture?) { terminal.draw(buffer, picture: picture) }
    var graphicsCellPixels: (width: Int, height: Int)? { terminal.cellPixels.map { ($0.width, $0.height) } }
    var colorRegisters: Int { terminal.colorRegisters }
    /// Why a forced `--graphics` gives half blocks (tmux drops pictures); shown as a start-up warning.
    var graphicsNotice: String? { terminal.graphicsNotice }
    var bytesWritten: Int { terminal.bytesWritten }
    func setHeatmapTolerance(_ tolerance: PerceptualTolerance, in area: Rect) {
        terminal.heatmapTolerance = (area, tolerance)
    }
    func shutdown() {
        terminal.shutdown()
        QuitWatchdog.disarm()
    }
}
