@testable import Engine
import RTP
import Testing

/// `ProbePacketTemplate` must give the bytes the engine got by building each probe packet with
/// `RTPPacketBuilder` and stamping it in place (docs/trial-performance.md, fifth pass).
@Suite struct ProbePacketTemplateTests {
    /// The probe packet built and stamped the way the engine did before the template.
    static func builtAndStamped(payloadType: UInt8, sequence: UInt16, timestamp: UInt32, ssrc: UInt32,
                                absSendTime: AbsSendTime, transportSequence: UInt16) throws -> [UInt8] {
        let builder = RTPPacketBuilder(
            marker: false, payloadType: payloadType, sequenceNumber: SequenceNumber(sequence), timestamp: timestamp, ssrc: ssrc,
            extensions: [RTPHeaderExtension(id: RouterCapabilities.HeaderExtensionID.absSendTime, value: [0, 0, 0]),
                         RTPHeaderExtension(id: RouterCapabilities.HeaderExtensionID.transportWideCC, value: [0, 0])],
            paddingLength: ProbeSendState.paddingBytes)
        var bytes = try builder.build(payload: [])
        let stamped = try bytes.withUnsafeMutableBytes { raw in
            let view = try RTPMutablePacketView(parsing: raw)
            return view.setAbsSendTime(absSendTime, id: RouterCapabilities.HeaderExtensionID.absSendTime)
                && view.setTransportWideSequenceNumber(transportSequence, id: RouterCapabilities.HeaderExtensionID.transportWideCC)
        }
        #expect(stamped)
        return bytes
    }

    @Test(arguments: [
        (UInt8(97), UInt16(0), UInt32(0), UInt32(1), UInt64(0), UInt16(0)),
        (UInt8(127), UInt16(0xFFFF), UInt32(0xDEAD_BEEF), UInt32(0x1234_5678), UInt64(63_999_999), UInt16(0xABCD)),
        (UInt8(101), UInt16(4_242), UInt32(90_000), UInt32(0xFFFF_FFFF), UInt64(1_234_567), UInt16(1)),
    ])
    func writesWhatBuildingAndStampingWrote(fields: (UInt8, UInt16, UInt32, UInt32, UInt64, UInt16)) throws {
        let (payloadType, sequence, timestamp, ssrc, microseconds, transportSequence) = fields
        let absSendTime = AbsSendTime(microseconds: microseconds)
        let expected = try Self.builtAndStamped(payloadType: payloadType, sequence: sequence, timestamp: timestamp, ssrc: ssrc,
                                                absSendTime: absSendTime, transportSequence: transportSequence)
        let template = ProbePacketTemplate.shared
        // A dirty buffer: every byte of the packet must be written.
        var written = [UInt8](repeating: 0xA5, count: template.bytes.count + 8)
        let length = written.withUnsafeMutableBytes { buffer in
            template.write(into: buffer, payloadType: payloadType, sequence: sequence, timestamp: timestamp, ssrc: ssrc,
                           absSendTime: absSendTime, transportSequence: transportSequence)
        }
        #expect(length == expected.count)
        #expect(Array(written[0..<length]) == expected)
    }
}
