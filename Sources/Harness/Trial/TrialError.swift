/// Why a trial could not run.
public enum TrialError: Error, Equatable, CustomStringConvertible {
    case invalidWorkload(String)
    case invalidNetwork(String)
    case engine(String)

    public var description: String {
        switch self {
        case .invalidWorkload(let message): "workload: \(message)"
        case .invalidNetwork(let message): "network: \(message)"
        case .engine(let message): "engine: \(message)"
        }
    }
}
