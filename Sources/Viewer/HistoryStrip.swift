/// One of the history strips (`H`): which series of `StatsHistory` it draws, its label, and
/// how its values read. A plain value; the list is fixed, hits mode adds two.
public struct HistoryStrip: Sendable {
    public let label: String
    public let value: KeyPath<StatsHistory.Point, Double> & Sendable
    /// Fractions (ring fill, load, hit rate) read as percentages.
    public let percent: Bool

    public static let always: [HistoryStrip] = [
        HistoryStrip(label: "frames/s", value: \.framesPerSecond, percent: false),
        HistoryStrip(label: "MB/s", value: \.megabytesPerSecond, percent: false),
        HistoryStrip(label: "drops/s", value: \.dropsPerSecond, percent: false),
        HistoryStrip(label: "ring fill", value: \.ringFill, percent: true),
        HistoryStrip(label: "load", value: \.workerLoad, percent: true),
    ]
    public static let hits: [HistoryStrip] = [
        HistoryStrip(label: "hit rate", value: \.hitRate, percent: true),
        HistoryStrip(label: "peaks", value: \.peaksPerFrame, percent: false),
    ]

    public static func strips(hitsMode: Bool) -> [HistoryStrip] { hitsMode ? always + hits : always }

    /// A value as the strip's text shows it: "203", "12.5", "87%", "–" for none.
    public func text(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        return percent ? "\(Int((value * 100).rounded()))%" : Format.rate(value)
    }
}
