import Testing
@testable import ICE

@Suite struct WebRTCDatagramKindTests {
    @Test func everyFirstByteLandsInItsRFC7983Range() {
        for first in 0...255 {
            let kind = WebRTCDatagramKind.classify([UInt8(first), 96])
            switch first {
            case 0...3: #expect(kind == .stun)
            case 20...63: #expect(kind == .dtls)
            case 128...191: #expect(kind == .rtp)
            default: #expect(kind == .unknown)
            }
        }
    }

    @Test func rtcpByPayloadTypeRange() {
        for second in 0...255 {
            let kind = WebRTCDatagramKind.classify([0x80, UInt8(second)])
            #expect(kind == ((192...223).contains(second) ? .rtcp : .rtp))
        }
        #expect(WebRTCDatagramKind.classify([0x81, 200, 0, 1]) == .rtcp)  // sender report
        #expect(WebRTCDatagramKind.classify([0x80, 0xE0, 0, 1]) == .rtp)  // marker + payload type 96
    }

    @Test func emptyAndOneByteRTPAreUnknown() {
        #expect(WebRTCDatagramKind.classify([]) == .unknown)
        #expect(WebRTCDatagramKind.classify([0x80]) == .unknown)
        #expect(WebRTCDatagramKind.classify([0x00]) == .stun)
    }

    @Test func realMessagesClassify() {
        let stun = STUNMessage.build(.bindingRequest, transactionID: STUNTransactionID(high: 1, low: 2), attributes: [])
        #expect(WebRTCDatagramKind.classify(stun) == .stun)
        #expect(WebRTCDatagramKind.classify([22, 0xFE, 0xFD]) == .dtls)  // DTLS 1.2 handshake record
    }
}
