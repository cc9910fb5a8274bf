import Testing
@testable import Media

/// VP9 SVC: layer structure, decodability and per-layer rates straight from the encoder.
@Suite struct VP9Tests {
    @Test(arguments: [1, 3])
    func svcLayersFollowThePatternAndDecode(spatialLayers: Int) throws {
        let rates = Array([100_000, 250_000, 600_000].suffix(spatialLayers))
        let configuration = VP9Encoder.Configuration(width: 640, height: 360, frameRate: 30, spatialBitrates: rates)
        let encoder = try VP9Encoder(configuration)
        let camera = CameraSource(width: 640, height: 360, frameRate: 30, seed: 21)
        let decoder = try VPXDecoder(codec: .vp9)
        var tids: [Int] = []
        var bytes = [Int](repeating: 0, count: spatialLayers)
        let frames = 120
        let clock = ContinuousClock()
        var encodeTime = Duration.zero
        for index in 0..<frames {
            let picture = camera.frame(index)
            let start = clock.now
            let layers = try encoder.encode(picture, timestamp: UInt32(index * 3000))
            encodeTime += clock.now - start
            #expect(layers.map(\.spatialLayer) == Array(0..<spatialLayers), "picture \(index)")
            #expect(layers.allSatisfy { $0.isKeyFrame == (index == 0) })
            tids.append(layers[0].temporalLayer)
            for layer in layers {
                #expect(try decoder.decode(layer.data) == 1)
                let divisor = 1 << (spatialLayers - 1 - layer.spatialLayer)
                #expect(decoder.lastSize == (640 / divisor, 360 / divisor))
                if index >= 30 { bytes[layer.spatialLayer] += layer.data.count }
            }
        }
        #expect(tids == (0..<frames).map { [0, 2, 1, 2][$0 % 4] })
        // Rates over [1 s, 4 s): the first second holds the key-frame burst.
        for (layer, target) in rates.enumerated() {
            let measured = Double(bytes[layer] * 8) / 3
            print("VP9 L\(spatialLayers)T3 S\(layer): \(Int(measured / 1000)) kb/s vs \(target / 1000); encode \(encodeTime / frames) per picture")
            #expect(abs(measured / Double(target) - 1) <= 0.15, "S\(layer): \(Int(measured)) vs \(target)")
        }
    }

    @Test func superframeSplitRejectsNothingItCannotParse() {
        #expect(VP9Superframe.split([1, 2, 3]) == [[1, 2, 3]])
        // Two frames of 2 and 1 bytes, 1-byte sizes: marker 0b110_00_001.
        let marker: UInt8 = 0xC1
        #expect(VP9Superframe.split([9, 9, 8, marker, 2, 1, marker]) == [[9, 9], [8]])
    }
}
