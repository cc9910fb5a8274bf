/// One problem found in an input file: where it is, which key, what is wrong, and how to fix it.
///
/// Printed as `file:line:column: error: key.path: message (fix)`, the format compilers use, so
/// editors and CI annotate the right line.
public struct TunerDiagnostic: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// What kind of problem this is; stable names for tools that read `--json` output.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let syntax = Code(rawValue: "syntax")
        public static let unknownKey = Code(rawValue: "unknown-key")
        public static let typeMismatch = Code(rawValue: "type-mismatch")
        public static let invalidValue = Code(rawValue: "invalid-value")
        public static let missingKey = Code(rawValue: "missing-key")
        public static let liveOnlyKnob = Code(rawValue: "live-only-knob")
        public static let unreadable = Code(rawValue: "unreadable")
    }

    /// `error` or `warning`.
    public enum Severity: String, Sendable, Hashable, Codable {
        case error, warning
    }

    public var code: Code
    public var severity: Severity
    /// File the problem is in (as given on the command line).
    public var file: String
    /// 1-based line; 0 when the problem has no position (an unreadable file).
    public var line: Int
    /// 1-based column; 0 when unknown.
    public var column: Int
    /// Dotted key path, for example `webRtcTransport.initialAvailableOutgoingBitrate` or `sweep[0].key`.
    public var keyPath: String
    /// What is wrong.
    public var message: String
    /// How to fix it (a did-you-mean, the expected type with an example); empty when there is none.
    public var fix: String

    public init(code: Code, severity: Severity = .error, file: String, line: Int, column: Int,
                keyPath: String, message: String, fix: String = "") {
        self.code = code
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
        self.fix = fix
    }

    /// `file:line:column: error: key.path: message (fix)`.
    public var description: String {
        let place = line > 0 ? "\(file):\(line):\(column)" : file
        let key = keyPath.isEmpty ? "" : "\(keyPath): "
        let hint = fix.isEmpty ? "" : " (\(fix))"
        return "\(place): \(severity.rawValue): \(key)\(message)\(hint)"
    }
}

/// Every problem found in one or more files, reported together.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [TunerDiagnostic]

    public init(_ diagnostics: [TunerDiagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// A failure that is not about a position in a file: a run directory that cannot be written,
/// a trial runner that is not available, a results file of the wrong version.
public struct TunerError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let io = Code(rawValue: "io")
        public static let runnerUnavailable = Code(rawValue: "runner-unavailable")
        public static let badInput = Code(rawValue: "bad-input")
        public static let trialFailed = Code(rawValue: "trial-failed")
        public static let timeout = Code(rawValue: "timeout")
    }

    public var code: Code
    public var message: String
    /// Source location that raised the error.
    public var fileID: String
    public var line: Int

    public init(_ code: Code, _ message: String, fileID: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.fileID = fileID
        self.line = line
    }

    public var description: String { message }
}
