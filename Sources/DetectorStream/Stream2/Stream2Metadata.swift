/// Turns the scalar fields of a stream v2 message into `SeriesInfo.metadata` text: numbers and
/// text as written, date-time tags (0, 1) as their content, short arrays of scalars joined by
/// commas (`channels`, rationals), and one level of maps as `key.subkey` (`threshold_energy`
/// per channel). Arrays of pixels and anything deeper are left out. Stateless.
enum Stream2Metadata {
    /// Bounds what a hostile start message can make the viewer keep.
    static let maxEntries = 256
    static let maxArrayItems = 16
    static let maxTextLength = 512

    static func flatten(_ message: CBORValue, skipping skipped: Set<String> = ["type"]) -> [String: String] {
        guard case .map(let pairs) = message else { return [:] }
        var out: [String: String] = [:]
        for pair in pairs where out.count < maxEntries {
            guard let key = pair.key.text, !skipped.contains(key), key.utf8.count <= maxTextLength else { continue }
            if let text = scalarOrList(pair.value) {
                out[key] = text
            } else if case .map(let inner) = pair.value {
                for sub in inner where out.count < maxEntries {
                    guard let subkey = sub.key.text, subkey.utf8.count <= maxTextLength,
                          let text = scalarOrList(sub.value) else { continue }
                    out[key + "." + subkey] = text
                }
            }
        }
        return out
    }

    private static func scalarOrList(_ value: CBORValue) -> String? {
        if let text = scalar(value) { return text }
        guard case .array(let items) = value, items.count <= maxArrayItems else { return nil }
        var parts: [String] = []
        for item in items {
            guard let text = scalar(item) else { return nil }
            parts.append(text)
        }
        return parts.joined(separator: ",")
    }

    static func scalar(_ value: CBORValue) -> String? {
        switch value {
        case .unsigned(let n): return String(n)
        case .negative(let n): return n == UInt64.max ? "-18446744073709551616" : "-" + String(n + 1)
        case .float(let x): return "\(x)"
        case .text(let s): return s.utf8.count <= maxTextLength ? s : nil
        case .bool(let b): return b ? "true" : "false"
        case .tagged(let tag, let content) where tag == 0 || tag == 1: return scalar(content)
        default: return nil
        }
    }
}
