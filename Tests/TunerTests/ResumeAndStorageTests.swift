import Foundation
import Testing
@testable import Tuner

@Suite("Runner: storage, failures and resume")
struct ResumeAndStorageTests {
    @Test func failedTrialsAreRecordedAndResumeRerunsOnlyThem() async throws {
        let experiment = bitrateExperiment(values: [1_000_000], repetitions: 4)   // 2 candidates × 4 = 8 trials
        let out = temporaryDirectory()
        let flaky = CountingExecutor(failAfter: 3)
        let first = try await Sweep.run(experiment, options: SweepOptions(outDirectory: out, jobs: 1), executor: flaky, gitRevision: nil)
        #expect(await flaky.counter.calls == 8)
        #expect(first.results.trials.filter { $0.status == .failed }.count == 5)
        #expect(first.results.trials.first { $0.status == .failed }?.error?.contains("simulated crash") == true)
        #expect(RunStore(directory: out).load().count == 8)

        let healthy = CountingExecutor()
        let second = try await Sweep.run(experiment, options: SweepOptions(outDirectory: out, jobs: 2, resume: true),
                                         executor: healthy, gitRevision: nil)
        #expect(await healthy.counter.calls == 5)
        #expect(second.results.trials.allSatisfy { $0.status == .ok })
        #expect(second.results.trials.count == 8)
    }

    @Test func resumeSkipsStoredTrials() async throws {
        let experiment = bitrateExperiment(values: [1_000_000, 2_000_000], repetitions: 3)   // 9 trials
        let out = temporaryDirectory()
        let all = CountingExecutor()
        _ = try await Sweep.run(experiment, options: SweepOptions(outDirectory: out, jobs: 2), executor: all, gitRevision: nil)
        #expect(await all.counter.calls == 9)
        let store = RunStore(directory: out)
        let ids = store.load().keys.sorted()
        for id in ids.prefix(2) { try FileManager.default.removeItem(at: store.trialURL(id)) }

        let resumed = CountingExecutor()
        let outcome = try await Sweep.run(experiment, options: SweepOptions(outDirectory: out, jobs: 2, resume: true),
                                          executor: resumed, gitRevision: nil)
        #expect(await resumed.counter.calls == 2)
        #expect(outcome.results.trials.count == 9)

        let fresh = CountingExecutor()
        _ = try await Sweep.run(experiment, options: SweepOptions(outDirectory: out, jobs: 2, resume: false), executor: fresh, gitRevision: nil)
        #expect(await fresh.counter.calls == 9)
    }

    @Test func resumeWithoutOutFindsTheLatestRun() async throws {
        let reports = temporaryDirectory()
        let experiment = bitrateExperiment(values: [1_000_000], repetitions: 2)
        let first = try await Sweep.run(experiment, options: SweepOptions(reportsRoot: reports), executor: CountingExecutor(), gitRevision: nil)
        #expect(first.runDirectory.deletingLastPathComponent().lastPathComponent == "test")
        let again = CountingExecutor()
        let second = try await Sweep.run(experiment, options: SweepOptions(reportsRoot: reports, resume: true), executor: again, gitRevision: nil)
        #expect(second.runDirectory.standardizedFileURL.path == first.runDirectory.standardizedFileURL.path)
        #expect(await again.counter.calls == 0)
    }

    @Test func reportFilesAreWrittenAndResultsParse() async throws {
        let out = temporaryDirectory()
        let experiment = bitrateExperiment(values: [1_000_000, 2_000_000], repetitions: 6)
        let outcome = try await Sweep.run(experiment, options: SweepOptions(outDirectory: out), executor: FakeExecutor(), gitRevision: "abc123")
        for name in ["results.json", "trials.csv", "report.md", "report.html", "plan.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name) missing")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("results.json"))) as? [String: Any]
        let object = try #require(json)
        #expect(object.keys.contains("winner"))
        #expect(object["schemaVersion"] as? Int == 1)
        #expect((object["trials"] as? [Any])?.count == 18)
        #expect((object["tool"] as? [String: Any])?["gitRevision"] as? String == "abc123")
        let reloaded = try ResultsDocument.load(from: out.appendingPathComponent("results.json"))
        #expect(reloaded.winner == outcome.winner)
        let csv = try String(contentsOf: out.appendingPathComponent("trials.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 19)
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<svg viewBox"))
        #expect(!html.contains("<script"))
        #expect(html.contains("prefers-color-scheme:dark"))
        #expect(html.components(separatedBy: "<svg").count - 1 >= 3)
        // Leftover temporary files would mean a non-atomic write.
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(!names.contains { $0.hasSuffix(".tmp") })

        let compared = try RunComparison(first: reloaded, second: reloaded).write(to: out)
        #expect(FileManager.default.fileExists(atPath: compared.path))
    }

    @Test func failedMultiFileWriteLeavesNothing() throws {
        let dir = temporaryDirectory()
        let blocker = dir.appendingPathComponent("blocker")
        try Data("x".utf8).write(to: blocker)
        let good = dir.appendingPathComponent("report.md")
        #expect(throws: TunerError.self) {
            try AtomicFile.writeAll([(good, Data("report".utf8)), (blocker.appendingPathComponent("report.html"), Data("x".utf8))])
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(names == ["blocker"])
    }

    @Test func failedWriteKeepsThePreviousFile() throws {
        let dir = temporaryDirectory()
        let target = dir.appendingPathComponent("results.json")
        try AtomicFile.write(Data("old".utf8), to: target)
        let blocked = dir.appendingPathComponent("results.json/inner.json")
        #expect(throws: TunerError.self) { try AtomicFile.write(Data("new".utf8), to: blocked) }
        #expect(try String(contentsOf: target, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["results.json"])
    }

    @Test func reportRerenderFailsCleanlyOnABadResultsFile() throws {
        let dir = temporaryDirectory()
        try Data(#"{"schemaVersion": 99}"#.utf8).write(to: dir.appendingPathComponent("results.json"))
        #expect(throws: TunerError.self) { try ResultsDocument.load(from: dir.appendingPathComponent("results.json")) }
    }
}

@Suite("results.json")
struct ResultsJSONTests {
    @Test func winnerIsNullWhenThereIsNoneAndSeedsSurviveARoundTrip() async throws {
        let out = temporaryDirectory()
        let experiment = bitrateExperiment(values: [1_000_000], repetitions: 3)
        let outcome = try await Sweep.run(experiment, options: SweepOptions(outDirectory: out), executor: FakeExecutor(), gitRevision: nil)
        #expect(outcome.winner == nil)
        let text = try String(contentsOf: out.appendingPathComponent("results.json"), encoding: .utf8)
        #expect(text.contains("\"winner\" : null"))
        let reloaded = try ResultsDocument.load(from: out.appendingPathComponent("results.json"))
        #expect(reloaded.seeds == outcome.results.seeds)
        #expect(reloaded.trials == outcome.results.trials)
    }
}

@Suite("Resume after editing the experiment")
struct ResumeEditedTests {
    @Test func trialsOfAnotherSpecAreNotReused() async throws {
        let out = temporaryDirectory()
        _ = try await Sweep.run(bitrateExperiment(values: [1_000_000], repetitions: 2), options: SweepOptions(outDirectory: out),
                                executor: CountingExecutor(), gitRevision: nil)
        var edited = bitrateExperiment(values: [1_000_000], repetitions: 2)
        edited.duration = .seconds(25)
        let counting = CountingExecutor()
        let outcome = try await Sweep.run(edited, options: SweepOptions(outDirectory: out, resume: true), executor: counting, gitRevision: nil)
        #expect(await counting.counter.calls == 4)
        #expect(outcome.results.trials.count == 4)
    }
}
