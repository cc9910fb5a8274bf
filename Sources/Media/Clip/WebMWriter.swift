/// Builds a WebM file (Matroska, RFC 9559, restricted by the WebM container guidelines): an EBML
/// header with DocType `webm`, then one Segment holding a SeekHead, Info (millisecond
/// TimestampScale and the Duration), Tracks (VP8 / VP9 video, Opus audio), Clusters of
/// SimpleBlocks, and Cues for seeking.
///
/// Frames are added in presentation order over all tracks (times never go back). A cluster
/// starts at every video key frame and at least every 5 s, so every video key frame opens a
/// cluster and has a cue point; a file without video gets a cue point per cluster instead
/// (WebM guidelines, "Cues"). docs/webm.md describes the layout and its sources.
public struct WebMWriter: Sendable {
    /// One track of the file.
    public struct Track: Sendable, Hashable {
        /// Matroska codec id: `V_VP8`, `V_VP9` or `A_OPUS`.
        public var codecID: String
        public var isVideo: Bool
        /// Video: display size in pixels.
        public var width = 0
        public var height = 0
        /// Audio: sampling rate (Hz) and channels.
        public var sampleRate = 0
        public var channels = 0
        /// Nominal duration of one frame, nanoseconds (the duration of the last block).
        public var defaultDurationNanos: UInt64
        /// Codec initialization data (Opus: the `OpusHead` of RFC 7845 §5.1).
        public var codecPrivate: [UInt8]?
        /// Samples the decoder must drop at the start, as nanoseconds (Opus pre-skip).
        public var codecDelayNanos: UInt64?
        /// How much audio to decode before a seek target (Opus: 80 ms).
        public var seekPreRollNanos: UInt64?

        /// A VP8 (`vp9` false) or VP9 video track.
        public static func video(vp9: Bool, width: Int, height: Int, frameRate: Int) -> Track {
            Track(codecID: vp9 ? "V_VP9" : "V_VP8", isVideo: true, width: width, height: height,
                  defaultDurationNanos: 1_000_000_000 / UInt64(max(1, frameRate)))
        }

        /// An Opus track of 20 ms packets: CodecPrivate is the `OpusHead`, CodecDelay the
        /// pre-skip, SeekPreRoll 80 ms (the WebM/Matroska Opus mapping).
        public static func opus(channels: Int = 1, preSkip: UInt16 = 312) -> Track {
            Track(codecID: "A_OPUS", isVideo: false, sampleRate: 48_000, channels: channels, defaultDurationNanos: 20_000_000,
                  codecPrivate: OggOpusWriter.opusHead(channels: channels, preSkip: preSkip),
                  codecDelayNanos: UInt64(preSkip) * 1_000_000_000 / 48_000, seekPreRollNanos: 80_000_000)
        }
    }

    private struct Cluster: Sendable {
        var timeMillis: Int64
        var blocks: [UInt8] = []
        /// Track index of the video key frame that opens this cluster, if one does.
        var keyFrameTrack: Int?
    }

    public let tracks: [Track]
    /// Frames added, per track.
    public private(set) var frameCounts: [Int]
    private var clusters: [Cluster] = []
    private var lastMillis: Int64 = 0
    /// Longest cluster, ms (WebM guidelines: clusters SHOULD be at most 5 s).
    static let maxClusterMillis: Int64 = 5_000

    /// A file with `tracks`; track `i` is Matroska TrackNumber `i + 1`.
    public init(tracks: [Track]) {
        precondition(!tracks.isEmpty && tracks.count < 127, "WebMWriter needs 1...126 tracks")
        self.tracks = tracks
        frameCounts = Array(repeating: 0, count: tracks.count)
    }

    /// Adds one frame of track `track` shown `timeMicros` after the start of the file.
    /// Times must not decrease from one call to the next (over all tracks).
    public mutating func append(track: Int, frame: [UInt8], timeMicros: Int64, isKeyFrame: Bool) {
        let millis = (max(0, timeMicros) + 500) / 1_000
        precondition(millis >= lastMillis, "WebM frames must come in time order")
        lastMillis = millis
        let opensCluster = tracks[track].isVideo && isKeyFrame
        if clusters.isEmpty || (opensCluster && !clusters[clusters.count - 1].blocks.isEmpty)
            || millis - clusters[clusters.count - 1].timeMillis >= Self.maxClusterMillis {
            clusters.append(Cluster(timeMillis: millis, keyFrameTrack: opensCluster ? track : nil))
        } else if opensCluster && clusters[clusters.count - 1].blocks.isEmpty {
            clusters[clusters.count - 1].keyFrameTrack = track
        }
        let relative = Int16(millis - clusters[clusters.count - 1].timeMillis)
        // SimpleBlock: track number (VINT), timestamp relative to the cluster (int16), flags
        // (0x80: key frame — every Opus packet is one), then the frame (no lacing).
        var block = EBML.vint(UInt64(track + 1))
        block.append(UInt8(truncatingIfNeeded: UInt16(bitPattern: relative) >> 8))
        block.append(UInt8(truncatingIfNeeded: UInt16(bitPattern: relative)))
        block.append(isKeyFrame || !tracks[track].isVideo ? 0x80 : 0x00)
        block += frame
        clusters[clusters.count - 1].blocks += EBML.element(MatroskaID.simpleBlock, block)
        frameCounts[track] += 1
    }

    /// The whole file; `durationMicros` is the Segment's Duration (the end of the last frame).
    public func finish(durationMicros: Int64) -> [UInt8] {
        typealias ID = MatroskaID
        let header = EBML.element(ID.ebml,
            EBML.unsigned(ID.ebmlVersion, 1) + EBML.unsigned(ID.ebmlReadVersion, 1)
            + EBML.unsigned(ID.ebmlMaxIDLength, 4) + EBML.unsigned(ID.ebmlMaxSizeLength, 8)
            + EBML.string(ID.docType, "webm") + EBML.unsigned(ID.docTypeVersion, 4) + EBML.unsigned(ID.docTypeReadVersion, 2))
        let info = EBML.element(ID.info,
            EBML.unsigned(ID.timestampScale, 1_000_000) + EBML.float(ID.duration, Double(max(0, durationMicros)) / 1_000)
            + EBML.string(ID.muxingApp, "sfulab") + EBML.string(ID.writingApp, "sfulab"))
        let trackList = EBML.element(ID.tracks, tracks.enumerated().flatMap { index, track in Self.entry(track, number: index + 1) })

        var clusterBytes: [UInt8] = []
        var clusterOffsets: [Int] = []
        for cluster in clusters {
            clusterOffsets.append(clusterBytes.count)
            clusterBytes += EBML.element(ID.cluster, EBML.unsigned(ID.timestamp, UInt64(cluster.timeMillis)) + cluster.blocks)
        }
        // Positions are relative to the start of the Segment's data; the SeekHead has a fixed
        // size (8-byte positions), so it can be sized before the positions are known.
        func seekHead(_ positions: [(UInt32, Int)]) -> [UInt8] {
            EBML.element(ID.seekHead, positions.flatMap { id, position in
                EBML.element(ID.seek, EBML.element(ID.seekID, EBML.id(id)) + EBML.unsigned(ID.seekPosition, UInt64(position), width: 8))
            })
        }
        let hasVideo = tracks.contains(where: \.isVideo)
        let cued = clusters.indices.compactMap { index in (hasVideo ? clusters[index].keyFrameTrack : 0).map { (index, $0) } }
        let indexed = cued.isEmpty ? [ID.info, ID.tracks] : [ID.info, ID.tracks, ID.cues]
        let seekHeadSize = seekHead(indexed.map { ($0, 0) }).count
        let clustersStart = seekHeadSize + info.count + trackList.count
        let cues = cued.isEmpty ? [] : EBML.element(ID.cues, cued.flatMap { index, track in
            EBML.element(ID.cuePoint, EBML.unsigned(ID.cueTime, UInt64(clusters[index].timeMillis))
                + EBML.element(ID.cueTrackPositions, EBML.unsigned(ID.cueTrack, UInt64(track + 1))
                    + EBML.unsigned(ID.cueClusterPosition, UInt64(clustersStart + clusterOffsets[index]))))
        })
        let positions = [seekHeadSize, seekHeadSize + info.count, clustersStart + clusterBytes.count]
        let segment = seekHead(Array(zip(indexed, positions))) + info + trackList + clusterBytes + cues
        return header + EBML.element(ID.segment, segment)
    }

    private static func entry(_ track: Track, number: Int) -> [UInt8] {
        typealias ID = MatroskaID
        var data = EBML.unsigned(ID.trackNumber, UInt64(number)) + EBML.unsigned(ID.trackUID, UInt64(number))
            + EBML.unsigned(ID.trackType, track.isVideo ? 1 : 2) + EBML.unsigned(ID.flagLacing, 0)
            + EBML.unsigned(ID.defaultDuration, track.defaultDurationNanos) + EBML.string(ID.codecID, track.codecID)
        if let codecPrivate = track.codecPrivate { data += EBML.element(ID.codecPrivate, codecPrivate) }
        if let delay = track.codecDelayNanos { data += EBML.unsigned(ID.codecDelay, delay) }
        if let preRoll = track.seekPreRollNanos { data += EBML.unsigned(ID.seekPreRoll, preRoll) }
        if track.isVideo {
            data += EBML.element(ID.video, EBML.unsigned(ID.pixelWidth, UInt64(track.width)) + EBML.unsigned(ID.pixelHeight, UInt64(track.height)))
        } else {
            data += EBML.element(ID.audio, EBML.float(ID.samplingFrequency, Double(track.sampleRate)) + EBML.unsigned(ID.channels, UInt64(track.channels)))
        }
        return EBML.element(ID.trackEntry, data)
    }
}
