extension FrameKernels {
    /// The q-quantiles (q in 0...1, clamped) of the non-NaN values, interpolating linearly
    /// between the two nearest ranks (numpy's default). NaN for every q when no value is
    /// left. For autoscale over display images (tens of thousands of values): one copy, then
    /// an O(n) selection per quantile.
    public static func percentiles(_ values: UnsafeBufferPointer<Float>, _ qs: [Double]) -> [Float] {
        var kept = [Float]()
        kept.reserveCapacity(values.count)
        for v in values where !v.isNaN { kept.append(v) }
        guard !kept.isEmpty else { return qs.map { _ in .nan } }
        return kept.withUnsafeMutableBufferPointer { buffer in
            let n = buffer.count
            return qs.map { q in
                let position = (q.isNaN ? 0 : Swift.min(Swift.max(q, 0), 1)) * Double(n - 1)
                let k = Swift.min(Int(position), n - 1)
                let fraction = position - Double(k)
                let low = select(buffer, k)
                guard fraction > 0, k + 1 < n else { return low }
                // After selecting k, everything right of k is ≥ it: the next rank is their min.
                var high = buffer[k + 1]
                for i in (k + 2)..<n where buffer[i] < high { high = buffer[i] }
                return Float(Double(low) + (Double(high) - Double(low)) * fraction)
            }
        }
    }

    /// Hoare quickselect with a median-of-three pivot: afterwards `a[k]` is the k-th
    /// smallest, nothing left of k is larger and nothing right of k is smaller.
    static func select(_ a: UnsafeMutableBufferPointer<Float>, _ k: Int) -> Float {
        var lo = 0
        var hi = a.count - 1
        while hi > lo {
            if hi - lo < 16 {
                for i in (lo + 1)...hi {
                    let v = a[i]
                    var j = i - 1
                    while j >= lo && a[j] > v {
                        a[j + 1] = a[j]
                        j -= 1
                    }
                    a[j + 1] = v
                }
                return a[k]
            }
            let mid = lo + (hi - lo) / 2
            if a[mid] < a[lo] { a.swapAt(mid, lo) }
            if a[hi] < a[lo] { a.swapAt(hi, lo) }
            if a[hi] < a[mid] { a.swapAt(hi, mid) }
            let pivot = a[mid]
            var i = lo
            var j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j {
                hi = j
            } else if k >= i {
                lo = i
            } else {
                return a[k]
            }
        }
        return a[k]
    }
}
