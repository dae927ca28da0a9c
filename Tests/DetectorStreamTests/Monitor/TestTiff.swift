/// Writes TIFF files as the TIFF 6.0 baseline describes them (and the DECTRIS monitor serves
/// them: one uncompressed single-sample image in strips), independently of the reader under test,
/// with any entry changed or broken on purpose. Test helper.
struct TestTiff {
    struct Entry {
        var tag: UInt16
        var type: UInt16   // 1 BYTE, 3 SHORT, 4 LONG
        var values: [UInt32]
    }

    var bigEndian = false
    /// The bytes after the 8-byte header: the strips.
    var data: [UInt8] = []
    var entries: [Entry] = []
    /// Replaces the header's first-directory offset (nil: where the directory really is).
    var directoryOffset: UInt32?

    /// An image of `samples` (already in the file's byte order) in strips of `rowsPerStrip` rows.
    static func image(width: Int, height: Int, bits: Int, sampleFormat: Int, bigEndian: Bool = false,
                      samples: [UInt8], rowsPerStrip: Int? = nil) -> TestTiff {
        var tiff = TestTiff(bigEndian: bigEndian)
        tiff.data = samples
        let rows = rowsPerStrip ?? height
        let stripBytes = rows * width * bits / 8
        var offsets: [UInt32] = [], counts: [UInt32] = []
        var at = 0
        while at < samples.count {
            let count = min(stripBytes, samples.count - at)
            offsets.append(UInt32(8 + at))
            counts.append(UInt32(count))
            at += count
        }
        tiff.entries = [
            Entry(tag: 256, type: 4, values: [UInt32(width)]),
            Entry(tag: 257, type: 4, values: [UInt32(height)]),
            Entry(tag: 258, type: 3, values: [UInt32(bits)]),
            Entry(tag: 259, type: 3, values: [1]),
            Entry(tag: 262, type: 3, values: [1]),   // BlackIsZero: unread, as any other tag
            Entry(tag: 273, type: 4, values: offsets),
            Entry(tag: 277, type: 3, values: [1]),
            Entry(tag: 278, type: 4, values: [UInt32(rows)]),
            Entry(tag: 279, type: 4, values: counts),
            Entry(tag: 339, type: 3, values: [UInt32(sampleFormat)]),
        ]
        return tiff
    }

    static func uint16(_ values: [UInt16], width: Int, height: Int, bigEndian: Bool = false, rowsPerStrip: Int? = nil) -> TestTiff {
        image(width: width, height: height, bits: 16, sampleFormat: 1, bigEndian: bigEndian,
              samples: values.flatMap { bytes(UInt64($0), 2, bigEndian) }, rowsPerStrip: rowsPerStrip)
    }

    static func uint32(_ values: [UInt32], width: Int, height: Int, bigEndian: Bool = false) -> TestTiff {
        image(width: width, height: height, bits: 32, sampleFormat: 1, bigEndian: bigEndian,
              samples: values.flatMap { bytes(UInt64($0), 4, bigEndian) })
    }

    static func float32(_ values: [Float], width: Int, height: Int, bigEndian: Bool = false) -> TestTiff {
        image(width: width, height: height, bits: 32, sampleFormat: 3, bigEndian: bigEndian,
              samples: values.flatMap { bytes(UInt64($0.bitPattern), 4, bigEndian) })
    }

    static func uint8(_ values: [UInt8], width: Int, height: Int) -> TestTiff {
        image(width: width, height: height, bits: 8, sampleFormat: 1, samples: values)
    }

    mutating func set(_ tag: UInt16, type: UInt16 = 3, _ values: [UInt32]) {
        entries.removeAll { $0.tag == tag }
        entries.append(Entry(tag: tag, type: type, values: values))
    }

    mutating func remove(_ tag: UInt16) {
        entries.removeAll { $0.tag == tag }
    }

    var bytes: [UInt8] {
        var out: [UInt8] = bigEndian ? [0x4D, 0x4D, 0, 42] : [0x49, 0x49, 42, 0]
        let directory = 8 + data.count + data.count % 2
        out += Self.bytes(UInt64(directoryOffset ?? UInt32(directory)), 4, bigEndian)
        out += data
        if data.count % 2 == 1 { out.append(0) }
        let sorted = entries.sorted { $0.tag < $1.tag }
        // Values longer than four bytes go after the directory.
        var outOfLine: [UInt8] = []
        let outOfLineStart = directory + 2 + 12 * sorted.count + 4
        out += Self.bytes(UInt64(sorted.count), 2, bigEndian)
        for entry in sorted {
            let size = entry.type == 1 ? 1 : entry.type == 3 ? 2 : 4
            var values: [UInt8] = []
            for value in entry.values { values += Self.bytes(UInt64(value), size, bigEndian) }
            out += Self.bytes(UInt64(entry.tag), 2, bigEndian) + Self.bytes(UInt64(entry.type), 2, bigEndian)
                + Self.bytes(UInt64(entry.values.count), 4, bigEndian)
            if values.count <= 4 {
                out += values + [UInt8](repeating: 0, count: 4 - values.count)
            } else {
                out += Self.bytes(UInt64(outOfLineStart + outOfLine.count), 4, bigEndian)
                outOfLine += values
            }
        }
        out += [0, 0, 0, 0]   // no next directory
        return out + outOfLine
    }

    static func bytes(_ value: UInt64, _ count: Int, _ bigEndian: Bool) -> [UInt8] {
        let little = (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
        return bigEndian ? little.reversed() : little
    }
}
