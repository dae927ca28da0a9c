import ZeroMQ

/// What a socket monitor's events mean for the person watching: which peer cannot be reached,
/// refuses the handshake or speaks another socket type, said once per problem, with what to do,
/// as `IngestEvent.message` warnings. And when a peer that had a problem connects after all,
/// an info line says so.
///
/// A pure value owned by the receive thread: monitor events and the time (monotonic ns) in,
/// events to post out; `nextDeadline` tells the thread when to call `check` if nothing happens
/// (a connect that gets no answer sends no event for minutes).
public struct ConnectionDiagnosis {
    /// How long a connect may wait for an answer, or a connection for its handshake, before the
    /// user is told: short enough that the viewer says why it shows nothing within 2 s.
    public static let answerTimeout: UInt64 = 1_500_000_000

    /// What is wrong with one endpoint.
    public enum Problem: Hashable, Sendable {
        case nothingListening, unresolvable, noAnswer, noHandshake, handshakeRefused
    }

    private struct Peer {
        var connectingSince: UInt64?
        var connectedSince: UInt64?
        /// A tcp connect to it was ever started: a later retry is no failed name lookup.
        var attempted = false
        /// The latest problem, and every one said since the last good handshake (each is said once:
        /// a peer whose attempts alternate between two failures must not repeat them every 100 ms).
        var problem: Problem?
        var said: Set<Problem> = []
    }

    /// The viewer's socket type: what a refused handshake means depends on it.
    public let socketType: ZMQSocketType
    private var peers: [String: Peer] = [:]

    public init(socketType: ZMQSocketType) {
        self.socketType = socketType
    }

    /// The problem last reported for `endpoint` (nil: none, or resolved since).
    public func problem(at endpoint: String) -> Problem? { peers[endpoint]?.problem }

    public mutating func observe(_ event: ZMQMonitorEvent, at now: UInt64) -> [IngestEvent] {
        let endpoint = event.endpoint
        var peer = peers[endpoint] ?? Peer()
        defer { peers[endpoint] = peer }
        switch event.kind {
        case .connectDelayed:
            peer.connectingSince = peer.connectingSince ?? now
            peer.attempted = true
        case .connectRetried:
            // A tcp attempt that was made and failed is a refusal; none ever made: the name did not
            // resolve. A retry after a connection dropped says nothing: its own attempt will.
            let problem: Problem
            if peer.connectingSince != nil { problem = .nothingListening }
            else if !peer.attempted { problem = .unresolvable }
            else { return [] }
            peer.connectingSince = nil
            if peer.problem == .noAnswer { return [] }   // a timed-out connect ends as a retry, later
            return report(problem, endpoint, &peer)
        case .connected, .accepted:
            peer.attempted = true
            peer.connectingSince = nil
            peer.connectedSince = now
        case .handshakeSucceeded:
            peer.connectedSince = nil
            guard peer.problem != nil else { return [] }
            peer.problem = nil
            peer.said = []
            return [.message("connected to \(endpoint)", .info)]
        case .handshakeFailedProtocol, .handshakeFailedNoDetail, .handshakeFailedAuth:
            peer.connectedSince = nil
            return report(.handshakeRefused, endpoint, &peer)
        case .disconnected:
            // libzmq 4.3 drops a peer of another socket type this way, before any handshake event.
            guard peer.connectedSince != nil else { return [] }
            peer.connectedSince = nil
            return report(.handshakeRefused, endpoint, &peer)
        default:
            break
        }
        return []
    }

    /// Connects without an answer and connections without a handshake, past `answerTimeout`.
    public mutating func check(at now: UInt64) -> [IngestEvent] {
        var events: [IngestEvent] = []
        for endpoint in peers.keys.sorted() {
            var peer = peers[endpoint]!
            guard peer.problem == nil else { continue }
            if let since = peer.connectingSince, now &- since >= Self.answerTimeout {
                events += report(.noAnswer, endpoint, &peer)
            } else if let since = peer.connectedSince, now &- since >= Self.answerTimeout {
                events += report(.noHandshake, endpoint, &peer)
            }
            peers[endpoint] = peer
        }
        return events
    }

    /// When `check` may next have something to say; nil: only an event can change anything.
    public var nextDeadline: UInt64? {
        peers.values.compactMap { peer -> UInt64? in
            guard peer.problem == nil, let since = peer.connectingSince ?? peer.connectedSince else { return nil }
            return since + Self.answerTimeout
        }.min()
    }

    /// Says a problem once: a retry every 100 ms must not repeat it.
    private func report(_ problem: Problem, _ endpoint: String, _ peer: inout Peer) -> [IngestEvent] {
        peer.problem = problem
        guard peer.said.insert(problem).inserted else { return [] }
        return [.message(text(problem, endpoint), .warning)]
    }

    func text(_ problem: Problem, _ endpoint: String) -> String {
        switch problem {
        case .nothingListening:
            return "nothing listens at \(endpoint) (connection refused): is the sender running, and are host and port right? (retrying)"
        case .unresolvable:
            return "cannot reach \(endpoint): its host name does not resolve (retrying)"
        case .noAnswer:
            return "no answer from \(endpoint): the host is down or unreachable, or a firewall drops the connection: check host and port (retrying)"
        case .noHandshake:
            return "\(endpoint) accepted the connection but sends no ZeroMQ handshake: is it a ZeroMQ stream port?"
        case .handshakeRefused:
            switch socketType {
            case .sub:
                // `--socket auto` is SUB for every format, so this is what a viewer with default options
                // says to a DECTRIS detector: why it shows nothing, and that it stays off on purpose.
                return "\(endpoint) refused the handshake: it is no PUB; the sender likely pushes (DECTRIS detectors and "
                    + "Jungfraujoch push), so detview does not attach: attaching (PULL) would take frames from the "
                    + "file writer. Watch safely through the detector's monitor interface or a PUB tap, or use "
                    + "--socket pull if nothing else reads the stream"
            case .pull:
                return "\(endpoint) refused the handshake: its socket is not a PUSH (a PUB sender needs --socket sub)"
            default:
                return "\(endpoint) refused the handshake: the socket types do not match"
            }
        }
    }
}
