extension Engine {
    /// Sets the remote endpoint of a transport (mediasoup `PlainTransport.connect` for a transport
    /// created with `comedia: false`): from now on the engine sends there, and keeps it when
    /// datagrams arrive from elsewhere.
    public func connectTransport(_ id: TransportID, remote: Endpoint) throws(ControlError) {
        try transport(id).remote = remote
    }

    /// The remote endpoint of a transport: given, or learned from its first datagram; nil before.
    public func remote(of id: TransportID) throws(ControlError) -> Endpoint? {
        try transport(id).remote
    }

    /// Closes a transport: its producers (with their consumers on every transport), its consumers,
    /// and packets its pacer still holds. Datagrams to its local endpoint are then dropped as
    /// `unknownTransport` and nothing more is sent from it; its id is never reused.
    public func closeTransport(_ id: TransportID) throws(ControlError) {
        let transport = try transport(id)
        for producer in transport.producers { try closeProducer(producer.id) }
        for consumer in transport.consumers { try closeConsumer(consumer.id) }
        while transport.pacedCount > 0 {
            pool.release(transport.pacedQueue[transport.pacedHead].slot)
            transport.pacedHead += 1
        }
        transport.pacedQueue.removeAll()
        transport.pacedHead = 0
        transport.probe = nil
        transport.remote = nil
        transport.isClosed = true
        transportsByPort[transport.local.port] = nil
    }

    /// Whether a consumer is paused (by `pauseConsumer`, not by its producer).
    public func isPaused(_ id: ConsumerID) throws(ControlError) -> Bool {
        try consumer(id).paused
    }

    /// Open transports.
    public var transportCount: Int { transportsByPort.count }
    /// Open producers.
    public var producerCount: Int { producers.count }
    /// Open consumers.
    public var consumerCount: Int { consumers.count }
}
