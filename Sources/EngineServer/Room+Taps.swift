import ControlAPI
import Engine
import Foundation
import NIOCore
import NIOPosix

/// The room's taps (docs/control-api.md, "Taps"): copies of the media its engine accepts from
/// producers, and producer/consumer events, sent to UDP receivers such as `sfulab record
/// --engine`. Every method runs on the room's loop.
extension Room {
    /// Taps one room may have at once.
    static let maxTaps = 8

    /// `POST /rooms/{room}/taps`: connects a UDP socket to the receiver and starts copying.
    func createTap(_ request: CreateTapRequest) -> EventLoopFuture<ControlReply> {
        guard !isClosed else { return loop.makeSucceededFuture(.failure(.notFound("room \(name) was closed"))) }
        guard let address = IPv4Address(request.ip) else {
            return loop.makeSucceededFuture(.failure(.badRequest("ip: '\(request.ip)' is not an IPv4 address (for example 127.0.0.1)")))
        }
        guard request.port > 0 else {
            return loop.makeSucceededFuture(.failure(.badRequest("port: 0 is not a receiver port; give the port your UDP socket is bound to")))
        }
        guard taps.count < Self.maxTaps else {
            return loop.makeSucceededFuture(.failure(.conflict(
                "room \(name) already has \(Self.maxTaps) taps; DELETE /rooms/\(name)/taps/{id} one first")))
        }
        let tap = RoomTap(id: nextTapID, ip: request.ip, port: request.port, startedAt: MonotonicClock.now())
        nextTapID += 1
        return DatagramBootstrap(group: loop)
            .channelOption(.writeBufferWaterMark, value: RoomTap.waterMark)
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TapChannelHandler(room: self, tap: tap))
                }
            }
            .connect(to: SocketAddress(Endpoint(address: address.value, port: request.port)))
            .map { [self] channel -> ControlReply in
                tap.channel = channel
                if isClosed {
                    _ = tap.close()
                    return .failure(.notFound("room \(name) was closed"))
                }
                taps.append(tap)
                metrics.taps.increment()
                observeMediaForTaps()
                logger.info("tap created", metadata: ["tap": "\(tap.id)", "to": "\(request.ip):\(request.port)"])
                return .json(TapInfo(id: tap.id, ip: request.ip, port: request.port, sourcePort: UInt16(channel.localAddress?.port ?? 0)))
            }
            .flatMapError { [self] error in
                loop.makeSucceededFuture(.failure(.internal("cannot open a UDP socket to \(request.ip):\(request.port): \(error)")))
            }
    }

    /// `DELETE /rooms/{room}/taps/{id}`: flushes and closes the tap; answers with its final counts
    /// once the socket is closed (every frame it sent has been handed to the kernel).
    func closeTap(_ id: Int) -> EventLoopFuture<ControlReply> {
        guard let tap = removeTap(id) else {
            return loop.makeSucceededFuture(.failure(.notFound("no tap \(id) in room \(name) (GET /rooms/\(name)/taps lists them)")))
        }
        let stats = tap.stats
        logger.info("tap closed", metadata: ["tap": "\(id)", "framesSent": "\(stats.framesSent)", "framesDropped": "\(stats.framesDropped)"])
        guard let closing = tap.close() else { return loop.makeSucceededFuture(.json(stats)) }
        return closing.map { .json(stats) }
    }

    /// `GET /rooms/{room}/taps`.
    var tapList: TapList { TapList(taps: taps.map(\.stats), closedUnreachable: tapsClosedUnreachable) }

    /// The receiver of `tap` went away (or its socket failed): the tap is closed and counted.
    func tapFailed(_ tap: RoomTap, reason: String) {
        guard !tap.isClosed, removeTap(tap.id) != nil else { return }
        tapsClosedUnreachable += 1
        metrics.tapsClosedUnreachable.increment()
        logger.warning("tap closed: its receiver went away", metadata: ["tap": "\(tap.id)", "to": "\(tap.ip):\(tap.port)", "error": "\(reason)"])
        _ = tap.close()
    }

    /// Closes every tap (the room is closing).
    func closeAllTaps() -> [EventLoopFuture<Void>] {
        let closing = taps.compactMap { $0.close() }
        metrics.taps.decrement(by: Double(taps.count))
        taps.removeAll()
        engine.mediaObserver = nil
        return closing
    }

    /// Sends an event about `producer` to every tap: its description now (before it closes, for
    /// `producerClosed`), from the consumer's `transport` for consumer events.
    func tapEvent(_ event: TapFrame.Event, _ producer: ProducerSnapshot?, transport: Int? = nil) {
        guard !taps.isEmpty, let producer else { return }
        let json = (try? JSONEncoder().encode(ProducerDescription(producer))).map { Array($0) } ?? []
        let now = MonotonicClock.now()
        for tap in taps where !tap.sendEvent(event, producer: producer.id.rawValue, transport: transport ?? producer.transport.rawValue,
                                             description: json, at: now) {
            drop(.tapQueueFull)
        }
        flushTaps()
    }

    /// The snapshot of producer `id`, when taps want events (nil otherwise, or when it does not exist).
    func snapshotForTaps(_ id: ProducerID) -> ProducerSnapshot? {
        taps.isEmpty ? nil : try? engine.producerSnapshot(id)
    }

    func flushTaps() {
        for tap in taps { tap.flush() }
    }

    private func removeTap(_ id: Int) -> RoomTap? {
        guard let index = taps.firstIndex(where: { $0.id == id }) else { return nil }
        let tap = taps.remove(at: index)
        metrics.taps.decrement()
        observeMediaForTaps()
        return tap
    }

    /// Copies accepted media to the taps while there are any; no observer (one nil check per
    /// packet) when there are none.
    private func observeMediaForTaps() {
        guard !taps.isEmpty else {
            engine.mediaObserver = nil
            return
        }
        guard engine.mediaObserver == nil else { return }
        engine.mediaObserver = { [unowned self] media in
            for tap in taps where !tap.sendMedia(media, readAt: currentReadAt) {
                drop(.tapQueueFull)
            }
        }
    }
}
