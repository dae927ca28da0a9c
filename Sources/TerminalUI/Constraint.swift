/// The size of one part when a `Rect` is split.
///
/// Fixed sizes are served first, in order, as far as the space lasts; fractions are of the whole
/// length (rounded down, and shrunk when the space has run out); `fill` parts share what is left
/// equally, the first ones taking the remainder cells. The parts always tile the length without
/// overlap, and their total never exceeds it.
public enum Constraint: Hashable, Sendable {
    case fixed(Int)
    case fraction(Double)
    case fill

    static func resolve(_ constraints: [Constraint], total: Int) -> [(offset: Int, length: Int)] {
        let total = max(0, total)
        var lengths = [Int](repeating: 0, count: constraints.count)
        var left = total
        for (i, c) in constraints.enumerated() {
            if case .fixed(let n) = c {
                lengths[i] = min(max(0, n), left)
                left -= lengths[i]
            }
        }
        for (i, c) in constraints.enumerated() {
            if case .fraction(let f) = c {
                let wanted = f.isFinite ? Int((Double(total) * min(max(f, 0), 1)).rounded(.down)) : 0
                lengths[i] = min(wanted, left)
                left -= lengths[i]
            }
        }
        let fills = constraints.indices.filter { constraints[$0] == .fill }
        if !fills.isEmpty {
            let share = left / fills.count
            var extra = left % fills.count
            for i in fills {
                lengths[i] = share + (extra > 0 ? 1 : 0)
                if extra > 0 { extra -= 1 }
            }
        }
        var offset = 0
        return lengths.map { length in
            defer { offset += length }
            return (offset, length)
        }
    }
}
