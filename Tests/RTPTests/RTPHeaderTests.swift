import PropertyBased
import Testing
@testable import RTP

@Suite struct RTPHeaderTests {
    /// RFC 3550 header: V=2, P=0, X=0, CC=0, M=1, PT=111, seq=0x1234, ts=0xDEADBEEF, ssrc=0x01020304.
    static let minimal: [UInt8] = [0x80, 0xEF, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02, 0x03, 0x04, 0xAA, 0xBB]

    @Test func parsesKnownHeader() throws {
        let header = try RTPHeader(parsing: Self.minimal)
        #expect(header.version == 2)
        #expect(header.marker)
        #expect(header.payloadType == 111)
        #expect(header.sequenceNumber == SequenceNumber(0x1234))
        #expect(header.timestamp == 0xDEAD_BEEF)
        #expect(header.ssrc == 0x0102_0304)
        #expect(header.csrcCount == 0)
        #expect(header.headerLength == 12)
        #expect(header.payloadRange == 12..<14)
        #expect(header.extensionBlock == nil)
        #expect(header.paddingLength == 0)
    }

    @Test func parsesCSRCsExtensionAndPadding() throws {
        // CC=2, X=1, P=1; one-byte extension with id 1 (2 bytes) and id 3 (1 byte); 3 bytes of padding.
        let packet: [UInt8] = [0xB2, 0x60, 0x00, 0x01, 0, 0, 0, 9, 0, 0, 0, 7,
                               0, 0, 0, 0xA1, 0, 0, 0, 0xA2,
                               0xBE, 0xDE, 0x00, 0x02, 0x11, 0xCA, 0xFE, 0x30, 0x55, 0x00, 0x00, 0x00,
                               0x01, 0x02, 0x00, 0x00, 0x03]
        let header = try RTPHeader(parsing: packet)
        #expect(header.csrcCount == 2)
        #expect(header.hasPadding)
        #expect(header.paddingLength == 3)
        #expect(header.headerLength == 32)
        #expect(header.payloadRange == 32..<34)
        #expect(header.extensionBlock?.form == .oneByte)
        let elements = extensionElements(of: packet)
        #expect(elements == [RTPHeaderExtension(id: 1, value: [0xCA, 0xFE]), RTPHeaderExtension(id: 3, value: [0x55])])
        try packet.withUnsafeBytes { raw in
            let view = try RTPPacketView(parsing: raw)
            #expect(view.csrc(at: 0) == 0xA1)
            #expect(view.csrc(at: 1) == 0xA2)
            #expect(view.csrc(at: 2) == nil)
            #expect(Array(view.payload) == [1, 2])
            #expect(view.extensionValue(id: 3).map(Array.init) == [0x55])
            #expect(view.extensionValue(id: 2) == nil)
        }
    }

    @Test(arguments: [
        ([UInt8](repeating: 0x80, count: 11), RTPParseError.tooShort),
        ([0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], .badVersion),
        ([0x81, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], .tooShort),  // CC=1 but no CSRC
        ([0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE], .badExtensionLength),
        ([0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE, 0, 1, 0x10], .badExtensionLength),
        ([0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], .badPadding),
        ([0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0], .badPadding),  // count 0
        ([0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3], .badPadding),  // count beyond payload
    ])
    func rejectsMalformed(bytes: [UInt8], expected: RTPParseError) {
        #expect(parseRTP(bytes) == .failure(expected))
    }

    @Test func everyPrefixOfAValidPacketIsRejectedOrShorter() throws {
        let packet = try RTPPacketBuilder(
            marker: true, payloadType: 96, sequenceNumber: SequenceNumber(65535), timestamp: 1, ssrc: 2,
            csrcs: [3, 4], extensions: [RTPHeaderExtension(id: 5, value: [1, 2, 3])], paddingLength: 4
        ).build(payload: [9, 9, 9])
        #expect(parseRTP(packet).map(\.packetLength) == .success(packet.count))
        for length in 0..<packet.count {
            let prefix = Array(packet[0..<length])
            switch parseRTP(prefix) {
            case .success(let header):
                Issue.record("prefix \(length) parsed as \(header)")
            case .failure(let error):
                let expected: RTPParseError = length < 20 ? .tooShort : length < 28 ? .badExtensionLength : .badPadding
                #expect(error == expected, "prefix length \(length)")
            }
        }
    }

    @Test func randomGarbageNeverTraps() {
        var random = TestRandom(seed: 42)
        var outcomes = Set<String>()
        for _ in 0..<20_000 {
            var bytes = random.bytes(Int.random(in: 0...64, using: &random))
            if !bytes.isEmpty, Bool.random(using: &random) { bytes[0] = 0x80 | (bytes[0] & 0x3F) }
            switch parseRTP(bytes) {
            case .success(let header):
                outcomes.insert("ok")
                #expect(header.payloadRange.upperBound <= bytes.count)
                #expect(header.payloadRange.lowerBound <= header.payloadRange.upperBound)
                _ = extensionElements(of: bytes)
            case .failure(let error): outcomes.insert("\(error)")
            }
        }
        #expect(outcomes.count == 5)  // all four errors and successes were exercised
    }

    @Test func inPlaceRewriting() throws {
        var packet = Self.minimal
        try packet.withUnsafeMutableBytes { raw in
            let view = try RTPMutablePacketView(parsing: raw)
            view.setSSRC(0xCAFE_BABE)
            view.setSequenceNumber(SequenceNumber(65535))
            view.setTimestamp(7)
            view.setPayloadType(96)
            view.setMarker(false)
        }
        let header = try RTPHeader(parsing: packet)
        #expect(header.ssrc == 0xCAFE_BABE)
        #expect(header.sequenceNumber.rawValue == 65535)
        #expect(header.timestamp == 7)
        #expect(header.payloadType == 96)
        #expect(!header.marker)
        #expect(Array(packet[12...]) == [0xAA, 0xBB])
    }

    @Test func modifyArrayConvenience() throws {
        var packet = Self.minimal
        let oldSSRC = try RTPMutablePacketView.modify(&packet) { view in
            view.setSSRC(42)
            return view.header.ssrc
        }
        #expect(oldSSRC == 0x0102_0304)
        #expect(try RTPHeader(parsing: packet).ssrc == 42)
        #expect(try RTPPacketView.inspect(packet) { Array($0.payload) } == [0xAA, 0xBB])
        #expect(throws: RTPParseError.badVersion) { try RTPPacketView.inspect([UInt8](repeating: 0, count: 12)) { _ in () } }
        var garbage: [UInt8] = [1, 2, 3]
        #expect(throws: RTPParseError.tooShort) { try RTPMutablePacketView.modify(&garbage) { _ in () } }
    }

    @Test func builderRejectsSmallBufferAndBadFields() {
        let builder = RTPPacketBuilder(payloadType: 96, sequenceNumber: SequenceNumber(1), timestamp: 2, ssrc: 3)
        var small = [UInt8](repeating: 0, count: 12)
        let result: Result<Int, RTPBuildError> = small.withUnsafeMutableBytes { out in
            [UInt8(1)].withUnsafeBytes { payload in
                do throws(RTPBuildError) { return .success(try builder.write(payload: payload, into: out)) } catch { return .failure(error) }
            }
        }
        #expect(result == .failure(.bufferTooSmall(needed: 13)))
        var tooMany = builder
        tooMany.csrcs = Array(repeating: 1, count: 16)
        #expect(throws: RTPBuildError.invalidField) { try tooMany.build(payload: []) }
    }

    @Test func roundTripProperty() async {
        await propertyCheck(
            count: 300,
            input: Gen<UInt32>.value(), Gen<UInt16>.value(), Gen<UInt8>.value(in: 0...127), Gen.bool,
            Gen<UInt32>.value().array(of: 0...15), Gen<UInt8>.value().array(of: 0...300)
        ) { ssrc, sequence, payloadType, marker, csrcs, payload in
            let padding = payload.count % 7
            let extensions = payload.count % 3 == 0 ? [] : [
                RTPHeaderExtension(id: 1, value: [UInt8(truncatingIfNeeded: sequence)]),
                RTPHeaderExtension(id: payload.count % 2 == 0 ? 14 : 200, value: Array(payload.prefix(payload.count % 17))),
            ]
            let builder = RTPPacketBuilder(
                marker: marker, payloadType: payloadType, sequenceNumber: SequenceNumber(sequence),
                timestamp: ssrc &* 3, ssrc: ssrc, csrcs: csrcs, extensions: extensions, paddingLength: padding)
            guard let packet = try? builder.build(payload: payload) else {
                Issue.record("build failed")
                return
            }
            #expect(packet.count == builder.encodedLength(payloadLength: payload.count))
            guard case .success(let header) = parseRTP(packet) else {
                Issue.record("parse failed")
                return
            }
            #expect(header.ssrc == ssrc && header.timestamp == ssrc &* 3)
            #expect(header.sequenceNumber.rawValue == sequence)
            #expect(header.payloadType == payloadType && header.marker == marker)
            #expect(header.csrcCount == csrcs.count)
            #expect(header.paddingLength == padding)
            #expect(Array(packet[header.payloadRange]) == payload)
            #expect(extensionElements(of: packet) == extensions)
            packet.withUnsafeBytes { raw in
                let view = try? RTPPacketView(parsing: raw)
                #expect((0..<csrcs.count).map { view?.csrc(at: $0) } == csrcs.map { $0 })
            }
        }
    }
}
