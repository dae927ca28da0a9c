import Platform

/// Why a detview shared region could not be created or attached.
public enum RegionError: Error, Equatable, Sendable, CustomStringConvertible {
    case system(SystemCallError)
    case invalidLayout(String)
    /// The fd's mapping is smaller than its header says it must be.
    case tooSmall(size: Int, needed: Int)
    /// The first bytes are not detview's magic: the fd is not a detview region.
    case badMagic(found: UInt64)
    case unsupportedVersion(found: UInt32, expected: UInt32)
    /// Written by a binary whose shared structures have other sizes.
    case abiMismatch(found: UInt64, expected: UInt64)

    public var description: String {
        switch self {
        case .system(let error):
            return error.description
        case .invalidLayout(let reason):
            return "shared region: invalid layout: \(reason)"
        case .tooSmall(let size, let needed):
            return "shared region: mapping has \(size) bytes but its layout needs \(needed)"
        case .badMagic(let found):
            return "shared region: bad magic 0x\(String(found, radix: 16)), "
                + "expected 0x\(String(DetviewRegion.magic, radix: 16)): not a detview region"
        case .unsupportedVersion(let found, let expected):
            return "shared region: version \(found), this binary speaks version \(expected)"
        case .abiMismatch(let found, let expected):
            return "shared region: structure sizes 0x\(String(found, radix: 16)) differ from "
                + "this binary's 0x\(String(expected, radix: 16)) (mixed detview builds?)"
        }
    }
}
