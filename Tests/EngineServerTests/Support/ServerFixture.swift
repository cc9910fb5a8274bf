import ControlAPI
import Engine
import EngineClient
import EngineServer
import NIOPosix
import RTP
import Testing

/// An in-process server on 127.0.0.1 (port 0), a client of it, and an event loop for test peers.
/// `run` always shuts everything down, whatever the body throws.
struct ServerFixture {
    let server: EngineServer
    let client: EngineClient
    let peers: MultiThreadedEventLoopGroup

    static func run<T>(workers: Int = 1, seed: UInt64 = 1, profile base: Profile = Profile(),
                       _ body: (ServerFixture) throws -> T) throws -> T {
        var profile = base
        profile.worker.count = workers
        let server = try EngineServer.startBlocking(ServerConfiguration(profile: profile, seed: seed))
        let peers = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer {
            try? server.shutdownBlocking()
            try? peers.syncShutdownGracefully()
        }
        let client = try EngineClient(url: server.controlURL, timeout: .seconds(10))
        defer { client.close() }
        return try body(ServerFixture(server: server, client: client, peers: peers))
    }

    /// The router's payload type for `mimeType`.
    func payloadType(_ mimeType: String) throws -> UInt8 {
        try #require(client.capabilities().codecs.first { $0.mimeType == mimeType }).payloadType
    }
}

/// Opus-like RTP packets (20 ms, 960 ticks at 48 kHz) for tests.
struct AudioStream {
    var ssrc: UInt32
    var payloadType: UInt8
    var sequence: UInt16 = 100
    var timestamp: UInt32 = 0

    mutating func next() -> [UInt8] {
        let builder = RTPPacketBuilder(payloadType: payloadType, sequenceNumber: SequenceNumber(sequence), timestamp: timestamp, ssrc: ssrc)
        sequence &+= 1
        timestamp &+= 960
        return try! builder.build(payload: [UInt8](repeating: 0xAB, count: 80))
    }
}

/// VP8 RTP packets, every frame a key frame in one packet (RFC 7741 descriptor), for tests.
struct VP8KeyFrameStream {
    var ssrc: UInt32
    var payloadType: UInt8
    var sequence: UInt16 = 2_000
    var timestamp: UInt32 = 0
    var pictureID: UInt16 = 0

    mutating func next() -> [UInt8] {
        let descriptor = VP8PayloadDescriptor(
            isNonReference: false, isStartOfPartition: true, partitionIndex: 0, pictureID: pictureID, pictureIDIs15Bit: true,
            tl0PictureIndex: UInt8(truncatingIfNeeded: pictureID), temporalLayerID: 0, isLayerSync: false, keyIndex: nil)
        var payload = descriptor.bytes
        payload.append(0x10)  // VP8 payload header: key frame, show frame
        payload.append(contentsOf: repeatElement(0x42, count: 300))
        let builder = RTPPacketBuilder(marker: true, payloadType: payloadType, sequenceNumber: SequenceNumber(sequence),
                                       timestamp: timestamp, ssrc: ssrc)
        sequence &+= 1
        timestamp &+= 3_000
        pictureID = (pictureID &+ 1) & 0x7FFF
        return try! builder.build(payload: payload)
    }
}

/// RTP headers among `packets` with `ssrc` (RTCP and others left out).
func rtpHeaders(_ packets: [[UInt8]], ssrc: UInt32) -> [RTPHeader] {
    packets.compactMap { bytes in
        guard !RTPDemux.isRTCP(bytes), let header = try? RTPHeader(parsing: bytes), header.ssrc == ssrc else { return nil }
        return header
    }
}

/// True when the sequence numbers increase by exactly one each.
func isContinuous(_ headers: [RTPHeader]) -> Bool {
    zip(headers, headers.dropFirst()).allSatisfy { $1.sequenceNumber.rawValue == $0.sequenceNumber.rawValue &+ 1 }
}

/// A room with one audio publisher and one subscriber over UDP: the publisher's transport
/// learns its remote (comedia), the subscriber's is connected to the subscriber's socket.
struct AudioCall {
    let publisher: UDPPeer
    let subscriber: UDPPeer
    let send: TransportInfo
    let receive: TransportInfo
    let consumer: ConsumerInfo
    /// The publisher's packets, not sent yet.
    let stream: AudioStream

    init(_ fixture: ServerFixture, room: String, ssrc: UInt32) throws {
        let client = fixture.client
        publisher = try UDPPeer(group: fixture.peers)
        subscriber = try UDPPeer(group: fixture.peers)
        send = try client.createTransport(room: room)
        receive = try client.createTransport(room: room, comedia: false)
        try client.connectTransport(room: room, transport: receive.id, ip: "127.0.0.1", port: subscriber.port)
        stream = AudioStream(ssrc: ssrc, payloadType: try fixture.payloadType("audio/opus"))
        let producer = try client.produce(room: room, transport: send.id, ProducerOptions(
            kind: .audio, mimeType: "audio/opus", payloadType: stream.payloadType, encodings: [ProducerEncoding(ssrc: ssrc)]))
        consumer = try client.consume(room: room, transport: receive.id, ConsumerOptions(producer: ProducerID(rawValue: producer)))
    }

    func close() {
        publisher.close()
        subscriber.close()
    }
}
