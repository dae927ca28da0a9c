import Foundation
import ZeroMQ

/// The JSON part of array-1.0 frame `number`: `height × width` little-endian uint16 pixels.
func arrayFrameHeader(_ number: Int, width: Int, height: Int) -> [UInt8] {
    Array("{\"htype\":\"array-1.0\",\"shape\":[\(height),\(width)],\"type\":\"uint16\",\"frame\":\(number),\"endianness\":\"little\"}".utf8)
}

extension TmuxSession {
    /// `detview view` in a `width × height` window reading array-1.0 frames from a PUSH socket of
    /// the test's own (`--format array --socket pull`). While `waitForScreen` waits, the next
    /// frame (`frame(n)` gives frame n's message parts) is sent before each look, about 30 a
    /// second, without blocking, so the viewer always has a fresh frame to show whatever it was
    /// asked. `environment` is put after `env -i PATH=/usr/bin:/bin` (HOME, LANG); the socket
    /// lives as long as the session.
    static func streamed(width: Int, height: Int, environment: String, options: String,
                         frame: @escaping (Int) -> [[UInt8]]) throws -> TmuxSession {
        let binary = try DetviewProcess.executable.path
        let context = try ZMQContext(ioThreads: 1, defaultLingerMilliseconds: 0)
        let push = try ZMQSocket(context, .push)
        try push.bind("tcp://127.0.0.1:*")
        let endpoint = try push.lastEndpoint
        var sent = 0
        return TmuxSession(width: width, height: height, command:
            "env -i PATH=/usr/bin:/bin \(environment) TERM=tmux-256color \(binary) view \(endpoint) --format array --socket pull \(options)",
            beforeEachLook: {
                if (try? push.sendMultipart(frame(sent), dontWait: true)) == true { sent += 1 }
            })
    }
}
