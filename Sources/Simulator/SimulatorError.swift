import Glibc
import ZeroMQ

/// Why a simulation could not start or had to stop; the text is for the command line.
public struct SimulatorError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }

    static func system(_ call: String, _ code: Int32) -> SimulatorError {
        SimulatorError("\(call): \(String(cString: strerror(code)))")
    }

    static func zmq(_ what: String, _ error: ZMQError) -> SimulatorError {
        SimulatorError("\(what): \(error)")
    }
}
