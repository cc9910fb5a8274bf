import PropertyBased
import Testing
@testable import RTP

@Suite struct VP8PayloadDescriptorTests {
    @Test func knownAnswerFullDescriptor() throws {
        // X=1 S=1 PID=0; I L T K; M=1 PictureID=0x1234; TL0PICIDX=5; TID=2 Y=1 KEYIDX=3; then VP8 header P=0.
        let bytes: [UInt8] = [0x90, 0xF0, 0x92, 0x34, 0x05, 0xA3, 0x10]
        let descriptor = try VP8PayloadDescriptor(parsing: bytes)
        #expect(descriptor == VP8PayloadDescriptor(
            isStartOfPartition: true, partitionIndex: 0, pictureID: 0x1234, pictureIDIs15Bit: true,
            tl0PictureIndex: 5, temporalLayerID: 2, isLayerSync: true, keyIndex: 3))
        #expect(descriptor.encodedLength == 6)
        #expect(descriptor.bytes == Array(bytes.prefix(6)))
        #expect(bytes.withUnsafeBytes { VP8PayloadDescriptor.isKeyFrame(payload: $0) })
    }

    @Test("an extension-flags byte with none of I, L, T, K still counts: the key-frame bit is read after it")
    func emptyExtensionByte() throws {
        // X=1 S=1 PID=0; flags 0x00; VP8 payload header with P=0 (key frame), then P=1 (delta).
        let key: [UInt8] = [0x90, 0x00, 0x10, 0x02]
        let descriptor = try VP8PayloadDescriptor(parsing: key)
        #expect(descriptor.hasEmptyExtension)
        #expect(descriptor.encodedLength == 2)
        #expect(descriptor.bytes == [0x90, 0x00])
        #expect(key.withUnsafeBytes { VP8PayloadDescriptor.isKeyFrame(payload: $0) })
        // The flags byte's own low bit is 0: reading the payload header there (offset 1) called
        // every such packet a key frame.
        let delta: [UInt8] = [0x90, 0x00, 0x11, 0x02]
        #expect(!delta.withUnsafeBytes { VP8PayloadDescriptor.isKeyFrame(payload: $0) })
    }

    @Test func minimalAndSevenBitPictureID() throws {
        #expect(try VP8PayloadDescriptor(parsing: [0x10]) == VP8PayloadDescriptor(isStartOfPartition: true))
        let short = try VP8PayloadDescriptor(parsing: [0xA1, 0x80, 0x7F])
        #expect(short.pictureID == 0x7F && !short.pictureIDIs15Bit && short.isNonReference && short.partitionIndex == 1)
    }

    @Test(arguments: [
        ([UInt8]([0x10, 0x11]), false),  // P=1: interframe
        ([0x10, 0x10], true),
        ([0x11, 0x10], false),  // PID=1
        ([0x00, 0x10], false),  // S=0
        ([0x10], false),  // no VP8 header byte
    ])
    func keyFrameDetection(payload: [UInt8], isKey: Bool) {
        #expect(payload.withUnsafeBytes { VP8PayloadDescriptor.isKeyFrame(payload: $0) } == isKey)
    }

    @Test func everyPrefixIsTooShort() {
        let bytes: [UInt8] = [0x90, 0xF0, 0x92, 0x34, 0x05, 0xA3]
        for length in 0..<bytes.count {
            #expect(parseVP8(Array(bytes.prefix(length))) == .failure(.tooShort), "prefix \(length)")
        }
    }

    @Test func randomGarbageNeverTraps() {
        var random = TestRandom(seed: 8)
        for _ in 0..<10_000 {
            let bytes = random.bytes(Int.random(in: 0...8, using: &random))
            if case .success(let descriptor) = parseVP8(bytes) {
                #expect(descriptor.encodedLength <= bytes.count)
            }
        }
    }

    @Test func rewritesInPlace() throws {
        var wide: [UInt8] = [0x90, 0xC0, 0x92, 0x34, 0x05, 0xAA]
        var narrow: [UInt8] = [0x90, 0xC0, 0x12, 0x05, 0xAA]
        #expect(wide.withUnsafeMutableBytes { VP8PayloadDescriptor.rewritePictureID(0x7FFF, in: $0) })
        #expect(wide.withUnsafeMutableBytes { VP8PayloadDescriptor.rewriteTL0PictureIndex(200, in: $0) })
        #expect(narrow.withUnsafeMutableBytes { VP8PayloadDescriptor.rewritePictureID(0x1FF, in: $0) })
        #expect(wide == [0x90, 0xC0, 0xFF, 0xFF, 200, 0xAA])
        #expect(try VP8PayloadDescriptor(parsing: narrow).pictureID == 0x7F)
        var none: [UInt8] = [0x10, 0xAA]
        #expect(!none.withUnsafeMutableBytes { VP8PayloadDescriptor.rewritePictureID(1, in: $0) })
        #expect(!none.withUnsafeMutableBytes { VP8PayloadDescriptor.rewriteTL0PictureIndex(1, in: $0) })
    }

    @Test func roundTripProperty() async {
        await propertyCheck(
            count: 300,
            input: Gen<UInt16>.value(in: 0...0x7FFF).optional(), Gen.bool, Gen<UInt8>.value().optional(),
            Gen<UInt8>.value(in: 0...3).optional(), Gen<UInt8>.value(in: 0...31).optional(), Gen<UInt8>.value(in: 0...7)
        ) { pictureID, wide, tl0, tid, keyIndex, pid in
            let descriptor = VP8PayloadDescriptor(
                isNonReference: wide, isStartOfPartition: !wide, partitionIndex: pid,
                pictureID: pictureID.map { wide ? $0 : $0 & 0x7F }, pictureIDIs15Bit: pictureID == nil ? true : wide,
                tl0PictureIndex: tl0, temporalLayerID: tid, isLayerSync: tid != nil && wide, keyIndex: keyIndex)
            #expect(parseVP8(descriptor.bytes) == .success(descriptor))
        }
    }
}
