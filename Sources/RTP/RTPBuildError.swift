/// Why an RTP packet could not be written into a caller buffer.
public enum RTPBuildError: Error, Hashable, Sendable {
    /// The destination buffer is smaller than the encoded packet.
    case bufferTooSmall(needed: Int)
    /// More than 15 CSRCs, padding outside 0...255, or an extension element that no form can carry.
    case invalidField
}
