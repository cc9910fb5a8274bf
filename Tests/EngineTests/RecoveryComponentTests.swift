@testable import Engine
import Testing

/// NACK generator, retransmission buffer and key-frame request manager, tested by what they
/// return for given inputs and times.
@Suite struct RecoveryComponentTests {
    @Test func nackGeneratorRequestsHolesAtOnceThenRetriesPerRTT() {
        var generator = NackGenerator(settings: NackSettings())
        _ = generator.received(sequence: 65_534, isKeyFrame: true, now: .zero)
        let outcome = generator.received(sequence: 2, isKeyFrame: false, now: .milliseconds(10))
        #expect(outcome.nackNow == [65_535, 0, 1])
        let value1 = generator.due(now: .milliseconds(50))
        #expect(value1.nack.isEmpty) // within the 100 ms default RTT
        let value2 = generator.due(now: .milliseconds(120))
        #expect(value2.nack == [65_535, 0, 1])
        _ = generator.received(sequence: 0, isKeyFrame: false, now: .milliseconds(130))
        #expect(generator.pendingCount == 2)
        #expect(generator.recoveredCount == 1)
    }

    @Test func nackGeneratorGivesUpAfterMaxRetries() {
        var settings = NackSettings()
        settings.maxRetries = 3
        var generator = NackGenerator(settings: settings)
        _ = generator.received(sequence: 10, isKeyFrame: false, now: .zero)
        _ = generator.received(sequence: 12, isKeyFrame: false, now: .zero)
        var time = Instant.zero
        var gaveUp = false
        for _ in 0..<10 {
            time = time + .milliseconds(150)
            let due = generator.due(now: time)
            gaveUp = gaveUp || due.requestKeyFrame
        }
        #expect(gaveUp)
        #expect(generator.pendingCount == 0)
        #expect(generator.abandonedCount == 1)
    }

    @Test func nackListOverflowAsksForKeyFrame() {
        var settings = NackSettings()
        settings.maxNackPackets = 50
        var generator = NackGenerator(settings: settings)
        _ = generator.received(sequence: 0, isKeyFrame: false, now: .zero)
        let outcome = generator.received(sequence: 200, isKeyFrame: false, now: .zero)
        #expect(outcome.requestKeyFrame)
        #expect(outcome.nackNow.isEmpty)
    }

    @Test func retransmissionBufferRefusesResendWithinOneRTT() {
        let pool = PacketPool()
        var buffer = RetransmissionBuffer(capacity: 16, maxAge: .seconds(2))
        let slot = [UInt8](repeating: 1, count: 100).withUnsafeBytes { pool.store($0)! }
        buffer.store(slot: slot, outputSequence: 7, outputTimestamp: 1, rewrite: .none, now: .zero, pool: pool)
        pool.release(slot)
        let value3 = buffer.takeForResend(sequence: 7, now: .milliseconds(50), rtt: .milliseconds(100))
        #expect(value3 != nil)
        let value4 = buffer.takeForResend(sequence: 7, now: .milliseconds(90), rtt: .milliseconds(100))
        #expect(value4 == nil)
        let value5 = buffer.takeForResend(sequence: 7, now: .milliseconds(160), rtt: .milliseconds(100))
        #expect(value5 != nil)
        let value6 = buffer.takeForResend(sequence: 8, now: .milliseconds(160), rtt: .milliseconds(100))
        #expect(value6 == nil)
        let value7 = buffer.takeForResend(sequence: 7, now: .seconds(3), rtt: .milliseconds(100))
        #expect(value7 == nil)
        buffer.clear(pool: pool)
        #expect(pool.inUse == 0)
    }

    @Test func keyFrameRequestsAreDebouncedAndRepeated() {
        var manager = KeyFrameRequestManager(delay: .zero, retransmissionWait: .seconds(1))
        let value8 = manager.request(now: .zero)
        #expect(value8)
        let value9 = manager.request(now: .milliseconds(100))
        #expect(!value9)
        #expect(manager.absorbedCount == 1)
        #expect(manager.nextDeadline() == .seconds(1))
        let value10 = manager.handleTimeout(now: .seconds(1))
        #expect(value10)
        manager.keyFrameReceived()
        #expect(manager.nextDeadline() == nil)
        let value11 = manager.request(now: .seconds(2))
        #expect(value11)
    }

    @Test func keyFrameRequestDelayMergesRequests() {
        var manager = KeyFrameRequestManager(delay: .milliseconds(200), retransmissionWait: .seconds(1))
        let value12 = manager.request(now: .zero)
        #expect(!value12)
        let value13 = manager.request(now: .milliseconds(50))
        #expect(!value13)
        let value14 = manager.handleTimeout(now: .milliseconds(100))
        #expect(!value14)
        let value15 = manager.handleTimeout(now: .milliseconds(200))
        #expect(value15)
        #expect(manager.sentCount == 1)
    }
}
