import RTP

/// Congestion control inside the engine: stamping and recording what each transport sends,
/// transport-cc feedback and REMB in both directions, the estimate driving the allocator, and
/// probe clusters. See docs/congestion-control.md.
extension Engine {
    /// Stamps abs-send-time and the transport's next transport-wide sequence number into an
    /// outgoing RTP packet (in place, when the packet carries the elements) and records it in the
    /// send history. Allocation-free.
    func stampOutgoing(_ packet: UnsafeMutableRawBufferPointer, transport: Transport, now: Instant, probeCluster: Int? = nil) {
        guard let view = try? RTPMutablePacketView(parsing: packet) else { return }
        view.setAbsSendTime(AbsSendTime(microseconds: UInt64(max(0, now.nanoseconds / 1_000))),
                            id: RouterCapabilities.HeaderExtensionID.absSendTime)
        let sequence = transport.nextTransportSequence
        guard view.setTransportWideSequenceNumber(sequence, id: RouterCapabilities.HeaderExtensionID.transportWideCC) else { return }
        transport.nextTransportSequence &+= 1
        transport.estimator.packetSent(sequence: sequence, bytes: packet.count, probeCluster: probeCluster, now: now)
    }

    /// `stampOutgoing` for a forwarded copy whose extension offsets are known (same writes).
    func stampOutgoing(_ packet: UnsafeMutableRawBufferPointer, layout: ForwardLayout, transport: Transport, now: Instant) {
        if let offset = layout.absSendTime {
            let time = AbsSendTime(microseconds: UInt64(max(0, now.nanoseconds / 1_000))).rawValue
            packet[offset] = UInt8(truncatingIfNeeded: time >> 16)
            packet[offset + 1] = UInt8(truncatingIfNeeded: time >> 8)
            packet[offset + 2] = UInt8(truncatingIfNeeded: time)
        }
        guard let offset = layout.transportSequence else { return }
        let sequence = transport.nextTransportSequence
        packet[offset] = UInt8(truncatingIfNeeded: sequence >> 8)
        packet[offset + 1] = UInt8(truncatingIfNeeded: sequence)
        transport.nextTransportSequence &+= 1
        transport.estimator.packetSent(sequence: sequence, bytes: packet.count, probeCluster: nil, now: now)
    }

    /// Records what an incoming RTP packet says for the receive side: its transport-wide sequence
    /// number (for transport-cc feedback) and abs-send-time (for REMB).
    func noteIncoming(_ bytes: UnsafeRawBufferPointer, extensions: ReceivedExtensions, transport: Transport, now: Instant) {
        if let range = extensions.transportWideCC,
           let sequence = TransportWideSequenceNumberExtension.decode(UnsafeRawBufferPointer(rebasing: bytes[range])) {
            transport.feedbackGenerator.received(sequence: sequence, now: now)
            transport.receivesTransportWideCC = true
            if nextCongestionAt == nil { nextCongestionAt = now }
        }
        if let range = extensions.absSendTime,
           let time = AbsSendTime(extensionValue: UnsafeRawBufferPointer(rebasing: bytes[range])) {
            transport.remoteEstimator.received(absSendTime: time, bytes: bytes.count, now: now)
        }
    }

    /// Transport-cc feedback from a subscriber about what this transport sent.
    func handleTransportFeedback(_ feedback: RTCPTransportFeedback, on transport: Transport, now: Instant) {
        guard profile.feedback.congestion.enabled else { return }
        transport.hasTransportFeedback = true
        let target = transport.estimator.handleFeedback(feedback, now: now)
        updateAvailableBitrate(target, transport: transport, now: now)
    }

    /// REMB from a subscriber: the fallback when it sends no transport-cc feedback.
    func handleREMB(_ remb: RTCPREMB, on transport: Transport, now: Instant) {
        guard profile.feedback.congestion.enabled, !transport.hasTransportFeedback else { return }
        let value = Bitrate(bitsPerSecond: Int64(min(remb.bitrateBitsPerSecond, UInt64(Int64.max))))
        let bounded = min(max(value, transport.estimator.minBitrate), transport.estimator.maxBitrate)
        updateAvailableBitrate(bounded, transport: transport, now: now)
    }

    private func updateAvailableBitrate(_ target: Bitrate, transport: Transport, now: Instant) {
        transport.availableOutgoingBitrate = target
        transport.pacer?.rate = target * profile.feedback.congestion.pacingFactor
        let previous = Double(transport.allocatedWithBitrate.bitsPerSecond)
        let change = abs(Double(target.bitsPerSecond) - previous) / max(previous, 1)
        if change >= profile.feedback.congestion.reallocationThreshold { allocate(transport: transport, now: now) }
    }

    /// Earliest congestion-control deadline: feedback to publishers, the next probe packet, the
    /// periodic tick (REMB, application-limited probing).
    ///
    /// Each transport's part is cached and recomputed only when something it depends on changed
    /// (the transport reports that itself), and so is the earliest of those parts, so a query
    /// after an input that changed no transport's deadline is a comparison.
    func congestionDeadline() -> Instant? {
        if !staleTransportDeadlines.isEmpty { refreshTransportDeadlines() }
        guard let transportsDue = transportDeadlineIndex.earliest else { return nextCongestionAt }
        guard let tick = nextCongestionAt else { return transportsDue }
        return tick < transportsDue ? tick : transportsDue
    }

    /// Recomputes the stale transports' deadlines; `transportDeadlineIndex` keeps the earliest.
    private func refreshTransportDeadlines() {
        guard !staleTransportDeadlines.isEmpty else { return }
        staleTransportDeadlines.drain { index in
            // Without reference counting: transports are never removed from the engine's array.
            Unmanaged.passUnretained(transports[index])._withUnsafeGuaranteedRef { transport in
                transportDeadlineIndex.update(index, deadline: transport.refreshedCongestionDeadline(),
                                              hasPacedPackets: transport.pacedCount > 0)
            }
        }
        transportDeadlineIndex.finishUpdates()
    }

    /// Runs congestion-control work due at `now`.
    func handleCongestionTimeout(now: Instant) {
        let settings = profile.feedback.congestion
        // A transport has work only when its cached deadline is due (feedback, probe or pacer)
        // or its pacer holds packets; the others are skipped without being touched, and all of
        // them when none has work (the index is not refreshed during the loop).
        refreshTransportDeadlines()
        for index in transports.indices {
            guard transportDeadlineIndex.anyHasWork(now: now) else { break }
            guard transportDeadlineIndex.hasWork(index, now: now) else { continue }
            // Without reference counting, as above.
            Unmanaged.passUnretained(transports[index])._withUnsafeGuaranteedRef { transport in
                if let due = transport.feedbackGenerator.nextDeadline(), due <= now {
                    let messages = transport.feedbackGenerator.takeFeedback(
                        senderSSRC: rtcpSenderSSRC, mediaSSRC: transport.producers.first?.streams.first?.ssrc ?? 0, now: now)
                    for message in messages { sendRTCP([.transportFeedback(message)], transport: transport) }
                }
                if let probe = transport.probe, probe.nextPacketAt <= now { sendProbePackets(transport: transport, now: now) }
                if transport.pacedCount > 0 { sendPacedPackets(transport: transport, now: now) }
            }
        }
        guard let due = nextCongestionAt, due <= now else { return }
        nextCongestionAt = now + .milliseconds(100)
        for transport in transports where transport.remote != nil {
            if settings.enabled, !transport.consumers.isEmpty {
                transport.estimator.process(now: now)
                if transport.probe == nil, let cluster = transport.estimator.takeProbeCluster() {
                    transport.probe = ProbeSendState(cluster: cluster, startedAt: now, nextPacketAt: now)
                    sendProbePackets(transport: transport, now: now)
                }
            }
            sendREMBIfDue(transport: transport, now: now)
        }
    }

    /// Sends what the pacer lets out at `now`: in order, while the bucket allows or the oldest
    /// packet waited the pacer's longest delay.
    func sendPacedPackets(transport: Transport, now: Instant) {
        guard let endpoints = transport.remoteIfKnown else { return }
        while transport.pacedCount > 0 {
            let (slot, enqueuedAt) = transport.pacedQueue[transport.pacedHead]
            let overdue = transport.pacer.map { $0.hasWaitedTooLong(since: enqueuedAt, now: now) } ?? true
            guard overdue || transport.pacer?.canSend(now: now) ?? true else { break }
            let bytes = pool.bytes(slot)
            output.append(from: endpoints.local, to: endpoints.remote, capacity: bytes.count) { buffer in
                buffer.copyMemory(from: bytes)
                stampOutgoing(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<bytes.count]), transport: transport, now: now)
                return bytes.count
            }
            transport.pacer?.sent(bytes: bytes.count, now: now)
            pool.release(slot)
            transport.pacedHead += 1
        }
        if transport.pacedHead == transport.pacedQueue.count {
            transport.pacedQueue.removeAll(keepingCapacity: true)
            transport.pacedHead = 0
        } else if transport.pacedHead >= 1_024 {
            transport.pacedQueue.removeFirst(transport.pacedHead)
            transport.pacedHead = 0
        }
    }

    /// REMB to a transport's publishers: `maxIncomingBitrate`, lowered by the abs-send-time
    /// estimate for publishers that do not send transport-cc (they get transport-cc feedback
    /// otherwise and estimate on their side); every `rembInterval` or at once after a drop of 3 %
    /// or more.
    private func sendREMBIfDue(transport: Transport, now: Instant) {
        var value = transport.receivesTransportWideCC ? nil : transport.remoteEstimator.estimate
        if let cap = profile.webRtcTransport.maxIncomingBitrate { value = min(value ?? cap, cap) }
        guard let value else { return }
        let dropped = transport.lastREMBBitrate.map { value < $0 * 0.97 } ?? true
        guard dropped || transport.nextREMBAt.map({ $0 <= now }) ?? true else { return }
        // Built only when a REMB goes out (every guard above returns without side effects).
        let ssrcs = transport.producers.flatMap { $0.streams.compactMap(\.ssrc) }
        guard !ssrcs.isEmpty else { return }
        transport.lastREMBBitrate = value
        transport.nextREMBAt = now + .milliseconds(Int64(profile.feedback.congestion.rembInterval))
        let remb = RTCPREMB(senderSSRC: rtcpSenderSSRC, bitrateBitsPerSecond: UInt64(max(0, value.bitsPerSecond)), ssrcs: ssrcs)
        sendRTCP([.remb(remb)], transport: transport)
    }

    /// Sends the probe packets that are due: padding-only RTP on the RTX stream of a video
    /// consumer, paced at the cluster's rate.
    private func sendProbePackets(transport: Transport, now: Instant) {
        guard var probe = transport.probe else { return }
        guard let endpoints = transport.remoteIfKnown,
              let consumer = transport.consumers.first(where: { $0.producer.isVideo && $0.isActive && $0.packetsSent > 0 }),
              let ssrc = consumer.parameters.rtxSSRC, let payloadType = consumer.parameters.rtxPayloadType else {
            // Probes ride on RTX; without a video consumer with RTX there is nothing to probe with.
            transport.probe = nil
            return
        }
        let template = ProbePacketTemplate.shared
        let size = template.bytes.count
        while probe.nextPacketAt <= now {
            let sequence = consumer.rtxSequence
            consumer.rtxSequence &+= 1
            let clusterID = probe.cluster.id
            output.append(from: endpoints.local, to: endpoints.remote, capacity: size) { buffer in
                // What `RTPPacketBuilder` refuses (and so was never sent).
                guard payloadType < 128 else { return 0 }
                // Stamped as `stampOutgoing` stamps it: abs-send-time, then the next transport-wide
                // sequence number, recorded in the send history with the probe cluster.
                let transportSequence = transport.nextTransportSequence
                let length = template.write(
                    into: buffer, payloadType: payloadType, sequence: sequence, timestamp: consumer.lastOutputTimestamp,
                    ssrc: ssrc, absSendTime: AbsSendTime(microseconds: UInt64(max(0, now.nanoseconds / 1_000))),
                    transportSequence: transportSequence)
                transport.nextTransportSequence &+= 1
                transport.estimator.packetSent(sequence: transportSequence, bytes: length, probeCluster: clusterID, now: now)
                return length
            }
            counters.probePacketsSent += 1
            counters.probeBytesSent += size
            probe.bytesSent += size
            probe.packetsSent += 1
            if probe.bytesSent >= probe.cluster.totalBytes && probe.packetsSent >= probe.cluster.minPackets {
                transport.probe = nil
                return
            }
            probe.nextPacketAt = probe.startedAt + probe.cluster.bitrate.transmissionTime(bytes: probe.bytesSent)
        }
        transport.probe = probe
    }
}
