import Glibc

extension Xoshiro256 {
    /// A Poisson count by Knuth's method: for the small per-frame means of spots and photons
    /// (means above 500 are clamped; the loop is bounded).
    mutating func poisson(_ mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        let limit = exp(-min(mean, 500))
        var k = 0
        var p = unit()
        while p > limit, k < 10_000 {
            k += 1
            p *= unit()
        }
        return k
    }
}
