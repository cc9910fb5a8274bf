import PropertyBased
import Testing
@testable import RTP

func parseVP9(_ bytes: [UInt8]) -> Result<VP9PayloadDescriptor, PayloadDescriptorParseError> {
    bytes.withUnsafeBytes { raw in
        do throws(PayloadDescriptorParseError) { return .success(try VP9PayloadDescriptor(parsing: raw)) } catch { return .failure(error) }
    }
}

@Suite struct VP9PayloadDescriptorTests {
    /// Non-flexible key frame: I L B V; PictureID 15-bit 0x0102; TID 0 SID 0; TL0PICIDX 7;
    /// SS: N_S=1 (2 layers), Y=1, G=1; 320x180, 640x360; N_G=1: TID 0, U 0, R 1, P_DIFF 4.
    static let keyFrame: [UInt8] = [0xAA, 0x81, 0x02, 0x00, 0x07,
                                    0x38, 0x01, 0x40, 0x00, 0xB4, 0x02, 0x80, 0x01, 0x68, 0x01, 0x04, 0x04]

    @Test func knownAnswerNonFlexibleKeyFrame() throws {
        let descriptor = try VP9PayloadDescriptor(parsing: Self.keyFrame)
        #expect(descriptor.isKeyFrame)
        #expect(!descriptor.isFlexibleMode)
        #expect(descriptor.pictureID == 0x0102 && descriptor.pictureIDIs15Bit)
        #expect(descriptor.layerIndices == VP9LayerIndices(temporalLayerID: 0, spatialLayerID: 0))
        #expect(descriptor.tl0PictureIndex == 7)
        #expect(descriptor.scalabilityStructure == VP9ScalabilityStructure(
            spatialLayerCount: 2,
            resolutions: [VP9Resolution(width: 320, height: 180), VP9Resolution(width: 640, height: 360)],
            pictureGroup: [VP9PictureGroupEntry(temporalLayerID: 0, isSwitchingUpPoint: false, referenceDiffs: [4])]))
        #expect(descriptor.encodedLength == Self.keyFrame.count)
        #expect(descriptor.bytes == Self.keyFrame)
    }

    @Test func knownAnswerFlexibleInterFrame() throws {
        // I P L F E; PictureID 7-bit 5; TID 2 U SID 1 D; P_DIFF 1 (N=1), P_DIFF 3 (N=0).
        let bytes: [UInt8] = [0xF4, 0x05, 0x53, 0x03, 0x06]
        let descriptor = try VP9PayloadDescriptor(parsing: bytes)
        #expect(descriptor.isInterPicturePredicted && descriptor.isFlexibleMode && descriptor.isEndOfFrame && !descriptor.isStartOfFrame)
        #expect(!descriptor.isKeyFrame)
        #expect(descriptor.pictureID == 5 && !descriptor.pictureIDIs15Bit)
        #expect(descriptor.layerIndices == VP9LayerIndices(temporalLayerID: 2, isSwitchingUpPoint: true, spatialLayerID: 1, hasInterLayerDependency: true))
        #expect(descriptor.tl0PictureIndex == nil)
        #expect(Array(descriptor.referenceDiffs) == [1, 3])
        #expect(descriptor.bytes == bytes)
    }

    @Test func keyFrameNeedsSpatialLayerZero() throws {
        // P=0 B=1 L: SID=1 → not a key frame start.
        let upper = try VP9PayloadDescriptor(parsing: [0x28, 0x02, 0x00])
        #expect(!upper.isKeyFrame)
        #expect(try VP9PayloadDescriptor(parsing: [0x08]).isKeyFrame)
    }

    @Test func rejectsMalformed() {
        #expect(parseVP9([0x50, 0x03, 0x03, 0x03, 0x02]) == .failure(.malformed))  // 4 P_DIFFs
        for length in 0..<Self.keyFrame.count {
            #expect(parseVP9(Array(Self.keyFrame.prefix(length))) == .failure(.tooShort), "prefix \(length)")
        }
    }

    @Test func randomGarbageNeverTraps() {
        var random = TestRandom(seed: 9)
        for _ in 0..<10_000 {
            let bytes = random.bytes(Int.random(in: 0...40, using: &random))
            if case .success(let descriptor) = parseVP9(bytes) {
                #expect(descriptor.encodedLength <= bytes.count)
            }
        }
    }

    @Test func rewritePictureID() throws {
        var bytes = Self.keyFrame
        #expect(bytes.withUnsafeMutableBytes { VP9PayloadDescriptor.rewritePictureID(0x7ABC, in: $0) })
        #expect(try VP9PayloadDescriptor(parsing: bytes).pictureID == 0x7ABC)
        var none: [UInt8] = [0x08, 0]
        #expect(!none.withUnsafeMutableBytes { VP9PayloadDescriptor.rewritePictureID(1, in: $0) })
    }

    static let diffPool: [UInt8] = [1, 2, 3]

    static func makeStructure(count: Int, withResolutions: Bool, group: [UInt8]?) -> VP9ScalabilityStructure {
        var resolutions: [VP9Resolution] = []
        if withResolutions {
            for index in 0..<count {
                let width = UInt16(index * 160 + 1)
                let height = UInt16(index * 90 + 3)
                resolutions.append(VP9Resolution(width: width, height: height))
            }
        }
        let entries: [VP9PictureGroupEntry]? = group?.map { tid in
            VP9PictureGroupEntry(temporalLayerID: tid, isSwitchingUpPoint: tid == 1, referenceDiffs: Array(Self.diffPool.prefix(Int(tid))))
        }
        return VP9ScalabilityStructure(spatialLayerCount: count, resolutions: resolutions, pictureGroup: entries)
    }

    @Test func roundTripProperty() async {
        let layers = zip(Gen<UInt8>.value(in: 0...7), Gen.bool, Gen<UInt8>.value(in: 0...7), Gen.bool)
            .map { VP9LayerIndices(temporalLayerID: $0, isSwitchingUpPoint: $1, spatialLayerID: $2, hasInterLayerDependency: $3) }
        let structure = zip(Gen<Int>.value(in: 1...8), Gen.bool, Gen<UInt8>.value(in: 0...3).array(of: 0...4).optional())
            .map { count, withResolutions, group in Self.makeStructure(count: count, withResolutions: withResolutions, group: group) }
        await propertyCheck(
            count: 300,
            input: Gen<UInt8>.value().array(of: 0...6), Gen<UInt16>.value(in: 0...0x7FFF).optional(), layers.optional(),
            Gen<UInt8>.value(in: 1...127).array(of: 1...3), structure.optional(), Gen<UInt8>.value()
        ) { flags, pictureID, layerIndices, diffs, ss, tl0 in
            let bit = { (index: Int) in flags.count > index && flags[index] & 1 == 1 }
            let flexible = bit(0), predicted = bit(1)
            let descriptor = VP9PayloadDescriptor(
                isInterPicturePredicted: predicted, isFlexibleMode: flexible, isStartOfFrame: bit(2), isEndOfFrame: bit(3),
                isNotReferenceForUpperSpatialLayers: bit(4),
                pictureID: pictureID.map { bit(5) ? $0 : $0 & 0x7F }, pictureIDIs15Bit: pictureID == nil || bit(5),
                layerIndices: layerIndices, tl0PictureIndex: layerIndices != nil && !flexible ? tl0 : nil,
                referenceDiffs: flexible && predicted ? VP9ReferenceDiffs(diffs) : VP9ReferenceDiffs(), scalabilityStructure: ss)
            #expect(parseVP9(descriptor.bytes) == .success(descriptor))
        }
    }
}

extension VP9ReferenceDiffs {
    init(_ values: [UInt8]) {
        self.init()
        for value in values { append(value) }
    }
}
