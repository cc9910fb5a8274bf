import COpus

/// A libopus encoder for 48 kHz mono speech in 20 ms frames (960 samples).
///
/// Owns one `OpusEncoder*`; `deinit` destroys it. Not `Sendable`: use it from one task at a time.
public final class OpusEncoder {
    /// Settings the encoder is created with.
    public struct Configuration: Sendable, Hashable, Codable {
        /// Target bitrate in bits per second (default 32 000, what WebRTC uses for mono speech).
        public var bitrate: Int = 32_000
        /// In-band forward error correction (LBRR), default on.
        public var inbandFEC: Bool = true
        /// Expected packet loss in percent; FEC is only spent when this is above 0 (default 10).
        public var packetLossPercent: Int = 10
        /// Discontinuous transmission: near-silent frames shrink to 1–2 bytes (default on).
        public var dtx: Bool = true
        /// Encoder complexity 0–10 (default 5, cheap enough for synthesis).
        public var complexity: Int = 5

        public init(bitrate: Int = 32_000, inbandFEC: Bool = true, packetLossPercent: Int = 10,
                    dtx: Bool = true, complexity: Int = 5) {
            self.bitrate = bitrate
            self.inbandFEC = inbandFEC
            self.packetLossPercent = packetLossPercent
            self.dtx = dtx
            self.complexity = complexity
        }
    }

    /// Sample rate of the input, Hz.
    public static let sampleRate = 48_000
    /// Samples per 20 ms frame at 48 kHz.
    public static let frameSamples = 960

    private let encoder: OpaquePointer
    private var output = [UInt8](repeating: 0, count: 1500)
    public let configuration: Configuration

    /// Creates a VoIP-mode mono encoder.
    public init(_ configuration: Configuration = Configuration()) throws(CodecError) {
        var error: Int32 = 0
        guard let encoder = opus_encoder_create(Int32(Self.sampleRate), 1, OPUS_APPLICATION_VOIP, &error),
              error == OPUS_OK else {
            throw CodecError.opus("opus_encoder_create", error)
        }
        self.encoder = encoder
        self.configuration = configuration
        try check("OPUS_SET_BITRATE", sfulab_opus_set_bitrate(encoder, Int32(configuration.bitrate)))
        try check("OPUS_SET_INBAND_FEC", sfulab_opus_set_inband_fec(encoder, configuration.inbandFEC ? 1 : 0))
        try check("OPUS_SET_PACKET_LOSS_PERC", sfulab_opus_set_packet_loss_perc(encoder, Int32(configuration.packetLossPercent)))
        try check("OPUS_SET_DTX", sfulab_opus_set_dtx(encoder, configuration.dtx ? 1 : 0))
        try check("OPUS_SET_COMPLEXITY", sfulab_opus_set_complexity(encoder, Int32(configuration.complexity)))
        try check("OPUS_SET_SIGNAL", sfulab_opus_set_signal(encoder, OPUS_SIGNAL_VOICE))
    }

    deinit { opus_encoder_destroy(encoder) }

    private func check(_ operation: String, _ code: Int32) throws(CodecError) {
        if code != OPUS_OK { throw CodecError.opus(operation, code) }
    }

    /// Encodes one 20 ms frame of 960 16-bit samples. Returns the Opus packet; during DTX
    /// it is 1–2 bytes long, which a WebRTC sender does not transmit.
    public func encode(_ pcm: [Int16]) throws(CodecError) -> [UInt8] {
        guard pcm.count == Self.frameSamples else {
            throw CodecError.invalid("opus_encode", "expected \(Self.frameSamples) samples, got \(pcm.count)")
        }
        let length = pcm.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                opus_encode(encoder, input.baseAddress!, Int32(Self.frameSamples), out.baseAddress!, Int32(out.count))
            }
        }
        if length < 0 { throw CodecError.opus("opus_encode", length) }
        return Array(output[0..<Int(length)])
    }

    /// Whether the encoder is currently in DTX (silence) mode.
    public var isInDTX: Bool {
        var value: Int32 = 0
        return sfulab_opus_get_in_dtx(encoder, &value) == OPUS_OK && value != 0
    }
}
