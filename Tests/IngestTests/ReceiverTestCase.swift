import DetectorStream
import Ingest
import SharedMemory
import XCTest
import ZeroMQ

/// What the receiver tests share: a receiver on a real shared region, bound to a loopback
/// PULL socket, a PUSH socket connected to it, and the inbox events seen so far.
class ReceiverTestCase: XCTestCase {
    var region: DetviewRegion!
    var inbox: ReceiverInbox!
    var receiver: Receiver!
    var context: ZMQContext!
    var push: ZMQSocket!
    var events: [String] = []

    func start(slotCount: Int = 8, slotCapacity: Int = 4096, maxFrameBytes: Int = 4096, maskCapacity: Int = 1) throws {
        let layout = try RegionLayout(slotCount: slotCount, slotCapacity: slotCapacity, maxWorkers: 1,
                                      boardMaxPixels: 16, resultCapacity: 4, maskCapacity: maskCapacity)
        region = try DetviewRegion.create(layout: layout, name: "detview-receiver-test", populate: false)
        inbox = try ReceiverInbox()
        var options = Receiver.Options(endpoints: ["tcp://127.0.0.1:*"], maxFrameBytes: maxFrameBytes)
        options.socketType = .pull
        options.bind = true
        receiver = try Receiver(options: options, ring: region.ring, inbox: inbox, masks: region.masks,
                                control: region.control)
        XCTAssertEqual(receiver.boundEndpoints.count, 1)
        receiver.start()
        context = try ZMQContext()
        push = try ZMQSocket(context, .push)
        try push.setLinger(milliseconds: 0)
        try push.connect(receiver.boundEndpoints[0])
    }

    override func tearDown() {
        receiver?.stop()
        receiver = nil
        push?.close()
        push = nil
        context = nil
        inbox = nil
        region = nil
        events = []
    }

    /// Collects inbox events until one starts with `prefix`.
    func waitForEvent(_ prefix: String, file: StaticString = #filePath, line: UInt = #line) {
        let found = waitUntil {
            events += inbox.drain().map(describe)
            return events.contains { $0.hasPrefix(prefix) }
        }
        XCTAssertTrue(found, "no \(prefix) in \(events)", file: file, line: line)
    }
}
