import DetectorStream
import XCTest

/// Hand-written SIMPLON stream v1 messages, byte for byte as the DECTRIS documentation shows them.
enum Simplon {
    static func dheader(series: UInt64 = 7, detail: String) -> [UInt8] {
        bytes("{\"htype\":\"dheader-1.0\",\"series\":\(series),\"header_detail\":\"\(detail)\"}")
    }

    static let config = bytes("""
        {"auto_summation":true,"beam_center_x":1041.5,"beam_center_y":1101.25,"count_time":0.0099,\
        "description":"Dectris EIGER2 Si 4M","detector_number":"E-08-0123","frame_time":0.01,"nimages":100,\
        "software_version":"2022.1.2","x_pixels_in_detector":4,"y_pixels_in_detector":3}
        """)

    static let flatfieldHeader = bytes("{\"htype\":\"dflatfield-1.0\",\"shape\":[4,3],\"type\":\"float32\"}")
    static let maskHeader = bytes("{\"htype\":\"dpixelmask-1.0\",\"shape\":[4,3],\"type\":\"uint32\"}")
    static let countRateHeader = bytes("{\"htype\":\"dcountrate_table-1.0\",\"shape\":[2,4],\"type\":\"float32\"}")

    /// Pixel mask 4×3, little-endian uint32: pixel 1 is a gap (1), pixel 10 defective (0x10).
    static let maskValues: [UInt32] = [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0]
    static var maskData: [UInt8] { maskValues.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } } }

    static func headerAll(series: UInt64 = 7, mask: [UInt8]? = nil, flatfield: [UInt8]? = nil) -> [[UInt8]] {
        [dheader(series: series, detail: "all"), config,
         flatfieldHeader, flatfield ?? [UInt8](repeating: 0, count: 48),
         maskHeader, mask ?? maskData,
         countRateHeader, [UInt8](repeating: 0, count: 32)]
    }

    static func dimage(series: UInt64 = 7, frame: UInt64, hash: String = "") -> [UInt8] {
        bytes("{\"htype\":\"dimage-1.0\",\"series\":\(series),\"frame\":\(frame),\"hash\":\"\(hash)\"}")
    }

    static func dimageD(shape: String = "[4,3]", type: String = "uint16", encoding: String = "<", size: Int) -> [UInt8] {
        bytes("{\"htype\":\"dimage_d-1.0\",\"shape\":\(shape),\"type\":\"\(type)\",\"encoding\":\"\(encoding)\",\"size\":\(size)}")
    }

    static let dconfig = bytes("{\"htype\":\"dconfig-1.0\",\"start_time\":1000000,\"stop_time\":11000000,\"real_time\":10000000}")

    /// A raw (`<`) 4×3 uint16 image.
    static func rawImage(series: UInt64 = 7, frame: UInt64, seed: UInt8 = 7) -> [[UInt8]] {
        [dimage(series: series, frame: frame), dimageD(size: 24), payload(count: 24, seed: seed), dconfig]
    }

    /// A `bs16-lz4<` payload: the 12-byte header (uncompressed size 24 and block size 8192, both
    /// big-endian), then one block's big-endian length and bytes. Never decoded here.
    static let bitshufflePayload: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 24, 0, 0, 0x20, 0,
                                             0, 0, 0, 5, 0x50, 0x01, 0x02, 0x03, 0x04]

    static let seriesEnd = bytes("{\"htype\":\"dseries_end-1.0\",\"series\":7}")
}

extension Recorded {
    var seriesInfo: SeriesInfo? {
        if case .seriesStart(let info) = self { return info }
        return nil
    }

    var seriesEnd: [UInt64]? {
        if case .seriesEnd(let s, let n) = self { return [s, n] }
        return nil
    }

    var framePayload: [UInt8]? {
        if case .frame(_, let p) = self { return p }
        return nil
    }
}

/// Feeds one bad message, checks it was rejected for the stated reason, then checks a good
/// message still decodes on the same decoder.
func assertRejected<D: StreamDecoder>(_ decoder: inout D, _ message: [[UInt8]], kind: StreamError.Kind,
                                      mentions words: [String], thenDecodes good: [[UInt8]],
                                      file: StaticString = #filePath, line: UInt = #line) {
    let events = feed(&decoder, [message])
    let errors = events.compactMap(\.badError)
    XCTAssertEqual(errors.count, 1, "expected one .bad, got \(events)", file: file, line: line)
    XCTAssertEqual(events.compactMap(\.frameDescriptor).count, 0, "a bad message must not give a frame", file: file, line: line)
    guard let error = errors.first else { return }
    XCTAssertEqual(error.kind, kind, error.message, file: file, line: line)
    for word in words {
        XCTAssertTrue(error.message.contains(word), "\"\(error.message)\" does not mention \(word)", file: file, line: line)
    }
    let after = feed(&decoder, [good])
    XCTAssertEqual(after.compactMap(\.frameDescriptor).count, 1, "the next good message must decode: \(after)", file: file, line: line)
    XCTAssertEqual(after.compactMap(\.badError), [], file: file, line: line)
}
