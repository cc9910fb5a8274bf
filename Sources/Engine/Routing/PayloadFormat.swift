/// The payload formats whose descriptors the engine reads (to find frames, layers and key
/// frames), decided once from a codec's MIME type instead of comparing strings per packet.
public enum PayloadFormat: Sendable, Hashable {
    /// VP8 (RFC 7741).
    case vp8
    /// VP9 (RFC 9628).
    case vp9
    /// Anything else (Opus, H.264, ...): no descriptor is read.
    case other

    /// The format of `mimeType`, compared ASCII case-insensitively (`video/VP8` is VP8).
    public init(mimeType: String) {
        if Self.isMimeType(mimeType, "video/vp8") {
            self = .vp8
        } else if Self.isMimeType(mimeType, "video/vp9") {
            self = .vp9
        } else {
            self = .other
        }
    }

    /// ASCII case-insensitive comparison of `mimeType` with lowercase `expected`.
    private static func isMimeType(_ mimeType: String, _ expected: StaticString) -> Bool {
        var utf8 = mimeType.utf8.makeIterator()
        let bytes = UnsafeBufferPointer(start: expected.utf8Start, count: expected.utf8CodeUnitCount)
        for byte in bytes {
            guard var next = utf8.next() else { return false }
            if next >= UInt8(ascii: "A") && next <= UInt8(ascii: "Z") { next += 32 }
            if next != byte { return false }
        }
        return utf8.next() == nil
    }
}
