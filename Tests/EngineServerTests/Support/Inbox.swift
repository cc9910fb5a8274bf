import Foundation

/// Packets a test peer received, with a bounded wait for them: `wait(until:)` returns as soon as
/// the condition holds, or at the deadline (never sleeps for a fixed time).
final class Inbox: @unchecked Sendable {
    private let condition = NSCondition()
    private var packets: [[UInt8]] = []

    func append(_ packet: [UInt8]) {
        condition.lock()
        packets.append(packet)
        condition.broadcast()
        condition.unlock()
    }

    var all: [[UInt8]] {
        condition.lock()
        defer { condition.unlock() }
        return packets
    }

    /// Waits until `predicate` holds for the packets (or `timeout` passes); returns the packets.
    @discardableResult
    func wait(timeout: TimeInterval = 10, until predicate: ([[UInt8]]) -> Bool) -> [[UInt8]] {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while !predicate(packets), condition.wait(until: deadline) {}
        return packets
    }
}

import NIOCore

/// The future's value, or nil when it has not completed within `seconds`.
func waitFor<Value: Sendable>(_ future: EventLoopFuture<Value>, seconds: Int64) throws -> Value? {
    let promise = future.eventLoop.makePromise(of: Value?.self)
    future.whenComplete { result in
        switch result {
        case .success(let value): promise.succeed(value)
        case .failure(let error): promise.fail(error)
        }
    }
    future.eventLoop.scheduleTask(in: .seconds(seconds)) { promise.succeed(nil) }
    return try promise.futureResult.wait()
}
