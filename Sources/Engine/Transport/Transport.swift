/// A transport inside the engine: one local endpoint, one remote endpoint (learned from the first
/// datagram when not given, like mediasoup's `comedia`), and the producers and consumers on it.
///
/// This is the plain, unencrypted transport of the core; secure transports (ICE-lite, DTLS-SRTP)
/// wrap the same object and hand it decrypted packets.
final class Transport {
    /// What an incoming SSRC belongs to.
    struct IncomingStream {
        unowned let producer: Producer
        let streamIndex: Int
        let isRTX: Bool
    }

    let id: TransportID
    let local: Endpoint
    var remote: Endpoint?
    var incoming: [UInt32: IncomingStream] = [:]
    var consumersBySSRC: [UInt32: Consumer] = [:]
    var consumers: [Consumer] = []
    var producers: [Producer] = []
    /// Bitrate the allocator may spend on this transport's consumers.
    var availableOutgoingBitrate: Bitrate

    init(id: TransportID, local: Endpoint, remote: Endpoint?, initialOutgoingBitrate: Bitrate) {
        self.id = id
        self.local = local
        self.remote = remote
        availableOutgoingBitrate = initialOutgoingBitrate
    }
}
