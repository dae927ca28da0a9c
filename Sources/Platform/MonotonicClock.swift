import CLinux

/// Nanosecond clocks: CLOCK_MONOTONIC for times and deadlines, the thread and process CPU
/// clocks for load accounting. Plain reads, callable from any thread or process.
public enum MonotonicClock {
    @inline(__always) public static var nanoseconds: UInt64 { dv_monotonic_ns() }
    @inline(__always) public static var threadCPUNanoseconds: UInt64 { dv_thread_cpu_ns() }
    @inline(__always) public static var processCPUNanoseconds: UInt64 { dv_process_cpu_ns() }
}
