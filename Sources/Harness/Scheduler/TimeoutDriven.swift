import Engine

/// A sans-IO component driven by time from outside: it says when it next needs attention and is
/// told when that time has come. Engine parts, links and simulated participants share this shape,
/// so a trial runner can drive them all from one `VirtualScheduler`.
public protocol TimeoutDriven {
    /// The earliest instant at which `handleTimeout(now:)` should be called, or nil when the
    /// component has nothing pending. Calling earlier is harmless; calling later delays work.
    func nextDeadline() -> Instant?

    /// Lets the component do everything that is due at or before `now`.
    mutating func handleTimeout(now: Instant)
}

/// The earliest of some optional deadlines (nil when all are nil).
@inlinable
public func earliestDeadline(_ deadlines: Instant?...) -> Instant? {
    earliestDeadline(of: deadlines)
}

/// The earliest of a sequence of optional deadlines (nil when all are nil).
@inlinable
public func earliestDeadline<S: Sequence>(of deadlines: S) -> Instant? where S.Element == Instant? {
    var best: Instant?
    for case let deadline? in deadlines where best.map({ deadline < $0 }) ?? true {
        best = deadline
    }
    return best
}
