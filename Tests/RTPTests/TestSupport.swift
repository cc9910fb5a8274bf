@testable import RTP

/// Parses `bytes` as RTP, returning the typed error instead of throwing.
func parseRTP(_ bytes: [UInt8]) -> Result<RTPHeader, RTPParseError> {
    bytes.withUnsafeBytes { raw in
        do throws(RTPParseError) { return .success(try RTPHeader(parsing: raw)) } catch { return .failure(error) }
    }
}

func parseVP8(_ bytes: [UInt8]) -> Result<VP8PayloadDescriptor, PayloadDescriptorParseError> {
    bytes.withUnsafeBytes { raw in
        do throws(PayloadDescriptorParseError) { return .success(try VP8PayloadDescriptor(parsing: raw)) } catch {
            return .failure(error)
        }
    }
}

/// Deterministic SplitMix64 for garbage inputs (tests must be reproducible).
struct TestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) } }
}

/// Extension elements found in `packet`, as (id, value) pairs.
func extensionElements(of packet: [UInt8]) -> [RTPHeaderExtension] {
    packet.withUnsafeBytes { raw in
        guard let view = try? RTPPacketView(parsing: raw) else { return [] }
        return view.extensionElements.map { RTPHeaderExtension(id: $0.id, value: Array(raw[$0.range])) }
    }
}
