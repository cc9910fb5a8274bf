import Engine
import RTP

/// The header extensions a simulated client puts in every RTP packet for congestion control, as
/// browsers do when the SDP negotiates them: abs-send-time (3 bytes) and transport-wide-cc-01
/// (2 bytes), with the router's extension ids. They are written as zero slots when a packet is
/// built and stamped at send time (`stamp`), by the client and again, in place, by the engine.
enum CongestionExtensions {
    static let slots = [
        RTPHeaderExtension(id: RouterCapabilities.HeaderExtensionID.absSendTime, value: [0, 0, 0]),
        RTPHeaderExtension(id: RouterCapabilities.HeaderExtensionID.transportWideCC, value: [0, 0]),
    ]

    /// Where the two slots' values are in a packet, for a sender whose packets all start with the
    /// same header: `apply` then writes there without parsing the packet again.
    struct SlotOffsets: Hashable {
        /// Offset of the 3-byte abs-send-time value.
        var absSendTime: Int
        /// Offset of the 2-byte transport-wide sequence number.
        var transportSequence: Int

        /// The offsets in `packet`; nil unless it parses and has both slots at their sizes
        /// (the first element with each id, as `RTPMutablePacketView` finds them).
        init?(in packet: [UInt8]) {
            let ranges = try? RTPPacketView.inspect(packet) { view in
                (view.extensionRange(id: RouterCapabilities.HeaderExtensionID.absSendTime),
                 view.extensionRange(id: RouterCapabilities.HeaderExtensionID.transportWideCC))
            }
            guard let ranges, let absSendTime = ranges.0, absSendTime.count == 3,
                  let transportSequence = ranges.1, transportSequence.count == 2 else { return nil }
            self.absSendTime = absSendTime.lowerBound
            self.transportSequence = transportSequence.lowerBound
        }

        /// The offsets in a probe packet: a padding-only RTX packet whose only extensions are
        /// `slots` (`SimulatedParticipant.sendProbePackets`). They do not depend on the header's
        /// values, only on the extensions, so one template serves every probe.
        static let probe = SlotOffsets(in: (try? RTPPacketBuilder(
            marker: false, payloadType: 0, sequenceNumber: SequenceNumber(0), timestamp: 0, ssrc: 0,
            extensions: CongestionExtensions.slots, paddingLength: 255).build(payload: [])) ?? [])
    }

    /// What `apply` writes into a packet as it leaves: abs-send-time for `time` (when the packet
    /// has that slot) and, when not nil, the transport-wide `sequence`. With `offsets` (the
    /// sender's, for packets that start with its header) both go there without a parse.
    struct Stamp {
        var time: Instant
        var sequence: UInt16?
        var offsets: SlotOffsets? = nil
    }

    /// Whether `packet` parses and has a 2-byte transport-wide-cc slot (where `apply` can write
    /// a sequence number).
    static func hasTransportSequenceSlot(_ packet: [UInt8]) -> Bool {
        packet.withUnsafeBytes { bytes in
            guard let view = try? RTPPacketView(parsing: bytes) else { return false }
            return view.extensionRange(id: RouterCapabilities.HeaderExtensionID.transportWideCC)?.count == 2
        }
    }

    /// Writes `stamp` into `packet` in place (nothing when it does not parse): at the stamp's
    /// offsets when it has them, else where a parse finds the slots.
    static func apply(_ stamp: Stamp, to packet: UnsafeMutableRawBufferPointer) {
        let time = AbsSendTime(microseconds: UInt64(max(0, stamp.time.nanoseconds / 1_000)))
        if let offsets = stamp.offsets {
            // Big-endian, as `RTPMutablePacketView` writes them.
            packet[offsets.absSendTime] = UInt8(truncatingIfNeeded: time.rawValue >> 16)
            packet[offsets.absSendTime + 1] = UInt8(truncatingIfNeeded: time.rawValue >> 8)
            packet[offsets.absSendTime + 2] = UInt8(truncatingIfNeeded: time.rawValue)
            if let sequence = stamp.sequence {
                packet.storeBytes(of: sequence.bigEndian, toByteOffset: offsets.transportSequence, as: UInt16.self)
            }
            return
        }
        guard let view = try? RTPMutablePacketView(parsing: packet) else { return }
        view.setAbsSendTime(time, id: RouterCapabilities.HeaderExtensionID.absSendTime)
        if let sequence = stamp.sequence {
            view.setTransportWideSequenceNumber(sequence, id: RouterCapabilities.HeaderExtensionID.transportWideCC)
        }
    }
}
