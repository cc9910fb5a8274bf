import Engine

/// The room of the simulcast scenarios: an engine bench with a 50 Mb/s initial estimate (so
/// bandwidth never limits layers), a publisher and a subscriber with one transport each, and a
/// VP8 producer with three encodings (SSRCs 1111, 2222, 3333; 500 kb/s each). Each scenario
/// creates its own consumer on `receiveTransport`.
struct SimulcastRoom {
    let bench: EngineBench
    let publisher = Endpoint(127, 1, 0, 1, port: 5_000)
    let subscriber = Endpoint(127, 1, 0, 2, port: 5_000)
    let sendTransport: (id: TransportID, local: Endpoint)
    let receiveTransport: (id: TransportID, local: Endpoint)
    let ssrcs: [UInt32] = [1_111, 2_222, 3_333]
    let producer: ProducerID

    init() throws {
        var profile = Profile()
        profile.webRtcTransport.initialAvailableOutgoingBitrate = 50_000_000
        bench = EngineBench(profile: profile)
        sendTransport = bench.engine.createTransport(remote: publisher)
        receiveTransport = bench.engine.createTransport(remote: subscriber)
        producer = try bench.engine.produce(on: sendTransport.id, ProducerOptions(
            kind: .video, mimeType: "video/VP8", payloadType: 101,
            encodings: ssrcs.map { ProducerEncoding(ssrc: $0, maxBitrate: 500_000) }))
    }
}
