import Glibc

/// Names of a snapshot's files (`S`): `<directory>/<local time>-<mode>[-n].npy|.tiff|.png`,
/// the first of `…-raw`, `…-raw-2`, `…-raw-3` … of which no file exists yet, so a snapshot
/// never replaces one (two snapshots in one second get two names). A plain value.
struct SnapshotNaming {
    static let extensions = ["npy", "tiff", "png"]
    /// More than this many snapshots of one mode within one second is not a person pressing `S`.
    static let maxAttempts = 100

    var directory: String
    /// "2026-12-07T19-30-12": the local time, with no colons (some file systems refuse them).
    var stamp: String
    var mode: String

    /// The base path (without extension) of the `attempt`th candidate, counting from 1.
    func base(attempt: Int) -> String {
        directory + "/" + stamp + "-" + mode + (attempt > 1 ? "-\(attempt)" : "")
    }

    /// The first candidate none of whose files exists, after `after` (the attempts a race
    /// already lost); nil when every candidate is taken.
    func firstFree(after: Int = 0, exists: (String) -> Bool) -> (attempt: Int, base: String)? {
        for attempt in (after + 1)...Self.maxAttempts {
            let candidate = base(attempt: attempt)
            if !Self.extensions.contains(where: { exists(candidate + "." + $0) }) { return (attempt, candidate) }
        }
        return nil
    }

    /// The local time of `seconds` since the epoch as a file-name stamp.
    static func stamp(secondsSinceEpoch seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        localtime_r(&time, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour))-\(two(parts.tm_min))-\(two(parts.tm_sec))"
    }

    /// The path as the status line says it: the home directory as "~".
    static func shown(_ path: String, home: String?) -> String {
        guard let home, !home.isEmpty, home != "/", path.hasPrefix(home + "/") else { return path }
        return "~" + path.dropFirst(home.count)
    }

    /// Whether anything (a file, a directory, a dangling link) has this name.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}
