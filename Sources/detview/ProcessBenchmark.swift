import CLinux
import DetectorStream
import Glibc
import Processing
import SharedMemory
import Simulator
import Workers

/// `detview bench process`: worker processes against a ring filled in advance with simulated
/// frames, per processing mode and worker count. Frames per second are timed over the part
/// of the run after the dark frames and the workers' start, from the ring's own counter.
struct ProcessBenchmark {
    struct Case {
        var name: String
        var width: Int
        var height: Int
        var pixelType: PixelType
        var frames: Int
        /// Distinct frames rendered (the ring repeats them).
        var distinct: Int
        var chargeIntegrating: Bool
        var render: (Int, UnsafeMutableRawBufferPointer) -> Void

        var frameBytes: Int { width * height * pixelType.bytesPerPixel }
    }

    static func moench(frames: Int) -> Case {
        var scene = MoenchScene()
        return Case(name: "MOENCH 400×400 u16", width: 400, height: 400, pixelType: .uint16, frames: frames,
                    distinct: 256, chargeIntegrating: true) { index, out in
            _ = scene.render(frameIndex: UInt64(index), into: out.bindMemory(to: UInt16.self))
        }
    }

    static func eiger4M(frames: Int) -> Case {
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

    /// The first quarter of the frames is dark (the pedestal of charge-integrating modes) and
    /// is not timed, nor is anything before 30 % of the frames are done.
    static func run(_ benchCase: Case, rendered: [[UInt8]], mode: ProcessingMode, workers: Int) throws -> Double {
        let layout = try RegionLayout(slotCount: benchCase.frames, slotCapacity: benchCase.frameBytes,
                                      maxWorkers: workers, boardMaxPixels: 1 << 16, resultCapacity: 1 << 16)
        let region = try DetviewRegion.create(layout: layout, name: "detview-bench", populate: true)
        var options = ProcessingOptions()
        options.darkFrames = benchCase.frames / 4
        region.writeOptions(options.encoded)
        // A display as a terminal would have: accumulating modes publish their share.
        region.control.set(ControlSettings(displayWidth: 200, displayHeight: 100, mode: mode.rawValue))
        for index in 0..<benchCase.frames {
            guard let slot = region.ring.acquireForWriting() else { break }
            let frame = rendered[index % rendered.count]
            var header = SlotHeader(series: 1, frameNumber: UInt64(index), frameIndex: UInt64(index),
                                    byteCount: UInt64(frame.count), width: UInt32(benchCase.width),
                                    height: UInt32(benchCase.height), pixelType: benchCase.pixelType.rawValue,
                                    encoding: PayloadEncoding.raw.rawValue, format: WireFormat.sls.rawValue)
            header.isChargeIntegrating = benchCase.chargeIntegrating
            slot.header.pointee = header
            frame.withUnsafeBytes { slot.payload.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            _ = region.ring.publish(slot)
        }
        let notify = dv_eventfd(0, dv_efd_cloexec() | dv_efd_nonblock())
        defer { close(notify) }
        let supervisor = WorkerSupervisor(count: workers, region: region, notifyFD: notify)
        try supervisor.startAll()
        defer { supervisor.stopAll() }
        let total = UInt64(benchCase.frames)
        let from = max(total * 3 / 10, UInt64(options.darkFrames) + UInt64(workers))
        var start: (time: UInt64, done: UInt64)?
        let deadline = dv_monotonic_ns() + 600_000_000_000
        while dv_monotonic_ns() < deadline {
            let done = region.ring.counters.processed + region.ring.counters.bad
            if start == nil, done >= from { start = (dv_monotonic_ns(), done) }
            if done >= total { break }
            _ = region.results.drain { _ in }
            usleep(200)
        }
        guard let start else { return 0 }
        let elapsed = Double(dv_monotonic_ns() - start.time) / 1e9
        return Double(total - start.done) / elapsed
    }
}
