/// Whether the viewer runs inside tmux and whether tmux passes pictures on, from what tmux said
/// when asked (`TmuxQuery` in the ncurses backend runs the command; this reads its answer, so
/// every case is a unit test).
public enum TmuxStatus: Equatable, Sendable {
    /// Not inside tmux.
    case outside
    /// Inside tmux, `allow-passthrough` on: pictures and graphics questions go through `TmuxPassthrough`.
    case passthrough(TmuxPassthrough)
    /// Inside tmux, nothing passes: why, for the user (`reason` completes "tmux ...").
    case blocked(reason: String)

    /// The tmux command the viewer runs (after `tmux -S socket`): first the pane's place and the
    /// version (answered by every tmux), then the option (an error on tmux older than 3.3, which
    /// does not know it, and then that line is missing).
    public static func queryArguments(pane: String?) -> [String] {
        let target = pane.map { ["-t", $0] } ?? []
        return ["display-message", "-p"] + target + [displayFormat, ";", "show-options", "-Apv"] + target + ["allow-passthrough"]
    }

    static let displayFormat = "#{version}|#{pane_left}|#{pane_top}|#{status}|#{status-position}"

    /// Reads the answer to `queryArguments` (nil: tmux did not answer in time, or failed).
    public static func parse(answer: String?) -> TmuxStatus {
        let lines = (answer ?? "").split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let fields = lines.first?.split(separator: "|", omittingEmptySubsequences: false).map(String.init) ?? []
        guard fields.count == 5, let left = Int(fields[1]), let top = Int(fields[2]), left >= 0, top >= 0 else {
            return .blocked(reason: "did not answer whether it passes pictures on")
        }
        let version = fields[0]
        if !versionAtLeast3_3(version) {
            return .blocked(reason: "\(version) drops pictures (allow-passthrough is new in tmux 3.3)")
        }
        let allowed = lines.count > 1 && (lines[1] == "on" || lines[1] == "all")
        guard allowed else { return .blocked(reason: "has allow-passthrough off, so it drops pictures") }
        return .passthrough(TmuxPassthrough(paneColumn: left, paneRow: top + statusLinesAbove(status: fields[3], position: fields[4])))
    }

    /// The status line above the window moves every pane down by its height (`status` is off, on or 2-5).
    private static func statusLinesAbove(status: String, position: String) -> Int {
        guard position == "top" else { return 0 }
        if status == "on" { return 1 }
        return Int(status) ?? 0
    }

    /// "3.3a", "3.4", "next-3.5": numbers first; a version with none (a build from git) is taken as new.
    private static func versionAtLeast3_3(_ version: String) -> Bool {
        let digits = version.drop(while: { !$0.isNumber })
        let numbers = digits.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        guard let major = numbers.first else { return true }
        return major > 3 || (major == 3 && (numbers.dropFirst().first ?? 0) >= 3)
    }
}
