import Engine
import Foundation
import Harness
import Yams

/// What a YAML file is.
public enum ConfigFileKind: String, Sendable, Codable, Hashable, CaseIterable {
    case profile, experiment, network
}

/// The outcome of validating one file.
public struct FileValidation: Sendable, Codable, Hashable {
    public var file: String
    /// Nil when the kind could not be told.
    public var kind: ConfigFileKind?
    public var diagnostics: [TunerDiagnostic]
    public var ok: Bool { !diagnostics.contains { $0.severity == .error } }
}

/// `sfulab validate`: checks profiles, experiments and network scenarios.
///
/// The kind comes from a top-level `kind:` key (`profile`, `experiment`, `network`) or, without
/// one, from the keys: `uplink`/`downlink` → network scenario; `sweep`, `objective`, `base`,
/// `repetitions`, ... → experiment; profile section names → profile.
public struct FileValidator: Sendable {
    public var loader: ExperimentLoader

    public init(loader: ExperimentLoader = ExperimentLoader()) { self.loader = loader }

    static let experimentKeys: Set<String> = ["sweep", "objective", "base", "repetitions", "strategy", "constraints",
                                              "workload", "network", "duration", "seed", "mode", "name", "description"]
    static let profileKeys: Set<String> = ["worker", "router", "webRtcTransport", "producer", "consumer", "feedback"]

    public func validate(_ path: String) -> FileValidation {
        let text: String
        do { text = try ExperimentLoader.read(path) } catch {
            return FileValidation(file: path, kind: nil, diagnostics: error.diagnostics)
        }
        let (parsed, syntax) = StrictYAML.parse(text, file: path)
        guard let node = parsed else { return FileValidation(file: path, kind: nil, diagnostics: syntax) }
        guard case .mapping(let mapping) = node else {
            return FileValidation(file: path, kind: nil, diagnostics: [TunerDiagnostic(
                code: .typeMismatch, file: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, keyPath: "",
                message: "expected a mapping at the top level", fix: "a profile, experiment or network scenario is a set of `key: value` lines")])
        }
        let keys = Set(mapping.compactMap { $0.key.scalar?.string })
        var kind: ConfigFileKind?
        var body = node
        if let kindPair = mapping.first(where: { $0.key.scalar?.string == "kind" }) {
            let value = kindPair.value.scalar?.string ?? ""
            guard let k = ConfigFileKind(rawValue: value) else {
                let mark = kindPair.value.mark
                return FileValidation(file: path, kind: nil, diagnostics: [TunerDiagnostic(
                    code: .invalidValue, file: path, line: mark?.line ?? 0, column: mark?.column ?? 0, keyPath: "kind",
                    message: "unknown kind `\(value)`",
                    fix: EditDistance.suggestion(for: value, among: ConfigFileKind.allCases.map(\.rawValue)).map { "did you mean `\($0)`?" }
                        ?? "one of `profile`, `experiment`, `network`")])
            }
            kind = k
            if k != .experiment {
                body = .mapping(Node.Mapping(mapping.filter { $0.key.scalar?.string != "kind" }, mapping.tag, mapping.style, mapping.mark))
            }
        } else if keys.contains("uplink") || keys.contains("downlink") {
            kind = .network
        } else if !keys.isDisjoint(with: Self.experimentKeys) && keys.isDisjoint(with: Self.profileKeys) {
            kind = .experiment
        } else if !keys.isDisjoint(with: Self.profileKeys) {
            kind = .profile
        }
        switch kind {
        case .profile:
            return FileValidation(file: path, kind: kind, diagnostics: StrictYAML.decode(Profile.self, node: body, file: path).diagnostics)
        case .network:
            return FileValidation(file: path, kind: kind, diagnostics: StrictYAML.decode(NetworkScenario.self, node: body, file: path).diagnostics)
        case .experiment:
            do {
                let (_, warnings) = try loader.resolve(yaml: text, file: path)
                return FileValidation(file: path, kind: kind, diagnostics: warnings)
            } catch {
                return FileValidation(file: path, kind: kind, diagnostics: error.diagnostics)
            }
        case nil:
            let first = mapping.first?.key.mark
            let word = mapping.first?.key.scalar?.string ?? ""
            let suggestion = EditDistance.suggestion(for: word, among: Self.profileKeys.union(Self.experimentKeys))
            return FileValidation(file: path, kind: nil, diagnostics: [TunerDiagnostic(
                code: .unknownKey, file: path, line: first?.line ?? 1, column: first?.column ?? 1, keyPath: word,
                message: "cannot tell whether this is a profile, an experiment or a network scenario",
                fix: suggestion.map { "did you mean `\($0)`? or add `kind: profile|experiment|network`" }
                    ?? "add `kind: profile`, `kind: experiment` or `kind: network`")])
        }
    }
}
