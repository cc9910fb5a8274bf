import Engine
import RTP
import Testing
@testable import Harness

/// `RecentSequenceSet` (a bitmap over the last 4096 numbers, with a shortcut for the next number
/// in order) against a plain set of every extended number seen: the same answers and the same
/// extended numbers.
@Suite("RecentSequenceSet against a set")
struct RecentSequenceSetTests {
    @Test("in order, reordered, duplicated, lost, jumping and wrapping streams")
    func randomModel() {
        var random = SeededGenerator(seed: 5)
        for round in 0..<40 {
            let set = RecentSequenceSet()
            var unwrapper = SequenceNumberUnwrapper()
            var seen: Set<Int64> = []
            var highest: Int64 = -1
            var sequence = UInt16(truncatingIfNeeded: random.next())
            for _ in 0..<3_000 {
                let draw = random.next() % 100
                var next = sequence
                if draw < 70 {
                    sequence &+= 1  // in order
                    next = sequence
                } else if draw < 85 {
                    next = sequence &- UInt16(random.next() % 40)  // late or duplicate
                } else if draw < 95 {
                    sequence &+= UInt16(1 + random.next() % 30)  // a hole
                    next = sequence
                } else if round % 4 == 0 {
                    sequence &+= UInt16(4_000 + random.next() % 9_000)  // a jump past the window
                    next = sequence
                } else {
                    next = sequence &- UInt16(4_090 + random.next() % 20)  // about the window's age
                }
                let extended = unwrapper.unwrap(next)
                let expected: Int64?
                if extended <= highest, highest - extended >= Int64(RecentSequenceSet.window) {
                    expected = nil
                } else {
                    expected = seen.insert(extended).inserted ? extended : nil
                    highest = max(highest, extended)
                }
                #expect(set.insert(next) == expected)
            }
        }
    }
}
