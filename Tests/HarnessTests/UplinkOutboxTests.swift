import Engine
import Testing
@testable import Harness

/// The outbox against the array of datagrams it replaced: the same datagrams come out, in order,
/// across buffer growth and reuse after each drain.
@Suite("Uplink outbox")
struct UplinkOutboxTests {
    @Test("drains what was appended, in order, through growth and reuse")
    func modelBased() {
        var random = SeededGenerator(seed: 11)
        let outbox = UplinkOutbox(capacity: 100)
        for round in 0..<50 {
            var expected: [SimulatedParticipant.Datagram] = []
            for index in 0..<Int(random.next() % 12) {
                let count = Int(random.next() % 1_400)
                let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ index &+ round) }
                let from = Endpoint(address: UInt32(round), port: UInt16(index))
                let to = Endpoint(address: 9, port: UInt16(count % 65_536))
                let stamp = index % 2 == 0 ? CongestionExtensions.Stamp(time: Instant(nanoseconds: Int64(index)), sequence: UInt16(round)) : nil
                if index % 3 == 0 {
                    bytes.withUnsafeBytes { outbox.append(from: from, to: to, stamp: stamp, bytes: $0) }
                } else {
                    let written = outbox.append(from: from, to: to, stamp: stamp, count: count) { $0.copyBytes(from: bytes) }
                    #expect(Array(written) == bytes)
                }
                expected.append(.init(from: from, to: to, bytes: bytes, stamp: stamp))
            }
            #expect(outbox.count == expected.count)
            var drained: [SimulatedParticipant.Datagram] = []
            outbox.drain { drained.append(SimulatedParticipant.Datagram($0)) }
            #expect(outbox.isEmpty)
            #expect(drained.map(\.bytes) == expected.map(\.bytes), "round \(round)")
            #expect(drained.map(\.from) == expected.map(\.from))
            #expect(drained.map(\.to) == expected.map(\.to))
            #expect(drained.map { $0.stamp?.sequence } == expected.map { $0.stamp?.sequence })
            #expect(drained.map { $0.stamp?.time } == expected.map { $0.stamp?.time })
        }
    }
}
