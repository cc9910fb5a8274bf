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
    struct Model: Rewriting {
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

        mutating func resync() { pendingResync = true }

        var lastOutput: UInt16 { UInt16(truncatingIfNeeded: ((highestOutput % modulus) + modulus) % modulus) }

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

    /// What the tests below drive: a rewriter, the model, or a rewriter asked twice.
    protocol Rewriting {
        init(initialOutput: UInt16, bits: Int)
        mutating func resync()
        mutating func skip(_ input: UInt16)
        mutating func map(_ input: UInt16) -> UInt16?
        var lastOutput: UInt16 { get }
    }

    /// A rewriter asked to map every value twice in a row: it answers its first answer and
    /// records whether the second one differed.
    struct MapsTwice: Rewriting {
        var rewriter: SequenceRewriter
        var answersDiffered = false
        init(initialOutput: UInt16, bits: Int) { rewriter = SequenceRewriter(initialOutput: initialOutput, bits: bits) }
        mutating func resync() { rewriter.resync() }
        mutating func skip(_ input: UInt16) { rewriter.skip(input) }
        mutating func map(_ input: UInt16) -> UInt16? {
            let first = rewriter.map(input)
            if rewriter.map(input) != first { answersDiffered = true }
            return first
        }
        var lastOutput: UInt16 { rewriter.lastOutput }
    }

    /// Feeds 20 trials of 3,000 random calls (seeded by `seed`) to an `Expected` and an `Actual`
    /// rewriter of `bits` and expects the same answer to every map and the same last output;
    /// returns the `Actual`s of the trials and how many maps answered a value.
    static func expectSameAnswers<Expected: Rewriting, Actual: Rewriting>(
        _: Expected.Type, _: Actual.Type, bits: Int, seed: UInt64
    ) -> (actuals: [Actual], answered: Int) {
        var stream = RandomStream(seed: seed, bits: bits)
        var actuals: [Actual] = []
        var answered = 0
        for trial in 0..<20 {
            let initial = stream.startTrial()
            var expected = Expected(initialOutput: initial, bits: bits)
            var actual = Actual(initialOutput: initial, bits: bits)
            for step in 0..<3_000 {
                let call = stream.next()
                if call.resync {
                    expected.resync()
                    actual.resync()
                }
                if call.skip {
                    expected.skip(call.value)
                    actual.skip(call.value)
                    continue
                }
                let wanted = expected.map(call.value)
                let got = actual.map(call.value)
                #expect(got == wanted, "trial \(trial) step \(step): input \(call.value)")
                if got != wanted { return (actuals, answered) }
                if got != nil { answered += 1 }
            }
            #expect(actual.lastOutput == expected.lastOutput)
            actuals.append(actual)
        }
        return (actuals, answered)
    }

    @Test(arguments: [16, 15, 8])
    func matchesTheModel(bits: Int) {
        let result = Self.expectSameAnswers(Model.self, SequenceRewriter.self, bits: bits, seed: UInt64(bits))
        #expect(result.answered > 40_000)
    }

    /// Mapping a value again right after mapping it (nothing else in between) returns the same
    /// answer and leaves the rewriter as it was: what lets a consumer map a frame's picture id
    /// and TL0PICIDX once for all its packets (`Consumer.vp8Rewrite`). A rewriter that maps every
    /// value twice must answer every call as one that maps it once, and its second answers must
    /// be its first.
    @Test(arguments: [16, 15, 8])
    func mappingAValueAgainChangesNothing(bits: Int) {
        let result = Self.expectSameAnswers(SequenceRewriter.self, MapsTwice.self, bits: bits, seed: UInt64(100 + bits))
        #expect(result.actuals.count == 20 && result.actuals.allSatisfy { !$0.answersDiffered })
        #expect(result.answered > 40_000)
    }
}

extension SequenceRewriter: SequenceRewriterModelTests.Rewriting {}
