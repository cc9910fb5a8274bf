import Engine

/// Reassembles video frames from RTP packets at a simulated subscriber and decides when each
/// is decodable: complete (first packet with the VP8 start bit through the marker packet, no
/// hole), and either a key frame or the direct successor of the last decoded frame. Because the
/// SFU rewrites sequence numbers into one continuous stream, "direct successor" is "its first
/// sequence number follows the previous frame's last".
///
/// Each sequence number must be inserted at most once: the subscriber's duplicate filter
/// (`RecentSequenceSet`) runs first, so a frame only counts its packets and keeps no list of
/// them, and frames are plain values in one array.
struct FrameAssembler {
    struct Frame {
        var timestamp: UInt32
        var firstSequence: Int64?
        var lastSequence: Int64?
        /// Packets received (distinct sequence numbers, as the caller guarantees).
        var receivedCount = 0
        /// The lowest extended sequence number received (`Int64.max` before the first).
        var lowestReceived = Int64.max
        var isKeyFrame = false
        var captureTime: Int64 = 0
        var temporalLayer = 0

        var isComplete: Bool {
            guard let first = firstSequence, let last = lastSequence, last >= first else { return false }
            return receivedCount == Int(last - first + 1)
        }
    }

    /// A frame that became decodable.
    struct Decoded {
        var captureTime: Int64
        var isKeyFrame: Bool
        var temporalLayer: Int
    }

    /// Frames waiting, oldest first (a handful at most: a linear scan beats hashing the
    /// timestamp on every packet).
    private var frames: [Frame] = []
    private var lastDecodedSequence: Int64?
    /// Padding-only packets (no payload) seen after the last decoded frame: filler, not media.
    private var padding: Set<Int64> = []
    /// The frames the last `insert` made decodable, in order (kept with its storage from one
    /// insert to the next: most packets decode nothing, and a fresh array per frame cost an
    /// allocation).
    private(set) var decoded: [Decoded] = []
    /// False when `decodeReady` would find nothing: it looked last and nothing it depends on
    /// changed since (no frame completed, no padding arrived, no `giveUp`). Most packets
    /// complete no frame, and then the search is skipped.
    private var mayDecode = false
    /// True until a key frame is decoded, and again after a frame is lost for good.
    private(set) var needsKeyFrame = true
    private(set) var decodedCount = 0

    /// Adds a packet; returns how many frames became decodable (they are in `decoded`, in
    /// order). `extended` is its extended sequence number as the stream's `RecentSequenceSet`
    /// returned it (one unwrapping per packet for both). `captureTime` is the probe's capture
    /// time when the caller has read it already (from a header extension for recorded media,
    /// from the payload for synthetic media); nil reads it from the payload after the VP8 header
    /// byte. Always inlined: outlined, the call cost more than skipping the search for a
    /// decodable frame saves.
    @inline(__always)
    mutating func insert(extended: Int64, timestamp: UInt32, marker: Bool, payload: UnsafeRawBufferPointer,
                         info: MediaFrameInfo, captureTime: Int64? = nil) -> Int {
        // Element by element: `removeAll(keepingCapacity:)` goes through the generic
        // `replaceSubrange` (about 85 instructions) for the one frame there usually is.
        while !decoded.isEmpty { decoded.removeLast() }
        if let last = lastDecodedSequence, extended <= last { return 0 }
        if payload.isEmpty {
            padding.insert(extended)
            mayDecode = true
            return decodeReady()
        }
        let index: Int
        if let found = frames.firstIndex(where: { $0.timestamp == timestamp }) {
            index = found
        } else {
            index = frames.count
            frames.append(Frame(timestamp: timestamp))
        }
        Self.add(extended, marker: marker, payload: payload, info: info, captureTime: captureTime, to: &frames[index])
        // Only the frame this packet went to changed: unless it is complete now, what was not
        // decodable before still is not.
        if frames[index].isComplete { mayDecode = true }
        return mayDecode ? decodeReady() : decoded.count
    }

    private static func add(_ extended: Int64, marker: Bool, payload: UnsafeRawBufferPointer, info: MediaFrameInfo,
                            captureTime: Int64?, to frame: inout Frame) {
        frame.receivedCount += 1
        if extended < frame.lowestReceived { frame.lowestReceived = extended }
        // A frame here is a whole picture (all spatial layers of a VP9 picture share its
        // timestamp): it starts at the picture's first packet and ends at the marker, which the
        // SFU puts on the highest layer it forwards.
        if info.isPictureStart {
            frame.firstSequence = extended
            frame.isKeyFrame = info.isKeyFrame
            frame.temporalLayer = info.temporalLayer
            if let captureTime {
                frame.captureTime = captureTime
            } else if let probe = ProbeHeader(payload, offset: StreamReceiver.probeOffset(videoPayload: payload)) {
                frame.captureTime = probe.captureTime
            }
        }
        if marker { frame.lastSequence = extended }
    }

    /// Declares the frames before the newest complete key frame lost (the receiver gave up on a
    /// hole): decoding waits for a key frame.
    mutating func giveUp() {
        needsKeyFrame = true
        mayDecode = true
    }

    /// Frames waiting (incomplete or not yet decodable).
    var pendingFrames: Int { frames.count }

    /// Appends the frames now decodable to `decoded`; returns its count.
    private mutating func decodeReady() -> Int {
        guard mayDecode else { return decoded.count }
        defer { mayDecode = false }
        while true {
            // Found by index and read in place.
            var next: Int?
            if needsKeyFrame {
                // The oldest complete key frame after what was decoded (the first one on a tie).
                for index in frames.indices where frames[index].isKeyFrame && frames[index].isComplete {
                    if let best = next, frames[best].firstSequence! <= frames[index].firstSequence! { continue }
                    next = index
                }
            } else if var last = lastDecodedSequence {
                // Padding packets directly after the last frame carry nothing: step over them.
                if !padding.isEmpty {
                    while padding.remove(last + 1) != nil { last += 1 }
                    lastDecodedSequence = last
                }
                next = frames.firstIndex { $0.firstSequence == last + 1 && $0.isComplete }
            }
            guard let index = next else { break }
            needsKeyFrame = false
            let cutoff = frames[index].lastSequence!
            lastDecodedSequence = cutoff
            decodedCount += 1
            decoded.append(Decoded(captureTime: frames[index].captureTime, isKeyFrame: frames[index].isKeyFrame,
                                   temporalLayer: frames[index].temporalLayer))
            // Drop the decoded frame and anything older.
            if padding.contains(where: { $0 <= cutoff }) { padding = padding.filter { $0 > cutoff } }
            var kept = 0
            for position in frames.indices {
                let first = frames[position].firstSequence
                    ?? (frames[position].receivedCount > 0 ? frames[position].lowestReceived : nil)
                if let first, first > cutoff {
                    if kept != position { frames.swapAt(kept, position) }
                    kept += 1
                }
            }
            while frames.count > kept { frames.removeLast() }
        }
        return decoded.count
    }
}
