/// Reads the picture size from the start of a compressed VP8 or VP9 frame, without decoding it.
///
/// - VP8 (RFC 6386 §9.1): a key frame's 3-byte frame tag, the start code `9d 01 2a`, then
///   14-bit width and height (the top two bits are a scale, ignored).
/// - VP9 (VP9 Bitstream Specification v0.6, §6.2 `uncompressed_header`, `VP9HeaderParser`): a
///   key frame's or an intra-only frame's explicit `frame_size`; an inter frame's too when none of
///   its three references has its size (`found_ref` all 0: VP9 SVC's upper spatial layers in a
///   key picture). A frame that takes its size from a reference, or shows an existing frame, has none.
public enum VPXFrameHeader {
    /// The frame's width and height, or nil when the header does not state them.
    public static func size(of frame: [UInt8], vp9: Bool) -> (width: Int, height: Int)? {
        vp9 ? vp9Size(frame) : vp8Size(frame)
    }

    /// The size stated by the frame that starts in RTP payload `payload` (its RFC 7741 or RFC 9628
    /// descriptor first), or nil when the header does not state one.
    public static func size(ofPayload payload: [UInt8], vp9: Bool) -> (width: Int, height: Int)? {
        size(of: Array(payload[ClipVideoSource.descriptorLength(payload, vp9: vp9)...]), vp9: vp9)
    }

    private static func vp8Size(_ frame: [UInt8]) -> (width: Int, height: Int)? {
        guard frame.count >= 10, frame[0] & 1 == 0, frame[3] == 0x9D, frame[4] == 0x01, frame[5] == 0x2A else { return nil }
        let width = (Int(frame[6]) | Int(frame[7]) << 8) & 0x3FFF
        let height = (Int(frame[8]) | Int(frame[9]) << 8) & 0x3FFF
        return width > 0 && height > 0 ? (width, height) : nil
    }

    private static func vp9Size(_ frame: [UInt8]) -> (width: Int, height: Int)? {
        var parser = VP9HeaderParser()
        return parser.parse(frame).map { ($0.width, $0.height) }
    }
}
