import Engine
import RTP

/// Congestion control at a simulated client, as a browser does it: transport-cc feedback every
/// `feedbackInterval` about what it receives; on its uplink a send-side estimator fed by the
/// engine's feedback, with probe clusters of RTX padding; and simulcast layers switched off above
/// the target (the minimum of that estimate and the engine's REMB) — synthetic encodings and, for
/// a recorded publisher, the recorded ones (`RecordedPublisher.adaptEncodings`).
extension SimulatedParticipant {
    /// Publishes video whose encodings follow the uplink estimate.
    private var adaptsVideo: Bool { !video.isEmpty || recorded?.adaptsVideo == true }

    /// Publishes audio (the video target leaves 40 kb/s for it).
    private var publishesAudio: Bool { audio != nil || recorded?.hasAudio == true }

    func congestionDeadline() -> Instant? {
        var earliest = receiveFeedback.nextDeadline()
        if let next = probe?.next, earliest.map({ next < $0 }) ?? true { earliest = next }
        if adaptsVideo {
            let tick = nextCongestionAt ?? joinAt
            if earliest.map({ tick < $0 }) ?? true { earliest = tick }
        }
        return earliest
    }

    func handleCongestionTimeout(now: Instant) {
        if let due = receiveFeedback.nextDeadline(), due <= now {
            let ssrc = streams.first?.parameters.ssrc ?? 0
            for message in receiveFeedback.takeFeedback(senderSSRC: rtcpSSRCForFeedback, mediaSSRC: ssrc, now: now) {
                send(RTCPPacket.serializeCompound([.transportFeedback(message)]), to: engineReceiveEndpoint)
            }
        }
        if probe != nil, let due = probe?.next, due <= now { sendProbePackets(now: now) }
        guard adaptsVideo, (nextCongestionAt ?? joinAt) <= now else { return }
        nextCongestionAt = now + .milliseconds(100)
        guard congestion.enabled else { return }
        let videoRates = video.map(\.model.bitrate) + (recorded?.videoRates ?? [])
        let desired = videoRates.reduce(Bitrate(bitsPerSecond: publishesAudio ? 40_000 : 0), +)
        uplinkEstimator.setDesiredBitrate(desired)
        uplinkEstimator.process(now: now)
        if probe == nil, let cluster = uplinkEstimator.takeProbeCluster() {
            probe = (cluster, now, 0, 0, now)
            sendProbePackets(now: now)
        }
    }

    /// The target for the video encodings: the uplink estimate, capped by REMB.
    var videoTarget: Bitrate {
        var target = uplinkEstimator.target
        if let rembLimit { target = min(target, rembLimit) }
        if publishesAudio { target = target - 40_000 }
        return target
    }

    /// Switches simulcast encodings on and off for the target, lowest first, as libwebrtc's
    /// simulcast allocator does (`SimulcastEncodingSwitch`): an encoding goes on when the target
    /// covers it and every lower one, and off when the target falls below the lower ones plus
    /// 75 % of it. The lowest encoding always stays on. A re-enabled encoding starts with a key frame.
    func adaptVideoLayers(now: Instant) {
        guard congestion.enabled else { return }
        let target = videoTarget
        recorded?.adaptEncodings(target: target, now: now)
        guard video.count > 1 else { return }
        let enabled = SimulcastEncodingSwitch.enabled(rates: video.map(\.model.bitrate), current: video.map(\.enabled),
                                                      alwaysOn: video.indices.map { $0 == 0 }, target: target)
        for index in video.indices { video[index].setEnabled(enabled[index], now: now) }
    }

    /// Where a probe packet goes: the RTX stream of the first video encoding and its next sequence number.
    struct ProbeRTX {
        var ssrc: UInt32
        var payloadType: UInt8
        var sequence: UInt16
    }

    /// The RTX stream probe padding goes out on (the first video encoding's) and its next sequence
    /// number, taken from the counter that encoding's retransmissions use: one RTX stream, one
    /// counter (RFC 4588 §4). A counter of the probes' own made the stream's numbers jump by
    /// thousands whenever a retransmission followed a probe, which SRTP refuses (docs/live-mode.md).
    private func takeProbeRTX() -> ProbeRTX? {
        guard !video.isEmpty else { return recorded?.takeProbeRTX() }
        return ProbeRTX(ssrc: video[0].rtxSSRC, payloadType: video[0].rtxPayloadType, sequence: video[0].takeRTXSequence())
    }

    /// Padding-only RTX packets of the current probe cluster that are due.
    private func sendProbePackets(now: Instant) {
        guard var current = probe, !video.isEmpty || recorded?.hasProbeRTX == true else {
            probe = nil
            return
        }
        while current.next <= now, let rtx = takeProbeRTX() {
            let builder = RTPPacketBuilder(marker: false, payloadType: rtx.payloadType,
                                           sequenceNumber: SequenceNumber(rtx.sequence), timestamp: 0, ssrc: rtx.ssrc,
                                           extensions: CongestionExtensions.slots, paddingLength: 255)
            guard let packet = try? builder.build(payload: []) else { break }
            send(packet, to: engineSendEndpoint, now: now, probeCluster: current.cluster.id,
                 slots: CongestionExtensions.SlotOffsets.probe)
            current.bytes += packet.count
            current.packets += 1
            if current.bytes >= current.cluster.totalBytes && current.packets >= current.cluster.minPackets {
                probe = nil
                return
            }
            current.next = current.start + current.cluster.bitrate.transmissionTime(bytes: current.bytes)
        }
        probe = current
    }
}
