import CFuzzer
#if canImport(Glibc)
import Glibc
#endif

/// Starts libFuzzer from a fuzz executable's main.swift with the process arguments. Called once,
/// on the main thread; libFuzzer then calls the target's `LLVMFuzzerTestOneInput` on that thread.
public enum FuzzDriver {
    /// Runs libFuzzer and exits with its status. In a build without libFuzzer (plain
    /// `swift build`) it prints "build with `make fuzz`" and exits 2.
    public static func run(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = cfz_run_driver(&argc, &argv, testOneInput)
        exit(status)
    }

    /// True when libFuzzer is linked in (`make fuzz`).
    public static var available: Bool { cfz_driver_available() != 0 }
}
