import Foundation
import XCTest

/// The real EIGER2 R 500K stream v2 messages kept in the repository (`Tests/Fixtures/dectris-stream2`),
/// found from this file's place in the checkout so that a bare clone tests them on any machine.
enum Stream2Fixtures {
    static let folders = ["r500k_bm_bslz4_8bit", "r500k_bm_bslz4_16bit", "r500k_bm_bslz4_32bit", "r500k_bm_lz4_16bit"]

    /// `Tests/Fixtures/dectris-stream2`; throws (the test fails, it never skips) when it is missing.
    static func root() throws -> URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/dectris-stream2")
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("expected.json").path) else {
            throw FixtureMissing(path: root.path)
        }
        return root
    }

    /// The independently computed sums, per file (`expected.json`).
    static func expected() throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: root().appendingPathComponent("expected.json"))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
    }

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root().appendingPathComponent(relativePath)))
    }
}

/// A fixture the repository should hold is not there: an error, so the test that needs it fails.
struct FixtureMissing: Error, CustomStringConvertible {
    let path: String
    var description: String { "fixture not found at \(path) (it belongs in the repository)" }
}
