@testable import Engine
import Testing

/// `SequenceRewriter.map` answers its common case (a value at or above the newest offset change)
/// without the general path; this checks it against a plain model of the documented rules on
/// random streams with reordering, repeats, skips, resyncs and wraps, for every counter width
/// the engine uses.
@Suite struct SequenceRewriterModelTests {
    /// The rules of `SequenceRewriter`, written as plainly as possible: unwrap against the newest
    /// input, find the newest offset change at or below the value, track the highest input and
    /// output, forget earlier runs at a resync.
    struct Model {
        let modulus: Int64
        var lastInput: Int64?
        var changes: [(fromInput: Int64, offset: Int64)] = []
        var highestInput: Int64?
        var highestOutput: Int64
        var pendingResync = true

        init(initialOutput: UInt16, bits: Int) {
            modulus = Int64(1) << bits
            highestOutput = (Int64(initialOutput) & (modulus - 1)) - 1
        }

        mutating func unwrap(_ input: UInt16) -> Int64 {
            let value = Int64(input) % modulus
            if pendingResync { lastInput = nil }
            guard let last = lastInput else {
                lastInput = value
                return value
            }
            var delta = (value - last) % modulus
            if delta < 0 { delta += modulus }
            if delta >= modulus / 2 { delta -= modulus }
            if last + delta > last { lastInput = last + delta }
            return last + delta
        }

        mutating func map(_ input: UInt16) -> UInt16? {
            let extended = unwrap(input)
            if pendingResync {
                pendingResync = false
                changes = [(extended, extended - (highestOutput + 1))]
                highestInput = extended
                highestOutput += 1
                return UInt16(truncatingIfNeeded: highestOutput % modulus)
            }
            guard let change = changes.last(where: { extended >= $0.fromInput }) else { return nil }
            let output = extended - change.offset
            if let highest = highestInput, extended > highest {
                highestInput = extended
                highestOutput = max(highestOutput, output)
            }
            return UInt16(truncatingIfNeeded: ((output % modulus) + modulus) % modulus)
        }

        mutating func skip(_ input: UInt16) {
            let extended = unwrap(input)
            if pendingResync { return }
            guard let highest = highestInput, extended > highest, let current = changes.last else { return }
            highestInput = extended
            changes.append((extended + 1, current.offset + 1))
            if changes.count > 64 { changes.removeFirst() }
        }
    }

    /// Random input for a rewriter: mostly in order; sometimes a repeat, a late value, a jump
    /// ahead, a new source (a resync first); one value in ten is skipped instead of mapped.
    struct RandomStream {
        var random: SeededGenerator
        let modulus: Int
        var input = 0

        init(seed: UInt64, bits: Int) {
            random = SeededGenerator(seed: seed)
            modulus = 1 << bits
        }

        /// A new rewriter's initial output; the stream restarts at a random value.
        mutating func startTrial() -> UInt16 {
            let initial = UInt16(truncatingIfNeeded: random.next())
            input = Int(random.next() % UInt64(modulus))
            return initial
        }

        /// The next call: whether a resync comes first, the (wrapped) value, whether it is skipped.
        mutating func next() -> (resync: Bool, value: UInt16, skip: Bool) {
            let value: Int
            var resync = false
            switch random.next() % 100 {
            case 0..<70: input += 1; value = input
            case 70..<80: value = input
            case 80..<90: value = input - Int(random.next() % 20)
            case 90..<97: input += Int(random.next() % 5) + 2; value = input
            default:
                resync = true
                input = Int(random.next() % UInt64(modulus))
                value = input
            }
            let wrapped = UInt16(truncatingIfNeeded: ((value % modulus) + modulus) % modulus)
            return (resync, wrapped, random.next() % 10 == 0)
        }
    }

    @Test(arguments: [16, 15, 8])
    func matchesTheModel(bits: Int) {
        var stream = RandomStream(seed: UInt64(bits), bits: bits)
        let modulus = Int64(1) << bits
        for trial in 0..<20 {
            let initial = stream.startTrial()
            var rewriter = SequenceRewriter(initialOutput: initial, bits: bits)
            var model = Model(initialOutput: initial, bits: bits)
            for step in 0..<3_000 {
                let call = stream.next()
                if call.resync {
                    rewriter.resync()
                    model.pendingResync = true
                }
                if call.skip {
                    rewriter.skip(call.value)
                    model.skip(call.value)
                } else {
                    let expected = model.map(call.value)
                    let actual = rewriter.map(call.value)
                    #expect(actual == expected, "trial \(trial) step \(step): input \(call.value)")
                    if actual != expected { return }
                }
            }
            #expect(rewriter.lastOutput == UInt16(truncatingIfNeeded: ((model.highestOutput % modulus) + modulus) % modulus))
        }
    }

    /// Mapping a value again right after mapping it (nothing else in between) returns the same
    /// answer and leaves the rewriter as it was: what lets a consumer map a frame's picture id
    /// and TL0PICIDX once for all its packets (`Consumer.vp8Rewrite`). A rewriter that maps every
    /// value twice must answer every later call as one that maps it once.
    @Test(arguments: [16, 15, 8])
    func mappingAValueAgainChangesNothing(bits: Int) {
        var stream = RandomStream(seed: UInt64(100 + bits), bits: bits)
        var answered = 0
        for trial in 0..<20 {
            let initial = stream.startTrial()
            var once = SequenceRewriter(initialOutput: initial, bits: bits)
            var twice = SequenceRewriter(initialOutput: initial, bits: bits)
            for step in 0..<3_000 {
                let call = stream.next()
                if call.resync {
                    once.resync()
                    twice.resync()
                }
                if call.skip {
                    once.skip(call.value)
                    twice.skip(call.value)
                    continue
                }
                let expected = once.map(call.value)
                let first = twice.map(call.value)
                let again = twice.map(call.value)
                #expect(first == expected && again == expected, "trial \(trial) step \(step): input \(call.value)")
                if first != expected || again != expected { return }
                if expected != nil { answered += 1 }
            }
            #expect(once.lastOutput == twice.lastOutput)
        }
        #expect(answered > 40_000)
    }
}
