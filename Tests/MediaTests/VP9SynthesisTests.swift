import Testing
import RTP
@testable import Media

/// A VP9 SVC workload: one stream per camera whose packets carry every spatial layer.
@Suite struct VP9SynthesisTests {
    static let workload = TestFiles.synthesize(
        SynthesisSpec(participants: 1, kind: .meeting, device: .desktop, durationMicros: 4_000_000, seed: 12, videoCodec: .vp9))

    @Test func svcStreamDecodesLayerByLayerAndMeetsRates() throws {
        let reader = try WorkloadReader(path: Self.workload.path)
        let track = try #require(reader.manifest.tracks.first { $0.codec == "VP9" })
        #expect(track.scalabilityMode == "L3T3")
        #expect(reader.manifest.participants[0].streams[1].encodings.count == 1)
        let decoder = try VPXDecoder(codec: .vp9)
        var cursor = try reader.packets(track: track.id)
        var layerFrame: [UInt8] = []
        var pictures = 0, layerFrames = 0
        var tids: [UInt8] = []
        var keyPictures: [Int] = []
        var bytes = [Int](repeating: 0, count: 3)
        var sawStructure = false
        while let packet = try cursor.next() {
            let descriptor = try VP9PayloadDescriptor(parsing: packet.payload)
            #expect(descriptor.layerIndices?.spatialLayerID == packet.spatialLayer)
            if descriptor.scalabilityStructure != nil { sawStructure = true }
            if descriptor.isStartOfFrame { layerFrame.removeAll(keepingCapacity: true) }
            layerFrame.append(contentsOf: packet.payload[descriptor.encodedLength...])
            if packet.captureTimeMicros >= 1_000_000 { bytes[Int(packet.spatialLayer)] += packet.payload.count - descriptor.encodedLength }
            if descriptor.isEndOfFrame {
                #expect(try decoder.decode(layerFrame) == 1)
                let divisor = 1 << (2 - Int(packet.spatialLayer))
                #expect(decoder.lastSize == (640 / divisor, 360 / divisor))
                layerFrames += 1
            }
            if packet.isFrameEnd {
                if packet.isKeyFrame { keyPictures.append(pictures) }
                tids.append(packet.temporalLayer)
                pictures += 1
            }
        }
        #expect(sawStructure)
        #expect(pictures == 120)
        #expect(layerFrames == 360)
        #expect(keyPictures == [0])
        #expect(tids == (0..<120).map { [UInt8(0), 2, 1, 2][$0 % 4] })
        for (layer, target) in VideoProfile.desktop.svcSpatialBitrates.enumerated() {
            let measured = Double(bytes[layer] * 8) / 3
            print("VP9 workload S\(layer): \(Int(measured / 1000)) kb/s vs \(target / 1000)")
            #expect(abs(measured / Double(target) - 1) <= 0.15, "S\(layer) \(Int(measured)) vs \(target)")
        }
    }
}
