import RTP

extension Engine {
    func handleRTCP(_ bytes: UnsafeRawBufferPointer, on transport: Transport, now: Instant) {
        // Filled in once the RTCP wire types land.
    }

    func sendNack(_ sequences: [UInt16], stream: Producer.Stream, producer: Producer) {
    }

    func sendKeyFrameRequest(producer: Producer, stream: Producer.Stream) {
        emit(.keyFrameRequested(producer.id, ssrc: stream.ssrc ?? 0))
    }

    func sendReports(now: Instant) {
    }
}
