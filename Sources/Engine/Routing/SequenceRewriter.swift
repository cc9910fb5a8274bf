/// Maps a wrapping counter of whichever source stream a consumer currently forwards onto one
/// continuous output counter (mediasoup `SeqManager`): RTP sequence numbers (16 bits), and for
/// VP8 the picture id (15 bits) and TL0PICIDX (8 bits).
///
/// - Values the consumer deliberately drops (a filtered temporal layer) are `skip`ped so the
///   output has no hole where nothing was lost.
/// - `resync` makes the next value of a new source (layer switch, resume, new SSRC) follow the
///   last output value directly.
/// - Late values of the current run keep the mapping that applied when they were sent; values
///   from before the current run map to nothing (a resync forgets earlier runs' offsets).
/// Values are unwrapped to 64 bits internally, so wraps are invisible.
struct SequenceRewriter {
    /// Offset (input − output, extended) in force from `fromInput` on.
    private struct OffsetChange {
        var fromInput: Int64
        var offset: Int64
    }

    /// 2^bits: 65536 for sequence numbers.
    let modulus: Int64
    /// modulus − 1: a power of two, so wrapping is a mask (two's complement makes it right for
    /// negative values too) and no division runs per packet.
    private let mask: Int64
    private var lastInput: Int64?
    private var changes: [OffsetChange] = []
    /// `changes.last!`'s fields, kept beside the array so that the common case reads no array.
    private var newestFromInput: Int64 = 0
    private var newestOffset: Int64 = 0
    private var highestInput: Int64?
    private var highestOutput: Int64
    private var pendingResync = true
    private static let historyLimit = 64

    /// `initialOutput` is the first output value (random per consumer in mediasoup); `bits` the
    /// counter's width (16 for RTP sequence numbers).
    init(initialOutput: UInt16, bits: Int = 16) {
        modulus = Int64(1) << bits
        mask = modulus - 1
        highestOutput = Int64(initialOutput) & mask - 1
        changes.reserveCapacity(Self.historyLimit)
    }

    /// The next input starts a new run (new source, or after a pause).
    mutating func resync() {
        pendingResync = true
    }

    /// Output value for `input`, or nil when it belongs before the current run.
    /// (Inlined: its common case is a few integer operations, called for every forwarded copy.)
    @inline(__always)
    mutating func map(_ input: UInt16) -> UInt16? {
        // The common case: a value at or above the newest offset change (in order, or a repeat
        // of the newest value: VP8 picture ids repeat for every packet of a frame). The same
        // steps as the general path below, without its array reads.
        if !pendingResync, let last = lastInput {
            let extended = last + shortestDelta(from: last, to: Int64(input) & mask)
            if extended >= newestFromInput {
                if extended > last { lastInput = extended }
                let output = extended - newestOffset
                if let highest = highestInput, extended > highest {
                    highestInput = extended
                    if output > highestOutput { highestOutput = output }
                }
                return wrapped(output)
            }
        }
        return mapAnyInput(input)
    }

    /// `map` for any input: a resync, or a late value under an older offset change.
    @inline(never)
    private mutating func mapAnyInput(_ input: UInt16) -> UInt16? {
        let extended = unwrapped(input)
        if pendingResync {
            pendingResync = false
            // Earlier runs' offsets are in other unwrapping spaces (another source, or the same
            // one restarted): a late value from before this run must not match one of them.
            changes.removeAll(keepingCapacity: true)
            record(OffsetChange(fromInput: extended, offset: extended - (highestOutput + 1)))
            highestInput = extended
            highestOutput += 1
            return wrapped(highestOutput)
        }
        guard let offset = offset(for: extended) else { return nil }
        let output = extended - offset
        if let highest = highestInput, extended > highest {
            highestInput = extended
            highestOutput = max(highestOutput, output)
        }
        return wrapped(output)
    }

    /// The consumer drops `input` on purpose: later values move down by one.
    mutating func skip(_ input: UInt16) {
        let extended = unwrapped(input)
        if pendingResync { return }
        guard let highest = highestInput, extended > highest, let current = changes.last else { return }
        highestInput = extended
        record(OffsetChange(fromInput: extended + 1, offset: current.offset + 1))
    }

    /// Whether `input` is older than the newest value of the current run: its output value is
    /// already reserved (later values were mapped around it), so dropping it now would leave a
    /// hole the subscriber can never fill.
    func isReserved(_ input: UInt16) -> Bool {
        guard !pendingResync, let highest = highestInput else { return false }
        let delta = shortestDelta(from: highest, to: Int64(input))
        return delta < 0 && offset(for: highest + delta) != nil
    }

    /// The last output value handed out.
    var lastOutput: UInt16 { wrapped(highestOutput) }

    private func wrapped(_ value: Int64) -> UInt16 {
        UInt16(truncatingIfNeeded: value & mask)
    }

    /// Signed distance from extended `base` to the raw value `input`, in -modulus/2 ..< modulus/2.
    private func shortestDelta(from base: Int64, to input: Int64) -> Int64 {
        let raw = (input - base) & mask
        return raw >= modulus >> 1 ? raw - modulus : raw
    }

    /// RFC 3550 §A.1-style unwrapping for any width: relative to the newest input seen.
    private mutating func unwrapped(_ input: UInt16) -> Int64 {
        let value = Int64(input) & mask
        if pendingResync { lastInput = nil }
        guard let last = lastInput else {
            lastInput = value
            return value
        }
        let extended = last + shortestDelta(from: last, to: value)
        if extended > last { lastInput = extended }
        return extended
    }

    private func offset(for input: Int64) -> Int64? {
        // In-order input (the common case) falls under the newest change.
        if let newest = changes.last, input >= newest.fromInput { return newest.offset }
        for change in changes.reversed() where input >= change.fromInput {
            return change.offset
        }
        return nil
    }

    private mutating func record(_ change: OffsetChange) {
        if changes.count == Self.historyLimit { changes.removeFirst() }
        changes.append(change)
        newestFromInput = change.fromInput
        newestOffset = change.offset
    }
}
