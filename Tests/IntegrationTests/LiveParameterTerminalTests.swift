import Foundation
import XCTest

/// The live parameters, the line profile and the small-screen help in the real binary in tmux,
/// on the built-in MOENCH simulator: counting mode (`5`), nσ moved with `n` and `N` (the panel's
/// value and its photons of the last frame follow: many more photons at 1σ than at 20σ, where
/// noise never passes), `|` shows the profile box, at 80×24 `?` pages the help inside the
/// screen, and `q` quits.
final class LiveParameterTerminalTests: XCTestCase {
    /// "photons     14972 last frame" → 14972.
    private func photons(_ screen: String) -> Int? {
        screen.firstMatch(of: /photons +(\d+) last frame/).flatMap { Int($0.1) }
    }

    private func sigma(_ screen: String) -> String? {
        screen.firstMatch(of: /nσ \(n\/N\) +([0-9.]+σ)/).map { String($0.1) }
    }

    func testNSigmaKeysChangeTheValueAndThePhotonsTheProfileShowsAndHelpFitsAt80By24() throws {
        guard TmuxSession.isAvailable else { throw MissingTestInput("tmux is not installed (scripts/install-deps.sh installs it)") }
        let binary = try DetviewProcess.executable.path
        let tmux = TmuxSession(width: 120, height: 40, command:
            "env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 TERM=tmux-256color \(binary) view --demo --demo-rate 50 "
            + "--workers 1 --dark-frames 120 --pedestal-frames 200")
        // The demo's pedestal takes its dark frames first: more patience than the default.
        func waitForScreen(_ what: String, line: UInt = #line, _ condition: (String) -> Bool) {
            tmux.waitForScreen(what, timeout: 30, interval: 0.1, line: line, condition)
        }

        waitForScreen("the demo's frames arrive") { $0.contains("sls MOENCH 400×400") }
        tmux.send("5")
        waitForScreen("counting finds photons once the pedestal is ready, at the start value 4σ") {
            self.sigma($0) == "4σ" && (self.photons($0) ?? 0) > 0 && $0.contains("pedestal") && !$0.contains("not ready")
        }
        for _ in 0..<6 { tmux.send("n") }
        waitForScreen("six n: 1σ (the lower bound), said on the status line") {
            self.sigma($0) == "1σ" && $0.contains("photon nσ 1σ from the next frame")
        }
        // The next frames' photons are found at 1σ: noise passes everywhere.
        waitForScreen("at 1σ the noise gives thousands of photons a frame") { (self.photons($0) ?? 0) > 2000 }
        let atOne = photons(tmux.last) ?? 0
        for _ in 0..<38 { tmux.send("N") }
        waitForScreen("38 N: 20σ (the upper bound)") { self.sigma($0) == "20σ" }
        waitForScreen("at 20σ far fewer photons than at 1σ") { (self.photons($0) ?? .max) < atOne / 10 }

        tmux.send("|")
        waitForScreen("| shows the row profile under the heatmap with its range") {
            $0.contains("row profile y=") && $0.contains("(display px)") && $0.contains("min ") && $0.contains("max ")
        }

        tmux.resize(width: 80, height: 24)
        waitForScreen("80×24: no panel, the title line carries the counters and the mode's values") {
            $0.hasPrefix(" rx ") && $0.contains("photons, 20σ") && !$0.contains("Workers")
        }
        tmux.send("?")
        waitForScreen("? at 80×24: the first page of the help, inside the screen") {
            $0.contains("detview — keys") && $0.contains("? more (1/")
        }
        let rows = tmux.last.components(separatedBy: "\n").filter { !$0.isEmpty }
        XCTAssertLessThanOrEqual(rows.count, 24)
        XCTAssertTrue(rows.allSatisfy { $0.count <= 80 }, tmux.last)
        // Page on to the last page (the key map decides how many there are at 80×24).
        let pages = try XCTUnwrap(tmux.last.range(of: #"\(1/(\d+)\)"#, options: .regularExpression)
            .flatMap { Int(tmux.last[$0].dropFirst(3).dropLast()) }, "the page count on the first page")
        XCTAssertGreaterThan(pages, 1)
        for page in 2...max(pages, 2) {
            tmux.send("?")
            waitForScreen("? again: page \(page) of \(pages)") { $0.contains("(\(page)/\(pages))") }
        }
        XCTAssertTrue(tmux.last.contains("any key closes (\(pages)/\(pages))"), tmux.last)
        tmux.send("q")
        waitForScreen("q quits from the help and the terminal is given back") { !$0.contains("detview — keys") && !$0.contains("rx ") }
    }
}
