/// Why a VP8 or VP9 payload descriptor was rejected.
public enum PayloadDescriptorParseError: Error, Hashable, Sendable, CaseIterable {
    /// The payload ends inside the descriptor (or is empty).
    case tooShort
    /// A field holds a value the format forbids (e.g. more than 3 VP9 reference indices).
    case malformed
}
