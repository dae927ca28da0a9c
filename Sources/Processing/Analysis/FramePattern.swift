/// What a frame is in a pump-probe experiment.
public enum FrameKind: Sendable, Equatable, CaseIterable {
    case unpumped
    case pumped
    /// A dark (pedestal) frame: no beam, for the pedestal tracker only.
    case dark
}

/// The repeating pattern that types frames by their number in pump-probe experiments
/// (`--pattern up,p`, `--pattern ped,up,p,p`). A value type read by workers at each frame.
///
/// Entries, case-insensitive, blanks around them ignored: `u`, `up`, `unpumped` → unpumped;
/// `p`, `pumped` → pumped; `ped`, `d`, `dark` → dark. Frame n has the kind of entry
/// n mod count, so the caller passes a frame number counted from 0 within the series
/// (subtract 1 from 1-based detector frame numbers).
public struct FramePattern: Sendable, Equatable, CustomStringConvertible {
    /// At most this many entries: a pattern is typed by hand, so more is a mistake.
    public static let maxEntries = 4096

    public let kinds: [FrameKind]

    public init(_ kinds: [FrameKind]) throws(FramePatternError) {
        guard !kinds.isEmpty else { throw .empty }
        guard kinds.count <= Self.maxEntries else { throw .tooLong(entries: kinds.count) }
        self.kinds = kinds
    }

    public init(parsing text: String) throws(FramePatternError) {
        let trimmed = AnalysisText.trim(text)
        guard !trimmed.isEmpty else { throw .empty }
        let entries = trimmed.split(separator: ",", omittingEmptySubsequences: false)
        guard entries.count <= Self.maxEntries else { throw .tooLong(entries: entries.count) }
        var kinds: [FrameKind] = []
        for (index, raw) in entries.enumerated() {
            let entry = AnalysisText.trim(Substring(raw))
            guard !entry.isEmpty else { throw .emptyEntry(position: index + 1) }
            switch entry.lowercased() {
            case "u", "up", "unpumped": kinds.append(.unpumped)
            case "p", "pumped": kinds.append(.pumped)
            case "ped", "d", "dark": kinds.append(.dark)
            default: throw .unknownEntry(entry, position: index + 1)
            }
        }
        try self.init(kinds)
    }

    @inline(__always)
    public func kind(forFrame number: UInt64) -> FrameKind {
        kinds[Int(number % UInt64(kinds.count))]
    }

    /// The canonical text (`up,p,ped`), which parses back to the same pattern.
    public var description: String {
        kinds.map { kind -> String in
            switch kind {
            case .unpumped: "up"
            case .pumped: "p"
            case .dark: "ped"
            }
        }.joined(separator: ",")
    }
}

/// Why a pump-probe pattern text was refused; positions count entries from 1.
public enum FramePatternError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case emptyEntry(position: Int)
    case unknownEntry(String, position: Int)
    case tooLong(entries: Int)

    public var description: String {
        switch self {
        case .empty:
            "empty pattern: expected entries like up,p or ped,up,p"
        case let .emptyEntry(position):
            "pattern entry \(position) is empty"
        case let .unknownEntry(entry, position):
            "pattern entry \(position) '\(entry)' is not one of u/up/unpumped, p/pumped, ped/d/dark"
        case let .tooLong(entries):
            "pattern has \(entries) entries, at most \(FramePattern.maxEntries) allowed"
        }
    }
}
