import Engine
import RTP

/// The publisher's copy of recently sent packets, by sequence number, for answering NACKs
/// (libwebrtc keeps about one second of history; this keeps the last `capacity` packets).
///
/// As libwebrtc's `RtpPacketHistory` (`VerifyRtt`), a packet already retransmitted is not sent
/// again until one round-trip time has passed since that retransmission: its copy is probably
/// still in flight, and a NACK storm (several requests for one packet within one RTT) would
/// otherwise multiply the uplink load exactly when the uplink is the bottleneck.
struct SentPacketHistory {
    /// Retransmissions sent and requests ignored because the packet was resent within one RTT.
    struct Counts: Hashable {
        var sent = 0
        var suppressed = 0
    }

    /// One slot of the ring: its packet's length (-1: none), sequence number, and when it was
    /// last retransmitted. The packet's bytes are at `slot * stride` in `Storage.bytes`.
    private struct Slot {
        var length: Int = -1
        var sequence: UInt16 = 0
        var lastResentAt: Instant?
    }

    /// The ring in manually managed memory: slot table and one block of `capacity × stride`
    /// bytes, so that storing a packet copies its bytes into place instead of allocating an
    /// array (the block is allocated once; its pages are touched only as packets fill them).
    private final class Storage {
        let capacity: Int
        private(set) var stride: Int
        private(set) var bytes: UnsafeMutableRawPointer
        let slots: UnsafeMutablePointer<Slot>

        init(capacity: Int, stride: Int) {
            self.capacity = capacity
            self.stride = stride
            bytes = .allocate(byteCount: capacity * stride, alignment: 16)
            slots = .allocate(capacity: capacity)
            slots.initialize(repeating: Slot(), count: capacity)
        }

        deinit {
            slots.deinitialize(count: capacity)
            slots.deallocate()
            bytes.deallocate()
        }

        /// An independent copy (for a history that was copied and is then written).
        func copy() -> Storage {
            let copy = Storage(capacity: capacity, stride: stride)
            copy.slots.update(from: slots, count: capacity)
            for index in 0..<capacity where slots[index].length > 0 {
                (copy.bytes + index * stride).copyMemory(from: bytes + index * stride, byteCount: slots[index].length)
            }
            return copy
        }

        /// Makes every slot hold at least `needed` bytes (a packet longer than any before).
        func widen(to needed: Int) {
            let wider = UnsafeMutableRawPointer.allocate(byteCount: capacity * needed, alignment: 16)
            for index in 0..<capacity where slots[index].length > 0 {
                (wider + index * needed).copyMemory(from: bytes + index * stride, byteCount: slots[index].length)
            }
            bytes.deallocate()
            bytes = wider
            stride = needed
        }

        func packet(at index: Int) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(start: bytes + index * stride, count: slots[index].length)
        }
    }

    private var storage: Storage

    /// Bytes each slot holds before it has to grow (above any packet on a 1,500-byte MTU).
    static let slotBytes = 1_536

    init(capacity: Int = 1_024) {
        storage = Storage(capacity: capacity, stride: Self.slotBytes)
    }

    /// Keeps a copy of `packet` as `sequence`, replacing what its slot held.
    mutating func store(_ packet: UnsafeRawBufferPointer, sequence: UInt16) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        if packet.count > storage.stride { storage.widen(to: packet.count) }
        let index = Int(sequence) % storage.capacity
        if let source = packet.baseAddress, packet.count > 0 {
            (storage.bytes + index * storage.stride).copyMemory(from: source, byteCount: packet.count)
        }
        storage.slots[index] = Slot(length: packet.count, sequence: sequence)
    }

    /// Keeps a copy of `packet` as `sequence`.
    mutating func store(_ packet: [UInt8], sequence: UInt16) {
        packet.withUnsafeBytes { store($0, sequence: sequence) }
    }

    /// A copy of the packet kept as `sequence`, or nil when its slot holds another (or none).
    func packet(sequence: UInt16) -> [UInt8]? {
        let index = Int(sequence) % storage.capacity
        let slot = storage.slots[index]
        return slot.length >= 0 && slot.sequence == sequence ? Array(storage.packet(at: index)) : nil
    }

    /// RTX packets (RFC 4588) answering a NACK for `sequences` at `now`, for those still in the
    /// history and not retransmitted within `rtt` before, numbered from `rtxSequence` (advanced
    /// past the last one sent). `counts` adds what was sent and what was held back.
    mutating func rtxPackets(for sequences: [UInt16], ssrc: UInt32, payloadType: UInt8, rtxSequence: inout UInt16,
                             now: Instant, rtt: Duration, counts: inout Counts) -> [[UInt8]] {
        var packets: [[UInt8]] = []
        for sequence in sequences {
            guard let original = packet(sequence: sequence) else { continue }
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            let index = Int(sequence) % storage.capacity
            if let last = storage.slots[index].lastResentAt, now - last < rtt {
                counts.suppressed += 1
                continue
            }
            guard let rtx = try? RTX.wrap(original, ssrc: ssrc, payloadType: payloadType,
                                          sequenceNumber: SequenceNumber(rtxSequence)) else { continue }
            rtxSequence &+= 1
            storage.slots[index].lastResentAt = now
            counts.sent += 1
            packets.append(rtx)
        }
        return packets
    }
}
