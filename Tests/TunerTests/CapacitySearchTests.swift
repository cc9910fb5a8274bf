import Engine
import Foundation
import Harness
import Testing
@testable import Tuner

/// A capacity search sweeps `workload.participants` and names the largest room that still meets
/// the constraints, with every smaller room meeting them too.
@Suite struct CapacitySearchTests {
    /// Freezes grow with the room by construction: 0.1 per participant per minute, plus noise.
    struct RoomExecutor: TrialExecutor {
        func run(_ spec: TrialSpec) async throws -> TrialResult {
            var noise = SeededGenerator(seed: spec.seed)
            let freezes = Double(spec.workload.participants) * 0.1 + noise.nextGaussian() * 0.01
            return TrialResult(metrics: ["freezesPerMinute": freezes, "frameLatency.p95": 100],
                               series: [:], simulatedSeconds: 10, wallSeconds: 0, mode: "simulated")
        }
    }

    func experiment(rooms: [Int], threshold: Double) -> Experiment {
        Experiment(name: "capacity", networks: [NetworkPresetCatalog.standard.lookup("4g")!], duration: .seconds(10),
                   axes: [SweepAxis(key: "workload.participants", values: rooms.map { .scalar(String($0)) })],
                   repetitions: 3, seed: 2,
                   constraints: [Constraint(metric: "freezesPerMinute", comparison: .less, threshold: threshold)])
    }

    @Test func largestRoomMeetingTheConstraintsIsNamed() async throws {
        let outcome = try await Sweep.run(experiment(rooms: [10, 25, 5, 50], threshold: 3), options:
            SweepOptions(outDirectory: temporaryDirectory(), jobs: 2), executor: RoomExecutor(), gitRevision: nil)
        // The baseline room is the experiment's default workload (5 participants).
        #expect(outcome.results.capacity?.tested == [5, 5, 10, 25, 50])
        #expect(outcome.results.capacity?.largest == 25)
        #expect(outcome.results.verdict.contains("Capacity: 25 participants"))
        // Each candidate ran with its own room.
        let rooms = Set(outcome.results.trials.compactMap { $0.result?.metrics["freezesPerMinute"] }.map { Int(($0 * 10).rounded()) })
        #expect(rooms == [5, 10, 25, 50])
        let json = try String(contentsOf: outcome.reportHTML.deletingLastPathComponent().appendingPathComponent("results.json"), encoding: .utf8)
        #expect(json.contains("\"capacity\""))
    }

    @Test func noRoomFitsWhenTheSmallestFails() async throws {
        let outcome = try await Sweep.run(experiment(rooms: [10, 20], threshold: 0.2), options:
            SweepOptions(outDirectory: temporaryDirectory(), jobs: 1), executor: RoomExecutor(), gitRevision: nil)
        #expect(outcome.results.capacity != nil)
        #expect(outcome.results.capacity?.largest == nil)
        #expect(outcome.results.verdict.contains("no room tested"))
    }

    @Test func bisectionRunsFewerRoomsAndFindsTheSameCapacity() async throws {
        var search = experiment(rooms: Array(stride(from: 5, through: 60, by: 5)), threshold: 2.75)
        search.strategy = .capacitySearch
        let outcome = try await Sweep.run(search, options: SweepOptions(outDirectory: temporaryDirectory(), jobs: 2),
                                          executor: RoomExecutor(), gitRevision: nil)
        let capacity = try #require(outcome.results.capacity)
        // Smallest (the baseline's 5), largest (60), then 30, 15, 20, 25: the boundary lies between 25 and 30.
        #expect(capacity.tested == [5, 15, 20, 25, 30, 60])
        #expect(capacity.skipped == [5, 10, 35, 40, 45, 50, 55])
        #expect(capacity.largest == 25)
        #expect(outcome.results.trials.count == 6 * 3)
        #expect(outcome.results.verdict.contains("Bisection skipped"))

        // The grid over the same rooms reaches the same verdict with every room run.
        var grid = search
        grid.strategy = .grid
        let full = try await Sweep.run(grid, options: SweepOptions(outDirectory: temporaryDirectory(), jobs: 2),
                                       executor: RoomExecutor(), gitRevision: nil)
        #expect(full.results.capacity?.largest == 25)
        #expect(full.results.trials.count == 13 * 3)
    }

    @Test func bisectionStopsAtTheSmallestRoomWhenItFails() async throws {
        var search = experiment(rooms: [10, 20, 40], threshold: 0.2)
        search.strategy = .capacitySearch
        let outcome = try await Sweep.run(search, options: SweepOptions(outDirectory: temporaryDirectory(), jobs: 1),
                                          executor: RoomExecutor(), gitRevision: nil)
        #expect(outcome.results.capacity?.largest == nil)
        #expect(outcome.results.capacity?.tested == [5])
        #expect(outcome.results.trials.count == 3)
    }

    @Test func capacityStrategyNeedsTheRoomAxisAlone() throws {
        let yaml = """
            kind: experiment
            name: bad
            network: [4g]
            duration: 10s
            strategy: capacity
            sweep:
              - key: workload.participants
                values: [5, 10]
              - key: webRtcTransport.initialAvailableOutgoingBitrate
                values: [600000, 1000000]
            repetitions: 2
            objective:
              minimize: frameLatency.p95
            """
        let file = temporaryDirectory().appendingPathComponent("bad.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: DiagnosticsError.self) { try ExperimentLoader().loadExperiment(at: file.path) }
        let text = error?.description ?? ""
        #expect(text.contains(":5:") && text.contains("`capacity` bisects over room sizes"))
    }

    @Test func unknownWorkloadKeysAndBadRoomsAreRefusedWithTheirPlace() throws {
        let yaml = """
            kind: experiment
            name: bad
            network: [4g]
            duration: 10s
            sweep:
              - key: workload.participants
                values: [5, one]
              - key: workload.bandwidth
                values: [1]
            repetitions: 2
            objective:
              minimize: frameLatency.p95
            """
        let file = temporaryDirectory().appendingPathComponent("bad.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: DiagnosticsError.self) { try ExperimentLoader().loadExperiment(at: file.path) }
        let text = error?.description ?? ""
        #expect(text.contains(":7:") && text.contains("`one` is not a participant count"))
        #expect(text.contains("`workload.bandwidth` cannot be swept"))
    }
}
