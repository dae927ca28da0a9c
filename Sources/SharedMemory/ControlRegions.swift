import Processing

/// The regions of interest the viewer asks every worker to measure on each frame (at most
/// `capacity`, drawn with `R` or given with `--roi`), with a generation the viewer bumps on
/// every change so a frame's numbers can be matched to the regions they were measured for.
/// Stored in the control block beside `ControlSettings`' words, under the same sequence lock.
/// A plain value of fixed size (no allocation when a worker takes a snapshot per frame).
public struct ControlRegions: Equatable, Sendable {
    public static let capacity = 4

    public private(set) var count: Int
    public var generation: UInt32
    private var storage: InlineArray<4, PixelRegion>

    public init(_ regions: [PixelRegion] = [], generation: UInt32 = 0) {
        precondition(regions.count <= Self.capacity, "at most \(Self.capacity) regions")
        count = regions.count
        self.generation = generation
        storage = InlineArray(repeating: PixelRegion(x0: 0, y0: 0, x1: 0, y1: 0))
        for (i, r) in regions.enumerated() { storage[i] = r }
    }

    public subscript(index: Int) -> PixelRegion {
        precondition(index >= 0 && index < count)
        return storage[index]
    }

    public var regions: [PixelRegion] { (0..<count).map { storage[$0] } }

    public static func == (a: ControlRegions, b: ControlRegions) -> Bool {
        a.count == b.count && a.generation == b.generation && (0..<a.count).allSatisfy { a.storage[$0] == b.storage[$0] }
    }

    /// count, generation, then x0, y0, x1, y1 (as Int32 bit patterns) of each of the four.
    static let wordCount = 2 + 4 * capacity

    var words: InlineArray<18, UInt32> {
        var w = InlineArray<18, UInt32>(repeating: 0)
        w[0] = UInt32(count)
        w[1] = generation
        for i in 0..<Self.capacity {
            let r = storage[i]
            w[2 + 4 * i] = UInt32(bitPattern: Int32(clamping: r.x0))
            w[3 + 4 * i] = UInt32(bitPattern: Int32(clamping: r.y0))
            w[4 + 4 * i] = UInt32(bitPattern: Int32(clamping: r.x1))
            w[5 + 4 * i] = UInt32(bitPattern: Int32(clamping: r.y1))
        }
        return w
    }

    /// Words from shared memory are not trusted: a count above the capacity reads as none.
    init(words w: InlineArray<18, UInt32>) {
        count = w[0] <= UInt32(Self.capacity) ? Int(w[0]) : 0
        generation = w[1]
        storage = InlineArray(repeating: PixelRegion(x0: 0, y0: 0, x1: 0, y1: 0))
        for i in 0..<Self.capacity {
            storage[i] = PixelRegion(x0: Int(Int32(bitPattern: w[2 + 4 * i])), y0: Int(Int32(bitPattern: w[3 + 4 * i])),
                                     x1: Int(Int32(bitPattern: w[4 + 4 * i])), y1: Int(Int32(bitPattern: w[5 + 4 * i])))
        }
    }
}
