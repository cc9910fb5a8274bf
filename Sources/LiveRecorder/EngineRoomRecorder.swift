import ControlAPI
import EngineClient
import Foundation
import Media
import NIOCore
import NIOPosix

/// Records a room of a running engine server (`sfulab serve`) into a session file: opens a UDP
/// `TapReceiver`, asks the server for a tap of the room (`POST /rooms/{room}/taps`), reads the
/// room's producers, feeds frames to a `LiveSessionRecorder` until the duration is over or
/// `shouldStop` says so, closes the tap, waits for its last frames, and writes the file
/// (temporary file, then rename). docs/workload-format.md, "Recording a live engine".
public final class EngineRoomRecorder {
    /// What a recording did.
    public struct Summary: Sendable, Codable {
        public var out: String
        public var room: String
        public var durationSeconds: Double
        public var participants: Int
        public var streams: Int
        public var packets: Int
        public var framesReceived: Int
        /// Frames that never arrived (dropped by the server's full tap queue, or lost on the way).
        public var framesLost: Int
        /// Media frames of producers the recorder never learned about.
        public var framesUnattributed: Int
        /// What the server said when the tap closed (nil when it could not be asked).
        public var tap: TapStats?
        /// Why the recording stopped: `duration`, `interrupted`, `roomClosed`, `serverGone`.
        public var stoppedBy: String
    }

    public let client: EngineClient
    public let room: String
    /// How often the listing is read even when nothing suggests it changed.
    public var listingInterval: Duration = .seconds(2)
    /// How long to wait for the tap's last frames after closing it.
    public var drainTimeout: Duration = .seconds(2)

    /// A recorder of `room` on the server at `url` (`http://HOST:PORT`).
    public init(url: String, room: String) throws(LiveRecordingError) {
        do { client = try EngineClient(url: url, timeout: .seconds(5)) } catch {
            throw .usage("--engine: \(error)")
        }
        self.room = room
    }

    deinit { client.close() }

    /// Records until `duration` (nil: no limit) has passed or `shouldStop` returns true (checked
    /// at least every 100 ms), then writes `path`. Bad input (unreachable server, unknown room,
    /// missing output directory) throws `.usage` before anything is written.
    /// `started` is called once the tap runs.
    public func record(to path: String, duration: Duration?, started: () -> Void = {},
                       shouldStop: () -> Bool = { false }) throws(LiveRecordingError) -> Summary {
        try Self.checkWritable(path)
        let initial: ProducerList
        do { initial = try client.listProducers(room: room) } catch {
            throw .usage(Self.roomProblem(error, room: room, url: client.url))
        }
        let ip = try localAddress()
        let receiver: TapReceiver
        do { receiver = try TapReceiver(host: ip) } catch {
            throw .usage("cannot open a UDP socket on \(ip) to receive the tap: \(error)")
        }
        defer { receiver.close() }
        let tap: TapInfo
        do { tap = try client.createTap(room: room, ip: ip, port: receiver.port) } catch {
            throw .usage(Self.roomProblem(error, room: room, url: client.url))
        }
        started()
        let clock = ContinuousClock()
        let started = clock.now
        let recorder = LiveSessionRecorder(source: "\(client.url) room \(room)")
        // The tap started before this listing: everything in it existed at (about) time 0, and
        // later changes come as events.
        recorder.start(with: (try? client.listProducers(room: room)) ?? initial)
        var lastListing = clock.now
        var stoppedBy = "duration"
        var tapOpen = true
        recording: while true {
            if let duration, clock.now - started >= duration { break }
            if shouldStop() {
                stoppedBy = "interrupted"
                break
            }
            var wait = clock.now.advanced(by: .milliseconds(100))
            if let duration { wait = min(wait, started.advanced(by: duration)) }
            var needsListing = false
            for received in receiver.take(until: Date(timeIntervalSinceNow: max(0, (wait - clock.now).seconds)))
            where received.sourcePort == tap.sourcePort {
                needsListing = recorder.ingest(received.frame) || needsListing
            }
            guard needsListing || clock.now - lastListing >= listingInterval else { continue }
            lastListing = clock.now
            do { recorder.reconcile(try client.listProducers(room: room)) } catch {
                if case .server(404, _, _) = error {
                    stoppedBy = "roomClosed"
                    tapOpen = false
                } else {
                    stoppedBy = "serverGone"
                    tapOpen = false
                }
                break recording
            }
        }
        let elapsed = clock.now - started
        var final: TapStats?
        if tapOpen, let stats = try? client.closeTap(room: room, tap: tap.id) {
            final = stats
            // Every frame was handed to the kernel before the server answered; wait for them.
            let total = stats.framesSent + stats.framesDropped
            let deadline = clock.now.advanced(by: drainTimeout)
            while recorder.framesReceived + recorder.framesLost < total, clock.now < deadline {
                for received in receiver.take(until: Date(timeIntervalSinceNow: max(0, (deadline - clock.now).seconds)))
                where received.sourcePort == tap.sourcePort {
                    recorder.ingest(received.frame)
                }
            }
            recorder.noteFinalFrameCount(total)
        }
        do { try recorder.finish(path: path, durationMicros: elapsed.microseconds) } catch {
            throw .write(error)
        }
        return Summary(out: path, room: room, durationSeconds: elapsed.seconds, participants: recorder.participantCount,
                       streams: recorder.streamCount, packets: recorder.packetCount, framesReceived: recorder.framesReceived,
                       framesLost: recorder.framesLost, framesUnattributed: recorder.framesUnattributed, tap: final,
                       stoppedBy: stoppedBy)
    }

    /// The local IPv4 address this host uses to reach the server (a UDP socket connected there
    /// sends nothing, and its local address says which interface the route goes through).
    private func localAddress() throws(LiveRecordingError) -> String {
        do {
            let probe = try DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: client.host == "localhost" ? "127.0.0.1" : client.host, port: client.port).wait()
            defer { try? probe.close().wait() }
            guard let ip = probe.localAddress?.ipAddress, case .v4 = probe.localAddress else {
                throw LiveRecordingError.usage("--engine \(client.url): the tap needs an IPv4 route to the server")
            }
            return ip
        } catch let error as LiveRecordingError {
            throw error
        } catch {
            throw .usage("--engine \(client.url): no route to the server: \(error)")
        }
    }

    /// Bad input named the way a user fixes it.
    private static func roomProblem(_ error: EngineClientError, room: String, url: String) -> String {
        switch error {
        case .server(404, _, _):
            "--room \(room): the engine server at \(url) has no room \(room) (a room exists once a client created a transport in it)"
        default:
            "--engine \(url): \(error)"
        }
    }

    /// The output's directory must exist and be writable before anything is recorded.
    private static func checkWritable(_ path: String) throws(LiveRecordingError) {
        let directory = (path as NSString).deletingLastPathComponent
        let dir = directory.isEmpty ? "." : directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .usage("--out \(path): directory \(dir) does not exist; create it or choose another path")
        }
        guard FileManager.default.isWritableFile(atPath: dir) else {
            throw .usage("--out \(path): directory \(dir) is not writable")
        }
    }
}

extension Duration {
    /// Seconds as a Double.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Whole microseconds.
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
