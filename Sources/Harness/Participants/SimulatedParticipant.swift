import Engine
import RTP

/// A simulated WebRTC client: publishes synthetic audio and simulcast video to the engine's send
/// transport, answers NACKs with RTX and PLI/FIR with key frames, sends sender reports; and
/// subscribes on the receive transport, assembling frames, sending NACKs, PLIs and receiver
/// reports, and recording what it experiences. Sans-IO like the engine: `receive`, `handleTimeout`,
/// `nextDeadline`, and an outbox of datagrams for the uplink.
final class SimulatedParticipant {
    /// A datagram with its own bytes, for links that carry byte arrays (the live load generator).
    struct Datagram {
        var from: Endpoint
        var to: Endpoint
        var bytes: [UInt8]
        /// Congestion-control stamp still to be written (abs-send-time, and the transport-wide
        /// sequence number when the packet has its slot): applied by whoever copies the bytes
        /// onto the wire (`CongestionExtensions.apply`), so that a packet kept in the send
        /// history is not copied just to be stamped.
        var stamp: CongestionExtensions.Stamp?

        /// A copy of a datagram drained from the outbox.
        init(_ queued: UplinkOutbox.Queued) {
            self.init(from: queued.from, to: queued.to, bytes: Array(queued.bytes), stamp: queued.stamp)
        }

        init(from: Endpoint, to: Endpoint, bytes: [UInt8], stamp: CongestionExtensions.Stamp? = nil) {
            self.from = from
            self.to = to
            self.bytes = bytes
            self.stamp = stamp
        }
    }

    let index: Int
    let role: ParticipantRole
    /// This client's side of its send and receive transports.
    let sendEndpoint: Endpoint
    let receiveEndpoint: Endpoint
    /// The engine's side, set when the transports are created.
    var engineSendEndpoint: Endpoint
    var engineReceiveEndpoint: Endpoint
    /// The engine transport this participant receives on.
    var receiveTransport = TransportID(rawValue: -1)
    var audio: AudioSender?
    var video: [VideoSender] = []
    /// Media replayed from a workload file instead of synthetic senders (Recorded/RecordedPublisher).
    var recorded: RecordedPublisher?
    private(set) var streams: [StreamReceiver] = []
    /// The same streams, reached in place per received packet (no reference counting per access).
    private let streamTable = InPlaceArray<StreamReceiver>()
    /// Where an RTX packet is unwrapped (grown to the largest packet seen; freed in `deinit`).
    private var rtxScratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 2_048, alignment: 16)
    private var streamBySSRC = StreamDirectory()
    /// Datagrams queued for the uplink (`drainOutbox`).
    private let outbox = UplinkOutbox()
    /// Earliest deadline of the consumed streams; may be stale-early (harmless), never late.
    private var streamsDeadline: Instant?
    private var random: SeededGenerator
    private let measurements: MeasurementCollector
    private let nackSettings: NackSettings
    private let rtcpSSRC: UInt32
    var rtcpSSRCForFeedback: UInt32 { rtcpSSRC }
    let joinAt: Instant
    private let stopAt: Instant
    private var nextAudioAt: Instant?
    private var nextVideoAt: Instant?
    private var nextReportAt: Instant
    private var videoTimestamp: UInt32
    // Congestion control (SimulatedParticipant+Congestion.swift).
    let congestion: CongestionSettings
    /// Send side of the uplink: what the engine's transport-cc feedback says the uplink carries.
    var uplinkEstimator: SendSideBandwidthEstimator
    var uplinkSequence: UInt16 = 1
    /// The last REMB from the engine (`maxIncomingBitrate`, or its receive-side estimate).
    var rembLimit: Bitrate?
    /// Receive side: transport-cc feedback about what the engine sends to this subscriber.
    var receiveFeedback: TransportFeedbackGenerator
    var nextCongestionAt: Instant?
    var probe: (cluster: ProbeCluster, start: Instant, bytes: Int, packets: Int, next: Instant)?
    /// Round trip to the engine on the send transport, for answering NACKs once per RTT.
    private(set) var uplinkRoundTrip = PublisherRoundTrip()
    /// The engine's RRTR blocks still to answer with DLRR in the next sender reports.
    private var referenceTimeAnswers = ReferenceTimeAnswers()

    init(index: Int, role: ParticipantRole, random: SeededGenerator, measurements: MeasurementCollector,
         nackSettings: NackSettings, congestion: CongestionSettings = CongestionSettings(),
         initialBitrate: Bitrate = 600_000, stopAt: Instant) {
        self.index = index
        self.role = role
        let address = UInt32(0x7F01_0000) + UInt32(index + 1)
        sendEndpoint = Endpoint(address: address, port: 5_000)
        receiveEndpoint = Endpoint(address: address, port: 5_002)
        engineSendEndpoint = sendEndpoint
        engineReceiveEndpoint = receiveEndpoint
        self.random = random
        self.measurements = measurements
        self.nackSettings = nackSettings
        self.stopAt = stopAt
        rtcpSSRC = UInt32(truncatingIfNeeded: self.random.next())
        joinAt = .seconds(role.joinAt)
        nextReportAt = joinAt + .milliseconds(500)
        videoTimestamp = UInt32(truncatingIfNeeded: self.random.next())
        if role.sendsAudio { nextAudioAt = joinAt }
        self.congestion = congestion
        uplinkEstimator = SendSideBandwidthEstimator(initial: initialBitrate, min: 30_000, max: 100_000_000, settings: congestion)
        receiveFeedback = TransportFeedbackGenerator(interval: .milliseconds(Int64(congestion.feedbackInterval)))
    }

    deinit {
        rtxScratch.deallocate()
    }

    /// Frames per second of this participant's video.
    var framesPerSecond: Double {
        switch role.video {
        case .screen: 5
        case .camera, .none: role.device == .mobile ? 15 : 30
        }
    }

    /// Sets up the video encodings (one `VideoSender` per encoding) before producing.
    func configureVideo(encodings: [(ssrc: UInt32, rtxSSRC: UInt32, bitrate: Bitrate)], payloadType: UInt8, rtxPayloadType: UInt8) {
        let content: VideoFrameModel.Content = role.video == .screen ? .screen : .camera
        video = encodings.map { encoding in
            let model = VideoFrameModel(bitrate: encoding.bitrate, framesPerSecond: framesPerSecond, content: content)
            return VideoSender(ssrc: encoding.ssrc, rtxSSRC: encoding.rtxSSRC, payloadType: payloadType,
                               rtxPayloadType: rtxPayloadType, model: model, random: &random)
        }
        // Start with the encodings the initial estimate covers, as a browser does.
        adaptVideoLayers(now: joinAt)
        // Stagger the first frame within one frame interval so publishers do not move in lockstep.
        nextVideoAt = joinAt + .nanoseconds(Int64(random.nextUnit() * 1e9 / framesPerSecond))
    }

    func configureAudio(ssrc: UInt32, payloadType: UInt8) {
        audio = AudioSender(ssrc: ssrc, payloadType: payloadType, model: TalkSpurtModel(), random: &random)
    }

    /// Starts receiving a consumer's stream.
    func addStream(_ parameters: ConsumerParameters, publisher: Int, key: Int, now: Instant) {
        let index = streams.count
        let stream = StreamReceiver(parameters: parameters, publisher: publisher, key: key, nack: nackSettings, now: now)
        streams.append(stream)
        streamTable.append(stream)
        streamBySSRC.set(.init(index: index, isRTX: false), for: parameters.ssrc)
        if let rtx = parameters.rtxSSRC { streamBySSRC.set(.init(index: index, isRTX: true), for: rtx) }
    }

    /// Hands every queued datagram to `body`, oldest first, and empties the outbox (keeping its
    /// storage); the bytes are valid only during the call.
    @inline(__always)
    func drainOutbox(_ body: (UplinkOutbox.Queued) -> Void) {
        outbox.drain(body)
    }

    // MARK: Time

    func nextDeadline() -> Instant? {
        var deadline = nextReportAt
        if let audio = nextAudioAt, audio < deadline { deadline = audio }
        if let video = nextVideoAt, video < deadline { deadline = video }
        if let due = streamsDeadline, due < deadline { deadline = due }
        if let due = congestionDeadline(), due < deadline { deadline = due }
        if let due = recorded?.nextDeadline(), due < deadline { deadline = due }
        return deadline
    }

    func handleTimeout(now: Instant) {
        while let due = nextAudioAt, due <= now {
            if due < stopAt, audio != nil {
                // Mutated in place (a copy taken out would be written back on every frame).
                let slots = audio!.congestionSlots
                _ = audio!.nextFrame(now: due, elapsed: (due - joinAt).secondsDouble, random: &random) { count, write in
                    sendMedia(count: count, now: due, slots: slots, write)
                }
                nextAudioAt = due + .milliseconds(20)
            } else {
                nextAudioAt = nil
            }
        }
        if let due = nextVideoAt, due <= now {
            if due < stopAt {
                for index in video.indices where video[index].enabled {
                    let slots = video[index].congestionSlots
                    video[index].nextFrame(now: due, timestamp: videoTimestamp, random: &random) { count, write in
                        sendMedia(count: count, now: due, slots: slots, write)
                    }
                }
                videoTimestamp &+= UInt32(90_000 / framesPerSecond)
                nextVideoAt = due + .nanoseconds(Int64(1e9 / framesPerSecond))
            } else {
                nextVideoAt = nil
            }
        }
        if let recorded {
            for packet in recorded.packets(due: now) { send(packet, to: engineSendEndpoint, now: now) }
        }
        var earliest: Instant?
        for index in streamTable.indices {
            if let due = streamTable[index].nextDeadline, due <= now {
                react(streamTable[index].handleTimeout(now: now), stream: index, now: now)
            }
            if let due = streamTable[index].nextDeadline, earliest == nil || due < earliest! { earliest = due }
        }
        streamsDeadline = earliest
        handleCongestionTimeout(now: now)
        if nextReportAt <= now {
            sendReports(now: now)
            nextReportAt = now + .seconds(1)
        }
    }

    // MARK: Input

    /// Handles a datagram from the engine (its bytes are only valid during the call).
    func receive(_ bytes: UnsafeRawBufferPointer, now: Instant) {
        if RTPDemux.isRTCP(bytes) {
            handleRTCP(bytes, now: now)
        } else if let view = try? RTPPacketView(parsing: bytes) {
            // One parse, and one pass over the header extensions, serve the transport-wide sequence
            // number, the stream and the probe (the first element with each id counts).
            var transportSequence: Range<Int>?
            var probe: Range<Int>?
            // The elements iterated straight from the block (`view.extensionElements` is the same
            // sequence, but the compiler calls its getter out of line for every packet).
            if let block = view.header.extensionBlock {
                for element in RTPHeaderExtensionElements(block: block, in: bytes) {
                    if element.id == RouterCapabilities.HeaderExtensionID.transportWideCC {
                        if transportSequence == nil { transportSequence = element.range }
                    } else if element.id == ProbeExtension.id, probe == nil {
                        probe = element.range
                    }
                }
            }
            if let transportSequence,
               let sequence = TransportWideSequenceNumberExtension.decode(UnsafeRawBufferPointer(rebasing: bytes[transportSequence])) {
                receiveFeedback.received(sequence: sequence, now: now)
            }
            let extensionProbe = probe.flatMap { ProbeHeader(UnsafeRawBufferPointer(rebasing: bytes[$0]), offset: 0) }
            handleRTP(view, extensionProbe: extensionProbe, now: now)
        }
    }

    /// `extensionProbe`: the probe carried in a header extension (`ProbeExtension`), if any.
    private func handleRTP(_ view: RTPPacketView, extensionProbe: ProbeHeader?, now: Instant) {
        guard let entry = streamBySSRC[view.header.ssrc] else { return }
        // Lent to the call at +0: `streams` holds every stream for the participant's life (a
        // retain and release per packet otherwise).
        let stream = Unmanaged.passUnretained(streamTable[entry.index])
        let reaction: StreamReceiver.Reaction
        if entry.isRTX {
            // A padding-only probe on the RTX stream carries no original sequence number:
            // `RTX.unwrap` would parse the header again only to refuse it.
            guard view.header.payloadLength >= 2 else { return }
            let parameters = streamTable[entry.index].parameters
            if rtxScratch.count < view.bytes.count {
                rtxScratch.deallocate()
                rtxScratch = .allocate(byteCount: view.bytes.count, alignment: 16)
            }
            guard let length = try? RTX.unwrap(view.bytes, originalSSRC: parameters.ssrc, originalPayloadType: parameters.payloadType,
                                               into: rtxScratch),
                  let originalView = try? RTPPacketView(parsing: UnsafeRawBufferPointer(rebasing: rtxScratch[0..<length]))
            else { return }
            reaction = stream._withUnsafeGuaranteedRef {
                $0.receive(originalView, extensionProbe: ProbeExtension.read(originalView), recovered: true, now: now,
                           measurements: measurements)
            }
        } else {
            reaction = stream._withUnsafeGuaranteedRef {
                $0.receive(view, extensionProbe: extensionProbe, recovered: false, now: now, measurements: measurements)
            }
        }
        // Nearly every packet asks for nothing: then only the stream's deadline is noted (what
        // `react` does for it, without the call).
        if reaction.nack.isEmpty, !reaction.requestKeyFrame {
            noteDeadline(stream._withUnsafeGuaranteedRef { $0.nextDeadline })
        } else {
            react(reaction, stream: entry.index, now: now)
        }
    }

    private func react(_ reaction: StreamReceiver.Reaction, stream index: Int, now: Instant) {
        defer { noteStreamDeadline(index) }
        // Nearly every packet asks for nothing.
        guard !reaction.nack.isEmpty || reaction.requestKeyFrame else { return }
        let ssrc = streamTable[index].parameters.ssrc
        var packets: [RTCPPacket] = []
        if !reaction.nack.isEmpty {
            packets.append(.nack(RTCPGenericNACK(senderSSRC: rtcpSSRC, mediaSSRC: ssrc, lostSequenceNumbers: reaction.nack)))
        }
        if reaction.requestKeyFrame {
            packets.append(.pli(RTCPPictureLossIndication(senderSSRC: rtcpSSRC, mediaSSRC: ssrc)))
            streams[index].noteKeyFrameRequested(now: now)
        }
        if !packets.isEmpty { send(RTCPPacket.serializeCompound(packets), to: engineReceiveEndpoint) }
    }

    /// Brings `streamsDeadline` forward to stream `index`'s deadline when that is earlier.
    private func noteStreamDeadline(_ index: Int) {
        noteDeadline(streamTable[index].nextDeadline)
    }

    /// Brings `streamsDeadline` forward to `due` when that is earlier.
    @inline(__always)
    private func noteDeadline(_ due: Instant?) {
        if let due, streamsDeadline == nil || due < streamsDeadline! { streamsDeadline = due }
    }

    private func handleRTCP(_ bytes: UnsafeRawBufferPointer, now: Instant) {
        guard let packets = try? RTCPPacket.parseCompound(bytes) else { return }
        for packet in packets {
            if let answer = recorded?.answer(packet, now: now, rtt: uplinkRoundTrip.current) {
                for bytes in answer { send(bytes, to: engineSendEndpoint, now: now) }
                continue
            }
            switch packet {
            case .nack(let nack):
                guard let index = video.firstIndex(where: { $0.ssrc == nack.mediaSSRC }) else { continue }
                for rtx in video[index].retransmit(nack.lostSequenceNumbers, now: now, rtt: uplinkRoundTrip.current) {
                    send(rtx, to: engineSendEndpoint, now: now)
                }
            case .pli(let pli):
                video.indices.filter { video[$0].ssrc == pli.mediaSSRC }.forEach { video[$0].keyFrameRequestReceived(now: now) }
            case .fir(let fir):
                for entry in fir.entries {
                    video.indices.filter { video[$0].ssrc == entry.ssrc }.forEach { video[$0].keyFrameRequestReceived(now: now) }
                }
            case .transportFeedback(let feedback):
                uplinkEstimator.handleFeedback(feedback, now: now)
                adaptVideoLayers(now: now)
            case .remb(let remb):
                rembLimit = Bitrate(bitsPerSecond: Int64(min(remb.bitrateBitsPerSecond, UInt64(Int64.max))))
                adaptVideoLayers(now: now)
            case .senderReport(let report):
                if let entry = streamBySSRC[report.ssrc], !entry.isRTX {
                    streams[entry.index].statistics.senderReportReceived(ntpMiddle: NTPTime.middle(report.ntpTimestamp), now: now)
                }
                uplinkRoundTrip.update(from: report.reportBlocks, isOwn: publishes(ssrc:), now: now)
            case .receiverReport(let report):
                uplinkRoundTrip.update(from: report.reportBlocks, isOwn: publishes(ssrc:), now: now)
            case .extendedReport(let report):
                referenceTimeAnswers.receive(report, now: now)
            default:
                continue
            }
        }
    }

    // MARK: Output

    private func sendReports(now: Instant) {
        let ntp = NTPTime.timestamp(now)
        var published: [RTCPPacket] = []
        if let audio, audio.bytesSent > 0 {
            published.append(.senderReport(RTCPSenderReport(ssrc: audio.ssrc, ntpTimestamp: ntp, rtpTimestamp: 0,
                                                             packetCount: 0, octetCount: UInt32(truncatingIfNeeded: audio.bytesSent))))
        }
        for sender in video where sender.bytesSent > 0 {
            published.append(.senderReport(RTCPSenderReport(ssrc: sender.ssrc, ntpTimestamp: ntp, rtpTimestamp: videoTimestamp,
                                                             packetCount: 0, octetCount: UInt32(truncatingIfNeeded: sender.bytesSent))))
        }
        published += recorded?.senderReports(ntp: ntp) ?? []
        let reported = published.compactMap { packet -> UInt32? in
            if case .senderReport(let report) = packet { report.ssrc } else { nil }
        }
        published += referenceTimeAnswers.take(streams: reported, now: now)
        if !published.isEmpty { send(RTCPPacket.serializeCompound(published), to: engineSendEndpoint) }
        var blocks: [RTCPReportBlock] = []
        for index in streams.indices where streams[index].statistics.packetsReceived > 0 {
            let statistics = streams[index].statistics
            blocks.append(RTCPReportBlock(
                ssrc: streams[index].parameters.ssrc, fractionLost: streams[index].statistics.takeFractionLost(),
                cumulativeLost: Int32(statistics.cumulativeLost),
                extendedHighestSequenceNumber: UInt32(truncatingIfNeeded: statistics.highestSequence),
                jitter: statistics.jitter, lastSenderReport: statistics.lastSenderReportNTP,
                delaySinceLastSenderReport: statistics.delaySinceLastSenderReport(now: now)))
        }
        for start in stride(from: 0, to: blocks.count, by: 31) {
            let report = RTCPReceiverReport(ssrc: rtcpSSRC, reportBlocks: Array(blocks[start..<min(start + 31, blocks.count)]))
            send(RTCPPacket.serializeCompound([.receiverReport(report)]), to: engineReceiveEndpoint)
        }
    }

    /// Queues a datagram; RTP on the uplink is stamped with the next transport-wide sequence
    /// number and abs-send-time and recorded for the uplink estimator. `slots` is for senders
    /// that know where their packets' congestion-control slots are (nil: the packet is parsed to
    /// see whether it has the transport-wide slot, and again to stamp it).
    func send(_ bytes: [UInt8], to destination: Endpoint, now: Instant? = nil, probeCluster: Int? = nil,
              slots: CongestionExtensions.SlotOffsets? = nil) {
        let stamp = uplinkStamp(count: bytes.count, to: destination, now: now, probeCluster: probeCluster, slots: slots) {
            CongestionExtensions.hasTransportSequenceSlot(bytes)
        }
        bytes.withUnsafeBytes { outbox.append(from: source(for: destination), to: destination, stamp: stamp, bytes: $0) }
    }

    /// Queues an RTP packet of `count` bytes for the engine's send transport, written by `write`
    /// straight into the outbox (every byte must be set), stamped as `send(_:to:now:probeCluster:slots:)`
    /// does with the sender's known `slots`. Returns the written bytes (valid until the next send
    /// or drain).
    @discardableResult
    func sendMedia(count: Int, now: Instant, slots: CongestionExtensions.SlotOffsets?,
                   _ write: (UnsafeMutableRawBufferPointer) -> Void) -> UnsafeRawBufferPointer {
        let destination = engineSendEndpoint
        let stamp = uplinkStamp(count: count, to: destination, now: now, probeCluster: nil, slots: slots) { false }
        return outbox.append(from: sendEndpoint, to: destination, stamp: stamp, count: count, write)
    }

    /// This client's endpoint on the transport `destination` belongs to.
    private func source(for destination: Endpoint) -> Endpoint {
        destination == engineSendEndpoint ? sendEndpoint : receiveEndpoint
    }

    /// The congestion-control stamp of an uplink datagram of `count` bytes (nil when `now` is nil
    /// or it goes to the receive transport), taking a transport-wide sequence number and telling
    /// the estimator when `slots` is set or `hasSlot` says the packet has the transport-wide slot.
    private func uplinkStamp(count: Int, to destination: Endpoint, now: Instant?, probeCluster: Int?,
                             slots: CongestionExtensions.SlotOffsets?, hasSlot: () -> Bool) -> CongestionExtensions.Stamp? {
        guard let now, destination == engineSendEndpoint else { return nil }
        guard slots != nil || hasSlot() else { return CongestionExtensions.Stamp(time: now, sequence: nil) }
        let stamp = CongestionExtensions.Stamp(time: now, sequence: uplinkSequence, offsets: slots)
        uplinkEstimator.packetSent(sequence: uplinkSequence, bytes: count, probeCluster: probeCluster, now: now)
        uplinkSequence &+= 1
        return stamp
    }
}
