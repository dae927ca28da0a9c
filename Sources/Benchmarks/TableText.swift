import DetectorStream

// The benchmarks print plain fixed-width tables (users paste them into reports and issues).

/// `s` padded with spaces on the right to `width` characters.
func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }

/// `s` padded with spaces on the left to `width` characters.
func lpad(_ s: String, _ width: Int) -> String { s.count >= width ? s : String(repeating: " ", count: width - s.count) + s }

/// `value` with `decimals` digits after the point, as the headless output writes numbers.
func fixed(_ value: Double, _ decimals: Int) -> String { CFloatFormat.fixed(value, precision: decimals) }
