@testable import ICE

/// Bytes from a hex listing such as RFC 5769 prints ("00 01 00 58 ...").
func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.filter(\.isHexDigit))
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
}

/// Parses `bytes`, returning the typed error instead of throwing.
func parseSTUN(_ bytes: [UInt8]) -> Result<STUNMessage, STUNParseError> {
    do throws(STUNParseError) { return .success(try STUNMessage(parsing: bytes)) } catch { return .failure(error) }
}

/// Deterministic SplitMix64 for the tests (reproducible, never the system generator).
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
}
