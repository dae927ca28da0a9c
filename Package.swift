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
        .executable(name: "fuzz-monitor", targets: ["FuzzMonitor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Latency percentiles (p50/p99 per stage) for the Frames panel and headless `stats`.
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // Theme files (themes/*.toml): a full TOML parser whose errors carry line and column.
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // Tests only: whole text-and-style grids of widgets and screens compared with recorded files.
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", from: "1.17.0"),
    ],
    targets: [
        // System libraries: module map + shim header, no pkgConfig (SwiftPM drops ncursesw's -D flags).
        .systemLibrary(name: "CZeroMQ", path: "Sources/CZeroMQ"),
        .systemLibrary(name: "CNCursesW", path: "Sources/CNCursesW"),
        .systemLibrary(name: "CLZ4", path: "Sources/CLZ4"),
        // Snapshots' screen pictures (`S`): Debian's libpng, through its simplified API.
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        // kitty pictures compressed (o=z): Debian's zlib, which libpng already brings.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // Linux calls Glibc does not export to Swift, and atomics on shared-memory words.
        .target(name: "CLinux", path: "Sources/CLinux"),

        // Linux wrapped once: owned descriptors, spawning (from a thread that never exits), signals,
        // futex, the sequence lock, the errno error type. Only it and SharedMemory see CLinux.
        .target(name: "Platform", dependencies: [
            "CLinux", .product(name: "SystemPackage", package: "swift-system"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"]),
        // Payload decoders (LZ4, bitshuffle-LZ4): AVX2 bit untranspose chosen at run time, scalar twin.
        .target(name: "CCodecs", dependencies: ["CLZ4"], path: "Sources/CCodecs"),
        .target(name: "DetectorStream", dependencies: ["CLZ4", "CCodecs"]),
        .target(name: "SharedMemory", dependencies: ["Platform", "CLinux", "Processing"]),
        // Hot pixel loops (stats, max binning): AVX2 variants chosen at run time, scalar twins.
        .target(name: "CKernels", path: "Sources/CKernels"),
        .target(name: "Processing", dependencies: ["CKernels", "CPNG"]),
        .target(name: "Workers", dependencies: ["SharedMemory", "Processing", "DetectorStream", "Platform"]),
        .target(name: "TerminalUI"),
        .target(name: "Theming", dependencies: ["TerminalUI", .product(name: "TOMLKit", package: "TOMLKit")]),
        .target(name: "CursesBackend", dependencies: ["TerminalUI", "CNCursesW", "Platform", "CZlib"]),
        .target(name: "Simulator", dependencies: ["DetectorStream", "ZeroMQ", "Processing", "Platform"]),
        // The receive thread: sockets, format detection and decoding, port merging, frame accounting.
        .target(name: "Ingest", dependencies: ["ZeroMQ", "DetectorStream", "SharedMemory", "Platform"]),
        .target(name: "Viewer", dependencies: [
            "Ingest", "DetectorStream", "SharedMemory", "Processing", "Workers",
            "TerminalUI", "Theming", "Simulator", "Platform",
            .product(name: "Histogram", package: "hdrhistogram-swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // `detview bench`: the measurements behind docs/PERFORMANCE.md, as a library the command calls.
        .target(name: "Benchmarks", dependencies: [
            "Viewer", "Ingest", "Workers", "SharedMemory", "Processing", "DetectorStream", "Simulator", "ZeroMQ", "Platform",
            "CursesBackend", "TerminalUI", "Theming",
        ]),
        .executableTarget(name: "detview", dependencies: [
            "Viewer", "Ingest", "CursesBackend", "Simulator", "Workers", "DetectorStream", "ZeroMQ", "Platform", "Benchmarks",
            "Theming",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
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
        .executableTarget(name: "FuzzMonitor", dependencies: ["FuzzSupport", "DetectorStream"]),

        .testTarget(name: "PlatformTests", dependencies: [
            "Platform", .product(name: "SystemPackage", package: "swift-system"), .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"]),
        .testTarget(name: "DetectorStreamTests", dependencies: ["DetectorStream"]),
        .testTarget(name: "SharedMemoryTests", dependencies: ["SharedMemory", "Platform", "Processing", "CLinux"]),
        .testTarget(name: "ProcessingTests", dependencies: ["Processing", "CPNG"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "Theming"]),
        .testTarget(name: "ThemingTests", dependencies: ["Theming", "TerminalUI"], exclude: ["Fixtures"]),
        // The ncurses backend writing into a counted sink (no terminal needed).
        .testTarget(name: "CursesBackendTests", dependencies: ["CursesBackend", "TerminalUI", "CZlib"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "DetectorStream", "ZeroMQ", "Processing"]),
        .testTarget(name: "WorkersTests", dependencies: ["Workers", "SharedMemory", "Processing", "DetectorStream", "Platform", "CLinux"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "SharedMemory", "DetectorStream", "ZeroMQ", "CLinux", "Platform"]),
        .testTarget(name: "ViewerTests", dependencies: [
            "Viewer", "Ingest", "TerminalUI", "Theming", "Workers", "SharedMemory", "DetectorStream", "Processing", "Platform", "CLinux",
        ]),
        // Whole text-and-style grids of the widgets and the screen against recorded files (__Snapshots__).
        .testTarget(name: "SnapshotTests", dependencies: [
            "Viewer", "TerminalUI", "Theming", "SharedMemory", "DetectorStream", "Processing",
            .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
        ], exclude: ["__Snapshots__"]),
        .testTarget(name: "BenchmarksTests", dependencies: ["Benchmarks", "DetectorStream"]),
        // Reads docs/ARCHITECTURE.md and Sources/: every import is one the module table allows.
        .testTarget(name: "ArchitectureTests"),
        // Runs the built detview binary as real processes (simulate, headless view, tmux).
        .testTarget(name: "IntegrationTests", dependencies: ["CLinux", "ZeroMQ"]),
    ]
)
