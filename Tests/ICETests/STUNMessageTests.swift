import PropertyBased
import Testing
import Engine
@testable import ICE

@Suite struct STUNMessageTests {
    static let id = STUNTransactionID(high: 0x0102_0304, low: 0x0506_0708_090A_0B0C)

    @Test func messageTypeRoundTripsEveryMethodAndClass() {
        for method in stride(from: UInt16(0), through: 0x0FFF, by: 7) {
            for messageClass in STUNMessageClass.allCases {
                let type = STUNMessageType(method: method, messageClass: messageClass)
                #expect(type.wireValue & 0xC000 == 0)
                #expect(STUNMessageType(wireValue: type.wireValue) == type)
            }
        }
        #expect(STUNMessageType.bindingRequest.wireValue == 0x0001)
        #expect(STUNMessageType.bindingIndication.wireValue == 0x0011)
        #expect(STUNMessageType.bindingSuccess.wireValue == 0x0101)
        #expect(STUNMessageType.bindingError.wireValue == 0x0111)
    }

    @Test func headerErrorsHaveTheirOwnCase() {
        let valid = STUNMessage.build(.bindingRequest, transactionID: Self.id, attributes: [.username("a:b")])
        #expect(parseSTUN(Array(valid.prefix(19))) == .failure(.tooShort))
        var rtp = valid
        rtp[0] = 0x80
        #expect(parseSTUN(rtp) == .failure(.notSTUN))
        var cookie = valid
        cookie[4] = 0
        #expect(parseSTUN(cookie) == .failure(.badMagicCookie))
        #expect(parseSTUN(valid + [0, 0, 0, 0]) == .failure(.badLength))
        var odd = valid
        odd[3] = 0x0A
        #expect(parseSTUN(odd) == .failure(.badLength))
    }

    @Test func attributeErrorsHaveTheirOwnCase() {
        // An attribute whose value runs past the end.
        var truncated = STUNMessage.build(.bindingRequest, transactionID: Self.id, attributes: [.priority(1)], fingerprint: false)
        truncated[23] = 12
        #expect(parseSTUN(truncated) == .failure(.truncatedAttribute))
        // PRIORITY with 8 bytes.
        let longPriority = STUNMessage.build(
            .bindingRequest, transactionID: Self.id, attributes: [.other(type: .priority, value: [1, 2, 3, 4, 5, 6, 7, 8])])
        #expect(parseSTUN(longPriority) == .failure(.malformedAttribute))
        // Address family 3.
        let badFamily = STUNMessage.build(
            .bindingSuccess, transactionID: Self.id, attributes: [.other(type: .xorMappedAddress, value: [0, 3, 0, 0, 1, 2, 3, 4])])
        #expect(parseSTUN(badFamily) == .failure(.malformedAttribute))
        // USERNAME that is not UTF-8.
        let badText = STUNMessage.build(.bindingRequest, transactionID: Self.id, attributes: [.other(type: .username, value: [0xFF, 0xFE])])
        #expect(parseSTUN(badText) == .failure(.invalidUTF8))
        // Anything after FINGERPRINT.
        var after = STUNMessageBuilder()
        after.start(.bindingRequest, transactionID: Self.id)
        after.appendFingerprint()
        after.append(.useCandidate)
        #expect(parseSTUN(after.bytes) == .failure(.attributeAfterFingerprint))
        // ERROR-CODE class 7.
        let badClass = STUNMessage.build(.bindingError, transactionID: Self.id, attributes: [.other(type: .errorCode, value: [0, 0, 7, 1])])
        #expect(parseSTUN(badClass) == .failure(.malformedAttribute))
    }

    @Test func attributesAfterIntegrityAreIgnoredButSHA256AndFingerprintAreKept() throws {
        let key = Array("a-password-of-22-chars".utf8)
        var builder = STUNMessageBuilder()
        builder.start(.bindingRequest, transactionID: Self.id)
        builder.append(.username("x:y"))
        builder.appendMessageIntegrity(key: key)
        builder.append(.useCandidate)
        builder.appendMessageIntegrity(.sha256, key: key)
        builder.appendFingerprint()
        let message = try STUNMessage(parsing: builder.bytes)
        #expect(message.attributes == [.username("x:y")])
        #expect(!message.useCandidate)
        #expect(message.hasValidIntegrity(.sha1, key: key, in: builder.bytes))
        #expect(message.hasValidIntegrity(.sha256, key: key, in: builder.bytes))
        #expect(!message.hasValidIntegrity(.sha256, key: [1, 2, 3], in: builder.bytes))
        #expect(message.hasFingerprint)
    }

    @Test func integrityWithoutAttributeIsInvalid() throws {
        let bytes = STUNMessage.build(.bindingRequest, transactionID: Self.id, attributes: [.username("x:y")])
        let message = try STUNMessage(parsing: bytes)
        #expect(!message.hasIntegrity)
        #expect(!message.hasValidIntegrity(key: [1], in: bytes))
    }

    @Test func unknownAttributesAreKeptAndSortedByComprehension() throws {
        let googNetworkInfo = STUNAttribute.other(type: .googNetworkInfo, value: [0, 1, 0, 10])
        let required = STUNAttribute.other(type: STUNAttributeType(rawValue: 0x7777), value: [9])
        let bytes = STUNMessage.build(.bindingRequest, transactionID: Self.id, attributes: [googNetworkInfo, required])
        let message = try STUNMessage(parsing: bytes)
        #expect(message.attributes == [googNetworkInfo, required])
        #expect(message.unknownComprehensionRequiredTypes == [0x7777])
    }

    @Test func garbageNeverTraps() {
        var random = SeededGenerator(seed: 5769)
        let seed = STUNMessage.build(
            .bindingRequest, transactionID: Self.id,
            attributes: [.username("abcd:efgh"), .priority(7), .useCandidate, .iceControlling(tieBreaker: 3)],
            integrityKey: [1, 2, 3])
        var rejected = 0
        for _ in 0..<5_000 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            if Bool.random(using: &random) { bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random))) }
            if case .failure = parseSTUN(bytes) { rejected += 1 }
        }
        #expect(rejected > 4_000)  // the fingerprint catches almost every corruption
    }

    @Test func roundTripProperty() async {
        let address = Gen.oneOf(
            Gen<UInt32>.value().map { IPAddress.v4($0) },
            Gen<UInt64>.value().map { IPAddress.v6(high: $0, low: ~$0 &* 31) })
        let attribute = Gen.oneOf(
            Gen.ascii.string(of: 0...40).map { STUNAttribute.username($0) },
            Gen.letterOrNumber.string(of: 0...40).map { STUNAttribute.software($0) },
            Gen<UInt32>.value().map { STUNAttribute.priority($0) },
            Gen.always(STUNAttribute.useCandidate),
            Gen<UInt64>.value().map { STUNAttribute.iceControlled(tieBreaker: $0) },
            Gen<UInt64>.value().map { STUNAttribute.iceControlling(tieBreaker: $0) },
            zip(address, Gen<UInt16>.value()).map { STUNAttribute.xorMappedAddress(TransportAddress(ip: $0, port: $1)) },
            zip(address, Gen<UInt16>.value()).map { STUNAttribute.mappedAddress(TransportAddress(ip: $0, port: $1)) },
            zip(Gen<UInt16>.value(in: 300...699), Gen.letterOrNumber.string(of: 0...30))
                .map { STUNAttribute.errorCode(STUNErrorCode(code: $0, reason: $1)) },
            Gen<UInt16>.value().array(of: 0...5).map { STUNAttribute.unknownAttributes($0) },
            zip(Gen<UInt16>.value(in: 0xC000...0xFFFF), Gen<UInt8>.value().array(of: 0...17))
                .map { STUNAttribute.other(type: STUNAttributeType(rawValue: $0), value: $1) })
        await propertyCheck(
            count: 300, input: attribute.array(of: 0...8), Gen<UInt64>.value(), Gen.bool, Gen.bool
        ) { attributes, seed, withIntegrity, withFingerprint in
            let id = STUNTransactionID(high: UInt32(truncatingIfNeeded: seed >> 7), low: seed)
            let key = withIntegrity ? Array("key\(seed)".utf8) : nil
            let bytes = STUNMessage.build(.bindingRequest, transactionID: id, attributes: attributes, integrityKey: key, fingerprint: withFingerprint)
            let parsed = parseSTUN(bytes)
            #expect((try? parsed.get())?.attributes == attributes)
            #expect((try? parsed.get())?.transactionID == id)
            #expect((try? parsed.get())?.hasFingerprint == withFingerprint)
            if let key { #expect((try? parsed.get())?.hasValidIntegrity(key: key, in: bytes) == true) }
        }
    }
}
