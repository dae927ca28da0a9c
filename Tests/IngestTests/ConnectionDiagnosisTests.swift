import Ingest
import XCTest
import ZeroMQ

/// What socket monitor events become for the user: each problem said once, with what to do.
/// Plain values and an injected clock (ns): no sockets, no sleeps.
final class ConnectionDiagnosisTests: XCTestCase {
    private let endpoint = "tcp://127.0.0.1:30001"
    private let ms: UInt64 = 1_000_000

    private func feed(_ diagnosis: inout ConnectionDiagnosis, _ kinds: [ZMQMonitorEvent.Kind], at now: UInt64) -> [String] {
        kinds.flatMap { diagnosis.observe(ZMQMonitorEvent(kind: $0, endpoint: endpoint), at: now) }.map(describe)
    }

    func testARefusedConnectIsNothingListeningSaidOnceAcrossRetries() {
        var d = ConnectionDiagnosis(socketType: .sub)
        let first = feed(&d, [.connectDelayed, .closed, .connectRetried], at: 0)
        XCTAssertEqual(first.count, 1)
        XCTAssertTrue(first[0].hasPrefix("message nothing listens at tcp://127.0.0.1:30001 (connection refused)"), first[0])
        XCTAssertTrue(first[0].hasSuffix("warning"))
        XCTAssertEqual(feed(&d, [.connectDelayed, .closed, .connectRetried], at: 100 * ms), [], "a retry says nothing new")
        XCTAssertEqual(d.problem(at: endpoint), .nothingListening)
    }

    func testARetryWithNoConnectEverStartedIsAHostThatDoesNotResolve() {
        var d = ConnectionDiagnosis(socketType: .sub)
        let said = feed(&d, [.connectRetried], at: 0)
        XCTAssertEqual(said.count, 1)
        XCTAssertTrue(said[0].contains("host name does not resolve"), said[0])
    }

    func testASubConnectedToAPeerThatDropsItBeforeTheHandshakeIsToldTheSenderPushesAndWhatToDo() throws {
        var d = ConnectionDiagnosis(socketType: .sub)
        let said = feed(&d, [.connectDelayed, .connected, .disconnected], at: 0)
        let text = try XCTUnwrap(said.first)
        XCTAssertTrue(text.contains("refused the handshake"), text)
        XCTAssertTrue(text.contains("pushes"), text)
        XCTAssertTrue(text.contains("--socket pull"), text)
        XCTAssertTrue(text.contains("monitor interface"), text)
        XCTAssertTrue(text.contains("PUB tap"), text)
        XCTAssertTrue(text.contains("does not attach"), "says the viewer stays off on purpose: \(text)")
        XCTAssertTrue(text.contains("would take frames from the file writer"), text)
        XCTAssertEqual(feed(&d, [.connectRetried, .connectDelayed, .connected, .disconnected], at: 200 * ms), [],
                       "alternating failures are each said once")
    }

    func testAPullRefusedByItsPeerIsToldToUseSub() throws {
        var d = ConnectionDiagnosis(socketType: .pull)
        let text = try XCTUnwrap(feed(&d, [.connected, .handshakeFailedProtocol], at: 0).first)
        XCTAssertTrue(text.contains("not a PUSH"), text)
        XCTAssertTrue(text.contains("--socket sub"), text)
    }

    func testAGoodHandshakeSaysNothingUnlessAProblemWasSaidThenSaysConnected() {
        var d = ConnectionDiagnosis(socketType: .sub)
        XCTAssertEqual(feed(&d, [.connectDelayed, .connected, .handshakeSucceeded], at: 0), [])
        XCTAssertEqual(feed(&d, [.disconnected], at: ms), [], "a peer that had shaken hands and left is no problem")
        _ = feed(&d, [.connectDelayed, .closed, .connectRetried], at: 2 * ms)
        XCTAssertEqual(feed(&d, [.connectDelayed, .connected, .handshakeSucceeded], at: 3 * ms),
                       ["message connected to tcp://127.0.0.1:30001 info"])
        XCTAssertNil(d.problem(at: endpoint))
        XCTAssertEqual(feed(&d, [.connectDelayed, .closed, .connectRetried], at: 4 * ms).count, 1,
                       "after a good handshake a new problem is said again")
    }

    func testAConnectWithoutAnswerIsSaidAtTheDeadlineAndNotBefore() throws {
        var d = ConnectionDiagnosis(socketType: .sub)
        XCTAssertNil(d.nextDeadline)
        _ = feed(&d, [.connectDelayed], at: 10 * ms)
        XCTAssertEqual(d.nextDeadline, 10 * ms + ConnectionDiagnosis.answerTimeout)
        XCTAssertLessThan(ConnectionDiagnosis.answerTimeout, 2_000_000_000, "said within 2 s")
        XCTAssertEqual(d.check(at: 10 * ms + ConnectionDiagnosis.answerTimeout - 1).map(describe), [])
        let said = d.check(at: 10 * ms + ConnectionDiagnosis.answerTimeout).map(describe)
        XCTAssertEqual(said.count, 1)
        XCTAssertTrue(said[0].contains("no answer from tcp://127.0.0.1:30001"), said[0])
        XCTAssertNil(d.nextDeadline, "said: nothing more to wait for")
        XCTAssertEqual(feed(&d, [.closed, .connectRetried], at: 60_000 * ms), [], "the late retry of a timed-out connect")
    }

    func testAConnectionWithoutHandshakeIsSaidAtTheDeadline() throws {
        var d = ConnectionDiagnosis(socketType: .sub)
        _ = feed(&d, [.connectDelayed, .connected], at: 0)
        let said = d.check(at: ConnectionDiagnosis.answerTimeout).map(describe)
        XCTAssertEqual(said.count, 1)
        XCTAssertTrue(said[0].contains("sends no ZeroMQ handshake"), said[0])
    }
}
