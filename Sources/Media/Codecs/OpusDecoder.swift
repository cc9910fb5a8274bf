import COpus

/// A libopus decoder for 48 kHz mono. Owns one `OpusDecoder*`; `deinit` destroys it.
public final class OpusDecoder {
    private let decoder: OpaquePointer
    private var pcm = [Int16](repeating: 0, count: 5_760)

    /// Creates a 48 kHz mono decoder.
    public init() throws(CodecError) {
        var error: Int32 = 0
        guard let decoder = opus_decoder_create(48_000, 1, &error), error == OPUS_OK else {
            throw CodecError.opus("opus_decoder_create", error)
        }
        self.decoder = decoder
    }

    deinit { opus_decoder_destroy(decoder) }

    /// Decodes one Opus packet and returns the number of samples it produced (960 for 20 ms).
    @discardableResult
    public func decode(_ packet: [UInt8]) throws(CodecError) -> Int {
        let samples = packet.withUnsafeBufferPointer { input in
            pcm.withUnsafeMutableBufferPointer { out in
                opus_decode(decoder, input.baseAddress, Int32(input.count), out.baseAddress!, Int32(out.count), 0)
            }
        }
        if samples < 0 { throw CodecError.opus("opus_decode", samples) }
        return Int(samples)
    }

    /// The samples produced by the last `decode` call.
    public func lastSamples(_ count: Int) -> ArraySlice<Int16> { pcm[0..<min(count, pcm.count)] }
}
