/// The 8×8 Bayer matrix of ordered dithering, as thresholds in (0, 1).
///
/// Ordered rather than error-diffusion dithering because each pixel's choice depends only on its
/// value and position: the pattern stays put from frame to frame (no crawling noise in a live view),
/// unchanged regions give unchanged cells (nothing extra for the renderer to send), and it costs
/// one table lookup per pixel. 8×8 gives 64 mixing levels between two palette colours.
public enum OrderedDither {
    /// Threshold of pixel (x, y): (rank + 0.5) / 64, rank from the recursive Bayer construction
    /// M(2n) = [[4M, 4M+2], [4M+3, 4M+1]].
    public static let thresholds: [Float] = {
        var matrix: [[Int]] = [[0]]
        while matrix.count < 8 {
            let n = matrix.count
            var next = [[Int]](repeating: [Int](repeating: 0, count: 2 * n), count: 2 * n)
            for y in 0..<n {
                for x in 0..<n {
                    let v = 4 * matrix[y][x]
                    next[y][x] = v
                    next[y][x + n] = v + 2
                    next[y + n][x] = v + 3
                    next[y + n][x + n] = v + 1
                }
            }
            matrix = next
        }
        return matrix.flatMap { $0 }.map { (Float($0) + 0.5) / 64 }
    }()

    @inline(__always)
    public static func threshold(x: Int, y: Int) -> Float {
        thresholds[(y & 7) << 3 | (x & 7)]
    }
}
