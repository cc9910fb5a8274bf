/// ssrc-audio-level (RFC 6464): voice-activity bit and level in -dBov (0 loudest, 127 silence).
public struct AudioLevelExtension: Hashable, Sendable {
    public var voiceActivity: Bool
    /// 0...127, in -dBov.
    public var levelDecibelsBelowOverload: UInt8

    public init(voiceActivity: Bool, levelDecibelsBelowOverload: UInt8) {
        self.voiceActivity = voiceActivity
        self.levelDecibelsBelowOverload = levelDecibelsBelowOverload & 0x7F
    }

    /// Decodes the first value byte (a one-byte element may be padded to more); nil when empty.
    public init?(extensionValue: UnsafeRawBufferPointer) {
        guard let byte = extensionValue.first else { return nil }
        self.init(voiceActivity: byte & 0x80 != 0, levelDecibelsBelowOverload: byte & 0x7F)
    }

    public var extensionValue: [UInt8] { [(voiceActivity ? 0x80 : 0) | levelDecibelsBelowOverload] }
}
