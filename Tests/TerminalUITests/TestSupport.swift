import TerminalUI

/// A ramp whose colours name their own index, so a test can read back which t a cell was given.
let indexRamp = ColorRamp(colors: (0...255).map { Color.indexed(UInt8($0)) })

extension Buffer {
    /// The text of one row.
    func row(_ y: Int) -> String {
        String(String.UnicodeScalarView((0..<width).map { self[$0, y].symbol }))
    }
}

func index(of color: Color) -> Int? {
    if case .indexed(let i) = color { return Int(i) }
    return nil
}
