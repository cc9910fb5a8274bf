/// Well-known header extension URIs, to match against SDP `a=extmap` lines.
public enum RTPHeaderExtensionURI {
    public static let mid = "urn:ietf:params:rtp-hdrext:sdes:mid"
    public static let rid = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
    public static let repairedRID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"
    public static let absSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
    public static let transportWideCC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
    public static let audioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
}

/// abs-send-time: 24-bit unsigned 6.18 fixed-point seconds (wraps every 64 s).
public struct AbsSendTime: Hashable, Sendable {
    /// The 24-bit wire value.
    public var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue & 0xFF_FFFF }

    /// From a time in microseconds (any epoch); keeps the low 6 bits of whole seconds.
    public init(microseconds: UInt64) {
        self.init(rawValue: UInt32(truncatingIfNeeded: (microseconds << 18) / 1_000_000))
    }

    /// The value in microseconds within its 64-second period (rounded down).
    public var microseconds: UInt64 { (UInt64(rawValue) * 1_000_000) >> 18 }

    /// Decodes a 3-byte element value; nil for any other length.
    public init?(extensionValue: UnsafeRawBufferPointer) {
        guard extensionValue.count == 3 else { return nil }
        self.init(rawValue: readUInt24(extensionValue, 0))
    }

    /// The 3 value bytes.
    public var extensionValue: [UInt8] {
        [UInt8(truncatingIfNeeded: rawValue >> 16), UInt8(truncatingIfNeeded: rawValue >> 8), UInt8(truncatingIfNeeded: rawValue)]
    }
}

/// transport-wide-cc-01: a 16-bit transport-wide sequence number.
public enum TransportWideSequenceNumberExtension {
    /// Decodes a 2-byte element value; nil for any other length.
    public static func decode(_ value: UnsafeRawBufferPointer) -> UInt16? {
        value.count == 2 ? readUInt16(value, 0) : nil
    }

    public static func encode(_ sequenceNumber: UInt16) -> [UInt8] {
        [UInt8(truncatingIfNeeded: sequenceNumber >> 8), UInt8(truncatingIfNeeded: sequenceNumber)]
    }
}

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

/// SDES-string extensions carried in RTP (mid RFC 9143, rid / repaired-rid RFC 8852).
public enum SDESStringExtension {
    /// Decodes an ASCII value; nil when empty or non-ASCII. Allocates the string.
    public static func decode(_ value: UnsafeRawBufferPointer) -> String? {
        guard !value.isEmpty, value.allSatisfy({ $0 < 0x80 }) else { return nil }
        return String(decoding: value, as: UTF8.self)
    }

    /// True when `value` equals `string`'s UTF-8 bytes; does not allocate.
    public static func matches(_ value: UnsafeRawBufferPointer, _ string: String) -> Bool {
        var utf8 = string.utf8.makeIterator()
        for byte in value {
            guard utf8.next() == byte else { return false }
        }
        return utf8.next() == nil
    }

    /// The value bytes of an ASCII identifier; nil when empty, non-ASCII or over 255 bytes.
    public static func encode(_ string: String) -> [UInt8]? {
        let bytes = Array(string.utf8)
        guard !bytes.isEmpty, bytes.count <= 255, bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        return bytes
    }
}
