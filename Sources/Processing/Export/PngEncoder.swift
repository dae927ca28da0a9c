import CPNG

/// Encodes an 8-bit RGB picture as PNG bytes with Debian's libpng (its simplified API, which
/// reports errors as values: libpng's classic API reports them by longjmp, which must not
/// cross Swift frames). Used for a snapshot's screen picture (`S`); pure, any thread.
public enum PngEncoder {
    /// `rgb` holds `height` rows of `width` pixels, three bytes each (red, green, blue).
    public static func encode(width: Int, height: Int, rgb: [UInt8]) throws(ExportError) -> [UInt8] {
        _ = try ExportError.pixelCount(width: width, height: height, bytesPerPixel: 3)
        guard width <= Int(Int32.max), height <= Int(Int32.max) else { throw .invalidSize(width: width, height: height) }
        guard rgb.count == width * height * 3 else {
            throw .pixelCountMismatch(width: width, height: height, pixels: rgb.count / 3)
        }
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        image.width = png_uint_32(width)
        image.height = png_uint_32(height)
        image.format = png_uint_32(PNG_FORMAT_RGB)
        // First call sizes the output, the second writes it (libpng's documented two-step use).
        var size = 0
        let sized = rgb.withUnsafeBytes { pixels in
            png_image_write_to_memory(&image, nil, &size, 0, pixels.baseAddress, 0, nil)
        }
        guard sized != 0, size > 0 else { throw .encoder(message(of: image)) }
        var out = [UInt8](repeating: 0, count: size)
        let written = out.withUnsafeMutableBytes { memory in
            rgb.withUnsafeBytes { pixels in
                png_image_write_to_memory(&image, memory.baseAddress, &size, 0, pixels.baseAddress, 0, nil)
            }
        }
        png_image_free(&image)
        guard written != 0 else { throw .encoder(message(of: image)) }
        return Array(out.prefix(size))
    }

    /// libpng's message (a fixed C array in the struct) as text.
    private static func message(of image: png_image) -> String {
        var copy = image.message
        return withUnsafeBytes(of: &copy) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return bytes.isEmpty ? "libpng could not encode the picture" : "libpng: " + String(decoding: bytes, as: UTF8.self)
        }
    }
}
