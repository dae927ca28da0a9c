import CLinux
import Foundation
import Viewer
import XCTest

/// Tokens gathered by a consumer task; a test waits on the condition, not in a sleep loop.
private final class Tokens: @unchecked Sendable {
    private let condition = NSCondition()
    private var storage: [UInt64] = []

    func append(_ t: UInt64) {
        condition.lock()
        storage.append(t)
        condition.broadcast()
        condition.unlock()
    }

    var all: [UInt64] { condition.lock(); defer { condition.unlock() }; return storage }

    /// True once the tokens are `expected`, false if they are not within `seconds`.
    func become(_ expected: [UInt64], within seconds: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while storage != expected {
            if !condition.wait(until: deadline) { return storage == expected }
        }
        return true
    }
}

final class EventPumpTests: XCTestCase {
    private var descriptors: [Int32] = []

    override func tearDown() {
        descriptors.forEach { close($0) }
        descriptors = []
    }

    private func eventFD() -> Int32 {
        let fd = dv_eventfd(0, dv_efd_cloexec() | dv_efd_nonblock())
        XCTAssertGreaterThanOrEqual(fd, 0)
        descriptors.append(fd)
        return fd
    }

    /// Starts the pump and a consumer that records every token; `ended` is fulfilled when the
    /// stream finishes.
    private func consume(_ pump: EventPump) -> (Tokens, XCTestExpectation) {
        let tokens = Tokens()
        let ended = expectation(description: "stream ended")
        pump.start()
        Task.detached {
            for await token in pump.tokens { tokens.append(token) }
            ended.fulfill()
        }
        return (tokens, ended)
    }

    func testTokenArrivesWhenAnotherThreadSignalsTheDescriptor() throws {
        let pump = try EventPump()
        let fd = eventFD()
        try pump.watch(fd, token: 42)
        let (tokens, ended) = consume(pump)
        Thread { _ = dv_eventfd_signal(fd) }.start()
        XCTAssertTrue(tokens.become([42]), "got \(tokens.all)")
        pump.stop()
        wait(for: [ended], timeout: 5)
    }

    func testEachDescriptorDeliversItsOwnToken() throws {
        let pump = try EventPump()
        let a = eventFD(), b = eventFD()
        try pump.watch(a, token: 1)
        try pump.watch(b, token: 2)
        let (tokens, ended) = consume(pump)
        _ = dv_eventfd_signal(b)
        XCTAssertTrue(tokens.become([2]), "got \(tokens.all)")
        _ = dv_eventfd_drain(b)
        _ = dv_eventfd_signal(a)
        XCTAssertTrue(tokens.become([2, 1]), "got \(tokens.all)")
        _ = dv_eventfd_drain(a)
        _ = dv_eventfd_signal(b)
        XCTAssertTrue(tokens.become([2, 1, 2]), "got \(tokens.all)")
        pump.stop()
        wait(for: [ended], timeout: 5)
    }

    func testStopEndsTheStream() throws {
        let pump = try EventPump()
        let (_, ended) = consume(pump)
        pump.stop()
        wait(for: [ended], timeout: 5)
        pump.stop()   // idempotent
    }

    func testStopBeforeStartEndsTheStream() throws {
        let pump = try EventPump()
        let ended = expectation(description: "stream ended")
        Task.detached {
            for await _ in pump.tokens {}
            ended.fulfill()
        }
        pump.stop()
        wait(for: [ended], timeout: 5)
    }

    func testUnwatchedDescriptorDeliversNothing() throws {
        let pump = try EventPump()
        let a = eventFD(), b = eventFD()
        try pump.watch(a, token: 1)
        try pump.watch(b, token: 2)
        let (tokens, ended) = consume(pump)
        pump.unwatch(a)
        // a is signalled first: were it still watched, its token would come before b's.
        _ = dv_eventfd_signal(a)
        _ = dv_eventfd_signal(b)
        XCTAssertTrue(tokens.become([2]), "got \(tokens.all)")
        pump.stop()
        wait(for: [ended], timeout: 5)
        XCTAssertEqual(tokens.all, [2])
    }

    func testWatchingABadDescriptorIsAnErrorNamingEpollCtl() throws {
        let pump = try EventPump()
        XCTAssertThrowsError(try pump.watch(-1, token: 1)) { error in
            XCTAssertTrue("\(error)".contains("epoll_ctl"), "\(error)")
        }
        pump.stop()
    }
}
