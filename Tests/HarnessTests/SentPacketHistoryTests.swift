import Engine
import Testing
@testable import Harness

/// The history's ring of bytes against a plain model (the last packet stored in each slot):
/// what `packet(sequence:)` answers, across slot reuse, packets longer than a slot, and copies.
@Suite("Sent packet history")
struct SentPacketHistoryTests {
    @Test("answers as a ring of arrays would, through reuse, growth and copies")
    func modelBased() throws {
        var random = SeededGenerator(seed: 21)
        let capacity = 16
        var history = SentPacketHistory(capacity: capacity)
        var model = [(sequence: UInt16, packet: [UInt8])?](repeating: nil, count: capacity)
        var snapshot: (history: SentPacketHistory, model: [(sequence: UInt16, packet: [UInt8])?])?
        for step in 0..<400 {
            let sequence = UInt16(truncatingIfNeeded: random.next() % 64)
            // Mostly MTU-sized packets, now and then one longer than a slot, or empty.
            let count = step == 150 ? SentPacketHistory.slotBytes + 300 : Int(random.next() % 1_300)
            let packet = (0..<count).map { UInt8(truncatingIfNeeded: $0 &+ step) }
            history.store(packet, sequence: sequence)
            model[Int(sequence) % capacity] = (sequence, packet)
            if step == 200 { snapshot = (history, model) }
            for probe in UInt16(0)..<64 {
                let expected = model[Int(probe) % capacity].flatMap { $0.sequence == probe ? $0.packet : nil }
                #expect(history.packet(sequence: probe) == expected, "step \(step), sequence \(probe)")
            }
        }
        // The copy taken at step 200 was not changed by the stores after it.
        let (copy, copyModel) = try #require(snapshot)
        for probe in UInt16(0)..<64 {
            let expected = copyModel[Int(probe) % capacity].flatMap { $0.sequence == probe ? $0.packet : nil }
            #expect(copy.packet(sequence: probe) == expected, "copy, sequence \(probe)")
        }
    }
}
