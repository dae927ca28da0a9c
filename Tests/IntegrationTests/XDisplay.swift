import Foundation

/// An Xvfb display for the tests of the real binary in a real terminal emulator (xterm, kitty),
/// and the processes started on it: the terminal, xdotool, the screenshots. `stop()` (from the
/// test's tearDown) ends every process it started, the last started first.
final class XDisplay {
    /// The display's name (":123"), for DISPLAY and `-display`.
    private(set) var name = ""
    private var processes: [Process] = []

    /// Fails (throws) with what to install when a tool is missing: the terminal tests never skip.
    static func requireTools(_ tools: [String], install: String) throws {
        for tool in tools where !FileManager.default.isExecutableFile(atPath: tool) {
            throw MissingTestInput("\(tool) is missing: run \(install)")
        }
    }

    /// Starts Xvfb (1024×768, 24 bits; with `glx`, the GLX extension kitty's OpenGL needs) on a
    /// display nobody uses and waits for its socket.
    init(glx: Bool = false) throws {
        for _ in 0..<20 {
            let number = Int.random(in: 100..<1000)
            let socket = "/tmp/.X11-unix/X\(number)"
            guard !FileManager.default.fileExists(atPath: socket), !FileManager.default.fileExists(atPath: "/tmp/.X\(number)-lock") else { continue }
            let server = try start("/usr/bin/Xvfb", [":\(number)", "-screen", "0", "1024x768x24", "-nolisten", "tcp"]
                                                    + (glx ? ["+extension", "GLX"] : []))
            // Running still: a server that lost the number to another one exits, and that one's
            // socket must not be taken for this one's.
            if eventually(timeout: 10, { FileManager.default.fileExists(atPath: socket) }), server.isRunning {
                name = ":\(number)"
                return
            }
            server.terminate()
            server.waitUntilExit()
        }
        stop()
        throw MissingTestInput("no Xvfb display could be started")
    }

    /// Starts `path` on this display, without input or output. The environment is the test's
    /// with `environment` laid over it (nil removes a variable), but never tmux's (the test may
    /// run inside tmux; what runs here runs in the terminal on this display), LANG=C.UTF-8, and
    /// no Swift crash backtracer.
    @discardableResult
    func start(_ path: String, _ arguments: [String], environment overrides: [String: String?] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TMUX"] = nil
        environment["TMUX_PANE"] = nil
        environment["LANG"] = "C.UTF-8"
        environment["SWIFT_BACKTRACE"] = "enable=no"
        if !name.isEmpty { environment["DISPLAY"] = name }
        for (key, value) in overrides { environment[key] = value }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        processes.append(process)
        return process
    }

    /// Runs `path` on this display to its end (xdotool).
    func run(_ path: String, _ arguments: [String]) throws {
        try start(path, arguments).waitUntilExit()
    }

    /// The whole display as RGB pixels (ImageMagick's `import`, as a binary PPM).
    func screenshot() throws -> Screenshot {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shot-\(UUID().uuidString).ppm").path
        defer { unlink(path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/import")
        process.arguments = ["-display", name, "-window", "root", "-depth", "8", "ppm:" + path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return try Screenshot(ppm: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Ends what was started here, the display last.
    func stop() {
        for process in processes.reversed() where process.isRunning { process.terminate() }
        for process in processes { process.waitUntilExit() }
        processes = []
    }
}
