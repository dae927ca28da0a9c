import DetectorStream
import Glibc
import Ingest
import SharedMemory
import XCTest
import ZeroMQ

/// The receiver with two slsDetector ports on two PUB sockets over tcp loopback: one socket and
/// decoder per endpoint, the ports assembled into one ring frame per frame number.
final class ReceiverAssemblyTests: XCTestCase {
    private var region: DetviewRegion!
    private var inbox: ReceiverInbox!
    private var receiver: Receiver!
    private var context: ZMQContext!
    private var ports: [ZMQSocket] = []
    private var events: [String] = []

    /// Two 8×4 u16 ports stacked vertically (MOENCH with two interfaces, scaled down).
    private let width = 8, height = 4

    private func start(format: WireFormat? = .sls, idleMilliseconds: Int = 5000) throws {
        let layout = try RegionLayout(slotCount: 8, slotCapacity: 4096, maxWorkers: 1, boardMaxPixels: 16, resultCapacity: 4)
        region = try DetviewRegion.create(layout: layout, name: "detview-assembly-test", populate: false)
        inbox = try ReceiverInbox()
        context = try ZMQContext()
        var endpoints: [String] = []
        for _ in 0..<2 {
            let pub = try ZMQSocket(context, .pub)
            try pub.setLinger(milliseconds: 0)
            try pub.bind("tcp://127.0.0.1:*")
            endpoints.append(try pub.lastEndpoint)
            ports.append(pub)
        }
        var options = Receiver.Options(endpoints: endpoints, maxFrameBytes: 4096)
        options.format = format
        options.seriesIdleTimeoutMilliseconds = idleMilliseconds
        XCTAssertTrue(options.assemblesPorts)
        receiver = try Receiver(options: options, ring: region.ring, inbox: inbox)
        receiver.start()
        // PUB drops what it sends before the subscription arrives: wait until both ports deliver.
        waitForSubscriptions()
    }

    override func tearDown() {
        receiver?.stop()
        receiver = nil
        ports.forEach { $0.close() }
        ports = []
        context = nil
        inbox = nil
        region = nil
        events = []
    }

    /// Sends a frame and an end header on both ports until a complete assembled frame reaches
    /// the ring: then both subscriptions are live. Clears what the probes left.
    private func waitForSubscriptions() {
        let live = waitUntil {
            for p in 0..<2 { try? sendFrame(port: p, number: 1, index: 0) }
            for p in 0..<2 { try? sendEnd(port: p) }
            usleep(20_000)
            var complete = false
            while let slot = region.ring.claimNext(worker: 0) {
                if !slot.header.isIncomplete { complete = true }
                region.ring.release(slot)
            }
            return complete
        }
        XCTAssertTrue(live, "the receiver subscribes to both ports")
        usleep(100_000)
        while let slot = region.ring.claimNext(worker: 0) { region.ring.release(slot) }
        _ = inbox.drain()
    }

    private func pixels(port: Int, number: UInt64) -> [UInt8] {
        (0..<width * height * 2).map { UInt8(truncatingIfNeeded: Int(number) &* 17 &+ port &* 101 &+ $0) }
    }

    private func sendFrame(port: Int, number: UInt64, index: UInt64) throws {
        var h = SlsHeader()
        h.jsonVersion = 5
        h.bitmode = 16
        h.detShape = [1, 2]
        h.shape = [width, height]
        h.size = width * height * 2
        h.frameNumber = number
        h.frameIndex = index
        h.data = 1
        h.completeImage = 1
        h.detType = 5
        h.row = port
        _ = try ports[port].sendMultipart([h.encoded(jsonVersion: 5), pixels(port: port, number: number)])
    }

    private func sendEnd(port: Int) throws {
        _ = try ports[port].send(SlsHeader.endOfAcquisition(jsonVersion: 5).encoded(jsonVersion: 5))
    }

    private func waitForEvent(_ prefix: String, file: StaticString = #filePath, line: UInt = #line) {
        let found = waitUntil {
            events += inbox.drain().map(describe)
            return events.contains { $0.hasPrefix(prefix) }
        }
        XCTAssertTrue(found, "no \(prefix) in \(events)", file: file, line: line)
    }

    func testTwoPortsBecomeOneRingFramePerFrameNumberWithBothHalvesInPlace() throws {
        try start()
        let before = region.ring.accounting.snapshot().received
        for number in 100..<103 as Range<UInt64> {
            for p in 0..<2 { try sendFrame(port: p, number: number, index: number - 100) }
        }
        // A port whose end header is read before its partner's frames arrive ends the series
        // (the merger cannot wait for a port that may be dead); let loopback deliver first.
        usleep(100_000)
        for p in 0..<2 { try sendEnd(port: p) }
        waitForEvent("seriesEnded")
        let starts = events.filter { $0.hasPrefix("seriesStarted") }
        XCTAssertEqual(starts.count, 1)
        XCTAssertTrue(starts.first?.hasSuffix(" 8x8 uint16") == true, "\(starts)")
        XCTAssertTrue(events.last?.hasPrefix("seriesEnded") == true && events.last?.hasSuffix(" 3") == true, "\(events)")
        XCTAssertEqual(region.ring.accounting.snapshot().received - before, 3, "one received per assembled frame")
        for number in 100..<103 as Range<UInt64> {
            let slot = try XCTUnwrap(region.ring.claimNext(worker: 0))
            defer { region.ring.release(slot) }
            XCTAssertEqual(slot.header.frameNumber, number)
            XCTAssertEqual(slot.header.width, 8)
            XCTAssertEqual(slot.header.height, 8)
            XCTAssertEqual(slot.header.byteCount, 128)
            XCTAssertFalse(slot.header.isIncomplete)
            XCTAssertEqual(Array(slot.payload), pixels(port: 0, number: number) + pixels(port: 1, number: number))
        }
        XCTAssertEqual(region.ring.accounting.snapshot().bad, 0)
    }

    func testSilentPortIsMaskedFlaggedAndNamedOnceInTheInbox() throws {
        try start(idleMilliseconds: 300)
        for number in 200..<206 as Range<UInt64> { try sendFrame(port: 0, number: number, index: number - 200) }
        try sendEnd(port: 0)
        waitForEvent("seriesEnded")
        let warnings = events.filter { $0.contains("missing from frame") }
        XCTAssertEqual(warnings.count, 1, "\(events)")
        XCTAssertTrue(warnings.first?.contains("(row 1, column 0)") == true, warnings.first ?? "")
        var seen = 0
        while let slot = region.ring.claimNext(worker: 0) {
            defer { region.ring.release(slot) }
            seen += 1
            XCTAssertTrue(slot.header.isIncomplete)
            let payload = Array(slot.payload)
            XCTAssertEqual(Array(payload[0..<64]), pixels(port: 0, number: slot.header.frameNumber))
            XCTAssertEqual(Array(payload[64...]), [UInt8](repeating: 0xFF, count: 64), "the missing half is all ones")
        }
        XCTAssertEqual(seen, 6)
    }
}
