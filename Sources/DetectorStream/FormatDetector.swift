/// Names the wire format of a stream from one of its messages, for when `--format` is not given.
/// Looks at the first part only and never throws: nil means "not recognised, try the next
/// message". Stateless; any thread may call it.
public enum FormatDetector {
    /// SIMPLON v1 htypes: any of them identifies the stream, whichever message arrives first.
    static let simplonHtypes: Set<String> = [
        "dheader-1.0", "dimage-1.0", "dimage_d-1.0", "dconfig-1.0", "dseries_end-1.0",
        "dflatfield-1.0", "dpixelmask-1.0", "dcountrate_table-1.0",
    ]

    public static func detect(_ parts: [UnsafeRawBufferPointer]) -> WireFormat? {
        guard let first = parts.first, !first.isEmpty else { return nil }
        if isCBORMessage(first) { return .stream2 }
        guard HeaderBytes.looksLikeJSON(first) else { return nil }
        // Tolerate breakage anywhere: the members before it usually decide (NDPluginZMQ's ndattr).
        guard let header = try? HtypeHeader.parse(first, format: "detect", strings: .literal, keepPartial: true) else {
            return nil
        }
        if let htype = header.htype {
            if htype == "array-1.0" { return .array }
            if simplonHtypes.contains(htype) { return .simplon }
            return nil
        }
        return header.hasSlsKeys ? .sls : nil
    }

    /// DECTRIS stream v2: the self-describe tag, or a CBOR map holding the text key "type".
    private static func isCBORMessage(_ part: UnsafeRawBufferPointer) -> Bool {
        if part.count >= 3, part[0] == 0xD9, part[1] == 0xD9, part[2] == 0xF7 { return true }
        guard (0xA0...0xBF).contains(part[0]) else { return false }
        let key: [UInt8] = [0x64] + Array("type".utf8)   // text string of length 4
        let window = min(part.count, 4096)
        // The key starts after the map's first byte; a part with no room for it is not stream2.
        guard window > key.count else { return false }
        for start in 1...(window - key.count) where part[start] == key[0] {
            if (0..<key.count).allSatisfy({ part[start + $0] == key[$0] }) { return true }
        }
        return false
    }
}
