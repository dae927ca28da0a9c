import Glibc

/// How the frame ring's byte budget (`--ring-bytes`) becomes slots, and what that budget is by
/// default. Pure functions: the receiver applies them to the ring (`FrameRing.prepareSlots`), the
/// command line to the machine's memory; tests call them on plain numbers.
///
/// Why slots sized to the series and not one size for all: a slot of `--max-frame-bytes` (80 MiB,
/// for an EIGER2 16M) holds one 320 KB MOENCH frame, so a fixed count of such slots overflows on
/// a burst of small frames that the workers would have taken a few milliseconds later, while the
/// same bytes hold hundreds of small slots.
public enum RingSizing {
    static let pageSize = 4096

    /// The budget's default is at most this (4 GiB) ...
    public static let defaultCeiling = 4 << 30
    /// ... and an eighth of the memory available ...
    public static let defaultMemoryShare = 8
    /// ... but never less than this many of the largest frames.
    public static let largestFramesInDefault = 4
    /// The slot table's default size (`--slots`): the most slots however small the frames. Workers
    /// scan the active slots for the oldest frame, so the count stays in the hundreds; a slsReceiver
    /// burst at 2 kHz that lost frames with 32 slots lost none with 256.
    public static let defaultMaxSlots = 1024

    /// The bytes one slot gets for frames of `frameBytes` (the raw frame a series announced, or
    /// a payload that did not fit): the frame, plus room for a compressed payload larger than its
    /// raw frame (LZ4's worst case is n + n/255 + 16, bitshuffle-LZ4 adds a 12-byte header and 4
    /// bytes per block), page-aligned so that every payload starts on a page; never more than a
    /// slot for the largest frame accepted.
    public static func slotBytes(forFrameBytes frameBytes: Int, maxFrameBytes: Int) -> Int {
        let frame = max(0, min(frameBytes, maxFrameBytes))
        return min(align(frame + frame / 128 + pageSize), align(maxFrameBytes))
    }

    /// How many slots of `slotBytes` the ring holds: as many as the bytes allow, at most the
    /// slot table's `maxSlots`, at least one (the budget holds one largest frame by construction).
    public static func slotCount(ringBytes: Int, slotBytes: Int, maxSlots: Int) -> Int {
        guard slotBytes > 0 else { return max(1, maxSlots) }
        return max(1, min(maxSlots, ringBytes / slotBytes))
    }

    /// The default budget: min(available / 8, 4 GiB), but room for at least 4 of the largest
    /// frames. Pages are committed only as frames fill them, so the budget is a bound, not a
    /// reservation.
    public static func defaultRingBytes(availableMemory: Int, maxFrameBytes: Int) -> Int {
        let share = min(max(0, availableMemory) / defaultMemoryShare, defaultCeiling)
        return max(share, largestFramesInDefault * align(maxFrameBytes))
    }

    /// The smallest budget accepted: two of the largest frames, so that the receiver can fill one
    /// slot while a worker reads another.
    public static func minimumRingBytes(maxFrameBytes: Int) -> Int {
        2 * align(maxFrameBytes)
    }

    /// "512M", "2G", "1.5GiB", "300k", "1048576": bytes, with binary suffixes (K, M, G, T, with
    /// or without a following "i", "iB" or "B"). Nil for anything else, zero or negative.
    public static func parseByteSize(_ text: String) -> Int? {
        let trimmed = text.trimmingWhitespace()
        var digits = Substring(trimmed)
        var suffix = ""
        while let last = digits.last, last.isLetter {
            suffix = String(last) + suffix
            digits = digits.dropLast()
        }
        let unit: Double
        switch suffix.lowercased() {
        case "", "b": unit = 1
        case "k", "ki", "kib", "kb": unit = 1024
        case "m", "mi", "mib", "mb": unit = 1024 * 1024
        case "g", "gi", "gib", "gb": unit = 1024 * 1024 * 1024
        case "t", "ti", "tib", "tb": unit = 1024 * 1024 * 1024 * 1024
        default: return nil
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isNumber || $0 == "." }),
              let number = Double(digits), number.isFinite, number > 0 else { return nil }
        let bytes = (number * unit).rounded()
        guard bytes >= 1, bytes < 0x1p62 else { return nil }
        return Int(bytes)
    }

    /// `MemAvailable` of /proc/meminfo in bytes (what the kernel says can be used without
    /// swapping), nil when the text has no such line.
    public static func memAvailable(fromMeminfo text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kibibytes = Int(fields[1]) else { return nil }
            return kibibytes * 1024
        }
        return nil
    }

    /// This machine's available memory: `MemAvailable`, or the physical memory when
    /// /proc/meminfo cannot be read.
    public static func availableMemory() -> Int {
        if let text = readSmallFile("/proc/meminfo"), let available = memAvailable(fromMeminfo: text) {
            return available
        }
        return max(0, sysconf(Int32(_SC_PHYS_PAGES))) * max(0, sysconf(Int32(_SC_PAGESIZE)))
    }

    static func align(_ value: Int) -> Int {
        (value + pageSize - 1) / pageSize * pageSize
    }

    private static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 16 << 10)
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            filled += n
        }
        return String(decoding: bytes[0..<filled], as: UTF8.self)
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
