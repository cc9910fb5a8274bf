import ControlAPI
import CoreMetrics
import Engine
import ICE
import WebRTCTransport
import EngineClient
import NIOCore
import NIOPosix

/// The room's control routes (docs/control-api.md). Every method runs on the room's loop.
extension Room {
    /// Runs a room route with its request body; `createTransport` is `createTransport(_:listenHost:)`.
    func perform(_ route: ControlRoute, body: [UInt8]) throws(ControlFailure) -> ControlReply {
        let now = instant(MonotonicClock.now())
        defer { afterControl() }
        do {
            switch route {
            case .connectTransport(_, let id):
                let request = try ControlReply.decode(ConnectTransportRequest.self, from: body, name: "ConnectTransportRequest")
                let transport = try self.transport(id)
                if let security = transport.security {
                    try connectSecure(transport, security, request.dtlsParameters)
                    return .empty
                }
                guard let ip = request.ip, let port = request.port else {
                    throw ControlFailure.badRequest("ip, port: a plain transport is connected with the client's address, for example {\"ip\": \"127.0.0.1\", \"port\": 5000}")
                }
                guard let address = IPv4Address(ip) else {
                    throw ControlFailure.badRequest("ip: '\(ip)' is not an IPv4 address (for example 127.0.0.1)")
                }
                if let remote = try engine.remote(of: transport.id) {
                    throw ControlFailure.conflict("transport \(id) already sends to \(remote); create a new transport")
                }
                try engine.connectTransport(transport.id, remote: Endpoint(address: address.value, port: port))
                awaitingConnect.remove(id)
                return .empty
            case .transportStats(_, let id):
                let transport = try self.transport(id)
                let bitrate = try engine.availableOutgoingBitrate(transport.id)
                return .json(TransportStats(id: id, availableOutgoingBitrate: Int(bitrate.bitsPerSecond),
                                            bytesReceived: transport.bytesReceived, bytesSent: transport.bytesSent,
                                            webRtc: transport.security.map { webRTCStats($0, transport) }))
            case .closeTransport(_, let id):
                let transport = try self.transport(id)
                let before = taps.isEmpty ? [] : engine.producerSnapshots
                try engine.closeTransport(transport.id)
                tapTransportClosed(id, before: before)
                closeSecurity(of: transport)
                transports[id] = nil
                transportsByLabelPort[transport.label.port] = nil
                awaitingConnect.remove(id)
                _ = transport.close()
                metrics.transports.decrement()
                return .empty
            case .produce(_, let id):
                let request = try ControlReply.decode(ProduceRequest.self, from: body, name: "ProduceRequest")
                let producer = try engine.produce(on: try self.transport(id).id, request.producerOptions)
                tapEvent(.producerCreated, snapshotForTaps(producer))
                return .json(ProducerInfo(id: producer.rawValue))
            case .pauseProducer(_, let id):
                try engine.pauseProducer(ProducerID(rawValue: id))
                tapEvent(.producerPaused, snapshotForTaps(ProducerID(rawValue: id)))
                return .empty
            case .resumeProducer(_, let id):
                try engine.resumeProducer(ProducerID(rawValue: id), now: now)
                tapEvent(.producerResumed, snapshotForTaps(ProducerID(rawValue: id)))
                return .empty
            case .closeProducer(_, let id):
                let before = snapshotForTaps(ProducerID(rawValue: id))
                try engine.closeProducer(ProducerID(rawValue: id))
                tapEvent(.producerClosed, before)
                return .empty
            case .replaceProducerSource(_, let id):
                let request = try ControlReply.decode(ReplaceSourceRequest.self, from: body, name: "ReplaceSourceRequest")
                try engine.replaceProducerSource(ProducerID(rawValue: id), encodings: request.encodings.map(\.producerEncoding), now: now)
                return .empty
            case .consume(_, let id):
                let request = try ControlReply.decode(ConsumeRequest.self, from: body, name: "ConsumeRequest")
                let (consumer, parameters) = try engine.consume(on: try self.transport(id).id, request.consumerOptions)
                tapEvent(.consumerCreated, snapshotForTaps(ProducerID(rawValue: request.producerId)), transport: id)
                return .json(ConsumerInfo(id: consumer, producer: ProducerID(rawValue: request.producerId), parameters))
            case .consumerStats(_, let id):
                let consumer = ConsumerID(rawValue: id)
                let layers = try engine.currentLayers(of: consumer)
                return .json(ConsumerStats(id: id, paused: try engine.isPaused(consumer), currentLayers: layers))
            case .pauseConsumer(_, let id):
                try engine.pauseConsumer(ConsumerID(rawValue: id))
                return .empty
            case .resumeConsumer(_, let id):
                try engine.resumeConsumer(ConsumerID(rawValue: id), now: now)
                return .empty
            case .requestKeyFrame(_, let id):
                try engine.requestKeyFrame(ConsumerID(rawValue: id), now: now)
                return .empty
            case .setPreferredLayers(_, let id):
                let layers = try ControlReply.decode(ConsumerLayers.self, from: body, name: "ConsumerLayers")
                try engine.setPreferredLayers(ConsumerID(rawValue: id), layers, now: now)
                return .empty
            case .setPriority(_, let id):
                let request = try ControlReply.decode(PriorityRequest.self, from: body, name: "PriorityRequest")
                guard (1...255).contains(request.priority) else {
                    throw ControlFailure.badRequest("priority: \(request.priority) is outside 1...255")
                }
                try engine.setPriority(ConsumerID(rawValue: id), request.priority, now: now)
                return .empty
            case .closeConsumer(_, let id):
                let owner = taps.isEmpty ? nil : engine.producerSnapshots.first { $0.consumers.contains { $0.id.rawValue == id } }
                let subscriber = owner?.consumers.first { $0.id.rawValue == id }?.transport.rawValue
                try engine.closeConsumer(ConsumerID(rawValue: id))
                if let owner { tapEvent(.consumerClosed, snapshotForTaps(owner.id), transport: subscriber) }
                return .empty
            case .roomStats:
                return .json(stats)
            case .listProducers:
                return .json(ProducerList(room: name, producers: engine.producerSnapshots.map(ProducerDescription.init)))
            case .listConsumers:
                return .json(try consumerList())
            case .listTaps:
                return .json(tapList)
            case .health, .metrics, .capabilities, .createTransport, .closeRoom, .createTap, .closeTap:
                throw ControlFailure.internal("route \(route) is not a room route")
            }
        } catch let error as ControlFailure {
            throw error
        } catch let error as Engine.ControlError {
            throw ControlFailure(error)
        } catch {
            throw ControlFailure.internal("\(error)")
        }
    }

    /// `ConsumerList` now: every consumer of every producer, by id.
    private func consumerList() throws(Engine.ControlError) -> ConsumerList {
        var consumers: [ConsumerDescription] = []
        for producer in engine.producerSnapshots {
            for consumer in producer.consumers {
                consumers.append(ConsumerDescription(
                    id: consumer.id.rawValue, producerId: producer.id.rawValue, transport: consumer.transport.rawValue,
                    kind: producer.kind, paused: consumer.paused, currentLayers: try engine.currentLayers(of: consumer.id)))
            }
        }
        consumers.sort { $0.id < $1.id }
        return ConsumerList(room: name, consumers: consumers)
    }

    /// `RoomStats` now.
    var stats: RoomStats {
        let counters = engine.counters
        var drops: [String: Int] = [:]
        for reason in DropReason.allCases where counters.dropped(reason) > 0 { drops[reason.description] = counters.dropped(reason) }
        for (index, reason) in ServerDropReason.allCases.enumerated() where serverDrops[index] > 0 {
            drops[reason.rawValue] = serverDrops[index]
        }
        let cpuPerPacket = counters.packetsForwarded > 0 ? Double(engineCPUNanoseconds) / Double(counters.packetsForwarded) : nil
        return RoomStats(room: name, worker: worker, transports: engine.transportCount, producers: engine.producerCount,
                         consumers: engine.consumerCount, datagramsReceived: counters.datagramsReceived,
                         packetsForwarded: counters.packetsForwarded, retransmissionsSent: counters.retransmissionsSent,
                         counters: Dictionary(uniqueKeysWithValues: counters.named.map { ($0.name, $0.value) }),
                         drops: drops, engineLatency: latency.summary, cpuNanosecondsPerForwardedPacket: cpuPerPacket, taps: tapList)
    }

    /// Creates an engine transport and binds its socket on `listenHost`, port 0 (the kernel picks).
    func createTransport(_ request: CreateTransportRequest, listenHost: String) -> EventLoopFuture<ControlReply> {
        guard !isClosed else { return loop.makeSucceededFuture(.failure(.notFound("room \(name) was closed"))) }
        var security: WebRTCServerSecurity?
        if request.type == .webrtc {
            switch makeSecurity() {
            case .success(let made): security = made
            case .failure(let failure): return loop.makeSucceededFuture(.failure(failure))
            }
        }
        let (id, label) = engine.createTransport(remote: nil)
        let transport = RoomTransport(id: id, protocol: request.protocol, label: label, security: security)
        let bound: EventLoopFuture<any Channel>
        switch request.protocol {
        case .udp:
            bound = DatagramBootstrap(group: loop)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelOption(.maxMessagesPerRead, value: 16)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 2_048))
                .channelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(UDPTransportHandler(room: self, transport: transport))
                    }
                }
                .bind(host: listenHost, port: 0)
        case .tcp:
            bound = ServerBootstrap(group: loop, childGroup: loop)
                .serverChannelOption(.backlog, value: 16)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RFC4571FrameDecoder()))
                        try channel.pipeline.syncOperations.addHandler(TCPConnectionHandler(room: self, transport: transport))
                    }
                }
                .bind(host: listenHost, port: 0)
                .map { $0 as any Channel }
        }
        return bound.map { [self] channel -> ControlReply in
            transport.channel = channel
            transport.port = UInt16(channel.localAddress?.port ?? 0)
            if isClosed {
                _ = transport.close()
                return .failure(.notFound("room \(name) was closed"))
            }
            transports[id.rawValue] = transport
            transportsByLabelPort[label.port] = transport
            metrics.transports.increment()
            logger.info("transport created", metadata: ["transport": "\(id.rawValue)", "type": "\(request.type.rawValue)",
                                                        "protocol": "\(request.protocol.rawValue)", "port": "\(transport.port)"])
            guard let security else {
                if !request.comedia { awaitingConnect.insert(id.rawValue) }
                return .json(TransportInfo(id: id.rawValue, protocol: request.protocol, ip: listenHost, port: transport.port, worker: worker))
            }
            transport.localAddress = TransportAddress(ipv4: IPv4Address(listenHost)?.value ?? 0, port: transport.port)
            secureTransports.append(transport)
            securityDeadlinesChanged = true
            let (ice, candidates, dtls) = webRTCParameters(transport, security, ip: listenHost)
            return .json(TransportInfo(id: id.rawValue, type: .webrtc, protocol: request.protocol, ip: listenHost, port: transport.port,
                                       worker: worker, iceParameters: ice, iceCandidates: candidates, dtlsParameters: dtls))
        }.flatMapError { [self] error in
            try? engine.closeTransport(id)
            return loop.makeSucceededFuture(.failure(.internal("cannot bind a \(request.protocol.rawValue) socket on \(listenHost): \(error)")))
        }
    }

    private func transport(_ id: Int) throws(ControlFailure) -> RoomTransport {
        guard let transport = transports[id] else { throw .notFound("no transport \(id) in room \(name)") }
        return transport
    }
}

extension Room {
    /// Tap events for a transport that closed: its producers closed (with their consumers), and
    /// its consumers of other producers closed. `before` are the producers before it closed.
    fileprivate func tapTransportClosed(_ id: Int, before: [ProducerSnapshot]) {
        for producer in before where producer.transport.rawValue == id {
            tapEvent(.producerClosed, producer)
        }
        let consumedHere = before.filter { $0.transport.rawValue != id && $0.consumers.contains { $0.transport.rawValue == id } }
        for producer in consumedHere {
            tapEvent(.consumerClosed, snapshotForTaps(producer.id), transport: id)
        }
    }
}

/// A dotted-quad IPv4 address.
struct IPv4Address {
    /// Host byte order.
    var value: UInt32

    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard part.count <= 3, let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        self.value = value
    }
}
