import DetectorStream
import Glibc
import Platform
import Processing
import SharedMemory
import Simulator
import Workers

/// `detview bench process`: worker processes against a ring filled in advance with simulated
/// frames, per processing mode and worker count. Frames per second are timed over the part
/// of the run after the dark frames, from the ring's own counter.
public struct ProcessBenchmark {
    public struct Case {
        public var name: String
        public var width: Int
        public var height: Int
        public var pixelType: PixelType
        public var frames: Int
        /// Distinct frames rendered (the ring repeats them).
        public var distinct: Int
        public var chargeIntegrating: Bool
        public var render: (Int, UnsafeMutableRawBufferPointer) -> Void

        var frameBytes: Int { width * height * pixelType.bytesPerPixel }
    }

    public static func moench(frames: Int) -> Case {
        var scene = MoenchScene()
        return Case(name: "MOENCH 400×400 u16", width: 400, height: 400, pixelType: .uint16, frames: frames,
                    distinct: 256, chargeIntegrating: true) { index, out in
            _ = scene.render(frameIndex: UInt64(index), into: out.bindMemory(to: UInt16.self))
        }
    }

    public static func eiger4M(frames: Int) -> Case {
        var options = EigerScene.Options()
        options.width = 2068
        options.height = 2162
        options.pixelType = .uint32
        var scene = EigerScene(options: options)
        return Case(name: "EIGER 4M 2068×2162 u32", width: 2068, height: 2162, pixelType: .uint32, frames: frames,
                    distinct: 8, chargeIntegrating: false) { index, out in
            _ = scene.render(frameIndex: UInt64(index), into: out)
        }
    }

    /// Slots in the bench's ring: as the viewer's, small enough that a worker's scan for the
    /// oldest filled slot costs what it costs there.
    static let slots = 256

    /// The ring is filled in advance, `slots` frames at a time, while the workers wait; then
    /// all are published at once and the time until the workers have processed them is
    /// taken. The first rounds (the dark frames, `darkRounds`) warm up the pedestal and are
    /// not timed.
    public static func run(_ benchCase: Case, rendered: [[UInt8]], mode: ProcessingMode, workers: Int) throws -> Double {
        let layout = try RegionLayout(slotCount: slots, slotCapacity: benchCase.frameBytes,
                                      maxWorkers: workers, boardMaxPixels: 1 << 16, resultCapacity: 1 << 16)
        let region = try DetviewRegion.create(layout: layout, name: "detview-bench", populate: true)
        let perRound = min(slots, benchCase.frames)
        let rounds = max(3, benchCase.frames / perRound)
        let darkRounds = benchCase.chargeIntegrating ? max(1, (100 * workers + perRound - 1) / perRound + 1) : 1
        var options = ProcessingOptions()
        options.darkFrames = darkRounds * perRound
        region.writeOptions(options.encoded)
        // A display as a terminal would have: accumulating modes publish their share.
        region.control.set(ControlSettings(displayWidth: 200, displayHeight: 100, mode: mode.rawValue))
        let notify = try EventFD()
        let supervisor = WorkerSupervisor(count: workers, region: region, notifyFD: notify.fd)
        try supervisor.startAll()
        defer { supervisor.stopAll() }

        var index = 0
        var timedFrames = 0
        var timedNs: UInt64 = 0
        for round in 0..<(darkRounds + rounds) {
            var filling: [WriteSlot] = []
            for _ in 0..<perRound {
                guard let slot = region.ring.acquireForWriting() else { break }
                let frame = rendered[index % rendered.count]
                var header = SlotHeader(series: 1, frameNumber: UInt64(index), frameIndex: UInt64(index),
                                        byteCount: UInt64(frame.count), width: UInt32(benchCase.width),
                                        height: UInt32(benchCase.height), pixelType: benchCase.pixelType.rawValue,
                                        encoding: PayloadEncoding.raw.rawValue, format: WireFormat.sls.rawValue)
                header.isChargeIntegrating = benchCase.chargeIntegrating
                slot.header.pointee = header
                frame.withUnsafeBytes { slot.payload.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                filling.append(slot)
                index += 1
            }
            let finishedByWorkers = { let counts = region.ring.accounting.snapshot(); return counts.processed + counts.bad }
            let target = finishedByWorkers() + UInt64(filling.count)
            let start = MonotonicClock.nanoseconds
            for slot in filling { _ = region.ring.publish(slot) }
            let deadline = start + 120_000_000_000
            while finishedByWorkers() < target, MonotonicClock.nanoseconds < deadline {
                _ = region.results.drain { _ in }
                usleep(100)
            }
            if round >= darkRounds {
                timedNs += MonotonicClock.nanoseconds - start
                timedFrames += filling.count
            }
        }
        return timedNs == 0 ? 0 : Double(timedFrames) / (Double(timedNs) / 1e9)
    }
}
