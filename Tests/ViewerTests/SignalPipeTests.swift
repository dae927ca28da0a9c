import Glibc
import Viewer
import XCTest

/// Only SIGWINCH is ever sent here: its default action is to ignore it, so a broken handler
/// cannot kill the test process.
final class SignalPipeTests: XCTestCase {
    private func handler(_ signal: Int32) -> Int {
        var action = sigaction()
        XCTAssertEqual(sigaction(signal, nil, &action), 0)
        return unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
    }

    private let defaultHandler = 0, ignoreHandler = 1

    func testResizeSignalArrivesThroughThePipe() throws {
        let pipe = try SignalPipe(includeResize: true)
        XCTAssertEqual(pipe.signals, [SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGCONT], "SIGCONT repaints after fg")
        XCTAssertTrue(pipe.drain().isEmpty)
        kill(getpid(), SIGWINCH)
        XCTAssertTrue(isReadable(pipe.readFD, within: 5000))
        XCTAssertEqual(pipe.drain(), [SIGWINCH])
        kill(getpid(), SIGCONT)
        XCTAssertTrue(isReadable(pipe.readFD, within: 5000))
        XCTAssertEqual(pipe.drain(), [SIGCONT])
        XCTAssertTrue(pipe.drain().isEmpty, "drained")
    }

    func testEverySignalAfterADrainArrivesAgain() throws {
        let pipe = try SignalPipe(includeResize: true)
        var got: [Int32] = []
        for _ in 0..<3 {
            kill(getpid(), SIGWINCH)
            XCTAssertTrue(isReadable(pipe.readFD, within: 5000))
            got += pipe.drain()
        }
        XCTAssertEqual(got, [SIGWINCH, SIGWINCH, SIGWINCH])
    }

    func testWithoutResizeSIGWINCHIsLeftAlone() throws {
        let pipe = try SignalPipe(includeResize: false)
        XCTAssertEqual(pipe.signals, [SIGINT, SIGTERM, SIGHUP])
        XCTAssertEqual(handler(SIGWINCH), defaultHandler)
        kill(getpid(), SIGWINCH)
        XCTAssertFalse(isReadable(pipe.readFD, within: 50))
    }

    func testHandlersAreInstalledAndSIGPIPEIgnored() throws {
        let pipe = try SignalPipe(includeResize: true)
        for signal in pipe.signals {
            XCTAssertNotEqual(handler(signal), defaultHandler, "signal \(signal)")
            XCTAssertNotEqual(handler(signal), ignoreHandler, "signal \(signal)")
        }
        XCTAssertEqual(handler(SIGPIPE), ignoreHandler)
    }

    func testDeinitRestoresTheDefaultHandlers() throws {
        var pipe: SignalPipe? = try SignalPipe(includeResize: true)
        let signals = pipe!.signals
        XCTAssertNotEqual(handler(SIGWINCH), defaultHandler)
        pipe = nil
        for signal in signals { XCTAssertEqual(handler(signal), defaultHandler, "signal \(signal)") }
    }
}
