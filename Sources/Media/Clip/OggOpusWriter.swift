/// Builds an Ogg Opus file (RFC 7845): an `OpusHead` page, an `OpusTags` page, then audio pages
/// of up to 50 packets (one second) each; granule positions count 48 kHz samples including
/// the pre-skip.
public struct OggOpusWriter: Sendable {
    /// Samples the decoder drops at the start (libopus' 6.5 ms look-ahead at 48 kHz).
    public let preSkip: UInt16
    public let serial: UInt32
    private var pages: [UInt8] = []
    private var pending: [[UInt8]] = []
    private var granule: Int64
    private var sequence: UInt32 = 0
    /// Number of Opus packets added.
    public private(set) var packetCount = 0

    /// Starts a mono 48 kHz stream.
    public init(serial: UInt32, preSkip: UInt16 = 312, vendor: String = "sfulab") {
        self.serial = serial
        self.preSkip = preSkip
        granule = Int64(preSkip)
        let head = Self.opusHead(channels: 1, preSkip: preSkip)
        var tags: [UInt8] = Array("OpusTags".utf8)
        LittleEndian.append(UInt32(vendor.utf8.count), to: &tags)
        tags.append(contentsOf: Array(vendor.utf8))
        LittleEndian.append(UInt32(0), to: &tags)
        pages += OggPage.page(packets: [head], granulePosition: 0, serial: serial, sequence: 0, flags: OggPage.beginOfStream)
        pages += OggPage.page(packets: [tags], granulePosition: 0, serial: serial, sequence: 1, flags: 0)
        sequence = 2
    }

    /// The identification header (RFC 7845 §5.1): version 1, `channels`, `preSkip`, 48 kHz input
    /// rate, 0 dB output gain, channel mapping family 0 (mono or stereo). WebM carries the same
    /// bytes as the Opus track's CodecPrivate.
    public static func opusHead(channels: Int, preSkip: UInt16) -> [UInt8] {
        var head: [UInt8] = Array("OpusHead".utf8)
        head.append(1)   // version
        head.append(UInt8(channels))
        LittleEndian.append(preSkip, to: &head)
        LittleEndian.append(UInt32(48_000), to: &head)
        LittleEndian.append(Int16(0), to: &head)
        head.append(0)   // mapping family
        return head
    }

    /// Appends one Opus packet of `samples` 48 kHz samples (960 for 20 ms).
    public mutating func append(packet: [UInt8], samples: Int = 960) {
        let segments = pending.reduce(0) { $0 + OggPage.segments($1) }
        if pending.count == 50 || segments + OggPage.segments(packet) > 255 { flush(flags: 0) }
        pending.append(packet)
        granule += Int64(samples)
        packetCount += 1
    }

    private mutating func flush(flags: UInt8) {
        guard !pending.isEmpty || flags & OggPage.endOfStream != 0 else { return }
        pages += OggPage.page(packets: pending, granulePosition: granule, serial: serial, sequence: sequence, flags: flags)
        sequence += 1
        pending.removeAll()
    }

    /// The whole file; the last page carries the end-of-stream flag.
    public mutating func finish() -> [UInt8] {
        flush(flags: OggPage.endOfStream)
        return pages
    }
}
