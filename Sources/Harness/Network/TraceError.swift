/// A bandwidth trace that could not be read, naming the file and (when known) the line.
public struct TraceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file (or label) the trace came from.
    public var path: String
    /// 1-based line number, when the problem is on one line.
    public var line: Int?
    /// What is wrong and, where possible, how to fix it.
    public var message: String

    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(path):\(line): \(message)" }
        return "\(path): \(message)"
    }
}
