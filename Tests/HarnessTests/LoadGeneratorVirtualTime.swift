import Engine
@testable import Harness

extension LiveLoadGenerator {
    /// Runs this generator against an in-process `engine` (its `SessionControl`) in virtual time
    /// until its end, handing every datagram it sends to `sent` before the engine reads it.
    func runInVirtualTime(against engine: Engine, sent: (Transmit) -> Void = { _ in }) {
        var now = Instant.zero
        while now < end {
            handleTimeout(now: now)
            for transmit in takeTransmits() {
                sent(transmit)
                engine.handleDatagram(from: transmit.from, to: transmit.to, bytes: transmit.bytes, now: now)
            }
            engine.handleTimeout(now: now)
            while let output = engine.poll() {
                if case .transmit(let transmit) = output { receive(Array(transmit.bytes), from: transmit.from, now: now) }
            }
            // The engine's outputs may be due at once on a zero-delay link: step again at `now`.
            let next = [nextDeadline(), engine.nextDeadline(), end].compactMap { $0 }.min()!
            now = max(next, now + .microseconds(100))
        }
    }
}
