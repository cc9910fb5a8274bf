/// The JSON manifest of a workload file: who takes part, what they publish and subscribe to,
/// what happens when, and where each encoded track's packet records are in the file.
/// The schema is documented in docs/workload-format.md.
public struct WorkloadManifest: Codable, Sendable, Hashable {
    /// The format version this build writes and reads natively.
    public static let currentVersion = 1

    /// Format version of the manifest and the packet records.
    public var formatVersion: Int
    /// Session length, microseconds.
    public var durationMicros: Int64
    /// How the workload was produced (synthesis parameters), if synthesized.
    public var synthesis: WorkloadSynthesisInfo?
    /// Encoded packet logs, shared by any number of participant streams.
    public var tracks: [WorkloadTrack]
    public var participants: [WorkloadParticipant]
    /// Session events, sorted by time.
    public var events: [WorkloadEvent]
    /// Where a session recorded from a live engine came from; nil otherwise.
    public var recording: WorkloadRecordingInfo?

    public init(formatVersion: Int = WorkloadManifest.currentVersion, durationMicros: Int64, synthesis: WorkloadSynthesisInfo? = nil,
                tracks: [WorkloadTrack], participants: [WorkloadParticipant], events: [WorkloadEvent],
                recording: WorkloadRecordingInfo? = nil) {
        self.formatVersion = formatVersion
        self.durationMicros = durationMicros
        self.synthesis = synthesis
        self.tracks = tracks
        self.participants = participants
        self.events = events
        self.recording = recording
    }

    /// The track with the given id.
    public func track(_ id: String) -> WorkloadTrack? { tracks.first { $0.id == id } }
    /// The participant with the given id.
    public func participant(_ id: String) -> WorkloadParticipant? { participants.first { $0.id == id } }
}

/// How a synthesized workload was made; replaying it does not need this.
public struct WorkloadSynthesisInfo: Codable, Sendable, Hashable {
    public var kind: String
    public var device: String
    public var seed: UInt64
    /// Number of distinct encoded sources per track kind; participants reuse them time-shifted.
    public var distinctSources: Int
    /// Free text on how sources are reused.
    public var note: String
}

/// How a session was recorded from a live engine (`sfulab record --engine`); replaying it does
/// not need this.
public struct WorkloadRecordingInfo: Codable, Sendable, Hashable {
    /// The engine server and room, for example `http://127.0.0.1:8080 room a`.
    public var source: String
    /// Whether participants' device classes are known; a live engine does not know them, so
    /// every participant is written as `desktop`.
    public var devicesKnown: Bool
    /// Tap frames that did not arrive (dropped by a full tap queue or lost on the way): their
    /// packets are missing from the file.
    public var framesLost: Int
    /// Free text on how the engine's objects became participants and streams.
    public var note: String

    public init(source: String, devicesKnown: Bool, framesLost: Int, note: String) {
        self.source = source
        self.devicesKnown = devicesKnown
        self.framesLost = framesLost
        self.note = note
    }
}

/// Media kind of a track or stream.
public enum MediaKind: String, Codable, Sendable, Hashable { case audio, video }

/// One encoded packet log in the file: a single encoding of a single source.
public struct WorkloadTrack: Codable, Sendable, Hashable {
    public var id: String
    public var kind: MediaKind
    /// `"opus"`, `"VP8"` or `"VP9"`.
    public var codec: String
    /// RTP clock rate: 48000 for Opus, 90000 for video.
    public var clockRate: Int
    public var width: Int?
    public var height: Int?
    public var frameRate: Int?
    /// Target bitrate of the encoding, bits per second.
    public var targetBitrate: Int
    /// Cumulative target per temporal layer (TL0, TL0+TL1, ...), bits per second, for layered video.
    public var layerTargetBitrates: [Int]?
    /// W3C scalability mode, e.g. `"L1T3"`.
    public var scalabilityMode: String?
    /// What was encoded (source type and its seed).
    public var source: String
    /// Length of the log, microseconds of capture time.
    public var durationMicros: Int64
    /// Where the records start, bytes from the start of the file.
    public var byteOffset: Int64
    /// Total bytes of the records.
    public var byteLength: Int64
    public var packetCount: Int
    public var frameCount: Int
    public var keyFrameCount: Int
    /// Sum of payload bytes (descriptors included).
    public var payloadBytes: Int64

    public init(id: String, kind: MediaKind, codec: String, clockRate: Int, width: Int? = nil, height: Int? = nil,
                frameRate: Int? = nil, targetBitrate: Int, layerTargetBitrates: [Int]? = nil, scalabilityMode: String? = nil,
                source: String, durationMicros: Int64) {
        self.id = id
        self.kind = kind
        self.codec = codec
        self.clockRate = clockRate
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.targetBitrate = targetBitrate
        self.layerTargetBitrates = layerTargetBitrates
        self.scalabilityMode = scalabilityMode
        self.source = source
        self.durationMicros = durationMicros
        self.byteOffset = 0
        self.byteLength = 0
        self.packetCount = 0
        self.frameCount = 0
        self.keyFrameCount = 0
        self.payloadBytes = 0
    }
}

/// A session participant.
public struct WorkloadParticipant: Codable, Sendable, Hashable {
    public enum Role: String, Codable, Sendable, Hashable { case publisher, viewer }
    public enum Device: String, Codable, Sendable, Hashable { case desktop, mobile }

    public var id: String
    public var role: Role
    public var device: Device
    /// Streams this participant publishes (empty for a viewer).
    public var streams: [WorkloadStream]
    /// Streams of other participants this participant receives.
    public var subscriptions: [WorkloadSubscription]

    public init(id: String, role: Role, device: Device, streams: [WorkloadStream], subscriptions: [WorkloadSubscription]) {
        self.id = id
        self.role = role
        self.device = device
        self.streams = streams
        self.subscriptions = subscriptions
    }
}

/// A published stream (a mediasoup Producer): one or more simulcast encodings.
public struct WorkloadStream: Codable, Sendable, Hashable {
    public var id: String
    public var kind: MediaKind
    public var codec: String
    public var clockRate: Int
    /// `"camera"`, `"screen"` or `"microphone"`.
    public var source: String
    /// Simulcast encodings, lowest first (one for audio and for non-simulcast video).
    public var encodings: [WorkloadEncoding]
    /// The participant's packets are the tracks' packets delayed by this much (µs): track time
    /// 0 is session time `timeShiftMicros`. Packets past the session end are not sent.
    public var timeShiftMicros: Int64

    public init(id: String, kind: MediaKind, codec: String, clockRate: Int, source: String, encodings: [WorkloadEncoding], timeShiftMicros: Int64) {
        self.id = id
        self.kind = kind
        self.codec = codec
        self.clockRate = clockRate
        self.source = source
        self.encodings = encodings
        self.timeShiftMicros = timeShiftMicros
    }
}

/// One encoding of a stream (mediasoup `RtpEncodingParameters`), pointing at its packet log.
public struct WorkloadEncoding: Codable, Sendable, Hashable {
    /// RTP stream id (`"q"`, `"h"`, `"f"`), nil when the stream has a single encoding.
    public var rid: String?
    /// Id of the track holding this encoding's packets.
    public var track: String
    public var width: Int?
    public var height: Int?
    public var scaleResolutionDownBy: Double?
    public var maxBitrate: Int
    public var scalabilityMode: String?

    public init(rid: String?, track: String, width: Int? = nil, height: Int? = nil, scaleResolutionDownBy: Double? = nil,
                maxBitrate: Int, scalabilityMode: String? = nil) {
        self.rid = rid
        self.track = track
        self.width = width
        self.height = height
        self.scaleResolutionDownBy = scaleResolutionDownBy
        self.maxBitrate = maxBitrate
        self.scalabilityMode = scalabilityMode
    }
}

/// A subscription to another participant's stream.
public struct WorkloadSubscription: Codable, Sendable, Hashable {
    public var participant: String
    public var stream: String

    public init(participant: String, stream: String) {
        self.participant = participant
        self.stream = stream
    }
}

/// Something that happens during the session.
public struct WorkloadEvent: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable {
        case join, leave, mute, unmute, deviceSwitch, screenShareStart, screenShareStop
    }

    public var timeMicros: Int64
    public var kind: Kind
    public var participant: String
    /// The stream concerned (mute, unmute, screen share), when there is one.
    public var stream: String?
    /// The new device, for `deviceSwitch`.
    public var device: WorkloadParticipant.Device?

    public init(timeMicros: Int64, kind: Kind, participant: String, stream: String? = nil, device: WorkloadParticipant.Device? = nil) {
        self.timeMicros = timeMicros
        self.kind = kind
        self.participant = participant
        self.stream = stream
        self.device = device
    }
}
