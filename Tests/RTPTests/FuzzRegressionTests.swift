import Foundation
import Testing
@testable import RTP

/// Replays inputs kept under FuzzRegressions/<Target>/ through the parser of that target,
/// checking the same round-trip invariants as the fuzzers (Fuzz/<Target>/main.swift).
@Suite struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzRegressions")

    static func inputs(_ target: String) -> [[UInt8]] {
        let folder = root.appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name in
            (try? Data(contentsOf: folder.appendingPathComponent(name))).map { [UInt8]($0) }
        }
    }

    @Test func regressionFolderExists() {
        #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent("README.md").path))
    }

    @Test(arguments: inputs("RTPPacket"))
    func rtpPacket(input: [UInt8]) {
        guard case .success(let header) = parseRTP(input) else { return }
        _ = extensionElements(of: input)
        let rtx = try? RTX.wrap(input, ssrc: 5, payloadType: 97, sequenceNumber: SequenceNumber(3))
        #expect(rtx != nil)
        if let rtx {
            let restored = try? RTX.unwrap(rtx, originalSSRC: header.ssrc, originalPayloadType: header.payloadType)
            #expect(restored?.count == header.headerLength + header.payloadLength)
        }
    }

    @Test(arguments: inputs("RTCPCompound"))
    func rtcpCompound(input: [UInt8]) {
        guard case .success(let packets) = parseRTCP(input) else { return }
        let canonical = RTCPPacket.serializeCompound(packets)
        let reparsed = try? RTCPPacket.parseCompound(canonical)
        #expect(reparsed.map(RTCPPacket.serializeCompound) == canonical)
    }

    @Test(arguments: inputs("VP8Descriptor"))
    func vp8Descriptor(input: [UInt8]) {
        guard case .success(let descriptor) = parseVP8(input) else { return }
        #expect(parseVP8(descriptor.bytes) == .success(descriptor))
    }

    @Test(arguments: inputs("VP9Descriptor"))
    func vp9Descriptor(input: [UInt8]) {
        guard case .success(let descriptor) = parseVP9(input) else { return }
        #expect(parseVP9(descriptor.bytes) == .success(descriptor))
    }
}
