import Engine
import Yams

/// Applies `key.path = value` assignments to a profile through its YAML tree, so that sweep values
/// are decoded and checked exactly like a profile file.
public enum ProfilePatch {
    /// Splits `a.b[1].c` (or `a.b.1.c`) into components.
    public static func components(of keyPath: String) -> [PathComponent] {
        var out: [PathComponent] = []
        for part in keyPath.split(separator: ".", omittingEmptySubsequences: false) {
            var text = Substring(part)
            var indices: [Int] = []
            while let open = text.lastIndex(of: "["), text.hasSuffix("]"), let i = Int(text[text.index(after: open)..<text.index(before: text.endIndex)]) {
                indices.insert(i, at: 0)
                text = text[..<open]
            }
            if let i = Int(text) { out.append(.index(i)) } else { out.append(.key(String(text))) }
            out += indices.map(PathComponent.index)
        }
        return out
    }

    /// The profile with every assignment applied, decoded strictly (unknown keys and type errors
    /// come back as diagnostics whose key path is the knob's).
    public static func apply(_ assignments: [(key: String, value: ConfigValue)], to base: Profile,
                             file: String = "<sweep>") -> StrictDecodeResult<Profile> {
        guard var node = try? StrictYAML.node(of: base) else {
            return StrictDecodeResult(value: nil, partial: nil, diagnostics: [], positions: [:], file: file)
        }
        for (key, value) in assignments {
            let path = components(of: key)
            node = set(node, path[...], value.node)
            if lookup(node, path) == nil {
                let problem = TunerDiagnostic(code: .unknownKey, file: file, line: 0, column: 0, keyPath: key,
                                              message: "list index out of range in the base profile",
                                              fix: "index only entries the base profile has (see Profiles/baseline.yaml)")
                return StrictDecodeResult(value: nil, partial: nil, diagnostics: [problem], positions: [:], file: file)
            }
        }
        return StrictYAML.decode(Profile.self, node: node, file: file)
    }

    static func set(_ node: Node, _ path: ArraySlice<PathComponent>, _ value: Node) -> Node {
        guard let first = path.first else { return value }
        switch first {
        case .key(let key):
            var pairs: [(Node, Node)] = []
            var found = false
            if case .mapping(let m) = node {
                for (k, v) in m {
                    if k.scalar?.string == key {
                        pairs.append((k, set(v, path.dropFirst(), value)))
                        found = true
                    } else {
                        pairs.append((k, v))
                    }
                }
            }
            if !found { pairs.append((Node(key), set(Node([(Node, Node)]()), path.dropFirst(), value))) }
            return Node(pairs)
        case .index(let i):
            guard case .sequence(let s) = node, i >= 0, i < s.count else { return node }
            var items = Array(s)
            items[i] = set(items[i], path.dropFirst(), value)
            return Node(items)
        }
    }
}

extension ProfilePatch {
    /// The node at `path`, if present.
    static func lookup(_ node: Node, _ path: [PathComponent]) -> Node? {
        var current: Node? = node
        for component in path {
            switch component {
            case .key(let k): current = current?.mapping?.first { $0.key.scalar?.string == k }?.value
            case .index(let i):
                guard case .sequence(let s)? = current, i >= 0, i < s.count else { return nil }
                current = s[i]
            }
        }
        return current
    }
}
