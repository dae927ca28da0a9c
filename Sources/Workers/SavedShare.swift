import Glibc
import Processing

/// One worker's full-resolution share of an accumulated view, written when the worker exits
/// (`--save`) or answers a snapshot request (`S`: its share, or the latest frame, of the
/// viewport's region) into the memfd the viewer made for its index (fd 5 in the worker), and
/// read by the viewer, which composes the shares into the saved image. The memfd has no name in any
/// file system, so nothing is left behind whenever and however the viewer ends.
public struct SavedShare: Equatable, Sendable {
    public var mode: ProcessingMode
    public var width: Int
    public var height: Int
    public var framesA: UInt64
    public var framesB: UInt64
    public var a: [Float]
    /// Empty without a pumped image (or, for a profile, holds the ring pixel counts).
    public var b: [Float]
    /// The snapshot request (`S`, the control block's number) this share answers; 0 for the
    /// share `--save` takes at exit.
    public var request: UInt32
    /// Where the image's first pixel lies in the frame: a snapshot of a zoomed view holds only
    /// its region (0, 0 for a whole frame).
    public var x0: Int
    public var y0: Int

    public init(mode: ProcessingMode, width: Int, height: Int, framesA: UInt64, framesB: UInt64, a: [Float], b: [Float],
                request: UInt32 = 0, x0: Int = 0, y0: Int = 0) {
        self.mode = mode
        self.width = width
        self.height = height
        self.framesA = framesA
        self.framesB = framesB
        self.a = a
        self.b = b
        self.request = request
        self.x0 = x0
        self.y0 = y0
    }

    static let magic: UInt64 = 0x3252_4148_5356_4444  // "DDVSHAR2"
    static let headerWordCount = 10

    /// The header words, then A, then B.
    private var headerWords: [UInt64] {
        [Self.magic, UInt64(mode.rawValue), UInt64(width), UInt64(height), framesA, framesB, UInt64(b.isEmpty ? 0 : 1),
         UInt64(request), UInt64(x0), UInt64(y0)]
    }

    /// Replaces what `fd` holds (a memfd the viewer made for this worker index) with this share.
    /// Positioned writes from offset 0, so the descriptor's file offset does not matter. The
    /// magic word goes in last: the viewer may read while a snapshot is being answered, and
    /// a share without its magic is no share (`read` gives nil) rather than a torn one.
    public func write(to fd: Int32) -> Bool {
        guard ftruncate(fd, 0) == 0 else { return false }
        var offset = 0
        func put(_ bytes: UnsafeRawBufferPointer) -> Bool {
            var done = 0
            while done < bytes.count {
                let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                done += n
            }
            offset += done
            return true
        }
        var words = headerWords
        words[0] = 0
        guard words.withUnsafeBytes(put) && a.withUnsafeBytes(put) && (b.isEmpty || b.withUnsafeBytes(put)) else {
            return false
        }
        offset = 0
        return withUnsafeBytes(of: Self.magic, put)
    }

    /// Empties `fd`: a worker with nothing to leave at exit must not leave a snapshot's share
    /// there for `--save` to take.
    public static func clear(_ fd: Int32) { _ = ftruncate(fd, 0) }

    /// The request a complete share in `fd` answers (0: `--save`'s), from its header alone: the
    /// viewer looks at this on every wake-up while it waits for a snapshot, and the pixels may
    /// be many megabytes. Nil when `fd` holds no complete share (the magic word comes last).
    public static func request(in fd: Int32) -> UInt32? {
        var words = [UInt64](repeating: 0, count: headerWordCount)
        let size = headerWordCount * 8
        let n = words.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, size, 0) }
        guard n == size, words[0] == magic else { return nil }
        return UInt32(truncatingIfNeeded: words[7])
    }

    /// Reads a share back from offset 0; nil for an empty (never written), short or foreign one.
    public static func read(from fd: Int32) -> SavedShare? {
        var offset = 0
        func take(_ count: Int) -> [UInt8]? {
            var out = [UInt8](repeating: 0, count: count)
            var done = 0
            while done < count {
                let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return nil }
                done += n
            }
            offset += done
            return out
        }
        guard let head = take(headerWordCount * 8) else { return nil }
        let words = head.withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) }
        guard words[0] == magic, let mode = ProcessingMode(rawValue: UInt32(truncatingIfNeeded: words[1])),
              words[2] <= 1 << 20, words[3] <= 1 << 20, words[2] * words[3] <= 1 << 28 else { return nil }
        let count = Int(words[2] * words[3])
        func floats() -> [Float]? {
            take(count * 4).map { bytes in bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) } }
        }
        guard let a = floats() else { return nil }
        var b: [Float] = []
        if words[6] != 0 {
            guard let read = floats() else { return nil }
            b = read
        }
        return SavedShare(mode: mode, width: Int(words[2]), height: Int(words[3]), framesA: words[4], framesB: words[5],
                          a: a, b: b, request: UInt32(truncatingIfNeeded: words[7]),
                          x0: Int(truncatingIfNeeded: words[8]), y0: Int(truncatingIfNeeded: words[9]))
    }
}
