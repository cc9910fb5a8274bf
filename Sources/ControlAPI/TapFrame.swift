/// One datagram a room tap sends (docs/control-api.md, "Taps"): a 24-byte header, then the RTP
/// packet the engine accepted (`media`) or the JSON `ProducerDescription` of the producer an
/// event concerns (`event`). Integers are big-endian, like RTP's.
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 1 | version, 1 |
/// | 1 | 1 | kind: 1 media, 2 event |
/// | 2 | 1 | flags: bit 0 the media packet was recovered from RTX; other bits 0 |
/// | 3 | 1 | media: encoding index; event: `TapFrame.Event` code |
/// | 4 | 4 | frame sequence number: 0 for the tap's first frame, +1 per frame, dropped ones included |
/// | 8 | 8 | time, µs since the tap was created (media: when the server read the datagram) |
/// | 16 | 4 | producer id |
/// | 20 | 4 | transport id: the producer's (event: the consumer's, for consumer events) |
/// | 24 | n | body |
public struct TapFrame: Sendable, Hashable {
    /// What a frame carries.
    public enum Kind: UInt8, Sendable, Hashable {
        case media = 1
        case event = 2
    }

    /// What changed, in an `event` frame.
    public enum Event: UInt8, Sendable, Hashable, CaseIterable {
        case producerCreated = 1
        case producerClosed = 2
        case producerPaused = 3
        case producerResumed = 4
        case consumerCreated = 5
        case consumerClosed = 6
    }

    /// The framing version this build writes and reads.
    public static let version: UInt8 = 1
    public static let headerSize = 24

    public var kind: Kind
    /// Media frames: the packet came as RTX and is given unwrapped (original SSRC, sequence
    /// number and payload type).
    public var isRetransmission: Bool
    /// Media frames: the encoding of the producer (index into its `encodings`).
    public var encodingIndex: Int
    /// Event frames: what happened.
    public var event: Event?
    public var sequence: UInt32
    public var timeMicros: UInt64
    public var producer: Int
    public var transport: Int
    /// The RTP packet, or the event's JSON `ProducerDescription`.
    public var body: [UInt8]

    public init(kind: Kind, isRetransmission: Bool = false, encodingIndex: Int = 0, event: Event? = nil, sequence: UInt32,
                timeMicros: UInt64, producer: Int, transport: Int, body: [UInt8]) {
        self.kind = kind
        self.isRetransmission = isRetransmission
        self.encodingIndex = encodingIndex
        self.event = event
        self.sequence = sequence
        self.timeMicros = timeMicros
        self.producer = producer
        self.transport = transport
        self.body = body
    }

    /// Parses one datagram; garbage throws with the byte offset of the problem.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(TapFrameError) {
        guard bytes.count >= Self.headerSize else {
            throw TapFrameError(offset: bytes.count, "a tap frame has a \(Self.headerSize)-byte header; got \(bytes.count) bytes")
        }
        guard bytes[0] == Self.version else {
            throw TapFrameError(offset: 0, "tap frame version \(bytes[0]); this build reads version \(Self.version)")
        }
        guard let kind = Kind(rawValue: bytes[1]) else { throw TapFrameError(offset: 1, "unknown tap frame kind \(bytes[1])") }
        guard bytes[2] & ~1 == 0 else { throw TapFrameError(offset: 2, "reserved tap frame flags set: \(bytes[2])") }
        self.kind = kind
        isRetransmission = bytes[2] & 1 != 0
        switch kind {
        case .media:
            encodingIndex = Int(bytes[3])
            event = nil
            guard bytes.count > Self.headerSize else { throw TapFrameError(offset: Self.headerSize, "a media tap frame without an RTP packet") }
        case .event:
            encodingIndex = 0
            guard let event = Event(rawValue: bytes[3]) else { throw TapFrameError(offset: 3, "unknown tap event \(bytes[3])") }
            self.event = event
        }
        sequence = Self.read(bytes, at: 4, as: UInt32.self)
        timeMicros = Self.read(bytes, at: 8, as: UInt64.self)
        producer = Int(Self.read(bytes, at: 16, as: UInt32.self))
        transport = Int(Self.read(bytes, at: 20, as: UInt32.self))
        body = Array(bytes[Self.headerSize...])
    }

    /// Parses one datagram held in an array.
    public init(parsing bytes: [UInt8]) throws(TapFrameError) {
        let parsed = bytes.withUnsafeBytes { raw in Result { () throws(TapFrameError) in try TapFrame(parsing: raw) } }
        self = try parsed.get()
    }

    /// The whole datagram.
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.headerSize)
        out.withUnsafeMutableBytes { header in
            Self.writeHeader(into: header, kind: kind, isRetransmission: isRetransmission,
                             detail: kind == .event ? event?.rawValue ?? 0 : UInt8(truncatingIfNeeded: encodingIndex),
                             sequence: sequence, timeMicros: timeMicros, producer: producer, transport: transport)
        }
        return out + body
    }

    /// Writes a header into the first `headerSize` bytes of `buffer` (the server writes headers in
    /// place, without building a frame). `detail` is the encoding index or the event code.
    public static func writeHeader(into buffer: UnsafeMutableRawBufferPointer, kind: Kind, isRetransmission: Bool, detail: UInt8,
                                   sequence: UInt32, timeMicros: UInt64, producer: Int, transport: Int) {
        precondition(buffer.count >= headerSize)
        buffer[0] = version
        buffer[1] = kind.rawValue
        buffer[2] = isRetransmission ? 1 : 0
        buffer[3] = detail
        buffer.storeBytes(of: sequence.bigEndian, toByteOffset: 4, as: UInt32.self)
        buffer.storeBytes(of: timeMicros.bigEndian, toByteOffset: 8, as: UInt64.self)
        buffer.storeBytes(of: UInt32(truncatingIfNeeded: producer).bigEndian, toByteOffset: 16, as: UInt32.self)
        buffer.storeBytes(of: UInt32(truncatingIfNeeded: transport).bigEndian, toByteOffset: 20, as: UInt32.self)
    }

    private static func read<T: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, at offset: Int, as: T.Type) -> T {
        T(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}

/// A datagram that is not a tap frame this build reads.
public struct TapFrameError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Byte offset of the problem in the datagram.
    public var offset: Int
    public var message: String

    public init(offset: Int, _ message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "byte \(offset): \(message)" }
}
