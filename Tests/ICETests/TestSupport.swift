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
