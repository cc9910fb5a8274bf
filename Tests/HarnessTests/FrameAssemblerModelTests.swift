import Engine
import RTP
import Testing
@testable import Harness

/// `FrameAssembler` (frames that count their packets) against the assembler it replaced, which
/// kept each frame's sequence numbers in a list (`ListFrameAssembler` below, its code as it
/// was). Both are fed the same random streams, as `StreamReceiver` feeds them: lost, reordered
/// and duplicated packets, padding, key frames and give-ups, duplicates filtered by
/// `RecentSequenceSet` first.
@Suite("FrameAssembler against the list-keeping assembler")
struct FrameAssemblerModelTests {
    private struct Packet {
        var sequence: UInt16
        var timestamp: UInt32
        var marker: Bool
        var isPadding: Bool
        var info: MediaFrameInfo
        var captureTime: Int64?
    }

    /// A stream of frames (1-6 packets, a key frame now and then), with padding between frames.
    private static func stream(random: inout SeededGenerator, frames: Int) -> [Packet] {
        var packets: [Packet] = []
        var sequence = UInt16(truncatingIfNeeded: random.next())
        var timestamp = UInt32(truncatingIfNeeded: random.next())
        for frame in 0..<frames {
            let count = 1 + Int(random.next() % 6)
            var info = MediaFrameInfo()
            info.isKeyFrame = frame == 0 || random.next() % 12 == 0
            info.temporalLayer = Int(random.next() % 3)
            let capture = Int64(frame) * 33_000_000
            for index in 0..<count {
                var packetInfo = info
                packetInfo.isPictureStart = index == 0
                packetInfo.isFrameStart = index == 0
                packets.append(Packet(sequence: sequence, timestamp: timestamp, marker: index == count - 1, isPadding: false,
                                      info: packetInfo, captureTime: random.next() % 8 == 0 ? nil : capture))
                sequence &+= 1
            }
            if random.next() % 10 == 0 {
                packets.append(Packet(sequence: sequence, timestamp: timestamp, marker: false, isPadding: true,
                                      info: MediaFrameInfo(), captureTime: nil))
                sequence &+= 1
            }
            timestamp &+= 3_000
        }
        return packets
    }

    @Test("same decoded frames, counts and state on random lossy, reordered streams")
    func randomStreams() {
        var random = SeededGenerator(seed: 21)
        let payload: [UInt8] = Array(repeating: 0x11, count: 40)
        for round in 0..<60 {
            var packets = Self.stream(random: &random, frames: 20 + Int(random.next() % 200))
            let lossPercent = UInt64(round % 4) * 5
            packets = packets.filter { _ in random.next() % 100 >= lossPercent }
            for index in packets.indices.dropLast() where random.next() % 8 == 0 { packets.swapAt(index, index + 1) }
            var delivered: [Packet] = []
            for packet in packets {
                delivered.append(packet)
                if random.next() % 15 == 0 { delivered.append(packet) }  // a duplicate (RTX answer, say)
            }
            let seen = RecentSequenceSet()
            var assembler = FrameAssembler()
            var reference = ListFrameAssembler()
            payload.withUnsafeBytes { bytes in
                for packet in delivered {
                    if random.next() % 50 == 0 {
                        assembler.giveUp()
                        reference.giveUp()
                    }
                    // The assembler takes the extended number the duplicate filter unwrapped; the
                    // model unwraps the raw one itself.
                    guard let extended = seen.insert(packet.sequence) else { continue }
                    let body = packet.isPadding ? UnsafeRawBufferPointer(rebasing: bytes[0..<0]) : bytes
                    let got = assembler.insert(extended: extended, timestamp: packet.timestamp, marker: packet.marker,
                                               payload: body, info: packet.info, captureTime: packet.captureTime)
                    let want = reference.insert(sequence: packet.sequence, timestamp: packet.timestamp, marker: packet.marker,
                                                payload: body, info: packet.info, captureTime: packet.captureTime)
                    #expect(got == want)
                    #expect(assembler.decoded.map(\.captureTime) == reference.decoded.map(\.captureTime))
                    #expect(assembler.decoded.map(\.isKeyFrame) == reference.decoded.map(\.isKeyFrame))
                    #expect(assembler.decoded.map(\.temporalLayer) == reference.decoded.map(\.temporalLayer))
                    #expect(assembler.needsKeyFrame == reference.needsKeyFrame)
                    #expect(assembler.pendingFrames == reference.pendingFrames)
                }
            }
            #expect(assembler.decodedCount == reference.decodedCount)
            #expect(assembler.decodedCount > 0)
        }
    }
}

/// The assembler as it was before frames counted their packets (the model for the test above).
private struct ListFrameAssembler {
    struct Frame {
        var timestamp: UInt32
        var firstSequence: Int64?
        var lastSequence: Int64?
        /// Extended sequence numbers received, each once, in arrival order (a frame has a few
        /// packets: a short array is cheaper than a hashed set).
        var received: [Int64] = []
        var isKeyFrame = false
        var captureTime: Int64 = 0
        var temporalLayer = 0

        var isComplete: Bool {
            guard let first = firstSequence, let last = lastSequence, last >= first else { return false }
            return received.count == Int(last - first + 1)
        }
    }

    /// A frame that became decodable.
    typealias Decoded = FrameAssembler.Decoded

    private var unwrapper = SequenceNumberUnwrapper()
    /// Frames waiting, oldest first (a handful at most: a linear scan beats hashing the
    /// timestamp on every packet).
    private var frames: [Frame] = []
    private var lastDecodedSequence: Int64?
    /// Padding-only packets (no payload) seen after the last decoded frame: filler, not media.
    private var padding: Set<Int64> = []
    /// Emptied `received` lists of dropped frames, kept with their storage for the next frames.
    private var spareLists: [[Int64]] = []
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
    /// order). `captureTime` is the probe's capture time when the caller has read it already
    /// (from a header extension for recorded media, from the payload for synthetic media); nil
    /// reads it from the payload after the VP8 header byte. Always inlined: outlined, the call
    /// cost more than skipping the search for a decodable frame saves.
    @inline(__always)
    mutating func insert(sequence: UInt16, timestamp: UInt32, marker: Bool, payload: UnsafeRawBufferPointer,
                         info: MediaFrameInfo, captureTime: Int64? = nil) -> Int {
        if !decoded.isEmpty { decoded.removeAll(keepingCapacity: true) }
        let extended = unwrapper.unwrap(sequence)
        if let last = lastDecodedSequence, extended <= last { return 0 }
        if payload.isEmpty {
            padding.insert(extended)
            mayDecode = true
            return decodeReady()
        }
        let index: Int
        if let found = frames.firstIndex(where: { $0.timestamp == timestamp }) {
            if frames[found].received.contains(extended) { return 0 }
            index = found
        } else {
            index = frames.count
            var frame = Frame(timestamp: timestamp)
            if let list = spareLists.popLast() { frame.received = list }
            frames.append(frame)
        }
        // Mutated in place in the array: a copy taken out would share its `received` array,
        // which the insert would then copy.
        Self.add(extended, marker: marker, payload: payload, info: info, captureTime: captureTime, to: &frames[index])
        // Only the frame this packet went to changed: unless it is complete now, what was not
        // decodable before still is not.
        if frames[index].isComplete { mayDecode = true }
        return mayDecode ? decodeReady() : decoded.count
    }

    private static func add(_ extended: Int64, marker: Bool, payload: UnsafeRawBufferPointer, info: MediaFrameInfo,
                            captureTime: Int64?, to frame: inout Frame) {
        if frame.received.isEmpty { frame.received.reserveCapacity(8) }
        frame.received.append(extended)
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
            // Found by index and read in place (taking a frame out would retain its list).
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
            // Drop the decoded frame and anything older, keeping their lists' storage.
            if padding.contains(where: { $0 <= cutoff }) { padding = padding.filter { $0 > cutoff } }
            var kept = 0
            for position in frames.indices {
                let first = frames[position].firstSequence ?? frames[position].received.min()
                if let first, first > cutoff {
                    if kept != position { frames.swapAt(kept, position) }
                    kept += 1
                }
            }
            while frames.count > kept {
                var list = frames.removeLast().received
                list.removeAll(keepingCapacity: true)
                spareLists.append(list)
            }
        }
        return decoded.count
    }
}
