import CLinux
import Glibc

/// What a child process does to live and die with its parent, and to be named in `ps`.
public enum ProcessLifetime {
    /// Asks the kernel to send `signal` when the parent *thread* that spawned this process
    /// exits (every spawn goes through the long-lived spawner thread for that reason); if the
    /// parent is already gone (the race before prctl), exits at once.
    public static func dieWithParent(expectedParent: pid_t, signal: Int32 = SIGKILL) {
        _ = dv_set_parent_death_signal(signal)
        if getppid() != expectedParent { exit(0) }
    }

    /// Names the calling thread (prctl PR_SET_NAME; at most 15 bytes).
    public static func nameThread(_ name: String) {
        _ = dv_set_process_name(name)
    }
}
