// swift-tools-version: 6.0
// detview: a terminal live viewer for X-ray and electron area detectors.
import PackageDescription

let package = Package(
    name: "detview",
    products: [
        .executable(name: "detview", targets: ["detview"]),
        // libFuzzer targets (`make fuzz`); a plain build links them too, and they then exit 2.
        .executable(name: "fuzz-sls", targets: ["FuzzSls"]),
        .executable(name: "fuzz-simplon", targets: ["FuzzSimplon"]),
        .executable(name: "fuzz-stream2", targets: ["FuzzStream2"]),
        .executable(name: "fuzz-array", targets: ["FuzzArray"]),
        .executable(name: "fuzz-codecs", targets: ["FuzzCodecs"]),
        .executable(name: "fuzz-detect", targets: ["FuzzDetect"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Latency percentiles (p50/p99 per stage) for the Frames panel and headless `stats`.
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // System libraries: module map + shim header, no pkgConfig (SwiftPM drops ncursesw's -D flags).
        .systemLibrary(name: "CZeroMQ", path: "Sources/CZeroMQ"),
        .systemLibrary(name: "CNCursesW", path: "Sources/CNCursesW"),
        .systemLibrary(name: "CLZ4", path: "Sources/CLZ4"),
        // Linux calls Glibc does not export to Swift, and atomics on shared-memory words.
        .target(name: "CLinux", path: "Sources/CLinux"),

        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"]),
        // Payload decoders (LZ4, bitshuffle-LZ4): AVX2 bit untranspose chosen at run time, scalar twin.
        .target(name: "CCodecs", dependencies: ["CLZ4"], path: "Sources/CCodecs"),
        .target(name: "DetectorStream", dependencies: ["CLZ4", "CCodecs"]),
        .target(name: "SharedMemory", dependencies: ["CLinux"]),
        // Hot pixel loops (stats, max binning): AVX2 variants chosen at run time, scalar twins.
        .target(name: "CKernels", path: "Sources/CKernels"),
        .target(name: "Processing", dependencies: ["CKernels"]),
        .target(name: "Workers", dependencies: ["SharedMemory", "Processing", "DetectorStream", "CLinux"]),
        .target(name: "TerminalUI"),
        .target(name: "Theming", dependencies: ["TerminalUI"]),
        .target(name: "CursesBackend", dependencies: ["TerminalUI", "CNCursesW", "CLinux"]),
        .target(name: "Simulator", dependencies: ["DetectorStream", "ZeroMQ", "CLinux"]),
        // The receive thread: sockets, format detection and decoding, port merging, frame accounting.
        .target(name: "Ingest", dependencies: ["ZeroMQ", "DetectorStream", "SharedMemory", "CLinux"]),
        .target(name: "Viewer", dependencies: [
            "Ingest", "DetectorStream", "SharedMemory", "Processing", "Workers",
            "TerminalUI", "Theming", "Simulator", "CLinux",
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ]),
        // `detview bench`: the measurements behind docs/PERFORMANCE.md, as a library the command calls.
        .target(name: "Benchmarks", dependencies: [
            "Viewer", "Ingest", "Workers", "SharedMemory", "Processing", "DetectorStream", "Simulator", "ZeroMQ", "CLinux",
        ]),
        .executableTarget(name: "detview", dependencies: [
            "Viewer", "Ingest", "CursesBackend", "Simulator", "Workers", "DetectorStream", "ZeroMQ", "CLinux", "Benchmarks",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Fuzzing: libFuzzer's driver as a weak symbol (absent outside `make fuzz`), the shared
        // harness (message splitting, event contract checks), one executable per decoder.
        .target(name: "CFuzzer", path: "Sources/CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer", "DetectorStream"]),
        .executableTarget(name: "FuzzSls", dependencies: ["FuzzSupport", "DetectorStream"]),
        .executableTarget(name: "FuzzSimplon", dependencies: ["FuzzSupport", "DetectorStream"]),
        .executableTarget(name: "FuzzStream2", dependencies: ["FuzzSupport", "DetectorStream"]),
        .executableTarget(name: "FuzzArray", dependencies: ["FuzzSupport", "DetectorStream"]),
        .executableTarget(name: "FuzzCodecs", dependencies: ["FuzzSupport", "DetectorStream"]),
        .executableTarget(name: "FuzzDetect", dependencies: ["FuzzSupport", "DetectorStream"]),

        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"]),
        .testTarget(name: "DetectorStreamTests", dependencies: ["DetectorStream"]),
        .testTarget(name: "SharedMemoryTests", dependencies: ["SharedMemory", "CLinux"]),
        .testTarget(name: "ProcessingTests", dependencies: ["Processing"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "Theming"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "DetectorStream", "ZeroMQ"]),
        .testTarget(name: "WorkersTests", dependencies: ["Workers", "SharedMemory", "Processing", "DetectorStream", "CLinux"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "SharedMemory", "DetectorStream", "ZeroMQ", "CLinux"]),
        .testTarget(name: "ViewerTests", dependencies: [
            "Viewer", "Ingest", "TerminalUI", "Theming", "Workers", "SharedMemory", "DetectorStream", "Processing", "CLinux",
        ]),
        .testTarget(name: "BenchmarksTests", dependencies: ["Benchmarks", "DetectorStream"]),
        // Runs the built detview binary as real processes (simulate, headless view, tmux).
        .testTarget(name: "IntegrationTests", dependencies: ["CLinux", "ZeroMQ"]),
    ]
)
