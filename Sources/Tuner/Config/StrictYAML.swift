import Yams

/// The result of a strict decode: the value (nil when it could not be built), every problem, and
/// where each key path sits in the file (for checks that run after decoding).
public struct StrictDecodeResult<T> {
    public var value: T?
    /// The value decoded so far even when there were errors (bad parts at their defaults), for
    /// checks that should still run so that every problem is reported at once.
    public var partial: T?
    public var diagnostics: [TunerDiagnostic]
    /// Key path → (line, column) of the user's node.
    public var positions: [String: (line: Int, column: Int)]
    public var file: String

    /// A diagnostic positioned at `keyPath` (or the nearest enclosing path the file spells out).
    public func diagnostic(_ code: TunerDiagnostic.Code, at keyPath: String, _ message: String, fix: String = "",
                           severity: TunerDiagnostic.Severity = .error) -> TunerDiagnostic {
        var probe = keyPath
        var place = positions[probe]
        while place == nil, let cut = probe.lastIndex(where: { $0 == "." || $0 == "[" }) {
            probe = String(probe[..<cut])
            place = positions[probe]
        }
        place = place ?? positions[""]
        return TunerDiagnostic(code: code, severity: severity, file: file, line: place?.line ?? 0,
                               column: place?.column ?? 0, keyPath: keyPath, message: message, fix: fix)
    }
}

/// Strict YAML decoding into the Codable config structs.
///
/// Parse with Yams, overlay the user's mapping on the type's defaults (`ConfigDefaults`), decode
/// with a `Decoder` that records every key the types request, then report every user key that
/// was never requested as unknown, with a did-you-mean. All problems in a file come back at once.
public enum StrictYAML {
    /// Parses YAML text; syntax errors come back as diagnostics with their position.
    public static func parse(_ yaml: String, file: String) -> (Node?, [TunerDiagnostic]) {
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                return (nil, [TunerDiagnostic(code: .syntax, file: file, line: 1, column: 1, keyPath: "",
                                              message: "the file is empty", fix: "add at least one key")])
            }
            return (node, [])
        } catch let error as YamlError {
            return (nil, [diagnostic(for: error, file: file)])
        } catch {
            return (nil, [TunerDiagnostic(code: .syntax, file: file, line: 0, column: 0, keyPath: "",
                                          message: "\(error)")])
        }
    }

    /// Decodes `type` from YAML text.
    public static func decode<T: Decodable>(_ type: T.Type, yaml: String, file: String) -> StrictDecodeResult<T> {
        let (node, problems) = parse(yaml, file: file)
        guard let node else { return StrictDecodeResult(value: nil, partial: nil, diagnostics: problems, positions: [:], file: file) }
        return decode(type, node: node, file: file)
    }

    /// Decodes `type` from a parsed node.
    public static func decode<T: Decodable>(_ type: T.Type, node: Node, file: String) -> StrictDecodeResult<T> {
        let session = DecodeSession(file: file)
        let value = try? session.decode(T.self, node: node, defaults: nil, path: [])
        session.reportUnknownKeys(in: node, path: [])
        var positions: [String: (line: Int, column: Int)] = [:]
        for (path, mark) in session.marks { positions[path] = (mark.line, mark.column) }
        let sorted = session.diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        return StrictDecodeResult(value: sorted.contains { $0.severity == .error } ? nil : value, partial: value,
                                  diagnostics: sorted, positions: positions, file: file)
    }

    /// Encodes a value as a YAML node tree (for overlays and sweep assignments).
    public static func node<T: Encodable>(of value: T) throws -> Node {
        guard let node = try Yams.compose(yaml: YAMLEncoder().encode(value)) else {
            throw TunerError(.badInput, "could not encode \(T.self) as YAML")
        }
        return node
    }

    static func diagnostic(for error: YamlError, file: String) -> TunerDiagnostic {
        func make(_ mark: Mark?, _ problem: String) -> TunerDiagnostic {
            TunerDiagnostic(code: .syntax, file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, keyPath: "",
                            message: "YAML syntax: \(problem)", fix: "check indentation and quoting on this line")
        }
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return make(mark, problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return TunerDiagnostic(code: .syntax, file: file, line: context.mark.line, column: context.mark.column,
                                   keyPath: duplicates.joined(separator: ","),
                                   message: "duplicate key \(duplicates.map { "`\($0)`" }.joined(separator: ", "))",
                                   fix: "keep one of them")
        default:
            return make(nil, "\(error)")
        }
    }
}
