/// Just enough of a terminal to read what ncurses drew: the cursor moves and erasures it uses
/// for xterm-256color and xterm-direct, printable characters (UTF-8), everything else skipped.
/// The pty test reads the status line with it, since ncurses writes only the cells that
/// changed and the line's text never appears whole in the byte stream.
struct TerminalScreenModel {
    let width: Int
    let height: Int
    private(set) var cells: [Unicode.Scalar]
    private var row = 0, column = 0
    private var saved = (0, 0)
    private var last: Unicode.Scalar = " "
    private var bytes: [UInt8] = []
    private var index = 0

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        cells = Array(repeating: " ", count: width * height)
    }

    func line(_ y: Int) -> String {
        var text = ""
        text.unicodeScalars.append(contentsOf: cells[(y * width)..<((y + 1) * width)])
        return text
    }

    /// Feeds `input`; returns after every byte is taken (a sequence cut at the end is dropped).
    mutating func feed(_ input: ArraySlice<UInt8>) {
        bytes = Array(input)
        index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case 0x1B: escape()
            case 0x0D: column = 0
            case 0x0A: row = min(height - 1, row + 1)
            case 0x08: column = max(0, column - 1)
            case 0x00..<0x20, 0x7F: break
            default: put(decode(byte))
            }
        }
    }

    private mutating func put(_ scalar: Unicode.Scalar) {
        if column < width { cells[row * width + column] = scalar }
        column = min(width, column + 1)   // the last column holds the cursor (pending wrap)
        last = scalar
    }

    private mutating func decode(_ first: UInt8) -> Unicode.Scalar {
        let extra = first >= 0xF0 ? 3 : first >= 0xE0 ? 2 : first >= 0xC0 ? 1 : 0
        var value = UInt32(first) & (extra == 3 ? 0x07 : extra == 2 ? 0x0F : extra == 1 ? 0x1F : 0x7F)
        for _ in 0..<extra where index < bytes.count {
            value = value << 6 | UInt32(bytes[index] & 0x3F)
            index += 1
        }
        return Unicode.Scalar(value) ?? "?"
    }

    private mutating func escape() {
        guard index < bytes.count else { return }
        let kind = bytes[index]
        index += 1
        switch kind {
        case UInt8(ascii: "["): control()
        case UInt8(ascii: "("), UInt8(ascii: ")"): index += 1   // character set
        case UInt8(ascii: "7"): saved = (row, column)
        case UInt8(ascii: "8"): (row, column) = saved
        case UInt8(ascii: "M"): row = max(0, row - 1)
        default: break   // ESC = and the like
        }
    }

    private mutating func control() {
        var parameters: [Int] = []
        var current: Int?
        var privateMarker = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): current = (current ?? 0) * 10 + Int(byte - 48)
            case UInt8(ascii: ";"), UInt8(ascii: ":"):
                parameters.append(current ?? 0)
                current = nil
            case UInt8(ascii: "?"), UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "$"), UInt8(ascii: " "):
                privateMarker = true
            case 0x40...0x7E:
                if let current { parameters.append(current) }
                if !privateMarker { act(byte, parameters) }
                return
            default: return
            }
        }
    }

    private mutating func act(_ final: UInt8, _ p: [Int]) {
        let n = max(1, p.first ?? 1)
        switch final {
        case UInt8(ascii: "H"), UInt8(ascii: "f"):
            row = min(height - 1, max(1, p.first ?? 1) - 1)
            column = min(width - 1, max(1, p.count > 1 ? p[1] : 1) - 1)
        case UInt8(ascii: "d"): row = min(height - 1, n - 1)
        case UInt8(ascii: "G"), UInt8(ascii: "`"): column = min(width - 1, n - 1)
        case UInt8(ascii: "A"): row = max(0, row - n)
        case UInt8(ascii: "B"): row = min(height - 1, row + n)
        case UInt8(ascii: "C"): column = min(width - 1, column + n)
        case UInt8(ascii: "D"): column = max(0, column - n)
        case UInt8(ascii: "b"): for _ in 0..<n { put(last) }
        case UInt8(ascii: "X"):
            for x in column..<min(width, column + n) { cells[row * width + x] = " " }
        case UInt8(ascii: "K"):
            let range = (p.first ?? 0) == 0 ? column..<width : (p.first == 1 ? 0..<min(width, column + 1) : 0..<width)
            for x in range { cells[row * width + x] = " " }
        case UInt8(ascii: "J"):
            if (p.first ?? 0) == 2 {
                cells = Array(repeating: " ", count: width * height)
            } else if (p.first ?? 0) == 0 {
                for i in (row * width + min(column, width - 1))..<cells.count { cells[i] = " " }
            }
        default: break   // colours and attributes, modes
        }
    }
}
