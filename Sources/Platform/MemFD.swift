import CLinux
import Glibc

/// An owned anonymous memory file (`memfd_create`, CLOEXEC): nothing appears in /dev/shm,
/// no other user can open it, and it goes away with the last fd or mapping. The viewer's
/// shared region is one; workers get it through the spawner's dup2.
public struct MemFD: ~Copyable, Sendable {
    private let owned: OwnedDescriptor

    public var fd: Int32 { owned.rawValue }

    public init(name: String) throws(SystemCallError) {
        owned = OwnedDescriptor(adopting: try retryingOnInterrupt("memfd_create") { dv_memfd_create(name, dv_mfd_cloexec()) })
    }

    /// Takes ownership of an inherited memfd (a worker's fd 3).
    public init(adopting fd: Int32) { owned = OwnedDescriptor(adopting: fd) }

    /// Sets its size (new bytes read as zero).
    public func resize(to bytes: Int) throws(SystemCallError) {
        _ = try retryingOnInterrupt("ftruncate(\(bytes))") { ftruncate(fd, off_t(bytes)) }
    }

    /// Its size from fstat.
    public func size() throws(SystemCallError) -> Int {
        var info = stat()
        _ = try retryingOnInterrupt("fstat") { fstat(fd, &info) }
        return Int(info.st_size)
    }

    public consuming func release() -> Int32 { owned.release() }
    public consuming func close() throws(SystemCallError) { try owned.close() }
}
