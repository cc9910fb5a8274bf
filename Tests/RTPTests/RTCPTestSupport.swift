@testable import RTP

func parseRTCP(_ bytes: [UInt8]) -> Result<[RTCPPacket], RTCPParseError> {
    do throws(RTCPParseError) { return .success(try RTCPPacket.parseCompound(bytes)) } catch { return .failure(error) }
}
