import Engine

/// Which simulcast encodings a publisher keeps sending for its video target bitrate — the rule
/// both simulated publishers use (synthetic `VideoSender`s and recorded `RecordedEncodingSender`s).
///
/// As libwebrtc's `SimulcastRateAllocator` (modules/video_coding/utility) does, encodings are
/// taken lowest first and one goes on only when the target covers it and everything before it;
/// once on, it stays on until the target falls below everything before it plus 75 % of its own
/// rate (the hysteresis that keeps a layer from flapping around its threshold). An encoding that
/// the allocator gives nothing is paused — libwebrtc's `SimulcastEncoderAdapter::SetRates` stops
/// encoding a stream whose allocation is zero and restarts it with a key frame — which the
/// callers do. Entries marked `alwaysOn` (each stream's lowest encoding) never pause: the encoder
/// keeps its lowest layer at any target.
enum SimulcastEncodingSwitch {
    /// The on/off state for `target`. `rates`, `current` and `alwaysOn` are parallel, in
    /// allocation order (lowest first; with several streams, every stream's lowest encoding
    /// first, then the upper ones stream by stream).
    static func enabled(rates: [Bitrate], current: [Bool], alwaysOn: [Bool], target: Bitrate) -> [Bool] {
        var lower = Bitrate.zero
        var result = current
        for index in rates.indices {
            let rate = rates[index]
            if alwaysOn[index] {
                result[index] = true
            } else if current[index] {
                result[index] = target >= lower + rate * 0.75
            } else {
                result[index] = target >= lower + rate
            }
            lower = lower + rate
        }
        return result
    }
}
