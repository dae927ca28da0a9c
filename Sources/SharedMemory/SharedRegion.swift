import Glibc
import Platform

/// One shared memory mapping backed by an anonymous memfd: nothing is ever visible in
/// /dev/shm, and the memory goes away with the last process that holds the fd or mapping.
///
/// The viewer creates it; worker processes receive the fd (dup2'd to a fixed number by the
/// spawner, which clears CLOEXEC in the child) and `attach` to it. The object owns both the
/// fd and the mapping and releases them in `deinit`. It is `@unchecked Sendable` because it
/// is immutable after creation; what the mapping holds is synchronised by its users.
public final class SharedRegion: @unchecked Sendable {
    private let memory: MemFD
    public let base: UnsafeMutableRawPointer
    /// Mapped bytes, a whole number of pages.
    public let size: Int

    /// The memfd's number (closed with the region, after the mapping is gone).
    public var fd: Int32 { memory.fd }

    private init(memory: consuming MemFD, base: UnsafeMutableRawPointer, size: Int) {
        self.memory = memory
        self.base = base
        self.size = size
    }

    deinit {
        munmap(base, size)
    }

    public static var pageSize: Int { Int(sysconf(Int32(_SC_PAGESIZE))) }

    /// Creates a zero-filled region of at least `size` bytes (rounded up to pages), with
    /// MFD_CLOEXEC. With `populate` its pages are allocated up front (first writes to fresh
    /// memfd pages otherwise run at page-fault speed); without, memory is used only as pages
    /// are touched, so a large bound costs nothing until frames fill it.
    public static func create(name: String, size: Int, populate: Bool = true) throws(SystemCallError) -> SharedRegion {
        guard size > 0, size <= Int(Int64.max / 2) else {
            throw SystemCallError(call: "SharedRegion.create(size: \(size))", errno: EINVAL)
        }
        let page = pageSize
        let rounded = (size + page - 1) / page * page
        let memory = try MemFD(name: name)   // closed by its owner if anything below fails
        try memory.resize(to: rounded)
        let base = try map(fd: memory.fd, size: rounded, populate: populate)
        return SharedRegion(memory: memory, base: base, size: rounded)
    }

    /// Maps the whole of an existing memfd (its size comes from fstat), without populating:
    /// the creator decided how much memory to commit. On success the region owns `fd` and
    /// closes it in `deinit`; on failure the caller still owns it.
    public static func attach(fd: Int32) throws(SystemCallError) -> SharedRegion {
        var info = stat()
        _ = try retryingOnInterrupt("fstat") { fstat(fd, &info) }
        let size = Int(info.st_size)
        guard size > 0 else { throw SystemCallError(call: "SharedRegion.attach(empty fd \(fd))", errno: EINVAL) }
        let base = try map(fd: fd, size: size, populate: false)
        return SharedRegion(memory: MemFD(adopting: fd), base: base, size: size)
    }

    private static func map(fd: Int32, size: Int, populate: Bool) throws(SystemCallError) -> UnsafeMutableRawPointer {
        let flags = populate ? MAP_SHARED | MAP_POPULATE : MAP_SHARED
        guard let pointer = mmap(nil, size, PROT_READ | PROT_WRITE, flags, fd, 0),
              pointer != UnsafeMutableRawPointer(bitPattern: -1)
        else { throw SystemCallError.last("mmap") }
        return pointer
    }
}
