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

    /// Stamps abs-send-time and `sequence` into `packet`; false when it has no transport-cc slot.
    static func stamp(_ packet: inout [UInt8], sequence: UInt16, now: Instant) -> Bool {
        packet.withUnsafeMutableBytes { bytes in
            guard let view = try? RTPMutablePacketView(parsing: bytes) else { return false }
            view.setAbsSendTime(AbsSendTime(microseconds: UInt64(max(0, now.nanoseconds / 1_000))),
                                id: RouterCapabilities.HeaderExtensionID.absSendTime)
            return view.setTransportWideSequenceNumber(sequence, id: RouterCapabilities.HeaderExtensionID.transportWideCC)
        }
    }

    /// The transport-wide sequence number a received packet carries.
    static func sequence(of bytes: UnsafeRawBufferPointer) -> UInt16? {
        guard let view = try? RTPPacketView(parsing: bytes),
              let value = view.extensionValue(id: RouterCapabilities.HeaderExtensionID.transportWideCC) else { return nil }
        return TransportWideSequenceNumberExtension.decode(value)
    }
}
