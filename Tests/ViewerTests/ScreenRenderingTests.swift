import Ingest
import SharedMemory
import TerminalUI
import Theming
import Viewer
import XCTest

final class ScreenRenderingTests: XCTestCase {
    private let source = "tcp://detector-host:9999"

    /// A state as it looks mid-series: series, image, counters, two workers, a status.
    private func liveState(dropped: UInt64 = 7, bad: UInt64 = 3, imageWidth: Int = 88, imageHeight: Int = 72) -> ViewerState {
        var state = ViewerState(source: source)
        state.reduce(.resized(width: 120, height: 40))
        state.reduce(.seriesStarted(seriesInfo()))
        state.reduce(.image(rampImage(width: imageWidth, height: imageHeight)))
        var sample = CounterSample(timeNanoseconds: 0)
        sample.received = 12345
        sample.processed = 12000
        sample.dropped = dropped
        sample.bad = bad
        sample.workers = [WorkerSample(index: 0, busyNanoseconds: 0, frames: 6000, restarts: 0, alive: true),
                          WorkerSample(index: 1, busyNanoseconds: 0, frames: 6000, restarts: 1, alive: false)]
        state.reduce(.sample(sample))
        state.reduce(.message("series 1 going strong", .info))
        return state
    }

    private func render(_ state: ViewerState, width: Int = 120, height: Int = 40, glyphs: GlyphSet = .unicode) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        Screen(state: state, glyphs: glyphs).render(into: &buffer)
        return buffer
    }

    private func heatmapColours(_ buffer: Buffer) -> [Color] {
        let inner = ScreenLayout(width: buffer.width, height: buffer.height).heatmapInterior
        return (inner.y..<inner.bottom).flatMap { y in (inner.x..<inner.right).flatMap { x in
            buffer[x, y].symbol == "▀" ? [buffer[x, y].style.fg, buffer[x, y].style.bg] : []
        } }
    }

    /// In 256 colours the heatmap paints the colormap's precomputed palette ramp (indices 16–255),
    /// not 24-bit colours for the backend to degrade one by one.
    func testIn256ColoursTheHeatmapPaintsThePaletteRamp() {
        var buffer = Buffer(width: 120, height: 40)
        Screen(state: liveState(), glyphs: .unicode, colors: ColorDepth(mode: .color256)).render(into: &buffer)
        let palette = Set(Colormap.viridis.ramp256.colors)
        let colours = heatmapColours(buffer).filter { $0 != Theme.default.colors.gapColour }
        XCTAssertGreaterThan(colours.count, 1000)
        XCTAssertTrue(colours.allSatisfy { palette.contains($0) })
    }

    func testDitheringIsDrawnOnlyWhenOnAndThePaletteIsCoarse() {
        var state = liveState()
        func draw(_ colors: ColorDepth) -> Buffer {
            var buffer = Buffer(width: 120, height: 40)
            Screen(state: state, glyphs: .unicode, colors: colors).render(into: &buffer)
            return buffer
        }
        let sixteen = ColorDepth(mode: .color16), truecolor = ColorDepth.truecolor
        let plain16 = draw(sixteen), plainTrue = draw(truecolor)
        state.dither = true
        XCTAssertNotEqual(heatmapColours(draw(sixteen)), heatmapColours(plain16))
        XCTAssertEqual(draw(truecolor), plainTrue, "24-bit colour has no bands to dither")
    }

    /// Mono: the heatmap and the colour bar are the density ramp, while borders stay Unicode.
    func testInMonoTheColourBarIsTheDensityRampLikeTheHeatmap() {
        var buffer = Buffer(width: 120, height: 40)
        Screen(state: liveState(), glyphs: .unicode, heatmapGlyphs: .ascii, colors: ColorDepth(mode: .mono))
            .render(into: &buffer)
        XCTAssertFalse(buffer.text.contains("▀"))
        XCTAssertTrue(buffer.text.contains("─"))
        let barRow = panelRow(buffer, containing: "%@")
        XCTAssertNotNil(barRow, "the panel's bar runs through the ramp characters:\n\(buffer.text)")
        XCTAssertEqual(barRow, panelRow(buffer, containing: "-="))
    }

    /// The Linux console: ASCII text, but the heatmap keeps its half blocks.
    func testAnAsciiScreenKeepsHalfBlocksWhenTheHeatmapUsesThem() {
        var buffer = Buffer(width: 120, height: 40)
        Screen(state: liveState(), glyphs: .ascii, heatmapGlyphs: .halfBlocks,
               colors: ColorDepth(mode: .color16, ansiColors: 8)).render(into: &buffer)
        XCTAssertTrue(buffer.text.contains("▀"))
        XCTAssertTrue(buffer.text.unicodeScalars.allSatisfy { $0.isASCII || $0 == "▀" })
        XCTAssertTrue(heatmapColours(buffer).allSatisfy { color in
            if case .indexed(let i) = color { return i < 8 }
            return color == Theme.default.colors.gapColour
        })
    }

    private func row(_ buffer: Buffer, _ y: Int) -> String {
        String(String.UnicodeScalarView((0..<buffer.width).map { buffer[$0, y].symbol }))
    }

    /// The first row (y) whose text contains `label`, within the panel's columns.
    private func panelRow(_ buffer: Buffer, containing label: String) -> Int? {
        let panel = ScreenLayout(width: buffer.width, height: buffer.height).panel!
        return (panel.y..<panel.bottom).first { y in
            String(String.UnicodeScalarView((panel.x..<panel.right).map { buffer[$0, y].symbol })).contains(label)
        }
    }

    func testWithoutAnImageTheHeatmapSaysWaitingAndNamesTheSource() {
        let buffer = render(ViewerState(source: source))
        let interior = ScreenLayout(width: 120, height: 40).heatmapInterior
        let text = (interior.y..<interior.bottom).map { row(buffer, $0) }.joined(separator: "\n")
        XCTAssertTrue(text.contains("waiting for frames…"))
        XCTAssertTrue(text.contains(source))
        XCTAssertFalse(buffer.text.contains("▀"), "no image, no pixels")
    }

    /// A mode that needs the pedestal shows why it has no image yet, and how many frames each
    /// worker needs, instead of an image of garbage.
    func testAModeWaitingForThePedestalSaysSoInsteadOfDrawing() {
        var state = liveState()
        state.modes.mode = .counting
        state.modes.workerCount = 2
        var view = ComposedView(mode: .counting)
        view.workers = 2
        view.pedestalFrames = 150
        view.pixels = [Float](repeating: 1, count: 16)
        (view.width, view.height) = (4, 4)
        state.modes.composed = view
        let buffer = render(state)
        let interior = ScreenLayout(width: 120, height: 40).heatmapInterior
        let text = (interior.y..<interior.bottom).map { row(buffer, $0) }.joined(separator: "\n")
        XCTAssertTrue(text.contains("counting needs the pedestal: 150 frames so far"), text)
        XCTAssertTrue(text.contains("(100 for each of the 2 workers)"), text)
        XCTAssertFalse(text.contains("▀"), "no image before the pedestal is ready")
        state.modes.composed?.pedestalReady = true
        XCTAssertTrue(render(state).text.contains("▀"), "the counts once it is")
    }

    /// The latest frame's marks (peaks, photons) are drawn on the heatmap, scaled to the image
    /// shown, and `x` hides them.
    func testMarksOfTheLatestFrameAreDrawnUnlessHidden() {
        var state = liveState()
        var image = rampImage(width: 88, height: 72)
        image.marks = [ResultBoard.mark(x: 10, y: 20), ResultBoard.mark(x: 40, y: 41)]
        state.reduce(.image(image))
        XCTAssertEqual(render(state).text.filter { $0 == "◆" }.count, 2)
        state.reduce(.key(.character("x")))
        XCTAssertEqual(render(state).text.filter { $0 == "◆" }.count, 0)
    }

    func testImageIsDrawnInHalfBlocksInsideTheHeatmapBox() {
        let buffer = render(liveState())
        let interior = ScreenLayout(width: 120, height: 40).heatmapInterior
        var inside = 0
        for y in interior.y..<interior.bottom {
            for x in interior.x..<interior.right where buffer[x, y].symbol == "▀" { inside += 1 }
        }
        // 88×72 pixels are exactly the 88×36 cells of the interior.
        XCTAssertEqual(inside, interior.width * interior.height)
        XCTAssertFalse(buffer.text.contains("waiting for frames"))
        // The box's border stays intact around the image.
        XCTAssertEqual(buffer[0, 1].symbol, "┌")
        XCTAssertEqual(buffer[0, interior.bottom].symbol, "└")
    }

    func testHeatmapCellsCarryTheImageColours() {
        let buffer = render(liveState())
        let interior = ScreenLayout(width: 120, height: 40).heatmapInterior
        let left = buffer[interior.x, interior.y + 5].style.fg, right = buffer[interior.right - 1, interior.y + 5].style.fg
        XCTAssertNotEqual(left, right, "a left-to-right ramp has different colours at its ends")
    }

    func testPanelShowsTheCountersWithTheirValues() throws {
        let buffer = render(liveState())
        for (label, value) in [("received", "12345"), ("processed", "12000"), ("dropped", "7"), ("bad", "3")] {
            let y = try XCTUnwrap(panelRow(buffer, containing: label), label)
            XCTAssertTrue(row(buffer, y).hasSuffix(value + " "), "\(label) row: \(row(buffer, y))")
        }
    }

    func testFramesPanelShowsTheRingFillAndTheLatencyPercentiles() throws {
        var state = liveState()
        var sample = state.counters
        sample.ring = SlotOccupancy(free: 58, filling: 0, filled: 4, claimed: 2)
        sample.latency = LatencyReadout(
            frames: 50, decode: StageLatency(p50Ns: 850_000, p99Ns: 1_200_000),
            process: StageLatency(p50Ns: 12_340_000, p99Ns: 30_000_000),
            receiveToResult: StageLatency(p50Ns: 20_000_000, p99Ns: 1_500_000_000))
        state.reduce(.sample(sample))
        let buffer = render(state)
        for (label, value) in [("ring", "4 queued 2 busy/64"), ("latency", "p50 p99"), ("decode", "850µs 1.2ms"),
                               (" process ", "12.3ms 30ms"), ("rx→result", "20ms 1.5s")] {
            let y = try XCTUnwrap(panelRow(buffer, containing: label), label)
            XCTAssertTrue(row(buffer, y).hasSuffix(value + " "), "\(label) row: \(row(buffer, y))")
        }
        let received = try XCTUnwrap(panelRow(buffer, containing: "received"))
        let ring = try XCTUnwrap(panelRow(buffer, containing: "ring"))
        XCTAssertGreaterThan(ring, received, "in the Frames section, under the counters")
        XCTAssertEqual(buffer[ScreenLayout(width: 120, height: 40).panel!.right - 2, ring].style,
                       buffer[ScreenLayout(width: 120, height: 40).panel!.right - 2, received].style,
                       "a ring with free slots is no warning")
    }

    func testFramesPanelShowsTheRingFillInBytesAndStaleFrames() throws {
        var state = liveState()
        var sample = state.counters
        XCTAssertNil(panelRow(render(state), containing: "stale"), "no stale row while none was stale")
        sample.stale = 4
        sample.ring = SlotOccupancy(free: 1000, filling: 0, filled: 20, claimed: 4, slotBytes: 16 << 10, ringBytes: 4 << 30)
        state.reduce(.sample(sample))
        let buffer = render(state)
        for (label, value) in [(" stale", "4"), ("ring", "20 queued 4 busy/1024"), (" bytes", "0% of 4G"), (" slot", "16K")] {
            let y = try XCTUnwrap(panelRow(buffer, containing: label), label)
            XCTAssertTrue(row(buffer, y).hasSuffix(value + " "), "\(label) row: \(row(buffer, y))")
        }
    }

    func testFramesPanelShowsThePullShareAndTheForwardCounters() throws {
        var state = liveState()
        XCTAssertNil(panelRow(render(state), containing: "pull takes"), "a SUB socket has no share")
        XCTAssertNil(panelRow(render(state), containing: "forwarded"), "no forward without --forward")
        var sample = state.counters
        sample.pullShare = PullShare.Estimate(series: 1, frames: 50, span: 99)
        var forward = MessageForwarder.Snapshot(endpoint: "tcp://127.0.0.1:9999")
        forward.messages = 1234
        forward.bytes = 56_700_000
        forward.blockedNanoseconds = 1_500_000_000
        forward.waiting = true
        sample.forward = forward
        state.reduce(.sample(sample))
        let buffer = render(state)
        for (label, value) in [("pull takes", "~51% of frames"), ("forwarded", "1234"), ("fwd MB", "56.7"), ("fwd blocked", "1.5s now")] {
            let y = try XCTUnwrap(panelRow(buffer, containing: label), label)
            XCTAssertTrue(row(buffer, y).hasSuffix(value + " "), "\(label) row: \(row(buffer, y))")
        }
        let x = ScreenLayout(width: 120, height: 40).panel!.right - 2
        let received = try XCTUnwrap(panelRow(buffer, containing: "received"))
        XCTAssertNotEqual(buffer[x, try XCTUnwrap(panelRow(buffer, containing: "pull takes"))].style, buffer[x, received].style,
                          "a share below the whole stream is a warning")
        let narrow = render(state, width: 60, height: 20)
        XCTAssertTrue(row(narrow, 0).contains("pull ~51%"),
                      "narrow screens say it in the title line: \(row(narrow, 0))")
    }

    func testAFullRingShowsAsAWarning() throws {
        var state = liveState(dropped: 0)
        var sample = state.counters
        sample.ring = SlotOccupancy(free: 0, filling: 1, filled: 60, claimed: 3)
        state.reduce(.sample(sample))
        let buffer = render(state)
        let x = ScreenLayout(width: 120, height: 40).panel!.right - 2
        let ring = try XCTUnwrap(panelRow(buffer, containing: "ring"))
        let received = try XCTUnwrap(panelRow(buffer, containing: "received"))
        XCTAssertNotEqual(buffer[x, ring].style, buffer[x, received].style)
    }

    func testPanelWithoutALatencyWindowShowsNoLatencyRows() {
        XCTAssertNil(panelRow(render(liveState()), containing: "latency"))
    }

    func testPanelShowsAMeterRowPerWorker() throws {
        let buffer = render(liveState())
        let w0 = try XCTUnwrap(panelRow(buffer, containing: "w0"))
        let w1 = try XCTUnwrap(panelRow(buffer, containing: "w1"))
        XCTAssertEqual(w1, w0 + 1)
        XCTAssertTrue(row(buffer, w0).contains("%"))
    }

    func testAStalledWorkerIsNamedInsteadOfItsLoad() throws {
        var state = liveState()
        var sample = state.counters
        sample.timeNanoseconds += 1
        sample.workers[0].stalled = true
        state.reduce(.sample(sample))
        let buffer = render(state)
        let w0 = try XCTUnwrap(panelRow(buffer, containing: "w0"))
        let w1 = try XCTUnwrap(panelRow(buffer, containing: "w1"))
        XCTAssertTrue(row(buffer, w0).contains("stalled"), row(buffer, w0))
        XCTAssertFalse(row(buffer, w0).contains("%"), row(buffer, w0))
        XCTAssertFalse(row(buffer, w1).contains("stalled"), row(buffer, w1))
        let x = try XCTUnwrap(row(buffer, w0).range(of: "stalled")).lowerBound.utf16Offset(in: row(buffer, w0))
        XCTAssertEqual(buffer[x, w0].style, Theme.default.colors.warningStyle, "in the warning colour")
    }

    func testTitleNamesSourceSeriesAndFrame() {
        let title = row(render(liveState()), 0)
        XCTAssertTrue(title.contains(source), title)
        XCTAssertTrue(title.contains("MOENCH"), title)
        XCTAssertTrue(title.contains("400×200"), title)
        XCTAssertTrue(title.contains("frame 17"), title)
    }

    func testStatusLineShowsTheLatestStatus() {
        let buffer = render(liveState())
        XCTAssertTrue(row(buffer, 39).contains("series 1 going strong"), row(buffer, 39))
        XCTAssertTrue(row(render(ViewerState(source: source)), 39).contains("ready"))
    }

    func testAnyOtherKeyClosesHelpOnAnyPageAndQStillQuits() {
        var state = liveState()
        state.reduce(.resized(width: 80, height: 24))
        state.reduce(key("?"))
        XCTAssertEqual(state.helpPage, 0)
        state.reduce(key("?"))
        XCTAssertEqual(state.helpPage, 1)
        XCTAssertTrue(state.showHelp)
        state.reduce(key("l"))
        XCTAssertFalse(state.showHelp)
        XCTAssertFalse(state.scale.logScale, "the key that closes help does nothing else")
        state.reduce(key("?"))
        XCTAssertEqual(state.helpPage, 0, "help opens on its first page again")
        state.reduce(key("q"))
        XCTAssertTrue(state.quit)
    }

    func testASCIIGlyphsLeaveNoNonASCIICharacterAnywhere() {
        var withHelp = liveState()
        withHelp.reduce(key("?"))
        var ended = liveState()
        ended.reduce(.seriesEnded(series: 1, frames: 20))
        let states = [ViewerState(source: source), liveState(), withHelp, ended]
        for (i, state) in states.enumerated() {
            for (w, h) in [(120, 40), (50, 20)] {
                let buffer = render(state, width: w, height: h, glyphs: .ascii)
                let foreign = buffer.cells.map(\.symbol).filter { !$0.isASCII }
                XCTAssertTrue(foreign.isEmpty, "state \(i) at \(w)×\(h): \(String(String.UnicodeScalarView(foreign)))")
            }
        }
    }

    func testDroppedAndBadCountsAboveZeroAreStyledApart() throws {
        func valueStyle(_ buffer: Buffer, _ label: String) throws -> Style {
            let y = try XCTUnwrap(panelRow(buffer, containing: label))
            let panel = ScreenLayout(width: buffer.width, height: buffer.height).panel!
            let x = try XCTUnwrap((panel.x..<panel.right).last { buffer[$0, y].symbol != " " })
            return buffer[x, y].style
        }
        let clean = render(liveState(dropped: 0, bad: 0)), troubled = render(liveState(dropped: 5, bad: 2))
        XCTAssertNotEqual(try valueStyle(clean, "dropped"), try valueStyle(troubled, "dropped"))
        XCTAssertNotEqual(try valueStyle(clean, "bad"), try valueStyle(troubled, "bad"))
        XCTAssertEqual(try valueStyle(clean, "dropped"), try valueStyle(clean, "received"), "zero looks like any count")
    }

    func testEveryScreenSizeRendersWithoutCrashing() {
        var withHelp = liveState()
        withHelp.reduce(key("?"))
        for state in [ViewerState(source: source), liveState(), withHelp] {
            for (w, h) in [(120, 40), (80, 24), (50, 20), (10, 3), (1, 1), (0, 0), (63, 5), (64, 5)] {
                for glyphs in [GlyphSet.unicode, .ascii] {
                    let buffer = render(state, width: w, height: h, glyphs: glyphs)
                    XCTAssertEqual(buffer.cells.count, w * h)
                    if w >= 8, h >= 1, !state.showHelp {
                        // Narrow screens trade the name for the counters in the title line.
                        let expected = w >= ScreenLayout.minimumWidthForPanel ? " detview" : " rx "
                        XCTAssertTrue(row(buffer, 0).hasPrefix(expected), "\(w)×\(h)")
                    }
                }
            }
        }
    }

    func testImageLargerThanTheBoxIsClippedNotOverflowing() {
        let buffer = render(liveState(imageWidth: 300, imageHeight: 200), width: 120, height: 40)
        let layout = ScreenLayout(width: 120, height: 40)
        let panel = layout.panel!
        for y in panel.y..<panel.bottom {
            for x in panel.x..<panel.right {
                XCTAssertNotEqual(buffer[x, y].symbol, "▀", "image leaked into the panel at \(x),\(y)")
                if buffer[x, y].symbol == "▀" { return }
            }
        }
    }
}
