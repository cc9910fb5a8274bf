import Engine
import Testing
@testable import Harness

/// `StreamDirectory` (a hash table) against a plain dictionary: the same answers for every SSRC,
/// present or not, after random additions and replacements.
@Suite("StreamDirectory against a dictionary")
struct StreamDirectoryTests {
    @Test("random SSRCs, replacements and misses")
    func randomModel() {
        var random = SeededGenerator(seed: 3)
        for round in 0..<40 {
            var directory = StreamDirectory()
            var model: [UInt32: StreamDirectory.Entry] = [:]
            // Some rounds draw from a tiny range so that SSRCs repeat (replacements) and collide.
            let range: UInt64 = round % 2 == 0 ? 64 : 1 << 32
            for step in 0..<(1 + Int(random.next() % 300)) {
                let ssrc = UInt32(truncatingIfNeeded: random.next() % range)
                let entry = StreamDirectory.Entry(index: step, isRTX: random.next() % 2 == 0)
                directory.set(entry, for: ssrc)
                model[ssrc] = entry
                #expect(directory.count == model.count)
            }
            for (ssrc, entry) in model { #expect(directory[ssrc] == entry) }
            for _ in 0..<500 {
                let ssrc = UInt32(truncatingIfNeeded: random.next() % range)
                #expect(directory[ssrc] == model[ssrc])
            }
        }
    }

    @Test("SSRCs that differ only in their high or low bits, and 0 and UInt32.max")
    func structuredKeys() {
        var directory = StreamDirectory()
        var model: [UInt32: StreamDirectory.Entry] = [:]
        var keys: [UInt32] = [0, .max]
        for bit in 0..<32 { keys.append(1 << UInt32(bit)) }
        for low in 0..<20 { keys.append(0xABCD_0000 | UInt32(low)) }
        for (index, ssrc) in keys.enumerated() {
            let entry = StreamDirectory.Entry(index: index, isRTX: index % 3 == 0)
            directory.set(entry, for: ssrc)
            model[ssrc] = entry
        }
        for ssrc in keys { #expect(directory[ssrc] == model[ssrc]) }
        #expect(directory[12_345] == nil)
        #expect(directory.count == model.count)
    }
}
