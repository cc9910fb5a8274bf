import PropertyBased
import Testing
@testable import RTP

@Suite struct RTCPGenericNACKTests {
    @Test func knownAnswer() throws {
        // PID 100, BLP 0b101 → 100, 101, 103.
        let bytes: [UInt8] = [0x81, 205, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 100, 0, 5]
        let nack = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, items: [RTCPNACKItem(packetID: 100, bitmaskOfLostPackets: 5)])
        #expect(try RTCPPacket.parseCompound(bytes) == [.nack(nack)])
        #expect(nack.lostSequenceNumbers == [100, 101, 103])
        #expect(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: [100, 101, 103]) == nack)
    }

    @Test(arguments: [UInt16(0), 32767, 65535, 65520])
    func compressionAcrossWrap(start: UInt16) {
        let lost = [start, start &+ 1, start &+ 16, start &+ 17, start &+ 40]
        let nack = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: lost)
        #expect(nack.items.count == 3)  // start+16 fits the first BLP, +17 starts the second item
        #expect(nack.lostSequenceNumbers == lost)
    }

    @Test func expansionProperty() async {
        await propertyCheck(count: 300, input: Gen<UInt16>.value(), Gen<UInt16>.value(in: 1...40).array(of: 0...60)) { start, gaps in
            var lost: [UInt16] = [start]
            for gap in gaps { lost.append(lost.last! &+ gap) }
            let nack = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: lost)
            #expect(nack.lostSequenceNumbers == lost)
            #expect(nack.items.count <= lost.count)
            #expect(parseRTCP(RTCPPacket.nack(nack).bytes) == .success([.nack(nack)]))
        }
    }
}
