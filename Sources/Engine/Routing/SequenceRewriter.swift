import RTP

/// Maps the sequence numbers of whichever source stream a consumer currently forwards onto one
/// continuous output sequence (mediasoup `SeqManager`).
///
/// - Packets the consumer deliberately drops (a filtered temporal layer) are `skip`ped so the
///   output has no hole where nothing was lost.
/// - `resync` makes the next packet of a new source (layer switch, resume, new SSRC) follow the
///   last output number directly.
/// - Late packets of the current source keep the mapping that applied when they were sent.
/// Sequence numbers are unwrapped to 64 bits internally, so wraps at 65535 are invisible.
struct SequenceRewriter {
    /// Offset (input − output, extended) in force from `fromInput` on.
    private struct OffsetChange {
        var fromInput: Int64
        var offset: Int64
    }

    private var unwrapper = SequenceNumberUnwrapper()
    private var changes: [OffsetChange] = []
    private var highestInput: Int64?
    private var highestOutput: Int64
    private var pendingResync = true
    private static let historyLimit = 64

    /// `initialOutput` is the first output sequence number (random per consumer in mediasoup).
    init(initialOutput: UInt16) {
        highestOutput = Int64(initialOutput) - 1
        changes.reserveCapacity(Self.historyLimit)
    }

    /// The next input starts a new run (new source, or after a pause).
    mutating func resync() {
        pendingResync = true
    }

    /// Output number for `input`, or nil when the packet belongs before the current run.
    mutating func map(_ input: UInt16) -> UInt16? {
        let extended = unwrapped(input)
        if pendingResync {
            pendingResync = false
            record(OffsetChange(fromInput: extended, offset: extended - (highestOutput + 1)))
            highestInput = extended
            highestOutput += 1
            return UInt16(truncatingIfNeeded: highestOutput)
        }
        guard let offset = offset(for: extended) else { return nil }
        let output = extended - offset
        if let highest = highestInput, extended > highest {
            highestInput = extended
            highestOutput = max(highestOutput, output)
        }
        return UInt16(truncatingIfNeeded: output)
    }

    /// The consumer drops `input` on purpose: later packets move down by one.
    mutating func skip(_ input: UInt16) {
        let extended = unwrapped(input)
        if pendingResync { return }
        guard let highest = highestInput, extended > highest, let current = changes.last else { return }
        highestInput = extended
        record(OffsetChange(fromInput: extended + 1, offset: current.offset + 1))
    }

    /// Whether `input` is older than the newest packet of the current run: its output number is
    /// already reserved (later packets were mapped around it), so dropping it now would leave a
    /// hole the subscriber can never fill.
    func isReserved(_ input: UInt16) -> Bool {
        guard !pendingResync, let highest = highestInput else { return false }
        let delta = Int16(bitPattern: input &- UInt16(truncatingIfNeeded: highest))
        return delta < 0 && offset(for: highest + Int64(delta)) != nil
    }

    /// The last output number handed out.
    var lastOutput: UInt16 { UInt16(truncatingIfNeeded: highestOutput) }

    private mutating func unwrapped(_ input: UInt16) -> Int64 {
        if pendingResync { unwrapper = SequenceNumberUnwrapper() }
        return unwrapper.unwrap(input)
    }

    private func offset(for input: Int64) -> Int64? {
        for change in changes.reversed() where input >= change.fromInput {
            return change.offset
        }
        return nil
    }

    private mutating func record(_ change: OffsetChange) {
        if changes.count == Self.historyLimit { changes.removeFirst() }
        changes.append(change)
    }
}
