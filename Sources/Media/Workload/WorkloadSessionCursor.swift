/// Every packet every participant publishes, merged into one session-time order — what a
/// replayer of simulated publishers sends next. Streams from disk: one
/// `WorkloadPacketCursor` (64 KiB buffer) per (participant, stream, encoding).
///
/// Packets with equal times come in manifest order (participant, stream, encoding), so the
/// order is deterministic. With `applyingEvents`, packets before a participant's `join`, after
/// its `leave`, between a stream's `mute` and `unmute`, or while a screen share is not started
/// (`silentIntervals`) are skipped.
public struct WorkloadSessionCursor: Sendable {
    /// One packet and who sends it.
    public struct Item: Sendable, Hashable {
        public var participant: String
        public var stream: String
        /// The simulcast encoding, nil for a single-encoding stream.
        public var rid: String?
        /// The packet, in session time.
        public var packet: WorkloadPacket
    }

    private struct Source: Sendable {
        var participant: String
        var stream: String
        var rid: String?
        var cursor: WorkloadPacketCursor
        /// Session-time intervals [start, end) in which this stream sends nothing.
        var silent: [(Int64, Int64)]
    }

    private var sources: [Source] = []
    private var heads: [WorkloadPacket?] = []
    private var heap: [Int] = []   // indices into sources, ordered by (head time, index)

    init(reader: WorkloadReader, applyingEvents: Bool) throws(WorkloadError) {
        let manifest = reader.manifest
        for participant in manifest.participants {
            for stream in participant.streams {
                let silent = applyingEvents ? Self.silentIntervals(manifest, participant: participant.id, stream: stream.id) : []
                for encoding in stream.encodings {
                    let rid = stream.encodings.count == 1 ? nil : encoding.rid
                    let cursor = try reader.packets(participant: participant.id, stream: stream.id, rid: rid)
                    sources.append(Source(participant: participant.id, stream: stream.id, rid: encoding.rid, cursor: cursor, silent: silent))
                }
            }
        }
        heads = Array(repeating: nil, count: sources.count)
        for index in sources.indices {
            heads[index] = try advance(index)
            if heads[index] != nil { push(index) }
        }
    }

    /// Bytes of the file held in memory by all the cursors together.
    var bufferedBytes: Int { sources.reduce(0) { $0 + $1.cursor.bufferedBytes } }

    /// The next packet of the session, or nil when every stream has ended.
    public mutating func next() throws(WorkloadError) -> Item? {
        guard let index = pop(), let packet = heads[index] else { return nil }
        let source = sources[index]
        heads[index] = try advance(index)
        if heads[index] != nil { push(index) }
        return Item(participant: source.participant, stream: source.stream, rid: source.rid, packet: packet)
    }

    private mutating func advance(_ index: Int) throws(WorkloadError) -> WorkloadPacket? {
        while let packet = try sources[index].cursor.next() {
            if !sources[index].silent.contains(where: { $0.0 <= packet.captureTimeMicros && packet.captureTimeMicros < $0.1 }) {
                return packet
            }
        }
        return nil
    }

    /// Session-time intervals [start, end) (µs) in which `participant` sends nothing on `stream`:
    /// before its `join`, after its `leave`, between `mute` and `unmute`, and, for a screen
    /// share, before its first `screenShareStart` and between a `screenShareStop` and the next start.
    public static func silentIntervals(_ manifest: WorkloadManifest, participant: String, stream: String) -> [(Int64, Int64)] {
        var intervals: [(Int64, Int64)] = []
        var mutedSince: Int64?
        var joined = false
        let events = manifest.events.filter { $0.participant == participant }
        // A screen share with a start event is off until it starts.
        var stoppedSince: Int64? = events.first { $0.stream == stream && ($0.kind == .screenShareStart || $0.kind == .screenShareStop) }
            .flatMap { $0.kind == .screenShareStart ? Int64.min : nil }
        for event in events {
            switch event.kind {
            case .join:
                if !joined { intervals.append((.min, event.timeMicros)) }
                joined = true
            case .leave: intervals.append((event.timeMicros, .max))
            case .mute where event.stream == stream: mutedSince = mutedSince ?? event.timeMicros
            case .unmute where event.stream == stream:
                if let start = mutedSince { intervals.append((start, event.timeMicros)) }
                mutedSince = nil
            case .screenShareStop where event.stream == stream: stoppedSince = stoppedSince ?? event.timeMicros
            case .screenShareStart where event.stream == stream:
                if let start = stoppedSince { intervals.append((start, event.timeMicros)) }
                stoppedSince = nil
            default: break
            }
        }
        if let start = mutedSince { intervals.append((start, .max)) }
        if let start = stoppedSince { intervals.append((start, .max)) }
        return intervals
    }

    // A binary min-heap of source indices keyed by (head capture time, index).
    private func less(_ a: Int, _ b: Int) -> Bool {
        let ta = heads[a]?.captureTimeMicros ?? .max, tb = heads[b]?.captureTimeMicros ?? .max
        return ta != tb ? ta < tb : a < b
    }

    private mutating func push(_ index: Int) {
        heap.append(index)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func pop() -> Int? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count && less(heap[left], heap[smallest]) { smallest = left }
                if right < heap.count && less(heap[right], heap[smallest]) { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}

extension WorkloadReader {
    /// All publishers' packets in session-time order (see `WorkloadSessionCursor`).
    public func sessionPackets(applyingEvents: Bool = true) throws(WorkloadError) -> WorkloadSessionCursor {
        try WorkloadSessionCursor(reader: self, applyingEvents: applyingEvents)
    }
}
