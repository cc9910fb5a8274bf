/// A workload file that cannot be read or written, naming the file and, where it applies,
/// the byte offset of the problem.
public struct WorkloadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is.
    public enum Code: String, Sendable, Hashable {
        case io, notAWorkload, truncated, corrupt, newerVersion, unsupportedVersion, badManifest, unknownTrack, usage
    }

    public var code: Code
    /// The file the problem is in.
    public var path: String
    /// Byte offset in the file where the problem was found, when known.
    public var byteOffset: Int64?
    /// What is wrong and, where possible, what to do about it.
    public var message: String

    public init(_ code: Code, path: String, byteOffset: Int64? = nil, _ message: String) {
        self.code = code
        self.path = path
        self.byteOffset = byteOffset
        self.message = message
    }

    public var description: String {
        if let byteOffset { return "\(path): byte \(byteOffset): \(message)" }
        return "\(path): \(message)"
    }
}
