import Yams

/// A `Decoder` over a Yams `Node` that records which keys the Decodable types request, records
/// problems with their positions instead of stopping at the first, and falls back to defaults.
struct NodeDecoder: Decoder {
    let node: Node
    /// The defaults at the same place, when the enclosing type has defaults.
    let defaults: Node?
    let path: [PathComponent]
    let session: DecodeSession

    var codingPath: [any CodingKey] { path.map(PathKey.init) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    var isSequence: Bool { if case .sequence = node { return true } else { return false } }
    var isScalar: Bool { if case .scalar = node { return true } else { return false } }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node else {
            session.report(.typeMismatch, at: node.mark, path: path, "expected a mapping, found \(DecodeSession.describe(node))",
                           fix: "write `key: value` pairs indented below this key")
            throw AbortDecoding()
        }
        if session.requested[PathComponent.format(path)] == nil { session.requested[PathComponent.format(path)] = [] }
        return KeyedDecodingContainer(NodeKeyedContainer<Key>(mapping: mapping, decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let sequence) = node else {
            session.report(.typeMismatch, at: node.mark, path: path, "expected a list, found \(DecodeSession.describe(node))",
                           fix: "write a list, for example `[a, b]` or one `- item` per line")
            throw AbortDecoding()
        }
        return NodeUnkeyedContainer(items: Array(sequence), decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { NodeSingleValueContainer(decoder: self) }

    func child(_ node: Node, defaults: Node?, _ component: PathComponent) -> NodeDecoder {
        NodeDecoder(node: node, defaults: defaults, path: path + [component], session: session)
    }
}

/// A `CodingKey` for a path component.
struct PathKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.stringValue = "\(intValue)"; self.intValue = intValue }
    init(_ component: PathComponent) {
        switch component {
        case .key(let k): self.init(stringValue: k)
        case .index(let i): self.init(stringValue: "\(i)"); self.intValue = i
        }
    }
}

/// Keyed access to a mapping; every key asked for is recorded as known.
struct NodeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let mapping: Node.Mapping
    let decoder: NodeDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] {
        mapping.compactMap { k, _ in
            guard let name = k.scalar?.string else { return nil }
            decoder.session.request(decoder.path, name)
            return Key(stringValue: name)
        }
    }

    private func value(_ key: Key) -> Node? {
        decoder.session.request(decoder.path, key.stringValue)
        return mapping.first { $0.key.scalar?.string == key.stringValue }?.value
    }

    private func defaultValue(_ key: Key) -> Node? {
        decoder.defaults?.mapping?.first { $0.key.scalar?.string == key.stringValue }?.value
    }

    private static func isNull(_ node: Node) -> Bool {
        if case .scalar(let s) = node { return (s.style == .plain || s.style == .any) && YAMLScalar.isNull(s.string) }
        return false
    }

    func contains(_ key: Key) -> Bool { value(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { value(key).map(Self.isNull) ?? true }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let path = decoder.path + [.key(key.stringValue)]
        guard let node = value(key) else {
            decoder.session.report(.missingKey, at: decoder.node.mark, path: path, "missing required key `\(key.stringValue)`",
                                   fix: "add `\(key.stringValue):` here")
            throw AbortDecoding()
        }
        let fallback = defaultValue(key)
        do {
            return try decoder.session.decode(T.self, node: node, defaults: fallback, path: path)
        } catch is AbortDecoding {
            decoder.session.markFailed(path)
            if let fallback, let value = try? DecodeSession(file: "").decode(T.self, node: fallback, defaults: nil, path: path) {
                return value
            }
            throw AbortDecoding()
        }
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let node = value(key), !Self.isNull(node) else { return nil }
        let path = decoder.path + [.key(key.stringValue)]
        do {
            return try decoder.session.decode(T.self, node: node, defaults: defaultValue(key), path: path)
        } catch is AbortDecoding {
            decoder.session.markFailed(path)
            return nil
        }
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(Wrap<Bool>.self, forKey: key).value }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(Wrap<String>.self, forKey: key).value }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(Wrap<Double>.self, forKey: key).value }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(Wrap<Float>.self, forKey: key).value }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(Wrap<Int>.self, forKey: key).value }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(Wrap<Int8>.self, forKey: key).value }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(Wrap<Int16>.self, forKey: key).value }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(Wrap<Int32>.self, forKey: key).value }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(Wrap<Int64>.self, forKey: key).value }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(Wrap<UInt>.self, forKey: key).value }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(Wrap<UInt8>.self, forKey: key).value }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(Wrap<UInt16>.self, forKey: key).value }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(Wrap<UInt32>.self, forKey: key).value }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(Wrap<UInt64>.self, forKey: key).value }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try decodeIfPresent(Wrap<Bool>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try decodeIfPresent(Wrap<String>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try decodeIfPresent(Wrap<Double>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try decodeIfPresent(Wrap<Float>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try decodeIfPresent(Wrap<Int>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try decodeIfPresent(Wrap<Int8>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try decodeIfPresent(Wrap<Int16>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try decodeIfPresent(Wrap<Int32>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try decodeIfPresent(Wrap<Int64>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try decodeIfPresent(Wrap<UInt>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try decodeIfPresent(Wrap<UInt8>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try decodeIfPresent(Wrap<UInt16>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try decodeIfPresent(Wrap<UInt32>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try decodeIfPresent(Wrap<UInt64>.self, forKey: key)?.value }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        guard let node = value(key) else { throw AbortDecoding() }
        return try decoder.child(node, defaults: defaultValue(key), .key(key.stringValue)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        guard let node = value(key) else { throw AbortDecoding() }
        return try decoder.child(node, defaults: nil, .key(key.stringValue)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        guard let node = value(key) else { throw AbortDecoding() }
        return decoder.child(node, defaults: defaultValue(key), .key(key.stringValue))
    }
}

/// Routes a primitive through the generic path so that failures fall back like any other value.
private struct Wrap<T: Decodable>: Decodable {
    var value: T
    init(from decoder: any Decoder) throws { value = try decoder.singleValueContainer().decode(T.self) }
}

/// Sequential access to a list.
struct NodeUnkeyedContainer: UnkeyedDecodingContainer {
    let items: [Node]
    let decoder: NodeDecoder
    var currentIndex = 0

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func next() throws -> (Node, [PathComponent]) {
        guard !isAtEnd else { throw AbortDecoding() }
        defer { currentIndex += 1 }
        return (items[currentIndex], decoder.path + [.index(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .scalar(let s) = items[currentIndex], YAMLScalar.isNull(s.string),
              s.style == .plain || s.style == .any else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (node, path) = try next()
        do {
            return try decoder.session.decode(T.self, node: node, defaults: nil, path: path)
        } catch is AbortDecoding {
            // Lists are homogeneous: check the remaining elements as `T` too, so that every bad
            // element is reported, then give up on the list (the caller falls back).
            while !isAtEnd {
                let (rest, restPath) = try next()
                _ = try? decoder.session.decode(T.self, node: rest, defaults: nil, path: restPath)
            }
            throw AbortDecoding()
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let (node, path) = try next()
        return try NodeDecoder(node: node, defaults: nil, path: path, session: decoder.session).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (node, path) = try next()
        return try NodeDecoder(node: node, defaults: nil, path: path, session: decoder.session).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (node, path) = try next()
        return NodeDecoder(node: node, defaults: nil, path: path, session: decoder.session)
    }
}

/// A scalar: parses YAML spellings of booleans, integers and floats, and explains mismatches.
struct NodeSingleValueContainer: SingleValueDecodingContainer {
    let decoder: NodeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
        if case .scalar(let s) = decoder.node { return (s.style == .plain || s.style == .any) && YAMLScalar.isNull(s.string) }
        return false
    }

    private func scalar<T>(_ expected: String, _ fallbackExample: String, _ parse: (String) -> T?) throws -> T {
        let example = decoder.defaults?.scalar?.string ?? fallbackExample
        guard case .scalar(let s) = decoder.node, !decodeNil() || T.self == String.self && s.style != .plain,
              let value = parse(s.string) else {
            decoder.session.report(.typeMismatch, at: decoder.node.mark, path: decoder.path,
                                   "expected \(expected), found \(DecodeSession.describe(decoder.node))",
                                   fix: "for example `\(example)`")
            throw AbortDecoding()
        }
        return value
    }

    private func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        try scalar("an integer", "1") { text in
            if let u = UInt64(text.replacingOccurrences(of: "_", with: "")) { return I(exactly: u) }
            return YAMLScalar.int(text).flatMap { I(exactly: $0) }
        }
    }

    func decode(_ type: Bool.Type) throws -> Bool { try scalar("true or false", "true", YAMLScalar.bool) }
    func decode(_ type: String.Type) throws -> String { try scalar("a string", "text") { $0 } }
    func decode(_ type: Double.Type) throws -> Double { try scalar("a number", "1.5", YAMLScalar.double) }
    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func decode(_ type: Int.Type) throws -> Int { try integer(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(UInt64.self) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.session.decode(T.self, node: decoder.node, defaults: decoder.defaults, path: decoder.path)
    }
}
