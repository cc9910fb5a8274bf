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

    /// What `apply` writes into a packet as it leaves: abs-send-time for `time` (when the packet
    /// has that slot) and, when not nil, the transport-wide `sequence`.
    struct Stamp {
        var time: Instant
        var sequence: UInt16?
    }

    /// Whether `packet` parses and has a 2-byte transport-wide-cc slot (where `apply` can write
    /// a sequence number).
    static func hasTransportSequenceSlot(_ packet: [UInt8]) -> Bool {
        packet.withUnsafeBytes { bytes in
            guard let view = try? RTPPacketView(parsing: bytes) else { return false }
            return view.extensionRange(id: RouterCapabilities.HeaderExtensionID.transportWideCC)?.count == 2
        }
    }

    /// Writes `stamp` into `packet` in place (nothing when it does not parse).
    static func apply(_ stamp: Stamp, to packet: UnsafeMutableRawBufferPointer) {
        guard let view = try? RTPMutablePacketView(parsing: packet) else { return }
        view.setAbsSendTime(AbsSendTime(microseconds: UInt64(max(0, stamp.time.nanoseconds / 1_000))),
                            id: RouterCapabilities.HeaderExtensionID.absSendTime)
        if let sequence = stamp.sequence {
            view.setTransportWideSequenceNumber(sequence, id: RouterCapabilities.HeaderExtensionID.transportWideCC)
        }
    }
}
