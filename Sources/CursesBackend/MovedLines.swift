import TerminalUI

/// Which screen lines ncurses' scroll optimisation could move between two frames.
///
/// ncurses' `doupdate` looks for lines of the new frame that it has on screen at another row
/// (its hashmap: a line that changed and whose new text is, once on each side, what another
/// changed line showed before), and moves them with a scroll region and scroll or insert/delete
/// line. A terminal moves a picture's pixels with the lines it scrolls, so while a picture is on
/// screen `CursesTerminal` has ncurses forget the old lines found here (`wredrawln`): with no old
/// line to match, nothing is scrolled, and the lines are written in place.
///
/// Why not take the scrolling capabilities away from ncurses instead: the terminfo entry an
/// application can reach (`cur_term`'s `TERMTYPE`) is a copy; ncursesw 6 reads its own extended
/// one (`TERMTYPE2`), so clearing `csr`, `il`, `dl`... there changes nothing (tried: ncurses still
/// sent `CSI 5 T`), and ncurses decides whether it can scroll once, in `newterm`.
enum MovedLines {
    /// The rows of `old` whose text is, once in each frame, at another row of `new`: ncurses'
    /// hashmap moves a line only from such a unique pair (it then may grow the moved block by
    /// neighbouring lines, but not start one without it). Equal cells are equal characters with
    /// equal attributes for ncurses too, so a text seen twice here is seen twice by ncurses (no
    /// pair), and every pair of ncurses' is found here unless the moved line also changed in a way
    /// only the cells show (two colours the palette shows as one entry, characters printed as `?`
    /// without UTF-8): rare, a panel line that moves keeps its cells. Empty for frames of
    /// different sizes (that is a repaint).
    static func sources(from old: Buffer, to new: Buffer) -> [Int] {
        guard old.width == new.width, old.height == new.height, old.width > 0 else { return [] }
        let width = old.width
        func line(_ buffer: Buffer, _ row: Int) -> ArraySlice<Cell> {
            buffer.cells[row * width..<(row + 1) * width]
        }
        // An unchanged row pairs with itself; the rest of the work only when lines changed.
        let changed = (0..<old.height).filter { line(old, $0) != line(new, $0) }
        guard changed.count > 1 else { return [] }
        // Most paints change lines in place (counters, the status line): no old text of a changed
        // row is found among the new ones, and the whole frames need not be counted.
        let changedTexts = Set(changed.map { line(new, $0) })
        let candidates = changed.filter { changedTexts.contains(line(old, $0)) }
        guard !candidates.isEmpty else { return [] }
        func counts(_ buffer: Buffer) -> [ArraySlice<Cell>: Int] {
            var counts: [ArraySlice<Cell>: Int] = [:]
            for row in 0..<buffer.height { counts[line(buffer, row), default: 0] += 1 }
            return counts
        }
        let oldCounts = counts(old), newCounts = counts(new)
        // The one new row holding a changed row's old text is another row (its own text changed).
        return candidates.filter { row in
            let text = line(old, row)
            return oldCounts[text] == 1 && newCounts[text] == 1
        }
    }
}
