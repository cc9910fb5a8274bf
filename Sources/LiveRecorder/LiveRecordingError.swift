import EngineClient
import Media

/// Why recording a live room failed.
public enum LiveRecordingError: Error, Sendable, CustomStringConvertible {
    /// Bad input, found before anything was recorded (bad URL, no such room, server not
    /// reachable, output directory missing): the CLI exits 2 and writes nothing.
    case usage(String)
    /// The engine server failed during the recording.
    case engine(String)
    /// The session could not be written (nothing is left behind: the writer removes its temporary file).
    case write(WorkloadError)

    public var description: String {
        switch self {
        case .usage(let message), .engine(let message): message
        case .write(let error): error.description
        }
    }
}
