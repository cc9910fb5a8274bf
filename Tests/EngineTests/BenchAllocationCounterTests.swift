import CAllocationCounter
import Engine
import Foundation
import Synchronization
import Testing

/// The allocation counter behind `sfulab bench forward` counts real heap allocations, on the
/// calling thread only; and the forwarding workload it measures allocates nothing per packet.
@Suite(.enabled(if: sfulab_allocation_counter_is_supported(), "the counter interposes glibc's malloc (Linux, no sanitizer)"))
struct BenchAllocationCounterTests {
    /// Keeps the optimizer from removing an allocation whose result is otherwise unused.
    @inline(never)
    static func consume(_ bytes: [UInt8]) -> Int { bytes.count &+ Int(bytes[bytes.count / 2]) }

    @Test func countsOneAllocationPerArrayBuiltInALoop() {
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

    @Test func countsOnlyTheCallingThread() {
        // Synchronous on purpose: an `await` could resume on another thread, or let this thread
        // run other tests' work while the counter is on.
        let done = DispatchSemaphore(value: 0)
        let total = Mutex(0)
        sfulab_allocation_counter_start()
        let thread = Thread {
            var sum = 0
            for index in 0..<200 { sum &+= Self.consume([UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 512)) }
            total.withLock { $0 = sum }
            done.signal()
        }
        thread.start()
        done.wait()
        let counted = sfulab_allocation_counter_stop()
        #expect(total.withLock { $0 } > 0)
        // Starting a thread allocates a little on this one; the other thread's 200 arrays never count.
        #expect(counted.allocations < 50)
    }

    /// Debug builds call unspecialized standard-library generics (`IndexingIterator.next()`,
    /// `Collection.first`) that allocate, so the zero-allocation target only holds in optimized
    /// builds: `swift test -c release --filter BenchAllocationCounterTests`.
    static let isOptimized: Bool = {
        #if DEBUG
        false
        #else
        true
        #endif
    }()

    @Test(.enabled(if: isOptimized, "allocation-free forwarding is a release-build property"),
          arguments: [(0, false), (1, false), (10, false), (10, true)])
    func steadyStateForwardingAllocatesNothingPerPacket(consumers: Int, simulcast: Bool) throws {
        let workload = try ForwardBenchmark(.init(consumers: consumers, simulcast: simulcast))
        workload.warmUp()
        let packets = 10 * workload.packetsPerCycle
        sfulab_allocation_counter_start()
        let totals = workload.run(packets: packets, allocationReader: { sfulab_allocation_counter_read().allocations })
        let counts = sfulab_allocation_counter_stop()
        let forwarding = Int(counts.allocations) - totals.timeoutAllocations
        #expect(totals.packets == packets)
        #expect(totals.timeouts > 0)
        #expect(Double(totals.consumerCopies) == workload.expectedCopiesPerPacket * Double(packets))
        #expect(forwarding == 0, "allocations outside handleTimeout: \(forwarding)")
    }

    @Test(.enabled(if: isOptimized, "allocation-free forwarding is a release-build property"))
    func withoutTimersTheWholeLoopAllocatesNothing() throws {
        let workload = try ForwardBenchmark(.init(consumers: 5, drivesTimers: false))
        workload.warmUp()
        sfulab_allocation_counter_start()
        let totals = workload.run(packets: 2_000)
        let counts = sfulab_allocation_counter_stop()
        #expect(totals.timeouts == 0)
        #expect(totals.consumerCopies == 10_000)
        #expect(counts.allocations == 0)
    }

    /// In any build, the workload's copies and timers behave: every consumer gets the top layer.
    @Test(arguments: [false, true])
    func workloadForwardsTheTopLayerToEveryConsumer(simulcast: Bool) throws {
        let workload = try ForwardBenchmark(.init(consumers: 4, simulcast: simulcast))
        // Simulcast consumers start on the first layer that arrives and take each higher one at
        // its first key frame: the first frame goes to lower layers (docs/bitrate-allocation.md).
        workload.warmUp(packets: workload.packetsPerCycle)
        let totals = workload.run(packets: 2 * workload.packetsPerCycle)
        #expect(Double(totals.consumerCopies) == workload.expectedCopiesPerPacket * Double(totals.packets))
        #expect(totals.timeouts > 0)
        #expect(workload.engine.counters.totalDropped == 0)
    }

    @Test func everyConsumerReceivesEveryPacketOfThePlainStream() throws {
        let workload = try ForwardBenchmark(.init(consumers: 3))
        let totals = workload.run(packets: 600)
        // Each consumer starts at the first (key) frame and forwards every temporal layer.
        #expect(totals.consumerCopies == 1_800)
        #expect(totals.transmits >= 1_800)
        #expect(workload.engine.counters.totalDropped == 0)
    }

    @Test func rejectsANegativeConsumerCount() {
        #expect(throws: Engine.ControlError.self) { try ForwardBenchmark(.init(consumers: -1)) }
    }

    /// Without consumers the packets are received (statistics, NACK state) and copied nowhere:
    /// what `sfulab bench forward` measures as the ingress cost.
    @Test func withoutConsumersPacketsAreReceivedAndNotForwarded() throws {
        let workload = try ForwardBenchmark(.init(consumers: 0))
        let totals = workload.run(packets: 600)
        #expect(totals.packets == 600)
        #expect(totals.consumerCopies == 0)
        #expect(workload.engine.counters.rtpPacketsReceived == 600)
        #expect(workload.engine.counters.packetsForwarded == 0)
        #expect(workload.engine.counters.totalDropped == 0)
    }
}
