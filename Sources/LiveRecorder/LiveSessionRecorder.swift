import ControlAPI
import Foundation
import Harness
import Media

/// Turns what a room tap delivers — the room's producer listing and `TapFrame`s — into a saved
/// session in the workload format (docs/workload-format.md, "Recording a live engine"), through
/// the same `SessionRecorder` that saves simulated sessions.
///
/// The engine has transports, producers and consumers, not people, so:
/// - a **participant** is a transport, `transport-N`: a `publisher` when it produces, a `viewer`
///   when it only consumes (a client with separate send and receive transports becomes one of
///   each); it joins when the recording first sees it (0 for what exists when it starts);
/// - its **streams** are its producers (`transport-N-mic`, `transport-N-cam`, `-mic2`, ...), one
///   track per encoding; capture times are the tap's (when the server read each packet);
/// - its **subscriptions** are the producers it consumes;
/// - a producer paused is a `mute`, resumed an `unmute`; a closed producer is recorded as a
///   `mute` (the format has no end of stream); a new SSRC on an encoding is a `deviceSwitch`;
/// - devices are unknown: every participant is written as `desktop` and the manifest's
///   `recording.devicesKnown` is false; video is written as `camera`.
///
/// Not thread-safe: one caller feeds it.
public final class LiveSessionRecorder {
    private struct KnownProducer {
        var participant: String
        var stream: String
        var tracks: [Int]
        /// SSRCs seen per encoding, in order.
        var ssrcs: [[UInt32]]
        var paused: Bool
        var closed = false
        var deviceSwitches = 0
    }

    private let recorder = SessionRecorder()
    /// Where the session comes from, for the manifest (`WorkloadRecordingInfo.source`).
    public let source: String
    private var participants: [Int: String] = [:]
    private var streamCounts: [String: Int] = [:]
    private var publishers: Set<String> = []
    private var producers: [Int: KnownProducer] = [:]
    private var subscriptions: Set<String> = []
    /// Media frames of producers not described yet, by producer.
    private var pending: [Int: [TapFrame]] = [:]
    private var pendingCount = 0
    private var expectedSequence: UInt32?

    /// Media frames kept while their producer is not described yet; beyond, they are dropped.
    public static let pendingLimit = 100_000

    /// Frames received, and frames missing from the tap's sequence (dropped on the server or lost on the way).
    public private(set) var framesReceived = 0
    public private(set) var framesLost = 0
    /// Media frames whose producer was never described (their packets are not in the file).
    public private(set) var framesUnattributed = 0
    /// Event frames whose description could not be read.
    public private(set) var badEvents = 0
    /// Latest frame time, µs of tap time: the recorder's notion of now.
    public private(set) var latestMicros: Int64 = 0

    public init(source: String) {
        self.source = source
    }

    /// Packets recorded so far.
    public var packetCount: Int { recorder.packetCount }
    /// Participants so far.
    public var participantCount: Int { participants.count }
    /// Streams (producers) so far.
    public var streamCount: Int { producers.count }

    /// What the room held when the tap started (time 0).
    public func start(with listing: ProducerList) {
        for producer in listing.producers { describe(producer, at: 0) }
    }

    /// A later listing: picks up what lost event frames would have said, at `latestMicros`;
    /// producers missing from it were closed.
    public func reconcile(_ listing: ProducerList) {
        for producer in listing.producers { describe(producer, at: latestMicros) }
        let open = Set(listing.producers.map(\.id))
        for id in producers.keys.sorted() where !open.contains(id) && !producers[id]!.closed { close(id, at: latestMicros) }
    }

    /// Takes one frame. Returns true when the recorder lost track — a gap in the frame sequence
    /// (a lost event could hide there), media of a producer it does not know, an unreadable
    /// event — and the caller should read the listing again (`reconcile`).
    @discardableResult
    public func ingest(_ frame: TapFrame) -> Bool {
        framesReceived += 1
        var lostTrack = false
        if let expected = expectedSequence {
            let ahead = frame.sequence &- expected
            if ahead == 0 {
                expectedSequence = frame.sequence &+ 1
            } else if ahead < 1 << 31 {
                framesLost += Int(ahead)
                expectedSequence = frame.sequence &+ 1
                lostTrack = true
            } else if framesLost > 0 {
                framesLost -= 1  // a late frame counted lost when it was overtaken
            }
        } else {
            framesLost += Int(frame.sequence)
            expectedSequence = frame.sequence &+ 1
            lostTrack = frame.sequence > 0
        }
        let time = Int64(clamping: frame.timeMicros)
        latestMicros = max(latestMicros, time)
        switch frame.kind {
        case .media:
            guard producers[frame.producer] != nil else {
                if pendingCount < Self.pendingLimit {
                    pending[frame.producer, default: []].append(frame)
                    pendingCount += 1
                } else {
                    framesUnattributed += 1
                }
                return true
            }
            record(frame)
        case .event:
            guard let event = frame.event,
                  let description = try? JSONDecoder().decode(ProducerDescription.self, from: Data(frame.body)) else {
                badEvents += 1
                return true
            }
            describe(description, at: time)
            if event == .producerClosed { close(description.id, at: time) }
        }
        return lostTrack
    }

    /// The tap sent `total` frames in all (its final `framesSent + framesDropped`): the ones after
    /// the last that arrived were lost too.
    public func noteFinalFrameCount(_ total: Int) {
        let received = Int(expectedSequence ?? 0)
        if total > received { framesLost += total - received }
    }

    /// Writes the session (temporary file, then rename). Media of producers never described is
    /// left out and counted in `framesUnattributed`.
    public func finish(path: String, durationMicros: Int64) throws(WorkloadError) {
        framesUnattributed += pendingCount
        pending.removeAll()
        pendingCount = 0
        let note = """
            Participants are the engine's transports (transport-N): a publisher with its producers as \
            streams (one track per encoding), or a viewer that only consumes; subscriptions are its \
            consumers. Capture times are when the engine server read each packet, µs from the start \
            of the recording. Devices are unknown (written as desktop); video is written as camera. \
            A paused producer is a mute, a closed one a mute that never ends, a new SSRC a deviceSwitch.
            """
        try recorder.finish(path: path, durationMicros: max(durationMicros, latestMicros + 1),
                            recording: WorkloadRecordingInfo(source: source, devicesKnown: false,
                                                             framesLost: framesLost + framesUnattributed, note: note))
    }

    // MARK: Mapping

    private func participant(for transport: Int, at time: Int64) -> String {
        if let id = participants[transport] { return id }
        let id = "transport-\(transport)"
        participants[transport] = id
        recorder.addParticipant(WorkloadParticipant(id: id, role: .viewer, device: .desktop, streams: [], subscriptions: []),
                                joinMicros: time)
        return id
    }

    /// Adds or updates a producer (and its consumers' subscriptions).
    private func describe(_ description: ProducerDescription, at time: Int64) {
        if var known = producers[description.id] {
            if !known.closed, known.paused != description.paused {
                recorder.addEvent(WorkloadEvent(timeMicros: time, kind: description.paused ? .mute : .unmute,
                                                participant: known.participant, stream: known.stream))
                known.paused = description.paused
                producers[description.id] = known
            }
        } else {
            add(description, at: time)
        }
        guard let known = producers[description.id] else { return }
        for consumer in description.consumers {
            let subscriber = participant(for: consumer.transport, at: time)
            guard subscriber != known.participant,
                  subscriptions.insert("\(subscriber)\u{0}\(known.participant)\u{0}\(known.stream)").inserted else { continue }
            recorder.addSubscription(WorkloadSubscription(participant: known.participant, stream: known.stream), of: subscriber)
        }
    }

    private func add(_ description: ProducerDescription, at time: Int64) {
        let owner = participant(for: description.transport, at: time)
        if publishers.insert(owner).inserted { recorder.setRole(.publisher, of: owner) }
        let isVideo = description.kind == .video
        let base = "\(owner)-\(isVideo ? "cam" : "mic")"
        let count = streamCounts[base, default: 0] + 1
        streamCounts[base] = count
        let streamID = count == 1 ? base : "\(base)\(count)"
        let codec = Self.codecName(description.mimeType)
        let layered = description.encodings.count > 1
        let encodings = description.encodings.enumerated().map { index, encoding in
            WorkloadEncoding(rid: layered ? encoding.rid ?? "e\(index)" : nil, track: "", maxBitrate: encoding.maxBitrate ?? 0,
                             scalabilityMode: encoding.scalabilityMode)
        }
        let stream = WorkloadStream(id: streamID, kind: isVideo ? .video : .audio, codec: codec, clockRate: description.clockRate,
                                    source: isVideo ? "camera" : "microphone", encodings: encodings, timeShiftMicros: 0)
        let templates = description.encodings.enumerated().map { index, encoding -> WorkloadTrack? in
            WorkloadTrack(id: "", kind: stream.kind, codec: codec, clockRate: description.clockRate,
                          targetBitrate: encoding.maxBitrate ?? 0, scalabilityMode: encoding.scalabilityMode,
                          source: "live \(source): producer \(description.id) (\(description.mimeType)) on transport \(description.transport), encoding \(index), device unknown",
                          durationMicros: 0)
        }
        let tracks = recorder.addStream(stream, of: owner, tracks: templates)
        producers[description.id] = KnownProducer(participant: owner, stream: streamID, tracks: tracks,
                                                  ssrcs: Array(repeating: [], count: tracks.count), paused: description.paused)
        if description.paused {
            recorder.addEvent(WorkloadEvent(timeMicros: time, kind: .mute, participant: owner, stream: streamID))
        }
        if let waiting = pending.removeValue(forKey: description.id) {
            pendingCount -= waiting.count
            for frame in waiting { record(frame) }
        }
    }

    private func close(_ id: Int, at time: Int64) {
        guard var known = producers[id], !known.closed else { return }
        if !known.paused {
            recorder.addEvent(WorkloadEvent(timeMicros: time, kind: .mute, participant: known.participant, stream: known.stream))
        }
        known.closed = true
        producers[id] = known
    }

    /// Records a media frame of a described producer.
    private func record(_ frame: TapFrame) {
        guard var known = producers[frame.producer], known.tracks.indices.contains(frame.encodingIndex),
              frame.body.count >= 12 else {
            framesUnattributed += 1
            return
        }
        let ssrc = UInt32(frame.body[8]) << 24 | UInt32(frame.body[9]) << 16 | UInt32(frame.body[10]) << 8 | UInt32(frame.body[11])
        let key = UInt64(frame.producer) << 40 | UInt64(frame.encodingIndex & 0xFF) << 32 | UInt64(ssrc)
        if !recorder.isBound(key) {
            recorder.bindSource(key, track: known.tracks[frame.encodingIndex])
            known.ssrcs[frame.encodingIndex].append(ssrc)
            // A new SSRC on an encoding that had one: the publisher restarted the stream.
            let switches = known.ssrcs.map { max(0, $0.count - 1) }.max() ?? 0
            if switches > known.deviceSwitches {
                known.deviceSwitches = switches
                recorder.addEvent(WorkloadEvent(timeMicros: Int64(clamping: frame.timeMicros), kind: .deviceSwitch,
                                                participant: known.participant, stream: known.stream))
            }
            producers[frame.producer] = known
        }
        frame.body.withUnsafeBytes { raw in
            recorder.capture(rtp: raw, source: key, captureMicros: Int64(clamping: frame.timeMicros),
                             isRetransmission: frame.isRetransmission)
        }
    }

    /// The workload codec name of a mime type: `opus`, `VP8`, `VP9`, else the subtype as given.
    static func codecName(_ mimeType: String) -> String {
        let subtype = mimeType.split(separator: "/").last.map(String.init) ?? mimeType
        switch subtype.lowercased() {
        case "opus": return "opus"
        case "vp8": return "VP8"
        case "vp9": return "VP9"
        default: return subtype
        }
    }
}
