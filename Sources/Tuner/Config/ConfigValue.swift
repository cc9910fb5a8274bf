import Yams

/// A YAML value kept as written: a sweep value, a knob setting. Scalars keep their text so that
/// `1000000` stays an integer and `"1e6"` stays a string until the schema says what it is.
public indirect enum ConfigValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case null
    case scalar(String)
    case sequence([ConfigValue])
    case mapping([String: ConfigValue])

    /// Converts a parsed YAML node.
    public init(node: Node) {
        switch node {
        case .scalar(let s):
            self = (s.style == .plain || s.style == .any) && YAMLScalar.isNull(s.string) ? .null : .scalar(s.string)
        case .sequence(let seq): self = .sequence(seq.map { ConfigValue(node: $0) })
        case .mapping(let map):
            var out: [String: ConfigValue] = [:]
            for (k, v) in map { out[k.scalar?.string ?? ""] = ConfigValue(node: v) }
            self = .mapping(out)
        case .alias: self = .null
        }
    }

    /// The value as a YAML node (no position).
    public var node: Node {
        switch self {
        case .null: return Node("null", .implicit, .plain)
        case .scalar(let s): return Node(s, .implicit, .plain)
        case .sequence(let items): return Node(items.map(\.node))
        case .mapping(let map): return Node(map.sorted { $0.key < $1.key }.map { (Node($0.key), $0.value.node) })
        }
    }

    /// The number this value spells, if it is a numeric scalar.
    public var number: Double? {
        if case .scalar(let s) = self { return YAMLScalar.double(s) }
        return nil
    }

    /// Text for candidate names: `1000000`, `true`, `[a, b]`.
    public var description: String {
        switch self {
        case .null: return "null"
        case .scalar(let s): return s
        case .sequence(let items): return "[" + items.map(\.description).joined(separator: ",") + "]"
        case .mapping(let map):
            return "{" + map.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",") + "}"
        }
    }

    public init(from decoder: any Decoder) throws {
        if let nodeDecoder = decoder as? NodeDecoder {
            self = ConfigValue(node: nodeDecoder.node)
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .scalar(b ? "true" : "false") }
        else if let i = try? c.decode(Int64.self) { self = .scalar(String(i)) }
        else if let d = try? c.decode(Double.self) { self = .scalar(String(d)) }
        else if let s = try? c.decode(String.self) { self = .scalar(s) }
        else if let a = try? c.decode([ConfigValue].self) { self = .sequence(a) }
        else { self = .mapping(try c.decode([String: ConfigValue].self)) }
    }

    /// Encodes numbers and booleans as JSON numbers and booleans.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .scalar(let s):
            if let b = YAMLScalar.bool(s) { try c.encode(b) }
            else if let i = YAMLScalar.int(s, allowIntegralFloat: false) { try c.encode(i) }
            else if let d = YAMLScalar.double(s) { try c.encode(d) }
            else { try c.encode(s) }
        case .sequence(let items): try c.encode(items)
        case .mapping(let map): try c.encode(map)
        }
    }
}

/// How plain YAML scalars spell null, booleans and numbers (YAML 1.2 core schema, plus `_` digit separators).
enum YAMLScalar {
    static func isNull(_ s: String) -> Bool { ["", "~", "null", "Null", "NULL"].contains(s) }

    static func bool(_ s: String) -> Bool? {
        switch s {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    static func int(_ s: String, allowIntegralFloat: Bool = true) -> Int64? {
        let t = s.replacingOccurrences(of: "_", with: "")
        if let i = Int64(t) { return i }
        if t.hasPrefix("0x"), let i = Int64(t.dropFirst(2), radix: 16) { return i }
        if allowIntegralFloat, let d = Double(t), d.isFinite, d == d.rounded(), abs(d) < 9e18 { return Int64(d) }
        return nil
    }

    static func double(_ s: String) -> Double? {
        let t = s.replacingOccurrences(of: "_", with: "")
        switch t {
        case ".inf", ".Inf", ".INF", "+.inf": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        guard let d = Double(t), !t.isEmpty, t.first != "." || t.count > 1 else { return nil }
        return d
    }
}
