import Engine

extension EngineBench {
    /// One VP8 publisher with RTX (payload types 101/102, SSRC 5,555 with RTX 5,556) at
    /// 127.1.0.1:5000 and one subscriber consuming it at 127.1.0.2:5000: the room the NACK/RTX
    /// scenarios share. Returns both endpoints, their engine transports and the consumer's parameters.
    func connectVP8PublisherWithRTX() throws -> (publisher: Endpoint, subscriber: Endpoint, send: (id: TransportID, local: Endpoint),
                                                 receive: (id: TransportID, local: Endpoint), parameters: ConsumerParameters) {
        let publisher = Endpoint(127, 1, 0, 1, port: 5_000)
        let subscriber = Endpoint(127, 1, 0, 2, port: 5_000)
        let send = engine.createTransport(remote: publisher)
        let receive = engine.createTransport(remote: subscriber)
        let producer = try engine.produce(on: send.id, ProducerOptions(
            kind: .video, mimeType: "video/VP8", payloadType: 101, rtxPayloadType: 102,
            encodings: [ProducerEncoding(ssrc: 5_555, rtxSSRC: 5_556)]))
        let (_, parameters) = try engine.consume(on: receive.id, ConsumerOptions(producer: producer))
        return (publisher, subscriber, send, receive, parameters)
    }
}
