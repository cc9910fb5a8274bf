/// Identifies a transport inside one engine.
public struct TransportID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public var description: String { "transport-\(rawValue)" }
}

/// Identifies a producer inside one engine.
public struct ProducerID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public var description: String { "producer-\(rawValue)" }
}

/// Identifies a consumer inside one engine.
public struct ConsumerID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public var description: String { "consumer-\(rawValue)" }
}

/// Identifies an audio-level or active-speaker observer inside one engine.
public struct ObserverID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public var description: String { "observer-\(rawValue)" }
}
