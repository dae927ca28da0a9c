import Glibc
import Platform
import Workers

/// `--save`: one anonymous memory file (memfd) per worker index, made when the viewer starts
/// and handed to every worker started at that index as its fd 5; at shutdown each worker writes
/// its full-resolution share into its memfd, and the viewer reads the shares back from here.
///
/// Why memfds and not a directory of part files: a directory made at start (mkdtemp) stayed
/// behind, empty, whenever the viewer was SIGKILLed during a run, and a directory made lazily at
/// shutdown would still be left by a kill in the seconds the workers take to write. A memfd has
/// no name in any file system and is freed with its last descriptor, so nothing is left behind
/// however the viewer or a worker ends; like the shared region, no other user can open it. It
/// costs no memory until a worker writes, and only until the viewer has composed the image.
///
/// Owned by the main actor (the pipeline); closes its descriptors once, when released.
final class SaveShareFiles {
    /// One per worker index, close-on-exec in the viewer (the spawner dup2s it into a worker).
    let descriptors: [Int32]

    init(workers: Int) throws(SystemCallError) {
        var made: [Int32] = []
        do {
            for index in 0..<workers { made.append(try MemFD(name: "detview-save-share-\(index)").release()) }
        } catch {
            made.forEach { _ = close($0) }
            throw error
        }
        descriptors = made
    }

    deinit { descriptors.forEach { _ = close($0) } }

    /// How many workers have answered snapshot request `request` (headers only).
    func answers(to request: UInt32) -> Int {
        descriptors.count { SavedShare.request(in: $0) == request }
    }

    /// The shares the workers left (a worker that never wrote, or was killed while writing, has none).
    func shares() -> [SavedShare] {
        descriptors.compactMap { SavedShare.read(from: $0) }
    }
}
