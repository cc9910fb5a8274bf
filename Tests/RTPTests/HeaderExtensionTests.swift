import PropertyBased
import Testing
@testable import RTP

@Suite struct HeaderExtensionTests {
    @Test func twoByteFormParsesAndSkipsPadding() {
        // Profile 0x1000, 2 words: [id 20, len 0] [pad] [id 2, len 3, a b c]
        let packet: [UInt8] = [0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1,
                               0x10, 0x00, 0x00, 0x02, 20, 0, 0, 2, 3, 0x61, 0x62, 0x63]
        #expect(extensionElements(of: packet) == [RTPHeaderExtension(id: 20, value: []), RTPHeaderExtension(id: 2, value: [0x61, 0x62, 0x63])])
    }

    @Test func oneByteStopsAtID15AndAtOverrun() {
        let stop: [UInt8] = [0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0, 1, 0x10, 0x07, 0xF0, 0x20]
        #expect(extensionElements(of: stop) == [RTPHeaderExtension(id: 1, value: [7])])
        let overrun: [UInt8] = [0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0, 1, 0x10, 0x07, 0x23, 0x20]
        #expect(extensionElements(of: overrun) == [RTPHeaderExtension(id: 1, value: [7])])
    }

    @Test func oneByteIDZeroIsAOneBytePadding() {
        // 0x05 has ID 0: skipped as a single byte, then id 2 (1 byte).
        let packet: [UInt8] = [0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0, 1, 0x05, 0x20, 0x09, 0x00]
        #expect(extensionElements(of: packet) == [RTPHeaderExtension(id: 2, value: [9])])
    }

    @Test func otherProfileYieldsNoElements() {
        let packet: [UInt8] = [0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0x12, 0x34, 0, 1, 0x10, 0x07, 0, 0]
        #expect(extensionElements(of: packet).isEmpty)
    }

    @Test(arguments: [
        ([RTPHeaderExtension(id: 1, value: [1])], RTPHeaderExtensionForm.oneByte),
        ([RTPHeaderExtension(id: 14, value: Array(repeating: 1, count: 16))], .oneByte),
        ([RTPHeaderExtension(id: 15, value: [1])], .twoByte),
        ([RTPHeaderExtension(id: 1, value: [])], .twoByte),
        ([RTPHeaderExtension(id: 1, value: Array(repeating: 1, count: 17))], .twoByte),
    ])
    func formSelection(elements: [RTPHeaderExtension], form: RTPHeaderExtensionForm) {
        #expect(RTPHeaderExtensionWriter.form(for: elements) == form)
    }

    @Test func invalidElementsAreRefused() {
        #expect(RTPHeaderExtensionWriter.form(for: [RTPHeaderExtension(id: 0, value: [1])]) == nil)
        #expect(RTPHeaderExtensionWriter.form(for: [RTPHeaderExtension(id: 1, value: Array(repeating: 0, count: 256))]) == nil)
    }

    @Test func codecsKnownAnswers() {
        // abs-send-time: 1.5 s = 0x060000 in 6.18 fixed point.
        let time = AbsSendTime(microseconds: 1_500_000)
        #expect(time.rawValue == 0x06_0000)
        #expect(time.extensionValue == [0x06, 0x00, 0x00])
        #expect(time.microseconds == 1_500_000)
        #expect(AbsSendTime(microseconds: 64_000_000).rawValue == 0)  // wraps every 64 s
        #expect(TransportWideSequenceNumberExtension.encode(0xABCD) == [0xAB, 0xCD])
        #expect([UInt8]([0xAB, 0xCD]).withUnsafeBytes { TransportWideSequenceNumberExtension.decode($0) } == 0xABCD)
        #expect([UInt8]([0xAB]).withUnsafeBytes { TransportWideSequenceNumberExtension.decode($0) } == nil)
        let level = AudioLevelExtension(voiceActivity: true, levelDecibelsBelowOverload: 30)
        #expect(level.extensionValue == [0x9E])
        #expect([UInt8]([0x9E]).withUnsafeBytes { AudioLevelExtension(extensionValue: $0) } == level)
        #expect([UInt8]([0x7F]).withUnsafeBytes { AudioLevelExtension(extensionValue: $0) } == AudioLevelExtension(voiceActivity: false, levelDecibelsBelowOverload: 127))
        #expect(SDESStringExtension.encode("q") == [0x71])
        #expect(SDESStringExtension.encode("") == nil)
        #expect(SDESStringExtension.encode("é") == nil)
        #expect([UInt8]("hi".utf8).withUnsafeBytes { SDESStringExtension.decode($0) } == "hi")
        #expect([UInt8]("hi".utf8).withUnsafeBytes { SDESStringExtension.matches($0, "hi") })
        #expect(![UInt8]("hi".utf8).withUnsafeBytes { SDESStringExtension.matches($0, "h") })
        #expect(![UInt8]("h".utf8).withUnsafeBytes { SDESStringExtension.matches($0, "hi") })
    }

    @Test func absSendTimeRoundTrip() async {
        await propertyCheck(input: Gen<UInt32>.value(in: 0...0xFF_FFFF)) { raw in
            let time = AbsSendTime(rawValue: raw)
            #expect(AbsSendTime(microseconds: time.microseconds + 1).rawValue == raw)  // floor conversions
            #expect(time.extensionValue.withUnsafeBytes { AbsSendTime(extensionValue: $0) } == time)
        }
    }

    @Test func inPlaceExtensionOverwrite() throws {
        var packet = try RTPPacketBuilder(
            payloadType: 96, sequenceNumber: SequenceNumber(1), timestamp: 2, ssrc: 3,
            extensions: [
                RTPHeaderExtension(id: 3, value: TransportWideSequenceNumberExtension.encode(1)),
                RTPHeaderExtension(id: 2, value: AbsSendTime(rawValue: 5).extensionValue),
                RTPHeaderExtension(id: 4, value: SDESStringExtension.encode("mid0")!),
            ]).build(payload: [0xEE])
        let before = packet
        packet.withUnsafeMutableBytes { raw in
            guard let view = try? RTPMutablePacketView(parsing: raw) else { Issue.record("parse"); return }
            #expect(view.setTransportWideSequenceNumber(0xFFFF, id: 3))
            #expect(view.setAbsSendTime(AbsSendTime(rawValue: 0xABCDEF), id: 2))
            #expect(!view.setAbsSendTime(AbsSendTime(rawValue: 1), id: 3))  // wrong size
            #expect(!view.setTransportWideSequenceNumber(1, id: 9))  // absent
            #expect("mid1".utf8.withContiguousStorageIfAvailable { view.overwriteExtension(id: 4, with: UnsafeRawBufferPointer($0)) } == true)
            #expect([UInt8]([1]).withUnsafeBytes { view.overwriteExtension(id: 4, with: $0) } == false)
        }
        #expect(packet.count == before.count)
        #expect(extensionElements(of: packet) == [
            RTPHeaderExtension(id: 3, value: [0xFF, 0xFF]),
            RTPHeaderExtension(id: 2, value: [0xAB, 0xCD, 0xEF]),
            RTPHeaderExtension(id: 4, value: Array("mid1".utf8)),
        ])
        #expect(packet.last == 0xEE)
    }

    @Test(arguments: [false, true])
    func remapExtensionIDs(twoByte: Bool) throws {
        let big: UInt8 = twoByte ? 200 : 3
        var packet = try RTPPacketBuilder(
            payloadType: 96, sequenceNumber: SequenceNumber(1), timestamp: 2, ssrc: 3,
            extensions: [RTPHeaderExtension(id: 1, value: [0xAA]), RTPHeaderExtension(id: big, value: [1, 2]), RTPHeaderExtension(id: 5, value: [7])]
        ).build(payload: [0xEE])
        let before = packet
        let remapped = try RTPMutablePacketView.modify(&packet) { view in
            view.remapExtensionIDs { id in id == 1 ? 9 : id == big ? nil : id }
        }
        #expect(remapped)
        #expect(packet.count == before.count)
        #expect(extensionElements(of: packet) == [RTPHeaderExtension(id: 9, value: [0xAA]), RTPHeaderExtension(id: 5, value: [7])])
        #expect(packet.last == 0xEE)
        // An ID the form cannot carry is refused and nothing changes.
        let refused = try RTPMutablePacketView.modify(&packet) { view in view.remapExtensionIDs { _ in twoByte ? 0 : 15 } }
        #expect(!refused)
        #expect(extensionElements(of: packet) == [RTPHeaderExtension(id: 9, value: [0xAA]), RTPHeaderExtension(id: 5, value: [7])])
    }

    @Test func writeRoundTripProperty() async {
        let element = zip(Gen<UInt8>.value(in: 1...255), Gen<UInt8>.value().array(of: 0...20))
            .map { RTPHeaderExtension(id: $0, value: $1) }
        await propertyCheck(count: 300, input: element.array(of: 1...8)) { elements in
            let length = RTPHeaderExtensionWriter.encodedLength(of: elements)
            #expect(length % 4 == 0)
            var buffer = [UInt8](repeating: 0xFF, count: 12 + length)
            buffer[0] = 0x90
            let written = buffer.withUnsafeMutableBytes { RTPHeaderExtensionWriter.write(elements, into: $0, at: 12) }
            #expect(written == length)
            #expect(extensionElements(of: buffer) == elements)
        }
    }
}
