/// Parses VP9 uncompressed frame headers (VP9 Bitstream & Decoding Process Specification v0.6,
/// §6.2 `uncompressed_header`, semantics §7.2) in decoding order, keeping the sizes of the eight
/// reference slots so that it knows the size of frames that take it from a reference, and can
/// rewrite a shown frame into a hidden one.
///
/// Why hide frames: libvpx's real-time SVC encoder marks every spatial layer frame of a picture as
/// shown. libvpx's decoder outputs only the last frame of a superframe, but decoders that split
/// superframes (FFmpeg's native VP9 decoder) output every layer, so an exported clip would show
/// three pictures of different sizes per timestamp. Setting `show_frame` to 0 on the lower layers
/// makes every decoder output one picture per superframe. It does not change what is decoded:
/// `show_frame` only matters for `UsePrevFrameMvs` of the next frame (§7.2: previous frame of the
/// same size, shown, not intra-only), and an SVC picture's layers all differ in size.
struct VP9HeaderParser {
    /// What the parser learned about one frame.
    struct Frame {
        var width: Int
        var height: Int
        var isKeyFrame: Bool
        var showFrame: Bool
        /// Bit offset of `show_frame`.
        var showFrameBit: Int
        /// Bit offset just after `error_resilient_mode`, where a hidden inter frame carries `intra_only`.
        var intraOnlyBit: Int
        /// Bit offset of the end of the uncompressed header (before its trailing bits).
        var headerEndBit: Int
    }

    /// Frame sizes in the eight reference slots (nil until a frame refreshed the slot).
    private var slots: [(width: Int, height: Int)?] = Array(repeating: nil, count: 8)

    /// Parses `frame` (one frame, not a superframe) and updates the reference slots; nil for a
    /// frame it cannot parse or one that shows an existing frame.
    mutating func parse(_ frame: [UInt8]) -> Frame? {
        var bits = BitReader(frame)
        guard bits.read(2) == 2, let low = bits.read(1), let high = bits.read(1) else { return nil }
        let profile = high << 1 | low
        if profile == 3 { _ = bits.read(1) }
        guard bits.read(1) == 0 else { return nil }   // show_existing_frame
        let showFrameBit = bits.position + 1
        guard let frameType = bits.read(1), let showFrame = bits.read(1), let errorResilient = bits.read(1) else { return nil }
        let intraOnlyBit = bits.position
        let size: (width: Int, height: Int)
        var refresh = 0xFF
        if frameType == 0 {
            guard bits.syncCode(), bits.colorConfig(profile: profile), let explicit = bits.frameSize(), bits.renderSize() else { return nil }
            size = explicit
        } else {
            let intraOnly = showFrame == 0 ? bits.read(1) : 0
            if errorResilient == 0 { _ = bits.read(2) }   // reset_frame_context
            if intraOnly == 1 {
                guard bits.syncCode() else { return nil }
                if profile > 0 { guard bits.colorConfig(profile: profile) else { return nil } }
                guard let flags = bits.read(8), let explicit = bits.frameSize(), bits.renderSize() else { return nil }
                refresh = flags
                size = explicit
            } else {
                guard let flags = bits.read(8) else { return nil }
                refresh = flags
                var references: [Int] = []
                for _ in 0..<3 {
                    guard let index = bits.read(3), bits.read(1) != nil else { return nil }   // ref_frame_idx, sign bias
                    references.append(index)
                }
                // frame_size_with_refs()
                var found: (width: Int, height: Int)?
                for index in references {
                    guard let bit = bits.read(1) else { return nil }
                    if bit == 1 {
                        guard let slot = slots[index] else { return nil }
                        found = slot
                        break
                    }
                }
                guard let chosen = found ?? bits.frameSize(), bits.renderSize() else { return nil }
                size = chosen
                guard bits.read(1) != nil else { return nil }   // allow_high_precision_mv
                guard let switchable = bits.read(1) else { return nil }   // read_interpolation_filter()
                if switchable == 0 { _ = bits.read(2) }
            }
        }
        if errorResilient == 0 { _ = bits.read(2) }   // refresh_frame_context, frame_parallel_decoding_mode
        _ = bits.read(2)   // frame_context_idx
        guard bits.loopFilterParams(), bits.quantizationParams(), bits.segmentationParams(),
              bits.tileInfo(width: size.width), bits.read(16) != nil else { return nil }   // header_size_in_bytes
        for slot in 0..<8 where refresh & (1 << slot) != 0 { slots[slot] = size }
        return Frame(width: size.width, height: size.height, isKeyFrame: frameType == 0, showFrame: showFrame == 1,
                     showFrameBit: showFrameBit, intraOnlyBit: intraOnlyBit, headerEndBit: bits.position)
    }

    /// `frame` (parsed as `header`) with `show_frame` 0: the bit cleared, and for an inter frame an
    /// `intra_only` bit of 0 inserted after `error_resilient_mode`, as the syntax then requires; the
    /// header is re-padded to a byte boundary and the rest of the frame follows unchanged.
    static func hidden(_ frame: [UInt8], header: Frame) -> [UInt8] {
        guard header.showFrame else { return frame }
        var bits = (0..<header.headerEndBit).map { frame[$0 >> 3] >> (7 - UInt8($0 & 7)) & 1 }
        bits[header.showFrameBit] = 0
        if !header.isKeyFrame { bits.insert(0, at: header.intraOnlyBit) }
        var output: [UInt8] = []
        output.reserveCapacity(frame.count + 1)
        for start in stride(from: 0, to: bits.count, by: 8) {
            var byte: UInt8 = 0
            for offset in 0..<8 { byte = byte << 1 | (start + offset < bits.count ? bits[start + offset] : 0) }
            output.append(byte)
        }
        output += frame[((header.headerEndBit + 7) >> 3)...]
        return output
    }
}

/// Most-significant-bit-first reader over a byte array, with the VP9 header's syntax elements.
struct BitReader {
    let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The next `count` bits as an unsigned number, or nil past the end.
    mutating func read(_ count: Int) -> Int? {
        guard position + count <= bytes.count * 8 else { return nil }
        var value = 0
        for _ in 0..<count {
            value = value << 1 | Int(bytes[position >> 3] >> (7 - UInt8(position & 7)) & 1)
            position += 1
        }
        return value
    }

    /// `su(n)`: n bits of magnitude and a sign bit.
    private mutating func skipSigned(_ count: Int) -> Bool { read(count + 1) != nil }

    /// `frame_sync_code()`: 0x49, 0x83, 0x42.
    mutating func syncCode() -> Bool { read(24) == 0x49_8342 }

    /// `color_config()`: bit depth, color space, range and subsampling; skipped.
    mutating func colorConfig(profile: Int) -> Bool {
        if profile >= 2 { guard read(1) != nil else { return false } }
        guard let colorSpace = read(3) else { return false }
        if colorSpace != 7 {   // not CS_RGB
            guard read(1) != nil else { return false }
            if profile == 1 || profile == 3 { guard read(3) != nil else { return false } }
        } else if profile == 1 || profile == 3 {
            guard read(1) != nil else { return false }
        }
        return true
    }

    /// `frame_size()`: 16-bit width − 1 and height − 1.
    mutating func frameSize() -> (width: Int, height: Int)? {
        guard let width = read(16), let height = read(16) else { return nil }
        return (width + 1, height + 1)
    }

    /// `render_size()`: the display size when it differs from the frame size; skipped.
    mutating func renderSize() -> Bool {
        guard let different = read(1) else { return false }
        return different == 0 || read(32) != nil
    }

    /// `loop_filter_params()`.
    mutating func loopFilterParams() -> Bool {
        guard read(6) != nil, read(3) != nil, let deltaEnabled = read(1) else { return false }
        guard deltaEnabled == 1 else { return true }
        guard let update = read(1) else { return false }
        guard update == 1 else { return true }
        for _ in 0..<(4 + 2) {   // ref deltas, mode deltas
            guard let changed = read(1) else { return false }
            if changed == 1 && !skipSigned(6) { return false }
        }
        return true
    }

    /// `quantization_params()`: base_q_idx and three `read_delta_q()`.
    mutating func quantizationParams() -> Bool {
        guard read(8) != nil else { return false }
        for _ in 0..<3 {
            guard let coded = read(1) else { return false }
            if coded == 1 && !skipSigned(4) { return false }
        }
        return true
    }

    /// `segmentation_params()`.
    mutating func segmentationParams() -> Bool {
        guard let enabled = read(1) else { return false }
        guard enabled == 1 else { return true }
        guard let updateMap = read(1) else { return false }
        if updateMap == 1 {
            for _ in 0..<7 { guard readProb() else { return false } }
            guard let temporal = read(1) else { return false }
            if temporal == 1 { for _ in 0..<3 { guard readProb() else { return false } } }
        }
        guard let updateData = read(1) else { return false }
        guard updateData == 1 else { return true }
        guard read(1) != nil else { return false }   // segmentation_abs_or_delta_update
        let featureBits = [8, 6, 2, 0], featureSigned = [true, true, false, false]
        for _ in 0..<8 {
            for feature in 0..<4 {
                guard let featureEnabled = read(1) else { return false }
                guard featureEnabled == 1 else { continue }
                guard read(featureBits[feature]) != nil else { return false }
                if featureSigned[feature] { guard read(1) != nil else { return false } }
            }
        }
        return true
    }

    private mutating func readProb() -> Bool {
        guard let coded = read(1) else { return false }
        return coded == 0 || read(8) != nil
    }

    /// `tile_info()` for a frame `width` pixels wide.
    mutating func tileInfo(width: Int) -> Bool {
        let miCols = (width + 7) >> 3
        let sb64Cols = (miCols + 7) >> 3
        var minLog2 = 0
        while (64 << minLog2) < sb64Cols { minLog2 += 1 }
        var maxLog2 = 1
        while (sb64Cols >> maxLog2) >= 4 { maxLog2 += 1 }
        maxLog2 -= 1
        var log2 = minLog2
        while log2 < maxLog2 {
            guard let increment = read(1) else { return false }
            if increment == 0 { break }
            log2 += 1
        }
        guard let rows = read(1) else { return false }
        return rows == 0 || read(1) != nil
    }
}
