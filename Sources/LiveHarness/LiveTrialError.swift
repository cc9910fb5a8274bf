/// Why a live trial could not run or finish.
public enum LiveTrialError: Error, Equatable, CustomStringConvertible {
    /// The profile or the command asks for something live mode cannot do; says what to change.
    case unsupported(String)
    /// The engine server could not be started or reached, or refused a call.
    case engine(String)
    /// The trial started and broke (a connection lost, the clock overran its deadline).
    case run(String)

    public var description: String {
        switch self {
        case .unsupported(let message): "live mode: \(message)"
        case .engine(let message): "engine server: \(message)"
        case .run(let message): "live trial: \(message)"
        }
    }
}
