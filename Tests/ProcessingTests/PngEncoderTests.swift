import CPNG
import XCTest
@testable import Processing

/// The snapshot's screen picture: what `PngEncoder` writes is a PNG that libpng reads back
/// to the same pixels, with the IHDR the format prescribes, and files placed without replacing.
final class PngEncoderTests: XCTestCase {
    /// A 5×3 picture whose every pixel differs (so a swapped row, column or channel shows).
    private let width = 5, height = 3
    private var picture: [UInt8] {
        var bytes: [UInt8] = []
        for i in 0..<width * height {
            let red = UInt8(i * 13 % 256), green = UInt8(255 - i * 7), blue = UInt8(i * 31 % 256)
            bytes += [red, green, blue]
        }
        return bytes
    }

    func testEncodedPictureDecodesToTheSamePixels() throws {
        let png = try PngEncoder.encode(width: width, height: height, rgb: picture)
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        let began = png.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        XCTAssertNotEqual(began, 0)
        XCTAssertEqual(Int(image.width), width)
        XCTAssertEqual(Int(image.height), height)
        image.format = png_uint_32(PNG_FORMAT_RGB)
        var decoded = [UInt8](repeating: 0, count: width * height * 3)
        let finished = decoded.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        XCTAssertNotEqual(finished, 0)
        XCTAssertEqual(decoded, picture)
    }

    func testHeaderIsSignatureThenIHDRWithSizeAndEightBitRGB() throws {
        let png = try PngEncoder.encode(width: width, height: height, rgb: picture)
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        XCTAssertEqual(Array(png[8..<16]), [0, 0, 0, 13] + Array("IHDR".utf8))
        func be32(_ at: Int) -> Int { png[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        XCTAssertEqual(be32(16), width)
        XCTAssertEqual(be32(20), height)
        XCTAssertEqual(png[24], 8, "bit depth")
        XCTAssertEqual(png[25], 2, "colour type RGB")
        XCTAssertEqual(Array(png.suffix(12).prefix(8)), [0, 0, 0, 0] + Array("IEND".utf8), "ends with an empty IEND")
    }

    func testWrongPixelCountIsAnErrorNotACrash() {
        XCTAssertThrowsError(try PngEncoder.encode(width: 4, height: 4, rgb: [1, 2, 3])) { error in
            XCTAssertEqual(error as? ExportError, .pixelCountMismatch(width: 4, height: 4, pixels: 1))
        }
        XCTAssertThrowsError(try PngEncoder.encode(width: 0, height: 4, rgb: []))
    }

    func testBytesWrittenWithoutReplacingLeaveAnExistingFileAlone() throws {
        let scratch = try ExportScratch()
        let path = scratch.file("shot.png")
        let first = try PngEncoder.encode(width: width, height: height, rgb: picture)
        XCTAssertEqual(try ImageFileWriter.write(path: path, bytes: first, replacing: false), .created)
        XCTAssertThrowsError(try ImageFileWriter.write(path: path, bytes: [1, 2, 3], replacing: false)) { error in
            guard case .systemCall("link", _, EEXIST) = error as? ExportError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try scratch.bytes("shot.png"), first)
        XCTAssertEqual(try scratch.listing(), ["shot.png"], "no temporary file is left behind")
    }

    func testFloatImageWrittenWithoutReplacingLeavesAnExistingFileAlone() throws {
        let scratch = try ExportScratch()
        let path = scratch.file("shot.npy")
        let original: [Float] = [1, 2, 3, 4]
        try original.withUnsafeBufferPointer { p in _ = try ImageFileWriter.write(path: path, width: 2, height: 2, pixels: p) }
        let before = try scratch.bytes("shot.npy")
        XCTAssertThrowsError(try [Float](repeating: 9, count: 4).withUnsafeBufferPointer { p in
            try ImageFileWriter.write(path: path, width: 2, height: 2, pixels: p, replacing: false)
        })
        XCTAssertEqual(try scratch.bytes("shot.npy"), before)
        XCTAssertEqual(try scratch.listing(), ["shot.npy"])
    }
}
