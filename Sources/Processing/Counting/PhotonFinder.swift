import CKernels

/// Single-photon counting by cluster finding on pedestal-subtracted frames. One instance per
/// worker, used from its processing thread; every buffer is allocated in `init`.
///
/// The rule (run in C, CKernels `ck_find_photons`): pixel p is a photon when
/// - it is not masked (NaN), and it is the maximum of its own centred 3×3 window. Ties: p must
///   be strictly greater than the neighbours before it in row-major order and ≥ the ones after,
///   so a flat pair of equal maxima counts once, at the first;
/// - and its window passes one nσ test, with n = `sigma` and σ_p the pixel's pedestal σ:
///   the window maximum (p itself) > n·σ_p, or the 3×3 sum > 3n·σ_p, or the best 2×2 sum
///   containing p > 2n·σ_p.
///
/// Windows are clipped at the image edge (a border or corner photon is found); masked pixels
/// count as 0 in the sums. σ_p is floored at `minimumSigma` (default 1 ADU): a pixel with σ = 0
/// (a constant dark level) counts only values above n·minimumSigma, never every bit of noise.
/// Consequences: two photons separated by one pixel give two counts; two photons in adjacent
/// pixels, like one photon whose charge is shared, give one count (the larger).
public final class PhotonFinder {
    public let width: Int
    public let height: Int
    /// n of the nσ tests; may change between frames. NaN finds nothing.
    public var sigma: Float = 4
    /// Floor of a pixel's σ (ADU) in the tests.
    public var minimumSigma: Float = 1
    /// Photons of the last frame kept in `lastPhotons` (the count goes on beyond it).
    public let capacity: Int
    /// Photons found in the last frame, including those beyond `capacity`.
    public private(set) var lastPhotonCount = 0
    /// Frames accumulated into `countImage` since creation or `clear`.
    public private(set) var accumulatedFrames = 0
    /// Whether `find` adds its photons to `countImage`. A caller that keeps counts of its own
    /// turns it off: each count is a write to a random place of a frame-sized image, a cache
    /// miss per photon.
    public var countsPhotons = true
    var path: KernelPath = .best

    private let countStore: OwnedPixels<UInt32>
    private let exclusionStore: OwnedPixels<UInt8>
    private let listStore: OwnedPixels<ck_photon>
    private let scratch: OwnedPixels<UInt8>

    public init(width: Int, height: Int, capacity: Int = 4096) throws(CountingError) {
        let n = try CountingError.pixelCount(width: width, height: height)
        self.width = width
        self.height = height
        self.capacity = max(0, capacity)
        countStore = OwnedPixels(count: n, zero: 0)
        exclusionStore = OwnedPixels(count: n, zero: 0)
        listStore = OwnedPixels(count: max(1, capacity), zero: ck_photon())
        scratch = OwnedPixels(count: ck_photon_scratch_bytes(width, height), zero: 0)
    }

    public var pixelCount: Int { width * height }
    /// Photons per pixel since `clear`, row-major. Valid while the finder lives.
    public var countImage: UnsafeBufferPointer<UInt32> { countStore.readOnly }
    /// 1 on the 3×3 of each photon of the last frame, else 0: the pixels the pedestal must not take.
    public var exclusion: UnsafeBufferPointer<UInt8> { exclusionStore.readOnly }
    /// The photons of the last frame stored in the list: min(lastPhotonCount, capacity).
    public var storedPhotonCount: Int { min(lastPhotonCount, capacity) }

    public func photon(at index: Int) -> FoundPhoton {
        precondition(index >= 0 && index < storedPhotonCount, "photon index out of range")
        let p = listStore.pointer[index]
        return FoundPhoton(x: Int(p.x), y: Int(p.y), value: p.value)
    }

    /// The stored photons of the last frame in row-major order (allocates: for display and tests).
    public var lastPhotons: [FoundPhoton] { (0..<storedPhotonCount).map { photon(at: $0) } }

    /// Finds the photons of one pedestal-subtracted frame (NaN = masked or no pedestal), given
    /// the per-pixel pedestal variance. Always rewrites the exclusion map and the last-frame
    /// list; adds to the count image only when `accumulate` is true. Returns the photon count.
    @discardableResult
    public func find(_ subtracted: UnsafeBufferPointer<Float>, variance: UnsafeBufferPointer<Float>,
                     accumulate: Bool = true) throws(CountingError) -> Int {
        try CountingError.check(subtracted.count, is: pixelCount)
        try CountingError.check(variance.count, is: pixelCount)
        let found = ck_find_photons(subtracted.baseAddress, variance.baseAddress, width, height, sigma, minimumSigma,
                                    accumulate && countsPhotons ? countStore.base : nil, exclusionStore.base, listStore.base,
                                    capacity, scratch.base, path.c)
        lastPhotonCount = found
        if accumulate { accumulatedFrames += 1 }
        return found
    }

    /// Zeroes the count image (the `c` key).
    public func clear() {
        countStore.fill(0)
        accumulatedFrames = 0
    }
}
