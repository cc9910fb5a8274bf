import CoreMetrics
import DTLSSRTP
import Engine
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The server's rooms by name. A new room gets the next worker loop round-robin and an engine
/// seeded from the configuration. Thread-safe: rooms are looked up from the control loop.
final class RoomRegistry: Sendable {
    private struct State {
        var rooms: [String: Room] = [:]
        var created = 0
    }

    private let state = NIOLockedValueBox(State())
    private let workers: [any EventLoop]
    private let configuration: ServerConfiguration
    private let origin: UInt64
    private let metrics: ServerMetrics
    private let logger: Logger
    /// The DTLS context of every webrtc transport: the process's certificate
    /// (`DTLSCertificate.shared()`) and the profile's `webRtcTransport.srtpCryptoSuites`; the
    /// error when it could not be made (webrtc transports are then refused with 500).
    private let dtls: Result<DTLSContext, DTLSError>

    init(workers: [any EventLoop], configuration: ServerConfiguration, origin: UInt64, metrics: ServerMetrics, logger: Logger) {
        self.workers = workers
        self.configuration = configuration
        self.origin = origin
        self.metrics = metrics
        self.logger = logger
        let profiles = configuration.profile.webRtcTransport.srtpCryptoSuites.compactMap { SRTPProfile(rawValue: $0.rawValue) }
        dtls = Result(catching: { () throws(DTLSError) -> DTLSContext in
            try DTLSContext(certificate: try DTLSCertificate.shared(), profiles: profiles)
        })
    }

    var count: Int { state.withLockedValue { $0.rooms.count } }

    func room(_ name: String) -> Room? { state.withLockedValue { $0.rooms[name] } }

    /// The room called `name`, created when it does not exist.
    func roomCreating(_ name: String) -> Room {
        let (room, isNew) = state.withLockedValue { state -> (Room, Bool) in
            if let room = state.rooms[name] { return (room, false) }
            let index = state.created
            state.created += 1
            let worker = index % workers.count
            let engine = Engine(profile: configuration.profile, seed: configuration.roomSeed(index))
            let room = Room(name: name, worker: worker, loop: workers[worker], engine: engine, origin: origin,
                            metrics: metrics, logger: logger, dtls: dtls,
                            random: SeededGenerator(seed: configuration.roomSeed(index) ^ 0x5745_4252_5443))  // "WEBRTC"
            state.rooms[name] = room
            return (room, true)
        }
        if isNew {
            metrics.rooms.increment()
            logger.info("room created", metadata: ["room": .string(name), "worker": "\(room.worker)"])
        }
        return room
    }

    /// Removes and returns the room called `name`.
    func remove(_ name: String) -> Room? {
        let room = state.withLockedValue { $0.rooms.removeValue(forKey: name) }
        if room != nil { metrics.rooms.decrement() }
        return room
    }

    /// Removes and returns every room.
    func removeAll() -> [Room] {
        let rooms = state.withLockedValue { state -> [Room] in
            defer { state.rooms.removeAll() }
            return Array(state.rooms.values)
        }
        metrics.rooms.decrement(by: Double(rooms.count))
        return rooms
    }

    var all: [Room] { state.withLockedValue { Array($0.rooms.values) } }
}
