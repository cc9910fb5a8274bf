import Yams

/// One element of a key path: a mapping key or a sequence index.
public enum PathComponent: Hashable, Sendable {
    case key(String)
    case index(Int)

    /// `a.b[0].c`.
    public static func format(_ path: [PathComponent]) -> String {
        var out = ""
        for component in path {
            switch component {
            case .key(let k): out += out.isEmpty ? k : ".\(k)"
            case .index(let i): out += "[\(i)]"
            }
        }
        return out
    }
}

/// Thrown inside the strict decoder after a problem has been recorded; callers fall back to the
/// default value so that decoding continues and every problem in the file is reported at once.
struct AbortDecoding: Error {}

/// State shared by one strict decode: problems found, keys the types asked for, positions.
final class DecodeSession {
    let file: String
    var diagnostics: [TunerDiagnostic] = []
    /// Mapping path → keys the Decodable types requested there (known keys, for unknown-key checks).
    var requested: [String: Set<String>] = [:]
    /// Paths whose decode failed (and fell back); unknown keys below them are not reported.
    var failed: [String] = []
    /// Path → position of the user's node there.
    var marks: [String: Mark] = [:]

    init(file: String) { self.file = file }

    func report(_ code: TunerDiagnostic.Code, at mark: Mark?, path: [PathComponent], _ message: String,
                fix: String = "") {
        diagnostics.append(TunerDiagnostic(code: code, file: file, line: mark?.line ?? 0, column: mark?.column ?? 0,
                                           keyPath: PathComponent.format(path), message: message, fix: fix))
    }

    func request(_ path: [PathComponent], _ key: String) {
        requested[PathComponent.format(path), default: []].insert(key)
    }

    func markFailed(_ path: [PathComponent]) { failed.append(PathComponent.format(path)) }

    func isUnderFailed(_ path: String) -> Bool {
        failed.contains { path == $0 || path.hasPrefix($0 + ".") || path.hasPrefix($0 + "[") || $0.isEmpty }
    }

    /// Decodes `type` from `node`, overlaying the type's defaults when it has them. Problems are
    /// recorded; `AbortDecoding` is thrown when no value could be produced.
    func decode<T: Decodable>(_ type: T.Type, node: Node, defaults: Node?, path: [PathComponent]) throws -> T {
        var node = node
        var defaults = defaults
        if let withDefaults = T.self as? any ConfigDefaults.Type, let encoded = Self.defaultsNode(withDefaults) {
            defaults = encoded
            if case .mapping = node { node = Self.overlay(encoded, node) }
        }
        let key = PathComponent.format(path)
        if marks[key] == nil, let mark = node.mark { marks[key] = mark }
        do {
            return try T(from: NodeDecoder(node: node, defaults: defaults, path: path, session: self))
        } catch let error as AbortDecoding {
            throw error
        } catch let error as DecodingError {
            let (message, fix) = Self.explain(error, type: T.self, node: node)
            report(.invalidValue, at: node.mark, path: path, message, fix: fix)
            throw AbortDecoding()
        } catch let error as TunerDiagnostic {
            var located = error
            located.file = file
            located.line = node.mark?.line ?? 0
            located.column = node.mark?.column ?? 0
            located.keyPath = PathComponent.format(path)
            diagnostics.append(located)
            throw AbortDecoding()
        } catch {
            report(.invalidValue, at: node.mark, path: path, "\(error)")
            throw AbortDecoding()
        }
    }

    /// Reports every key of `user` that no Decodable type asked for.
    func reportUnknownKeys(in user: Node, path: [PathComponent]) {
        let key = PathComponent.format(path)
        if isUnderFailed(key) { return }
        switch user {
        case .mapping(let mapping):
            guard let known = requested[key] else { return }
            for (k, v) in mapping {
                let name = k.scalar?.string ?? ""
                if known.contains(name) {
                    reportUnknownKeys(in: v, path: path + [.key(name)])
                } else {
                    report(.unknownKey, at: k.mark, path: path + [.key(name)], "unknown key `\(name)`",
                           fix: EditDistance.fix(for: name, among: Array(known)))
                }
            }
        case .sequence(let sequence):
            for (i, v) in sequence.enumerated() { reportUnknownKeys(in: v, path: path + [.index(i)]) }
        default:
            return
        }
    }

    // MARK: - Defaults overlay

    /// The type's defaults as a YAML node tree.
    static func defaultsNode(_ type: any ConfigDefaults.Type) -> Node? {
        func encode<T: ConfigDefaults>(_ t: T.Type) -> Node? {
            guard let text = try? YAMLEncoder().encode(T.configDefault), let node = try? Yams.compose(yaml: text) else { return nil }
            return withoutMarks(node)
        }
        return encode(type)
    }

    /// The node with positions removed: defaults have no place in the user's file, so checks that
    /// look up positions fall back to the nearest key the user wrote.
    static func withoutMarks(_ node: Node) -> Node {
        switch node {
        case .scalar(let s): return .scalar(Node.Scalar(s.string, s.tag, s.style, nil))
        case .mapping(let m): return .mapping(Node.Mapping(m.map { (withoutMarks($0.key), withoutMarks($0.value)) }, m.tag, m.style, nil))
        case .sequence(let q): return .sequence(Node.Sequence(q.map(withoutMarks), q.tag, q.style, nil))
        case .alias: return node
        }
    }

    /// `user` laid over `defaults`: mappings merge recursively, scalars and sequences replace.
    static func overlay(_ defaults: Node, _ user: Node) -> Node {
        guard case .mapping(let d) = defaults, case .mapping(let u) = user else { return user }
        var pairs: [(Node, Node)] = []
        var taken = Set<String>()
        for (k, dv) in d {
            let name = k.scalar?.string ?? ""
            if let index = u.firstIndex(where: { $0.key.scalar?.string == name }) {
                let (uk, uv) = u[index]
                pairs.append((uk, overlay(dv, uv)))
                taken.insert(name)
            } else {
                pairs.append((k, dv))
            }
        }
        for (k, v) in u where !taken.contains(k.scalar?.string ?? "") { pairs.append((k, v)) }
        return .mapping(Node.Mapping(pairs, u.tag, u.style, u.mark))
    }

    // MARK: - Messages

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return YAMLScalar.isNull(s.string) && s.style == .plain ? "null" : "`\(s.string)`"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    static func explain<T>(_ error: DecodingError, type: T.Type, node: Node) -> (String, String) {
        let found = describe(node)
        if let names = caseNames(T.self) {
            // The allowed values always, after a suggestion when one is close.
            let word = node.scalar?.string ?? ""
            let allowed = names.map { "`\($0)`" }.joined(separator: ", ")
            let fix = EditDistance.suggestion(for: word, among: names).map { "did you mean `\($0)`? allowed: \(allowed)" }
                ?? "expected one of \(allowed)"
            return ("invalid value \(found)", fix)
        }
        switch error {
        case .dataCorrupted(let context): return ("invalid value \(found): \(context.debugDescription)", "")
        case .typeMismatch(_, let context): return ("type mismatch, found \(found): \(context.debugDescription)", "")
        case .keyNotFound(let key, _): return ("missing required key `\(key.stringValue)`", "add `\(key.stringValue):`")
        case .valueNotFound(_, let context): return ("missing value: \(context.debugDescription)", "")
        @unknown default: return ("invalid value \(found)", "")
        }
    }

    static func caseNames<T>(_ type: T.Type) -> [String]? {
        guard let iterable = type as? any CaseIterable.Type else { return nil }
        func names<C: CaseIterable>(_ c: C.Type) -> [String] {
            C.allCases.map { value in
                if let raw = value as? any RawRepresentable { return "\(raw.rawValue)" }
                return "\(value)"
            }
        }
        return names(iterable)
    }
}
