@testable import Engine
import RTP
import Testing

/// VP9 descriptor inspection and scalability-mode parsing, the inputs of SVC forwarding.
@Suite struct SvcComponentTests {
    @Test(arguments: [
        ("L3T3_KEY", 3, 3, true), ("L1T3", 1, 3, false), ("L2T2", 2, 2, false), ("S3T3", 3, 3, false), ("L3T3_KEY_SHIFT", 3, 3, true),
    ])
    func parsesScalabilityModes(text: String, spatial: Int, temporal: Int, key: Bool) throws {
        let mode = try #require(ScalabilityMode(text))
        #expect(mode.spatialLayers == spatial)
        #expect(mode.temporalLayers == temporal)
        #expect(mode.isKeySVC == key)
    }

    @Test(arguments: ["", "L3", "T3", "L0T1", "L3T", "X3T3", "L3T3KEY", "L9T1"])
    func rejectsMalformedModes(text: String) {
        #expect(ScalabilityMode(text) == nil)
    }

    @Test func inspectsVP9Layers() {
        var stream = SyntheticVP9Stream(ssrc: 1)
        stream.packetsPerLayer = 2
        let key = stream.nextPicture(timestamp: 0)
        stream.frameIndex = 1
        let delta = stream.nextPicture(timestamp: 3_000)
        func info(_ packet: [UInt8]) -> MediaFrameInfo {
            let header = try! RTPHeader(parsing: packet)
            return Array(packet[header.payloadRange]).withUnsafeBytes {
                MediaFrameInfo.inspect(payload: $0, mimeType: "video/VP9", isVideo: true)
            }
        }
        let first = info(key[0])
        #expect(first.isKeyFrame && first.isPictureStart && first.isFrameStart && !first.isEndOfLayerFrame)
        #expect(first.spatialLayer == 0 && first.temporalLayer == 0)
        let keyS1End = info(key[3])
        #expect(!keyS1End.isKeyFrame && !keyS1End.isPictureStart && keyS1End.isEndOfLayerFrame && keyS1End.spatialLayer == 1)
        let keyS2Start = info(key[4])
        #expect(keyS2Start.isFrameStart && !keyS2Start.isPictureStart && keyS2Start.spatialLayer == 2)
        let deltaStart = info(delta[0])
        #expect(!deltaStart.isKeyFrame && deltaStart.isPictureStart && deltaStart.temporalLayer == 2 && deltaStart.isLayerSync)
        // Truncated descriptors fall back to defaults without trapping.
        let truncated = [UInt8](arrayLiteral: 0xA8).withUnsafeBytes {
            MediaFrameInfo.inspect(payload: $0, mimeType: "video/vp9", isVideo: true)
        }
        #expect(!truncated.isKeyFrame && truncated.spatialLayer == 0)
    }
}
