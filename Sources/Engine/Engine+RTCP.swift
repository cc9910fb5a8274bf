import RTP

extension Engine {
    /// Handles an RTCP compound packet from a transport's remote side: reports from subscribers
    /// (RTT, loss, scores), NACKs (retransmission), PLI/FIR (key-frame requests upstream),
    /// sender reports from publishers (for our receiver reports' LSR), and publishers' XR DLRR
    /// blocks (their RTT, RFC 3611 §4.5).
    func handleRTCP(_ bytes: UnsafeRawBufferPointer, on transport: Transport, now: Instant) {
        let packets: [RTCPPacket]
        do { packets = try RTCPPacket.parseCompound(bytes) } catch {
            counters.drop(.malformedRTCP)
            return
        }
        for packet in packets {
            switch packet {
            case .receiverReport(let report):
                handleReportBlocks(report.reportBlocks, on: transport, now: now)
            case .senderReport(let report):
                if let incoming = transport.incoming[report.ssrc], !incoming.isRTX {
                    incoming.producer.streams[incoming.streamIndex].statistics
                        .senderReportReceived(ntpMiddle: NTPTime.middle(report.ntpTimestamp), now: now)
                }
                handleReportBlocks(report.reportBlocks, on: transport, now: now)
            case .nack(let nack):
                counters.nacksReceived += 1
                guard let consumer = transport.consumersBySSRC[nack.mediaSSRC] else { continue }
                for item in nack.items {
                    retransmit(item.packetID, consumer: consumer, now: now)
                    var mask = item.bitmaskOfLostPackets
                    var offset: UInt16 = 1
                    while mask != 0 {
                        if mask & 1 != 0 { retransmit(item.packetID &+ offset, consumer: consumer, now: now) }
                        mask >>= 1
                        offset += 1
                    }
                }
            case .pli(let pli):
                counters.keyFrameRequestsReceived += 1
                if let consumer = transport.consumersBySSRC[pli.mediaSSRC] { requestKeyFrameForConsumer(consumer, now: now) }
            case .fir(let fir):
                counters.keyFrameRequestsReceived += fir.entries.count
                for entry in fir.entries {
                    if let consumer = transport.consumersBySSRC[entry.ssrc] { requestKeyFrameForConsumer(consumer, now: now) }
                }
            case .transportFeedback(let feedback):
                handleTransportFeedback(feedback, on: transport, now: now)
            case .remb(let remb):
                handleREMB(remb, on: transport, now: now)
            case .extendedReport(let report):
                handleExtendedReport(report, on: transport, now: now)
            case .sdes, .bye, .unknown:
                continue
            }
        }
    }

    private func handleReportBlocks(_ blocks: [RTCPReportBlock], on transport: Transport, now: Instant) {
        for block in blocks {
            guard let consumer = transport.consumersBySSRC[block.ssrc], consumer.parameters.ssrc == block.ssrc else { continue }
            let rtt = NTPTime.roundTrip(now: now, lastSenderReport: block.lastSenderReport,
                                        delaySinceLastSenderReport: block.delaySinceLastSenderReport)
            let before = consumer.score.value
            consumer.receiverReport(fractionLost: block.fractionLost, rtt: rtt)
            if consumer.score.value != before { emit(.consumerScore(consumer.id, consumer.score.value)) }
        }
    }

    /// A publisher's DLRR sub-blocks answering the engine's RRTR (their SSRC is the engine's
    /// RTCP SSRC, or 0 as some senders leave it): RTT = arrival − LRR − DLRR (RFC 3611 §4.5, as
    /// mediasoup's `RtpStreamRecv::ReceiveRtcpXrDelaySinceLastRr`). The XR packet's SSRC names
    /// the producer stream (libwebrtc sends one XR per RTP stream, from that stream's SSRC); an
    /// SSRC that is none of the transport's streams measures the path of all of them.
    private func handleExtendedReport(_ report: RTCPExtendedReport, on transport: Transport, now: Instant) {
        for item in report.delaySinceLastReceiverReportItems where item.ssrc == rtcpSenderSSRC || item.ssrc == 0 {
            guard let rtt = NTPTime.roundTrip(now: now, lastSenderReport: item.lastReceiverReport,
                                              delaySinceLastSenderReport: item.delaySinceLastReceiverReport) else { continue }
            counters.publisherRoundTripsMeasured += 1
            if let incoming = transport.incoming[report.senderSSRC], !incoming.isRTX {
                incoming.producer.streams[incoming.streamIndex].roundTripMeasured(rtt)
            } else {
                for producer in transport.producers {
                    for stream in producer.streams { stream.roundTripMeasured(rtt) }
                }
            }
        }
    }

    private func requestKeyFrameForConsumer(_ consumer: Consumer, now: Instant) {
        let producer = consumer.producer
        let index = consumer.keyFrameWantedFromStream ?? consumer.targetLayers?.spatialLayer ?? 0
        requestKeyFrame(producer: producer, stream: producer.streams[min(index, producer.streams.count - 1)], now: now)
    }

    /// Sends a generic NACK for `sequences` of a producer stream to its publisher.
    func sendNack(_ sequences: [UInt16], stream: Producer.Stream, producer: Producer) {
        guard let ssrc = stream.ssrc else { return }
        let nack = RTCPGenericNACK(senderSSRC: rtcpSenderSSRC, mediaSSRC: ssrc, lostSequenceNumbers: sequences)
        if sendRTCP([.nack(nack)], transport: transports[producer.transport.rawValue]) { counters.nacksSent += 1 }
    }

    /// Sends PLI (or FIR with `feedback.keyFrame.useFir`) for a producer stream to its publisher.
    func sendKeyFrameRequest(producer: Producer, stream: Producer.Stream) {
        guard let ssrc = stream.ssrc else { return }
        let packet: RTCPPacket
        if profile.feedback.keyFrame.useFir {
            stream.firSequence &+= 1
            packet = .fir(RTCPFullIntraRequest(senderSSRC: rtcpSenderSSRC,
                                               entries: [RTCPFullIntraRequestEntry(ssrc: ssrc, sequenceNumber: stream.firSequence)]))
        } else {
            packet = .pli(RTCPPictureLossIndication(senderSSRC: rtcpSenderSSRC, mediaSSRC: ssrc))
        }
        if sendRTCP([packet], transport: transports[producer.transport.rawValue]) { counters.keyFrameRequestsSent += 1 }
        emit(.keyFrameRequested(producer.id, ssrc: ssrc))
    }

    /// Periodic reports: a sender report per consumer stream that sent something, and a receiver
    /// report for the producer streams of each transport.
    func sendReports(now: Instant) {
        let ntp = NTPTime.timestamp(now)
        for transport in transports where transport.remote != nil {
            var packets: [RTCPPacket] = []
            for consumer in transport.consumers where consumer.packetsSent > 0 {
                var rtpTimestamp = consumer.lastOutputTimestamp
                if let last = consumer.lastOutputAt {
                    rtpTimestamp &+= UInt32(truncatingIfNeeded: (now - last).nanoseconds * Int64(consumer.parameters.clockRate) / 1_000_000_000)
                }
                packets.append(.senderReport(RTCPSenderReport(
                    ssrc: consumer.parameters.ssrc, ntpTimestamp: ntp, rtpTimestamp: rtpTimestamp,
                    packetCount: UInt32(truncatingIfNeeded: consumer.packetsSent),
                    octetCount: UInt32(truncatingIfNeeded: consumer.bytesSent))))
            }
            var blocks: [RTCPReportBlock] = []
            for producer in transport.producers {
                for stream in producer.streams {
                    guard let ssrc = stream.ssrc, stream.statistics.packetsReceived > 0 else { continue }
                    let fractionLost = stream.statistics.takeFractionLost()
                    updateScore(of: stream, producer: producer, fractionLost: fractionLost)
                    blocks.append(RTCPReportBlock(
                        ssrc: ssrc, fractionLost: fractionLost,
                        cumulativeLost: Int32(stream.statistics.cumulativeLost),
                        extendedHighestSequenceNumber: UInt32(truncatingIfNeeded: stream.statistics.highestSequence),
                        jitter: stream.statistics.jitter, lastSenderReport: stream.statistics.lastSenderReportNTP,
                        delaySinceLastSenderReport: stream.statistics.delaySinceLastSenderReport(now: now)))
                }
            }
            for start in stride(from: 0, to: blocks.count, by: 31) {
                packets.append(.receiverReport(RTCPReceiverReport(ssrc: rtcpSenderSSRC,
                                                                  reportBlocks: Array(blocks[start..<min(start + 31, blocks.count)]))))
            }
            if !blocks.isEmpty {
                // RRTR (RFC 3611 §4.4) with every report to a publisher, as mediasoup's
                // `Producer::GetRtcp` does: its DLRR answer gives the publisher's RTT.
                packets.append(.extendedReport(RTCPExtendedReport(
                    senderSSRC: rtcpSenderSSRC, blocks: [.receiverReferenceTime(RTCPReceiverReferenceTime(ntpTimestamp: ntp))])))
            }
            // Keep compounds well under the MTU.
            for start in stride(from: 0, to: packets.count, by: 8) {
                _ = sendRTCP(Array(packets[start..<min(start + 8, packets.count)]), transport: transport)
            }
        }
    }

    @discardableResult
    func sendRTCP(_ packets: [RTCPPacket], transport: Transport) -> Bool {
        guard let endpoints = transport.remoteIfKnown else { return false }
        let queued = output.append(from: endpoints.local, to: endpoints.remote, capacity: 1_400) { buffer in
            RTCPPacket.writeCompound(packets, into: buffer) ?? 0
        }
        if queued { counters.rtcpPacketsSent += packets.count }
        return queued
    }
}
