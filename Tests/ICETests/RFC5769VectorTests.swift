import Testing
@testable import ICE

/// RFC 5769 "Test Vectors for STUN": published bytes, compared exactly.
@Suite struct RFC5769VectorTests {
    static let password = Array("VOkJxbRl1RmTxUk/WvJxBt".utf8)
    static let transactionID = STUNTransactionID(bytes: hex("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"))!

    /// §2.1 Sample Request.
    static let request = hex("""
        00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
        00 24 00 04 6e 00 01 ff
        80 29 00 08 93 2f f9 b1 51 26 3b 36
        00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
        00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
        80 28 00 04 e5 7a 3b cf
        """)
    /// §2.2 Sample IPv4 Response.
    static let ipv4Response = hex("""
        01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 08 00 01 a1 47 e1 12 a6 43
        00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
        80 28 00 04 c0 7d 4c 96
        """)
    /// §2.3 Sample IPv6 Response.
    static let ipv6Response = hex("""
        01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
        00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
        80 28 00 04 c8 fb 0b 4c
        """)

    static let ipv4Address = TransportAddress(ip: .v4(192, 0, 2, 1), port: 32853)
    static let ipv6Address = TransportAddress(
        ip: .v6(high: 0x2001_0db8_1234_5678, low: 0x0011_2233_4455_6677), port: 32853)

    @Test func sampleRequestParsesAndVerifies() throws {
        let message = try STUNMessage(parsing: Self.request)
        #expect(message.type == .bindingRequest)
        #expect(message.transactionID == Self.transactionID)
        #expect(message.attributes == [
            .software("STUN test client"), .priority(0x6E00_01FF),
            .iceControlled(tieBreaker: 0x932F_F9B1_5126_3B36), .username("evtj:h6vY"),
        ])
        #expect(message.hasFingerprint)
        #expect(message.hasValidIntegrity(key: Self.password, in: Self.request))
        #expect(!message.hasValidIntegrity(key: Array("VOkJxbRl1RmTxUk/WvJxBu".utf8), in: Self.request))
    }

    @Test func sampleRequestIsRebuiltByteForByte() {
        var builder = STUNMessageBuilder(paddingByte: 0x20)
        builder.start(.bindingRequest, transactionID: Self.transactionID)
        builder.append(.software("STUN test client"))
        builder.append(.priority(0x6E00_01FF))
        builder.append(.iceControlled(tieBreaker: 0x932F_F9B1_5126_3B36))
        builder.append(.username("evtj:h6vY"))
        builder.appendMessageIntegrity(key: Self.password)
        builder.appendFingerprint()
        #expect(builder.bytes == Self.request)
    }

    @Test(arguments: [
        (RFC5769VectorTests.ipv4Response, RFC5769VectorTests.ipv4Address),
        (RFC5769VectorTests.ipv6Response, RFC5769VectorTests.ipv6Address),
    ])
    func sampleResponseParsesAndIsRebuilt(bytes: [UInt8], address: TransportAddress) throws {
        let message = try STUNMessage(parsing: bytes)
        #expect(message.type == .bindingSuccess)
        #expect(message.attributes == [.software("test vector"), .xorMappedAddress(address)])
        #expect(message.hasValidIntegrity(key: Self.password, in: bytes))
        #expect(message.hasFingerprint)

        var builder = STUNMessageBuilder(paddingByte: 0x20)
        builder.start(.bindingSuccess, transactionID: Self.transactionID)
        builder.append(.software("test vector"))
        builder.append(.xorMappedAddress(address))
        builder.appendMessageIntegrity(key: Self.password)
        builder.appendFingerprint()
        #expect(builder.bytes == bytes)
    }

    @Test func corruptedFingerprintIsRejected() {
        var bytes = Self.request
        bytes[bytes.count - 1] ^= 1
        #expect(parseSTUN(bytes) == .failure(.badFingerprint))
        var body = Self.request
        body[30] ^= 0x40  // inside SOFTWARE: the CRC no longer matches
        #expect(parseSTUN(body) == .failure(.badFingerprint))
    }

    @Test func crc32CheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }
}
