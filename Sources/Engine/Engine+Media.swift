import RTP

extension Engine {
    /// Handles one received datagram. Garbage is counted by reason and dropped.
    public func handleDatagram(from source: Endpoint, to destination: Endpoint, bytes: UnsafeRawBufferPointer, now: Instant) {
        output.rewindIfDrained()
        counters.datagramsReceived += 1
        guard let found = ingressTransport(for: destination) else {
            counters.drop(.unknownTransport)
            return
        }
        guard RTPDemux.isRTPOrRTCP(bytes) else {
            counters.drop(.notRTPOrRTCP)
            return
        }
        found._withUnsafeGuaranteedRef { transport in
            if transport.remote == nil { transport.remote = source }
            if RTPDemux.isRTCP(bytes) {
                counters.rtcpPacketsReceived += 1
                handleRTCP(bytes, on: transport, now: now)
            } else {
                handleRTP(bytes, on: transport, now: now)
            }
        }
    }

    /// The open transport listening on `destination`, unretained: `transports` holds every
    /// transport for the engine's life (closing one only marks it). The last one found is
    /// remembered (`lastIngressTransport`, forgotten whenever `transportsByPort` changes):
    /// consecutive datagrams mostly arrive on the same transport, and a comparison costs less
    /// than hashing.
    @inline(__always)
    private func ingressTransport(for destination: Endpoint) -> Unmanaged<Transport>? {
        if let last = lastIngressTransport, last.local == destination { return .passUnretained(last) }
        guard let transport = transportsByPort[destination.port], transport.local == destination else { return nil }
        lastIngressTransport = transport
        return .passUnretained(transport)
    }

    /// Convenience for callers holding an array.
    public func handleDatagram(from source: Endpoint, to destination: Endpoint, bytes: [UInt8], now: Instant) {
        bytes.withUnsafeBytes { handleDatagram(from: source, to: destination, bytes: $0, now: now) }
    }

    private func handleRTP(_ bytes: UnsafeRawBufferPointer, on transport: Transport, now: Instant) {
        // One pass over the fixed header and the extension block, shared by everything below.
        guard let header = ReceivedRTP(parsing: bytes) else {
            counters.drop(.malformedRTP)
            return
        }
        noteIncoming(bytes, extensions: header.extensions, transport: transport, now: now)
        // Padding-only packets (probes) only serve bandwidth estimation.
        guard header.payloadLength > 0 else {
            counters.paddingPacketsReceived += 1
            return
        }
        guard let incoming = transport.incomingStream(ssrc: header.ssrc) ?? bindByRID(header, bytes, transport) else {
            counters.drop(.unknownSSRC)
            return
        }
        // The producer and the stream, lent to the rest of the path without reference counting:
        // `incoming` holds both unretained, and `closeProducer` removes its entries with the
        // producer, which nothing on this path calls.
        Unmanaged.passUnretained(incoming.producer)._withUnsafeGuaranteedRef { producer in
            Unmanaged.passUnretained(incoming.stream)._withUnsafeGuaranteedRef { stream in
                handleRTP(bytes, header: header, isRTX: incoming.isRTX, producer: producer,
                          stream: stream, on: transport, now: now)
            }
        }
    }

    /// `handleRTP` once the packet's stream is known.
    private func handleRTP(_ bytes: UnsafeRawBufferPointer, header: ReceivedRTP, isRTX: Bool,
                           producer: Producer, stream: Producer.Stream, on transport: Transport, now: Instant) {
        if isRTX {
            counters.rtxPacketsReceived += 1
            guard header.payloadType == producer.inputRTXPayloadType, let ssrc = stream.ssrc else {
                counters.drop(.unknownPayloadType)
                return
            }
            let length: Int
            do {
                length = try RTX.unwrap(bytes, originalSSRC: ssrc, originalPayloadType: producer.inputPayloadType, into: scratch)
            } catch {
                counters.drop(.malformedRTX)
                return
            }
            let original = UnsafeRawBufferPointer(rebasing: scratch[0..<length])
            guard let recovered = ReceivedRTP(parsing: original) else {
                counters.drop(.malformedRTX)
                return
            }
            // A retransmission only counts when it repairs a hole: forwarding one whose original
            // already went out would send subscribers the same packet twice.
            if producer.isVideo, !stream.nack.wantsRetransmission(of: recovered.sequenceNumber) {
                counters.drop(.unrequestedRetransmission)
                return
            }
            mediaObserver?(AcceptedMedia(producer: producer.id, transport: transport.id, encodingIndex: stream.index,
                                         isRetransmission: true, bytes: original))
            receiveMedia(original, header: recovered, producer: producer, stream: stream, now: now)
            return
        }
        guard header.payloadType == producer.inputPayloadType else {
            counters.drop(.unknownPayloadType)
            return
        }
        counters.rtpPacketsReceived += 1
        mediaObserver?(AcceptedMedia(producer: producer.id, transport: transport.id, encodingIndex: stream.index,
                                     isRetransmission: false, bytes: bytes))
        // Only original packets show the encoding is being sent (a paused one still answers NACKs).
        stream.lastOriginalPacketAt = now
        if !stream.isReceiving { noteStreamReceiving(stream, producer: producer, now: now) }
        receiveMedia(bytes, header: header, producer: producer, stream: stream, now: now)
    }

    /// Binds an unknown SSRC to the producer encoding whose `rid` the packet carries (RFC 8852).
    private func bindByRID(_ header: ReceivedRTP, _ bytes: UnsafeRawBufferPointer, _ transport: Transport) -> Transport.IncomingStream? {
        guard header.hasExtensionBlock, let view = try? RTPPacketView(parsing: bytes) else { return nil }
        let ridValue = view.extensionValue(id: RouterCapabilities.HeaderExtensionID.rid)
        let repairedValue = view.extensionValue(id: RouterCapabilities.HeaderExtensionID.repairedRID)
        guard let value = ridValue ?? repairedValue else { return nil }
        for producer in transport.producers {
            for stream in producer.streams {
                guard let rid = stream.rid, SDESStringExtension.matches(value, rid) else { continue }
                let isRTX = ridValue == nil
                if isRTX { stream.rtxSSRC = header.ssrc } else { stream.ssrc = header.ssrc }
                let binding = Transport.IncomingStream(producer: producer, stream: stream, isRTX: isRTX)
                transport.incoming[header.ssrc] = binding
                return binding
            }
        }
        return nil
    }

    /// A media packet (original or recovered from RTX) of one producer stream, parsed once:
    /// `header` (with its extensions), and below its payload descriptor. `stream` is the caller's
    /// (one reference for the whole path instead of one per function).
    private func receiveMedia(_ bytes: UnsafeRawBufferPointer, header: ReceivedRTP, producer: Producer, stream: Producer.Stream, now: Instant) {
        let streamIndex = stream.index
        let payload = UnsafeRawBufferPointer(rebasing: bytes[header.payloadRange])
        // A VP8 payload is read once, for the frame information and for the offsets every
        // forwarded copy is rewritten at.
        let vp8: VP8PacketReading?
        let info: MediaFrameInfo
        if producer.payloadFormat == .vp8 {
            let reading = VP8PacketReading(payload: payload)
            vp8 = reading
            info = producer.isVideo ? reading.info : MediaFrameInfo()
        } else {
            vp8 = nil
            info = MediaFrameInfo.inspect(payload: payload, format: producer.payloadFormat, isVideo: producer.isVideo)
        }
        // A pause of a second or more restarts the stream (compared in nanoseconds: instants are whole ones).
        if stream.lastPacketAt.map({ now.nanoseconds &- $0.nanoseconds >= 1_000_000_000 }) ?? true { stream.startedAt = now }
        stream.lastPacketAt = now
        stream.statistics.received(sequence: header.sequenceNumber, timestamp: header.timestamp,
                                   bytes: bytes.count, now: now)
        stream.meter(bytes: bytes.count, spatial: info.spatialLayer, temporal: info.temporalLayer, now: now)
        if info.isKeyFrame { stream.keyFrames.keyFrameReceived() }
        if producer.isVideo {
            let outcome = stream.nack.received(sequence: header.sequenceNumber, isKeyFrame: info.isKeyFrame, now: now)
            if outcome.hasNack {
                streamTimersChanged = true
                sendNack(outcome.nackNow, stream: stream, producer: producer)
            }
            if outcome.requestKeyFrame { requestKeyFrame(producer: producer, stream: stream, now: now) }
        } else if let range = header.extensions.audioLevel,
                  let level = AudioLevelExtension(extensionValue: UnsafeRawBufferPointer(rebasing: bytes[range])) {
            producer.audioLevelSum += Int(level.levelDecibelsBelowOverload)
            producer.audioLevelCount += 1
            for observer in speakerObservers.values {
                observer.audioPacket(producer: producer.id, level: level.levelDecibelsBelowOverload,
                                     voiceActivity: level.voiceActivity)
            }
        }
        guard bytes.count <= PacketPool.slotSize else {
            counters.drop(.tooLarge)
            return
        }
        guard !producer.consumers.isEmpty else { return }
        let layout = ForwardLayout(extensions: header.extensions, vp8: vp8, payloadStart: header.payloadStart)
        // The packet goes into the pool (for the output copies and the retransmission buffers)
        // only when the first consumer forwards it: a simulcast layer nobody takes is not copied.
        var slot: Int32?
        // By index, each consumer lent to `forward` without reference counting: consumers leave
        // `producer.consumers` only through the control API, which nothing on this path calls.
        var index = 0
        while index < producer.consumers.count {
            Unmanaged.passUnretained(producer.consumers[index])._withUnsafeGuaranteedRef { consumer in
                forward(bytes, storedIn: &slot, header: header, streamIndex: streamIndex, info: info, layout: layout,
                        to: consumer, now: now)
            }
            index += 1
        }
        if let slot { pool.release(slot) }
    }

    /// Forwards (or skips, or fills with padding) the packet `bytes` for one consumer. `packetSlot`
    /// is the packet's pool slot, stored by the first consumer that sends it (the caller releases
    /// it); `bytes` (possibly `scratch`, for a packet recovered from RTX) stays unchanged until
    /// then: the padding packets are built elsewhere.
    private func forward(_ bytes: UnsafeRawBufferPointer, storedIn packetSlot: inout Int32?, header: ReceivedRTP, streamIndex: Int,
                         info: MediaFrameInfo, layout: ForwardLayout, to consumer: Consumer, now: Instant) {
        var decision = consumer.decide(streamIndex: streamIndex, info: info)
        // A late packet (recovered by RTX after later ones were forwarded) of a layer the consumer
        // now filters still owns its output number. Forwarding it would hand the subscriber part of
        // a frame it never gets whole; dropping it would leave a hole it NACKs in vain. Send a
        // padding-only packet in its place: receivers treat those as filler (libwebrtc's packet
        // buffer does), so the stream stays continuous.
        var paddingSlot: Int32?
        if decision == .drop(skipSequence: true), consumer.sequence.isReserved(header.sequenceNumber) {
            guard let filler = storePaddingPacket(like: header) else { return }
            paddingSlot = filler
            decision = .forward(resync: false)
            counters.holesFilledWithPadding += 1
        }
        defer { if let paddingSlot { pool.release(paddingSlot) } }
        switch decision {
        case .drop(let skip):
            if skip {
                consumer.sequence.skip(header.sequenceNumber)
                // A dropped VP8 frame takes its picture id with it (TL0 frames are never dropped).
                if info.isFrameStart, let pictureID = info.pictureID { consumer.skipPictureID(pictureID) }
            }
        case .forward(let resync):
            guard let transport = transports[consumer.transport.rawValue].remoteIfKnown else { return }
            if resync {
                // Numbers of the previous run that never went out (lost upstream, then the
                // source changed) get padding, so the subscriber does not wait for them.
                for missing in consumer.takeUnsentOutputs() {
                    guard let filler = storePaddingPacket(like: header) else { continue }
                    send(slot: filler, outputSequence: missing, outputTimestamp: consumer.lastOutputTimestamp,
                         consumer: consumer, transport: transport, now: now)
                    pool.release(filler)
                    counters.holesFilledWithPadding += 1
                }
            }
            guard let outputSequence = consumer.sequence.map(header.sequenceNumber) else { return }
            let outputTimestamp = consumer.timestamp.map(header.timestamp, now: now)
            let slot: Int32
            if let paddingSlot {
                slot = paddingSlot
            } else if let stored = packetSlot {
                slot = stored
            } else {
                // Cannot fail: the caller checked the size, and the pool grows when full.
                guard let stored = pool.store(bytes) else { return }
                packetSlot = stored
                slot = stored
            }
            send(slot: slot, outputSequence: outputSequence, outputTimestamp: outputTimestamp,
                 rewrite: paddingSlot == nil ? payloadRewrite(for: consumer, header: header, info: info) : .none,
                 layout: paddingSlot == nil ? layout : nil, consumer: consumer, transport: transport, now: now)
            if let change = consumer.takeLayerChange() { emit(.consumerLayersChanged(consumer.id, change)) }
        }
        if let wanted = consumer.keyFrameWantedFromStream {
            let stream = consumer.producer.streams[wanted]
            requestKeyFrame(producer: consumer.producer, stream: stream, now: now)
        }
    }

    /// Writes the packet in `slot` rewritten for `consumer` (through the transport's pacer when it
    /// holds packets or has no budget; stamped with the transport-wide sequence number and send
    /// time when it leaves), and keeps it for retransmission.
    ///
    /// With `layout` (the offsets in the packet in `slot`, found once for all its copies) the
    /// copy is rewritten and stamped without parsing it again.
    private func send(slot: Int32, outputSequence: UInt16, outputTimestamp: UInt32, rewrite payloadRewrite: PayloadRewrite = .none,
                      layout: ForwardLayout? = nil, consumer: Consumer, transport: (local: Endpoint, remote: Endpoint), now: Instant) {
        // The consumer's transport, lent without retaining it: `transports` holds every
        // transport for the engine's life (closing one only marks it).
        Unmanaged.passUnretained(transports[consumer.transport.rawValue])._withUnsafeGuaranteedRef { egress in
            send(slot: slot, outputSequence: outputSequence, outputTimestamp: outputTimestamp, rewrite: payloadRewrite,
                 layout: layout, consumer: consumer, transport: transport, egress: egress, now: now)
        }
    }

    /// `send` with the consumer's transport in hand.
    private func send(slot: Int32, outputSequence: UInt16, outputTimestamp: UInt32, rewrite payloadRewrite: PayloadRewrite,
                      layout: ForwardLayout?, consumer: Consumer, transport: (local: Endpoint, remote: Endpoint),
                      egress: Transport, now: Instant) {
        let bytes = pool.bytes(slot)
        func rewrite(_ packet: UnsafeMutableRawBufferPointer) -> Bool {
            if let layout {
                ForwardLayout.rewriteHeader(packet, ssrc: consumer.parameters.ssrc, sequence: outputSequence,
                                            timestamp: outputTimestamp, payloadType: consumer.parameters.payloadType)
                layout.apply(payloadRewrite, to: packet)
                return true
            }
            guard let view = try? RTPMutablePacketView(parsing: packet) else { return false }
            view.setSSRC(consumer.parameters.ssrc)
            view.setSequenceNumber(SequenceNumber(outputSequence))
            view.setTimestamp(outputTimestamp)
            view.setPayloadType(consumer.parameters.payloadType)
            apply(payloadRewrite, to: view)
            return true
        }
        // Checked and accounted in one call: the copy leaves now whenever the pacer allows it.
        if egress.mayForwardNow(bytes: bytes.count, now: now) {
            output.append(from: transport.local, to: transport.remote, capacity: bytes.count) { buffer in
                buffer.copyMemory(from: bytes)
                let packet = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<bytes.count])
                guard rewrite(packet) else { return 0 }
                if let layout {
                    stampOutgoing(packet, layout: layout, transport: egress, now: now)
                } else {
                    stampOutgoing(packet, transport: egress, now: now)
                }
                return bytes.count
            }
        } else if let copy = pool.store(bytes) {
            // The pacer holds it: rewritten now, stamped when it leaves.
            guard rewrite(pool.mutableBytes(copy)) else {
                pool.release(copy)
                return
            }
            egress.pacedQueue.append((copy, now))
        }
        consumer.retransmission.store(slot: slot, outputSequence: outputSequence, outputTimestamp: outputTimestamp,
                                      rewrite: payloadRewrite, now: now, pool: pool)
        consumer.recordSent(outputSequence)
        consumer.packetsSent += 1
        consumer.bytesSent += Int64(bytes.count)
        consumer.lastOutputTimestamp = outputTimestamp
        consumer.lastOutputAt = now
        counters.packetsForwarded += 1
    }

    /// The codec-specific rewriting of a forwarded packet: the SVC marker (end of the picture at
    /// the highest forwarded spatial layer, or where the publisher ended it), or VP8's continuous
    /// picture id and TL0PICIDX.
    private func payloadRewrite(for consumer: Consumer, header: ReceivedRTP, info: MediaFrameInfo) -> PayloadRewrite {
        if let marker = consumer.forwardMarker { return .marker(marker || header.marker) }
        guard let pictureID = info.pictureID else { return .none }
        return consumer.vp8Rewrite(pictureID: pictureID, tl0PictureIndex: info.tl0PictureIndex)
    }

    /// Applies a payload rewrite in place (the packet length never changes).
    private func apply(_ rewrite: PayloadRewrite, to view: RTPMutablePacketView) {
        switch rewrite {
        case .none:
            break
        case .marker(let marker):
            view.setMarker(marker)
        case .vp8(let pictureID, let tl0):
            let payload = UnsafeMutableRawBufferPointer(rebasing: view.bytes[view.header.payloadRange])
            _ = VP8PayloadDescriptor.rewritePictureID(pictureID, in: payload)
            if let tl0 { _ = VP8PayloadDescriptor.rewriteTL0PictureIndex(tl0, in: payload) }
        }
    }

    /// Stores a 16-byte padding-only RTP packet (RFC 3550 §5.1: P bit set, no payload, four bytes
    /// of padding) with `header`'s numbers, to be rewritten for a consumer like any packet.
    /// Built on the stack, not in `scratch`: the packet it stands in for may be there (recovered
    /// from RTX) and not yet stored in the pool.
    private func storePaddingPacket(like header: ReceivedRTP) -> Int32? {
        withUnsafeTemporaryAllocation(byteCount: 16, alignment: 4) { packet in
            packet.initializeMemory(as: UInt8.self, repeating: 0)
            packet[0] = 0xA0  // version 2, padding, no extension, no CSRC
            packet[1] = header.payloadType & 0x7F
            packet[15] = 4  // padding length, counting itself
            guard let view = try? RTPMutablePacketView(parsing: packet) else { return nil }
            view.setSequenceNumber(SequenceNumber(header.sequenceNumber))
            view.setTimestamp(header.timestamp)
            view.setSSRC(header.ssrc)
            return pool.store(UnsafeRawBufferPointer(packet))
        }
    }

    /// Resends `sequence` of `consumer` from its retransmission buffer (RTX when negotiated).
    func retransmit(_ sequence: UInt16, consumer: Consumer, now: Instant) {
        let egress = transports[consumer.transport.rawValue]
        guard let entry = consumer.retransmission.takeForResend(sequence: sequence, now: now, rtt: consumer.rtt),
              let transport = egress.remoteIfKnown else { return }
        let original = pool.bytes(entry.slot)
        let rtxSequence = consumer.rtxSequence
        let queued = output.append(from: transport.local, to: transport.remote, capacity: original.count + 2) { buffer in
            // Rewrite the original for this consumer, then wrap it as RTX if negotiated.
            let rewritten = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<original.count])
            rewritten.copyMemory(from: original)
            guard let view = try? RTPMutablePacketView(parsing: rewritten) else { return 0 }
            view.setSSRC(consumer.parameters.ssrc)
            view.setSequenceNumber(SequenceNumber(entry.outputSequence))
            view.setTimestamp(entry.outputTimestamp)
            view.setPayloadType(consumer.parameters.payloadType)
            apply(entry.rewrite, to: view)
            if let rtxSSRC = consumer.parameters.rtxSSRC, let rtxPayloadType = consumer.parameters.rtxPayloadType {
                let length = (try? RTX.wrap(UnsafeRawBufferPointer(rewritten), ssrc: rtxSSRC, payloadType: rtxPayloadType,
                                            sequenceNumber: SequenceNumber(rtxSequence), into: buffer)) ?? 0
                if length > 0 { stampOutgoing(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<length]), transport: egress, now: now) }
                return length
            }
            buffer.copyMemory(from: UnsafeRawBufferPointer(rewritten))
            stampOutgoing(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<original.count]), transport: egress, now: now)
            return original.count
        }
        guard queued else { return }
        // Retransmissions skip the pacer's queue (as libwebrtc prioritises them) but use its budget.
        egress.pacer?.sent(bytes: original.count, now: now)
        if consumer.parameters.rtxSSRC != nil { consumer.rtxSequence &+= 1 }
        consumer.retransmissionsSent += 1
        counters.retransmissionsSent += 1
    }

    /// Asks every stream a consumer of `producer` waits on for a key frame (debounced).
    func requestKeyFrames(for producer: Producer, now: Instant) {
        var wanted = Set<Int>()
        for consumer in producer.consumers {
            if let stream = consumer.keyFrameWantedFromStream { wanted.insert(stream) }
        }
        for index in wanted.sorted() { requestKeyFrame(producer: producer, stream: producer.streams[index], now: now) }
    }

    func requestKeyFrame(producer: Producer, stream: Producer.Stream, now: Instant) {
        guard producer.isVideo else { return }
        // A stream that is not arriving cannot answer; consumers ask again when it returns.
        guard stream.isReceiving else {
            counters.keyFrameRequestsToInactiveStreams += 1
            return
        }
        // A request (sent or delayed) may start a timer.
        streamTimersChanged = true
        guard stream.keyFrames.request(now: now) else { return }
        sendKeyFrameRequest(producer: producer, stream: stream)
    }
}

extension Transport {
    /// The transport with its remote endpoint, when one is known.
    var remoteIfKnown: (local: Endpoint, remote: Endpoint)? {
        guard let remote else { return nil }
        return (local, remote)
    }
}
