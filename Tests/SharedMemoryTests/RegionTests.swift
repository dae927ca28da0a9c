import CLinux
import Foundation
import Glibc
import XCTest
@testable import SharedMemory

final class RegionTests: XCTestCase {
    func testCreatedRegionAttachesWithTheSameLayout() throws {
        let created = try makeRegion(slotCount: 6, slotCapacity: 10_000, maxWorkers: 3)
        let attached = try DetviewRegion.attach(created.region)
        XCTAssertEqual(attached.layout, created.layout)
        XCTAssertEqual(attached.layout.slotCount, 6)
        XCTAssertEqual(attached.layout.ringBytes, 6 * 12_288, "by default: the slots of before, page-aligned")
        XCTAssertGreaterThanOrEqual(created.region.size, created.layout.totalSize)
        XCTAssertEqual(created.region.size % SharedRegion.pageSize, 0)
    }

    func testRegionSizeIsRoundedUpToPages() throws {
        let region = try SharedRegion.create(name: "detview-test", size: 100)
        XCTAssertEqual(region.size, SharedRegion.pageSize)
    }

    func testRegionWithoutMagicIsRejectedWithAClearError() throws {
        let raw = try SharedRegion.create(name: "detview-test", size: 1 << 20)
        word64(raw.base, 0).pointee = 0x1234
        XCTAssertThrowsError(try DetviewRegion.attach(raw)) { error in
            XCTAssertEqual(error as? RegionError, .badMagic(found: 0x1234))
            XCTAssertTrue("\(error)".contains("not a detview region"), "\(error)")
        }
    }

    func testRegionWithOtherVersionIsRejected() throws {
        let created = try makeRegion()
        word32(created.region.base, 8).pointee = 99
        XCTAssertThrowsError(try DetviewRegion.attach(created.region)) { error in
            XCTAssertEqual(error as? RegionError, .unsupportedVersion(found: 99, expected: DetviewRegion.version))
        }
    }

    func testRegionSmallerThanItsLayoutIsRejected() throws {
        let created = try makeRegion(slotCount: 8, slotCapacity: 1 << 16)
        let small = try SharedRegion.create(name: "detview-test", size: 4096)
        small.base.copyMemory(from: created.region.base, byteCount: RegionLayout.headerSize)
        XCTAssertThrowsError(try DetviewRegion.attach(small)) { error in
            XCTAssertEqual(error as? RegionError, .tooSmall(size: 4096, needed: created.layout.totalSize))
        }
    }

    func testCorruptLayoutFieldIsRejected() throws {
        let created = try makeRegion()
        word64(created.region.base, 32).pointee = 0  // slotCount
        XCTAssertThrowsError(try DetviewRegion.attach(created.region)) { error in
            guard case .invalidLayout(let reason)? = error as? RegionError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("slotCount"), reason)
        }
    }

    func testLayoutOutsideLimitsThrows() {
        XCTAssertThrowsError(try RegionLayout(slotCount: 0, slotCapacity: 1, maxWorkers: 1,
                                              boardMaxPixels: 1, resultCapacity: 1))
        XCTAssertThrowsError(try RegionLayout(slotCount: 1, slotCapacity: 1, maxWorkers: 256,
                                              boardMaxPixels: 1, resultCapacity: 1))
    }

    func testLayoutSectionsDoNotOverlap() throws {
        let layout = try RegionLayout(slotCount: 5, slotCapacity: 5000, maxWorkers: 7,
                                      boardMaxPixels: 333, resultCapacity: 11)
        let sections = [
            (layout.headerOffset, RegionLayout.headerSize),
            (layout.controlOffset, RegionLayout.controlSize),
            (layout.ringOffset, RegionLayout.ringHeaderSize),
            (layout.slotTableOffset, 5 * RegionLayout.slotEntrySize),
            (layout.payloadOffset, layout.ringBytes),
            (layout.boardOffset, RegionLayout.boardHeaderSize + 2 * layout.boardBufferStride),
            (layout.resultsOffset, RegionLayout.resultsHeaderSize + 11 * RegionLayout.resultRecordStride),
            (layout.workerStatsOffset, 7 * RegionLayout.workerEntrySize),
        ]
        for (a, b) in zip(sections, sections.dropFirst()) {
            XCTAssertLessThanOrEqual(a.0 + a.1, b.0)
        }
        XCTAssertLessThanOrEqual(sections.last!.0 + sections.last!.1, layout.totalSize)
        XCTAssertEqual(layout.payloadOffset % 4096, 0)
    }

    func testSecondMappingOfTheSameMemfdSeesWrites() throws {
        let first = try makeRegion()
        let fd = open("/proc/self/fd/\(first.region.fd)", O_RDWR | O_CLOEXEC)
        XCTAssertGreaterThanOrEqual(fd, 0)
        let second = try DetviewRegion.attach(fd: fd)
        XCTAssertNotEqual(first.region.base, second.region.base)

        first.control.set(ControlSettings(displayWidth: 120, displayHeight: 80, mode: 3))
        XCTAssertEqual(second.control.snapshot().settings,
                       ControlSettings(displayWidth: 120, displayHeight: 80, mode: 3))

        let slot = try XCTUnwrap(first.ring.acquireForWriting())
        fill(slot, index: 42, words: 16)
        first.ring.publish(slot)
        let claimed = try XCTUnwrap(second.ring.claimNext(worker: 1))
        XCTAssertEqual(claimed.header.frameIndex, 42)
        XCTAssertTrue(payloadIsWhole(claimed))

        second.workerStats.addFrames(worker: 1, 5)
        XCTAssertEqual(first.workerStats.snapshot(worker: 1).frames, 5)
    }

    func testNothingAppearsInDevShm() throws {
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm")) ?? [])
        let region = try makeRegion()
        let after = Set((try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm")) ?? [])
        XCTAssertEqual(after.subtracting(before), [])
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(region.region.fd)")
        XCTAssertTrue(target.hasPrefix("/memfd:detview-test"), target)
    }

    func testRegionFdIsCloseOnExec() throws {
        let region = try makeRegion()
        XCTAssertNotEqual(fcntl(region.region.fd, F_GETFD) & FD_CLOEXEC, 0)
    }

    func testAttachToAnEmptyFdFailsWithTheCallName() throws {
        let fd = dv_memfd_create("detview-empty", dv_mfd_cloexec())
        defer { close(fd) }
        XCTAssertThrowsError(try SharedRegion.attach(fd: fd)) { error in
            XCTAssertTrue("\(error)".contains("attach"), "\(error)")
        }
    }

    func testWorkerStatsRoundTrip() throws {
        let region = try makeRegion(maxWorkers: 3)
        let stats = region.workerStats
        stats.setPid(worker: 2, 4242)
        stats.setState(worker: 2, .running)
        stats.addBusy(worker: 2, nanoseconds: 100)
        stats.addBusy(worker: 2, nanoseconds: 50)
        stats.addFrames(worker: 2)
        stats.addBad(worker: 2)
        stats.addRestart(worker: 2)
        XCTAssertEqual(stats.snapshot(worker: 2),
                       WorkerSnapshot(pid: 4242, state: .running, busyNanoseconds: 150, frames: 1, bad: 1,
                                      restarts: 1))
        XCTAssertEqual(stats.snapshot(worker: 0).state, .unused)
    }
}
