import Foundation
import Processing
import TerminalUI
import Theming
@testable import Viewer
import Workers
import XCTest

/// `S`: the key asks the session for a snapshot, the names never replace a file, the taker
/// waits for the workers' answers and writes what they make, an unwritable directory is a
/// status line, and the picture is the heatmap's cells as pixels.
final class SnapshotTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        var template = Array((NSTemporaryDirectory() + "/detview-snapshot-test-XXXXXX").utf8CString)
        directory = String(cString: try XCTUnwrap(mkdtemp(&template)))
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    private func listing() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted() }

    // MARK: the key

    func testSKeyAsksTheSessionForASnapshotAndSaysSo() {
        var harness = CoreHarness(interactive: true)
        XCTAssertEqual(KeyMap.command(for: .character("S")), .snapshot)
        let effects = harness.feed(.key(.character("S")))
        XCTAssertEqual(effects.filter { $0 == .takeSnapshot }.count, 1)
        XCTAssertEqual(harness.core.screen.status?.text.hasPrefix("snapshot:"), true)
        XCTAssertFalse(harness.feed(.key(.character("s"))).contains(.takeSnapshot), "s is the pedestal view, not a snapshot")
    }

    func testTheFinishedSnapshotGoesToTheStatusLineAndTheLog() {
        var harness = CoreHarness(interactive: true)
        let line = SaveOutcome.Line(.error, "snapshot: cannot make /x: Permission denied")
        let effects = harness.feed(.snapshotFinished(line))
        XCTAssertEqual(harness.core.screen.status, ViewerState.Status(text: line.text, severity: .error))
        XCTAssertTrue(effects.contains(.log(.error, line.text)))
    }

    // MARK: names

    func testNamesAreStampAndModeAndSkipEveryTakenName() {
        let naming = SnapshotNaming(directory: "/d", stamp: "2026-12-07T19-30-12", mode: "raw")
        XCTAssertEqual(naming.firstFree { _ in false }?.base, "/d/2026-12-07T19-30-12-raw")
        // Any one of the three files taken makes the name taken.
        let taken: Set = ["/d/2026-12-07T19-30-12-raw.png", "/d/2026-12-07T19-30-12-raw-2.tiff"]
        let free = naming.firstFree { taken.contains($0) }
        XCTAssertEqual(free?.base, "/d/2026-12-07T19-30-12-raw-3")
        XCTAssertEqual(free?.attempt, 3)
        XCTAssertEqual(naming.firstFree(after: 3) { taken.contains($0) }?.base, "/d/2026-12-07T19-30-12-raw-4",
                       "a name lost in a race is not tried again")
        XCTAssertNil(naming.firstFree { _ in true }, "every name taken: none, never an overwrite")
    }

    func testStampIsTheLocalTimeWithoutColons() {
        let stamp = SnapshotNaming.stamp(secondsSinceEpoch: 1_796_671_812)
        XCTAssertNotNil(stamp.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d/), stamp)
        XCTAssertEqual(SnapshotNaming.shown("/home/ana/detview-snapshots/a.npy", home: "/home/ana"), "~/detview-snapshots/a.npy")
        XCTAssertEqual(SnapshotNaming.shown("/home/anabel/a.npy", home: "/home/ana"), "/home/anabel/a.npy")
        XCTAssertEqual(SnapshotTaker.defaultDirectory(home: "/home/ana"), "/home/ana/detview-snapshots")
        XCTAssertEqual(SnapshotTaker.defaultDirectory(home: nil), ".")
    }

    // MARK: the taker

    private let picture = Screen.Picture(width: 2, height: 1, rgb: [255, 0, 0, 0, 0, 255])

    private func rawModes() -> ModeState { ModeState() }

    private func sumModes() -> ModeState {
        var modes = ModeState()
        modes.mode = .sum
        return modes
    }

    func testALatestFrameSnapshotIsWrittenWithTheFirstAnswer() throws {
        let taker = SnapshotTaker(directory: directory, home: nil)
        taker.begin(request: 7, modes: rawModes(), picture: picture, workers: 2, now: 0, secondsSinceEpoch: 1_796_671_812)
        XCTAssertNil(taker.poll(answered: { _ in 0 }, read: { [] }, now: 1), "no answer yet: wait")
        let answer = SavedShare(mode: .raw, width: 3, height: 2, framesA: 1, framesB: 0, a: [1, 2, 3, 4, 5, 6], b: [],
                                request: 7, x0: 10, y0: 20)
        let old = SavedShare(mode: .raw, width: 1, height: 1, framesA: 1, framesB: 0, a: [99], b: [], request: 6)
        let line = try XCTUnwrap(taker.poll(answered: { $0 == 7 ? 1 : 0 }, read: { [old, answer] }, now: 2))
        XCTAssertEqual(line.severity, .info)
        let stamp = SnapshotNaming.stamp(secondsSinceEpoch: 1_796_671_812)
        XCTAssertEqual(line.text, "snapshot: \(directory)/\(stamp)-raw.npy, .tiff, .png")
        XCTAssertEqual(listing(), ["npy", "png", "tiff"].map { "\(stamp)-raw.\($0)" })
        let npy = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(stamp)-raw.npy")))
        XCTAssertTrue(String(decoding: npy.prefix(128), as: UTF8.self).contains("(2, 3)"), "rows, columns of the region")
        let values = Array(npy.suffix(24)).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        XCTAssertEqual(values, [1, 2, 3, 4, 5, 6])
        XCTAssertFalse(taker.isWaiting)

        // The same second again: the next name, the first files untouched.
        taker.begin(request: 8, modes: rawModes(), picture: picture, workers: 2, now: 0, secondsSinceEpoch: 1_796_671_812)
        var again = answer
        again.request = 8
        let second = try XCTUnwrap(taker.poll(answered: { $0 == 8 ? 1 : 0 }, read: { [again] }, now: 1))
        XCTAssertTrue(second.text.contains("\(stamp)-raw-2.npy, .tiff, .png"), second.text)
        XCTAssertEqual(listing().count, 6)
    }

    func testAComposedSnapshotWaitsForEveryWorkerAndComposesTheirShares() throws {
        let taker = SnapshotTaker(directory: directory, home: nil)
        taker.begin(request: 3, modes: sumModes(), picture: nil, workers: 2, now: 0, secondsSinceEpoch: 0)
        let shares = [
            SavedShare(mode: .sum, width: 2, height: 1, framesA: 2, framesB: 0, a: [1, 2], b: [], request: 3),
            SavedShare(mode: .sum, width: 2, height: 1, framesA: 3, framesB: 0, a: [10, 20], b: [], request: 3),
        ]
        XCTAssertNil(taker.poll(answered: { _ in 1 }, read: { Array(shares.prefix(1)) }, now: 1), "one of two: wait")
        let line = try XCTUnwrap(taker.poll(answered: { _ in 2 }, read: { shares }, now: 2))
        XCTAssertTrue(line.text.hasSuffix("-sum.npy, .tiff"), line.text)
        let name = try XCTUnwrap(listing().first { $0.hasSuffix(".npy") })
        let npy = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name)")))
        XCTAssertEqual(Array(npy.suffix(8)).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }, [11, 22],
                       "the sum over both workers' shares")
    }

    func testAWorkerThatNeverAnswersIsWaitedForOnlyUntilTheDeadline() throws {
        let taker = SnapshotTaker(directory: directory, home: nil)
        taker.begin(request: 3, modes: sumModes(), picture: picture, workers: 2, now: 0, secondsSinceEpoch: 0)
        let share = SavedShare(mode: .sum, width: 1, height: 1, framesA: 2, framesB: 0, a: [5], b: [], request: 3)
        XCTAssertNil(taker.poll(answered: { _ in 1 }, read: { [share] }, now: SnapshotTaker.answerWaitNanoseconds - 1))
        let line = try XCTUnwrap(taker.poll(answered: { _ in 1 }, read: { [share] }, now: SnapshotTaker.answerWaitNanoseconds))
        XCTAssertTrue(line.text.hasSuffix("-sum.npy, .tiff, .png (1 of 2 workers answered)"), line.text)
    }

    func testNoFrameWithinTheWaitWritesThePictureAndSaysWhy() throws {
        let taker = SnapshotTaker(directory: directory, home: nil)
        taker.begin(request: 1, modes: rawModes(), picture: picture, workers: 1, now: 0, secondsSinceEpoch: 0)
        let line = try XCTUnwrap(taker.poll(answered: { _ in 0 }, read: { [] }, now: SnapshotTaker.answerWaitNanoseconds))
        XCTAssertEqual(line.severity, .warning)
        XCTAssertTrue(line.text.hasSuffix("-raw.png (no frame came within 3 s)"), line.text)
        XCTAssertEqual(listing().count, 1)
    }

    func testAnUnwritableDirectoryIsAnErrorLineNotACrash() throws {
        let taker = SnapshotTaker(directory: "/proc/detview-snapshots-cannot-be-made", home: nil)
        taker.begin(request: 1, modes: rawModes(), picture: picture, workers: 1, now: 0, secondsSinceEpoch: 0)
        let share = SavedShare(mode: .raw, width: 1, height: 1, framesA: 1, framesB: 0, a: [1], b: [], request: 1)
        let line = try XCTUnwrap(taker.poll(answered: { _ in 1 }, read: { [share] }, now: 1))
        XCTAssertEqual(line.severity, .error)
        XCTAssertTrue(line.text.hasPrefix("snapshot: cannot make /proc/detview-snapshots-cannot-be-made"), line.text)

        try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: directory)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory) }
        guard geteuid() != 0 else { return }   // root writes anyway; the /proc case above stands for it
        let readOnly = SnapshotTaker(directory: directory, home: nil)
        readOnly.begin(request: 1, modes: rawModes(), picture: picture, workers: 1, now: 0, secondsSinceEpoch: 0)
        let refused = try XCTUnwrap(readOnly.poll(answered: { _ in 1 }, read: { [share] }, now: 1))
        XCTAssertEqual(refused.severity, .error)
    }

    // MARK: the picture

    func testThePictureIsEachHalfBlockCellAsTwoSquares() {
        var buffer = Buffer(width: 3, height: 1)
        buffer[0, 0] = Cell("▀", style: Style(fg: .rgb(255, 0, 0), bg: .rgb(0, 0, 255)))
        buffer[1, 0] = Cell(" ", style: Style(bg: .indexed(46)))
        let theme = ThemeColors()
        let picture = Screen.picture(of: buffer, area: Rect(x: 0, y: 0, width: 2, height: 1), theme: theme)
        let k = Screen.pixelsPerHalfCell
        XCTAssertEqual(picture.width, 2 * k)
        XCTAssertEqual(picture.height, 2 * k)
        func pixel(_ x: Int, _ y: Int) -> [UInt8] { Array(picture.rgb[(y * picture.width + x) * 3..<(y * picture.width + x) * 3 + 3]) }
        XCTAssertEqual(pixel(0, 0), [255, 0, 0], "the upper pixel: the foreground")
        XCTAssertEqual(pixel(k - 1, k - 1), [255, 0, 0])
        XCTAssertEqual(pixel(0, k), [0, 0, 255], "the lower pixel: the background")
        XCTAssertEqual(pixel(k, 0), [0, 255, 0], "palette index 46 as xterm shows it")
        XCTAssertEqual(pixel(2 * k - 1, 2 * k - 1), [0, 255, 0])
    }
}
