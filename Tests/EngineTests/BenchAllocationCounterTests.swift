import CAllocationCounter
import Engine
import Testing

/// The allocation counter behind `sfulab bench forward` counts real heap allocations, on the
/// calling thread only; and the forwarding workload it measures allocates nothing per packet.
@Suite struct BenchAllocationCounterTests {
    /// Keeps the optimizer from removing an allocation whose result is otherwise unused.
    @inline(never)
    static func consume(_ bytes: [UInt8]) -> Int { bytes.count &+ Int(bytes[bytes.count / 2]) }

    @Test func countsOneAllocationPerArrayBuiltInALoop() {
        #expect(sfulab_allocation_counter_is_supported())
        let packets = 1_000
        var sink = 0
        sfulab_allocation_counter_start()
        for index in 0..<packets {
            // What a careless hot path does: a fresh [UInt8] per packet.
            let packet = [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 1_200)
            sink &+= Self.consume(packet)
        }
        let counts = sfulab_allocation_counter_stop()
        #expect(sink != 0)
        #expect(counts.allocations >= UInt64(packets))
        #expect(counts.frees >= UInt64(packets))
        #expect(counts.bytes >= UInt64(packets * 1_200))
    }

    @Test func countsNothingWhenStoppedOrWithoutAllocations() {
        sfulab_allocation_counter_start()
        var sum = 0
        for value in 0..<10_000 { sum &+= value &* 3 }
        let idle = sfulab_allocation_counter_stop()
        #expect(sum != 0)
        #expect(idle.allocations == 0)

        // After stop, allocations are not counted (and read reports the stopped totals).
        _ = Self.consume([UInt8](repeating: 7, count: 4_096))
        #expect(sfulab_allocation_counter_read().allocations == 0)
    }

    @Test func countsOnlyTheCallingThread() async {
        sfulab_allocation_counter_start()
        // Another task (on another thread, or this one after the await) allocates plenty.
        let other = await Task.detached { () -> Int in
            var total = 0
            for index in 0..<200 { total &+= Self.consume([UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 512)) }
            return total
        }.value
        let counted = sfulab_allocation_counter_stop()
        #expect(other > 0)
        // Swift concurrency itself may allocate a little on this thread; never the 200 arrays.
        #expect(counted.allocations < 200)
    }

    @Test(arguments: [(1, false), (10, false), (10, true)])
    func steadyStateForwardingAllocatesNothingPerPacket(consumers: Int, simulcast: Bool) throws {
        let workload = try ForwardBenchmark(.init(consumers: consumers, simulcast: simulcast))
        workload.warmUp()
        sfulab_allocation_counter_start()
        let totals = workload.run(packets: 3_000, allocationReader: { sfulab_allocation_counter_read().allocations })
        let counts = sfulab_allocation_counter_stop()
        let forwarding = Int(counts.allocations) - totals.timeoutAllocations
        #expect(totals.packets == 3_000)
        #expect(totals.timeouts > 0)
        #expect(Double(totals.consumerCopies) == workload.expectedCopiesPerPacket * 3_000)
        #expect(forwarding == 0, "allocations outside handleTimeout: \(forwarding)")
    }

    @Test func everyConsumerReceivesEveryPacketOfThePlainStream() throws {
        let workload = try ForwardBenchmark(.init(consumers: 3))
        let totals = workload.run(packets: 600)
        // Each consumer starts at the first (key) frame and forwards every temporal layer.
        #expect(totals.consumerCopies == 1_800)
        #expect(totals.transmits >= 1_800)
        #expect(workload.engine.counters.totalDropped == 0)
    }

    @Test func rejectsAWorkloadWithoutConsumers() {
        #expect(throws: Engine.ControlError.self) { try ForwardBenchmark(.init(consumers: 0)) }
    }
}
