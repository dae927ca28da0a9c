/// Where the modules of a simulated EIGER lie in its frame, and so which pixels are gaps (sent
/// at the all-ones value, masked by the viewer). Standard sizes use the real layouts: EIGER
/// 500K/1M (modules 1030×514, gaps 10 px between module columns, 37 px between module rows),
/// EIGER2 4M/16M (modules 1028×512, gaps 12 and 38 px). Other sizes of at least one module tile
/// EIGER modules from the top-left corner (what does not fit a whole module is gap); frames
/// smaller than a module get a 2×2 grid with the gaps scaled down (at least 2 px). A plain value.
public struct EigerGeometry: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let moduleWidth: Int
    public let moduleHeight: Int
    public let modulesX: Int
    public let modulesY: Int
    public let gapX: Int
    public let gapY: Int

    /// The `--size` names and their frame sizes.
    public static let namedSizes: [(name: String, width: Int, height: Int)] = [
        ("512x512", 512, 512), ("500K", 1030, 514), ("1M", 1030, 1065), ("4M", 2068, 2162), ("16M", 4148, 4362),
    ]

    public init(width: Int, height: Int) {
        precondition(width > 0 && height > 0, "EIGER frame must have pixels")
        self.width = width
        self.height = height
        let eiger2 = width >= 2068 && height >= 2162 && (width - 1028) % 1040 == 0 && (height - 512) % 550 == 0
        if eiger2 {
            (moduleWidth, moduleHeight, gapX, gapY) = (1028, 512, 12, 38)
        } else if width >= 1030 && height >= 514 {
            (moduleWidth, moduleHeight, gapX, gapY) = (1030, 514, 10, 37)
        } else {
            let gx = max(2, width * 10 / 2070), gy = max(2, height * 37 / 1065)
            (gapX, gapY) = (gx, gy)
            (moduleWidth, moduleHeight) = (max(1, (width - gx) / 2), max(1, (height - gy) / 2))
        }
        modulesX = max(1, (width + gapX) / (moduleWidth + gapX))
        modulesY = max(1, (height + gapY) / (moduleHeight + gapY))
    }

    /// Per column: true inside a gap (between modules, or right of the last whole module).
    public var gapColumns: [Bool] { Self.gaps(count: width, module: moduleWidth, gap: gapX, modules: modulesX) }

    /// Per row: true inside a gap.
    public var gapRows: [Bool] { Self.gaps(count: height, module: moduleHeight, gap: gapY, modules: modulesY) }

    /// The gap pixels of the frame: every pixel in a gap row or a gap column.
    public var gapPixelCount: Int {
        let columns = gapColumns.filter { $0 }.count, rows = gapRows.filter { $0 }.count
        return rows * width + (height - rows) * columns
    }

    /// The DECTRIS pixel mask of the geometry: bit 0 (gap) set on gap pixels, row-major.
    public func pixelMask(gapValue: UInt32 = 1) -> [UInt32] {
        let columns = gapColumns, rows = gapRows
        var mask = [UInt32](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width where rows[y] || columns[x] { mask[y * width + x] = gapValue }
        }
        return mask
    }

    private static func gaps(count: Int, module: Int, gap: Int, modules: Int) -> [Bool] {
        (0..<count).map { i in
            let period = module + gap
            return i / period >= modules || i % period >= module
        }
    }
}
