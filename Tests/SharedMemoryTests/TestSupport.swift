import Foundation
@testable import SharedMemory

func makeRegion(slotCount: Int = 4, slotCapacity: Int = 4096, maxWorkers: Int = 4,
                boardMaxPixels: Int = 10_000, resultCapacity: Int = 64, maskCapacity: Int = 1000) throws -> DetviewRegion {
    let layout = try RegionLayout(slotCount: slotCount, slotCapacity: slotCapacity, maxWorkers: maxWorkers,
                                  boardMaxPixels: boardMaxPixels, resultCapacity: resultCapacity,
                                  maskCapacity: maskCapacity)
    return try DetviewRegion.create(layout: layout, name: "detview-test")
}

/// Runs each body on its own thread and waits for all of them.
func runConcurrently(_ bodies: [@Sendable () -> Void]) {
    let group = DispatchGroup()
    for body in bodies {
        group.enter()
        let thread = Thread {
            body()
            group.leave()
        }
        thread.start()
    }
    group.wait()
}

/// Values gathered from several threads.
final class Collected<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [T] = []

    func append(contentsOf values: [T]) {
        lock.lock()
        storage.append(contentsOf: values)
        lock.unlock()
    }

    var items: [T] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}

/// Writes a frame whose payload words all derive from `index`, so a reader can tell a
/// whole payload from a torn or foreign one.
func fill(_ slot: WriteSlot, index: UInt64, words: Int) {
    slot.header.pointee = SlotHeader(frameIndex: index, byteCount: UInt64(words * 8), width: 1, height: 1)
    let payload = slot.payload.bindMemory(to: UInt64.self)
    for k in 0..<words { payload[k] = index &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(k) }
}

/// True when the claimed payload is exactly what `fill` wrote for its header's frame index.
func payloadIsWhole(_ slot: ClaimedSlot) -> Bool {
    let index = slot.header.frameIndex
    guard slot.payload.count == Int(slot.header.byteCount), slot.payload.count % 8 == 0 else { return false }
    let words = slot.payload.bindMemory(to: UInt64.self)
    for k in 0..<words.count where words[k] != index &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(k) {
        return false
    }
    return true
}
