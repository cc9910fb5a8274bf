import Engine
import RTP

/// One consumed stream at a simulated subscriber: receive statistics (for receiver reports),
/// NACK generation (video), RTX unwrapping, frame assembly and decodability, and the
/// measurements the trial reports.
/// A class: participants keep many of these and touch one per packet, so they must never be
/// copied on the way.
final class StreamReceiver {
    let parameters: ConsumerParameters
    /// The payload format of `parameters.mimeType`, decided once.
    let payloadFormat: PayloadFormat
    /// Index of the publishing participant.
    let publisher: Int
    let key: Int
    var statistics: ReceiveStatistics
    var nack: NackGenerator?
    var assembler: FrameAssembler?
    let subscribedAt: Instant
    var lastKeyFrameRequestAt: Instant?
    var firstFrameAt: Instant?
    private let seen = RecentSequenceSet()
    /// Unique media packets received (originals and RTX-recovered, duplicates excluded).
    private(set) var uniqueReceived: Int64 = 0
    private(set) var recoveredByRTX = 0
    private(set) var bytesReceived = 0

    init(parameters: ConsumerParameters, publisher: Int, key: Int, nack settings: NackSettings, now: Instant) {
        self.parameters = parameters
        payloadFormat = PayloadFormat(mimeType: parameters.mimeType)
        self.publisher = publisher
        self.key = key
        statistics = ReceiveStatistics(clockRate: parameters.clockRate)
        if parameters.kind == .video {
            nack = NackGenerator(settings: settings)
            assembler = FrameAssembler()
        }
        subscribedAt = now
    }

    var isVideo: Bool { parameters.kind == .video }

    /// What a received media packet asks of the subscriber.
    struct Reaction {
        var nack: [UInt16] = []
        var requestKeyFrame = false
    }

    /// Handles a media packet (RTX already unwrapped; `recovered` marks it). `extensionProbe` is
    /// the packet's probe when it travels in a header extension (`ProbeExtension.read(view)`,
    /// which the caller has already looked for).
    func receive(_ view: RTPPacketView, extensionProbe: ProbeHeader?, recovered: Bool, now: Instant,
                 measurements: MeasurementCollector) -> Reaction {
        defer { updateDeadline() }
        let bytes = view.bytes
        let header = view.header
        var reaction = Reaction()
        let sequence = header.sequenceNumber.rawValue
        bytesReceived += bytes.count
        guard let extended = seen.insert(sequence) else { return reaction }
        uniqueReceived += 1
        if recovered { recoveredByRTX += 1 }
        statistics.received(sequence: sequence, timestamp: header.timestamp, bytes: bytes.count, now: now)
        let payload = UnsafeRawBufferPointer(rebasing: bytes[header.payloadRange])
        // Recorded media carries the probe in a header extension (ProbeExtension), synthetic media in the payload.
        // The VP8 descriptor is read once, for the probe offset and the frame information
        // (synthetic video of any format carries its probe after a VP8-style descriptor).
        let vp8 = isVideo ? VP8PayloadSummary(payload: payload) : nil
        let probeOffset = isVideo ? Self.probeOffset(vp8) : 0
        let probe = extensionProbe ?? ProbeHeader(payload, offset: probeOffset)
        if let probe {
            measurements.recordPacketDelay(kind: parameters.kind, milliseconds: Double(now.nanoseconds - probe.sendTime) / 1e6)
        }
        guard isVideo else {
            if let probe {
                measurements.recordAudioFrame(stream: key, captureTime: probe.captureTime, now: now, subscribedAt: subscribedAt)
            }
            return reaction
        }
        let info = payloadFormat == .vp8
            ? vp8?.info ?? MediaFrameInfo()
            : MediaFrameInfo.inspect(payload: payload, format: payloadFormat, isVideo: true)
        let isKeyFrame = info.isKeyFrame
        // Optional chaining mutates in place (no copy of the generator's or assembler's buffers).
        if let outcome = nack?.received(sequence: sequence, isKeyFrame: isKeyFrame, now: now) {
            reaction.nack = outcome.nackNow
            if outcome.requestKeyFrame { assembler?.giveUp() }
        }
        let decodedCount = assembler?.insert(extended: extended, timestamp: header.timestamp, marker: header.marker, payload: payload,
                                              info: info, captureTime: probe?.captureTime) ?? 0
        if decodedCount > 0, let decoded = assembler?.decoded {
            recordDecoded(decoded, now: now, measurements: measurements)
        }
        reaction.requestKeyFrame = wantsKeyFrame(now: now)
        return reaction
    }

    /// Records frames that became decodable at `now`.
    private func recordDecoded(_ decoded: [FrameAssembler.Decoded], now: Instant, measurements: MeasurementCollector) {
        for frame in decoded {
            if firstFrameAt == nil { firstFrameAt = now }
            measurements.recordVideoFrame(stream: key, captureTime: frame.captureTime, now: now,
                                          subscribedAt: subscribedAt, isKeyFrame: frame.isKeyFrame)
        }
    }

    /// Timer work: NACK retries; a key-frame request while the decoder waits for one.
    func handleTimeout(now: Instant) -> Reaction {
        defer { updateDeadline() }
        var reaction = Reaction()
        if let due = nextDeadline, due <= now, let result = nack?.due(now: now) {
            reaction.nack = result.nack
            if result.requestKeyFrame { assembler?.giveUp() }
        }
        reaction.requestKeyFrame = wantsKeyFrame(now: now)
        return reaction
    }

    /// When `handleTimeout` is next needed; kept up to date by every call that changes it, so
    /// asking is free (participants ask after every packet).
    private(set) var nextDeadline: Instant?

    private func updateDeadline() {
        let retry = keyFrameRetryAt
        guard let nackDue = nack?.nextDeadline() else {
            nextDeadline = retry
            return
        }
        nextDeadline = retry.map { min(nackDue, $0) } ?? nackDue
    }

    func noteKeyFrameRequested(now: Instant) {
        lastKeyFrameRequestAt = now
        updateDeadline()
    }

    /// The decoder waits for a key frame and the last request is older than the retry interval
    /// (libwebrtc repeats PLI while it waits; 500 ms here, documented in docs/participants.md).
    private func wantsKeyFrame(now: Instant) -> Bool {
        guard let assembler, assembler.needsKeyFrame, uniqueReceived > 0 else { return false }
        guard let last = lastKeyFrameRequestAt else { return true }
        return now - last >= Self.keyFrameRetry
    }

    private var keyFrameRetryAt: Instant? {
        guard let assembler, assembler.needsKeyFrame, uniqueReceived > 0 else { return nil }
        return (lastKeyFrameRequestAt ?? subscribedAt) + Self.keyFrameRetry
    }

    static let keyFrameRetry = Duration.milliseconds(500)

    /// Offset of the probe in a VP8 payload: descriptor, then one VP8 header byte (-1 when the
    /// descriptor is truncated).
    static func probeOffset(videoPayload payload: UnsafeRawBufferPointer) -> Int {
        probeOffset(VP8PayloadSummary(payload: payload))
    }

    /// `probeOffset(videoPayload:)` from the payload's summary, already read (nil: truncated).
    static func probeOffset(_ summary: VP8PayloadSummary?) -> Int {
        summary.map { $0.descriptorLength + 1 } ?? -1
    }

    /// Packets expected (first to highest sequence number seen) and uniquely received. The trial
    /// stops publishers before its end and drains, so retransmissions in flight are not lost.
    var lossAfterRecovery: (expected: Int64, received: Int64) {
        (statistics.expected, uniqueReceived)
    }
}
