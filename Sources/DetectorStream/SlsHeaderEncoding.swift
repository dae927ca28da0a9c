extension SlsHeader {
    /// The header as the slsDetector receiver writes it, byte for byte: version 5 as 9.2's
    /// `ZmqSocket::SendHeader` (an ostream: `"data":1`, progress like `%g`, `rx_roi` last), version 4
    /// (and below) as 6.x (a printf format: `"data": 1`, `"completeImage": 1`, progress `%f`,
    /// v4 key names). `addJsonHeader` is written only when not empty, keys sorted, strings verbatim
    /// (the receiver does not escape them). Ends with a newline. `jsonVersion` selects the layout
    /// and is the value written for `"jsonversion"`.
    public func encoded(jsonVersion: Int) -> [UInt8] {
        var w = HeaderWriter()
        w.reserve(700)
        let v4 = jsonVersion <= 4
        w.raw("{\"jsonversion\":"); w.int(jsonVersion)
        w.key("bitmode"); w.int(bitmode)
        w.key("fileIndex"); w.uint(fileIndex)
        w.key("detshape"); w.intArray(detShape, count: 2)
        w.key("shape"); w.intArray(shape, count: 2)
        w.key("size"); w.int(size)
        w.key("acqIndex"); w.uint(acqIndex)
        w.key("frameIndex"); w.uint(frameIndex)
        w.key("progress"); w.raw(v4 ? CFloatFormat.fixed(progress) : CFloatFormat.general(progress))
        w.key("fname"); w.raw("\""); w.raw(fname); w.raw("\"")
        w.key("data"); if v4 { w.raw(" ") }; w.int(data != 0 ? 1 : 0)
        w.key("completeImage"); if v4 { w.raw(" ") }; w.int(completeImage != 0 ? 1 : 0)
        w.key("frameNumber"); w.uint(frameNumber)
        w.key("expLength"); w.uint(expLength)
        w.key("packetNumber"); w.uint(packetNumber)
        w.key(v4 ? "bunchId" : "detSpec1"); w.uint(detSpec1)
        w.key("timestamp"); w.uint(timestamp)
        w.key("modId"); w.int(modId)
        w.key("row"); w.int(row)
        w.key("column"); w.int(column)
        w.key(v4 ? "reserved" : "detSpec2"); w.uint(detSpec2)
        w.key(v4 ? "debug" : "detSpec3"); w.uint(detSpec3)
        w.key(v4 ? "roundRNumber" : "detSpec4"); w.uint(detSpec4)
        w.key("detType"); w.int(detType)
        w.key("version"); w.int(version)
        w.key("flipRows"); w.int(flipRows)
        w.key("quad"); w.int(quad)
        if !addJsonHeader.isEmpty {
            w.raw(", \"addJsonHeader\": {")
            for (i, key) in addJsonHeader.keys.sorted(by: Self.byteOrder).enumerated() {
                if i > 0 { w.raw(", ") }
                w.raw("\""); w.raw(key); w.raw("\":\""); w.raw(addJsonHeader[key] ?? ""); w.raw("\"")
            }
            w.raw(" } ")
        }
        if !v4 {
            w.key("rx_roi"); w.intArray(rxROI, count: 4)
        }
        w.raw("}\n")
        return w.bytes
    }

    /// std::map<std::string, …> order: bytewise, not Swift's Unicode order.
    private static func byteOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}

/// Appends header text without intermediate Strings for the numbers.
private struct HeaderWriter {
    var bytes: [UInt8] = []

    mutating func reserve(_ n: Int) { bytes.reserveCapacity(n) }
    mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    /// `, "name":`, the separator both receiver versions put before every key but the first.
    mutating func key(_ name: StaticString) {
        raw(", \"")
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        raw("\":")
    }

    mutating func uint(_ v: UInt64) { raw(String(v)) }

    mutating func int(_ v: Int) {
        raw(String(v))
    }

    /// `[a, b]`: the receiver's arrays have a space after each comma.
    mutating func intArray(_ values: [Int], count: Int) {
        bytes.append(UInt8(ascii: "["))
        for i in 0..<count {
            if i > 0 { raw(", ") }
            int(i < values.count ? values[i] : 0)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
