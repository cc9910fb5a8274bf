import Engine
import Foundation
import Testing
@testable import Tuner

@Suite("Experiments: loading, checks, expansion and seeds")
struct ExperimentTests {
    let loader = ExperimentLoader()

    func problems(_ yaml: String) -> [TunerDiagnostic] {
        do {
            _ = try loader.resolve(yaml: yaml, file: "e.yaml")
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test func liveOnlyKnobIsRefusedInSimulatedMode() throws {
        let yaml = """
        name: workers
        sweep:
          - key: worker.count
            values: [1, 2]
        repetitions: 6
        """
        let found = problems(yaml)
        #expect(found.count == 1)
        let d = try #require(found.first)
        #expect(d.code == .liveOnlyKnob)
        #expect(d.line == 3 && d.column == 10)
        #expect(d.message.contains("worker.count") && d.message.contains("CPU parallelism"))
        #expect(problems(yaml + "\nmode: live\n").isEmpty)
        #expect(throws: DiagnosticsError.self) { try loader.resolve(yaml: yaml + "\nmode: live\n", file: "e.yaml", modeOverride: .simulated) }
    }

    @Test func srtpCryptoSuitesAreLiveOnlyAndCheckedByName() throws {
        let yaml = """
        name: srtp
        sweep:
          - key: webRtcTransport.srtpCryptoSuites
            values: [[AEAD_AES_128_GCM], [AES_CM_128_HMAC_SHA1_80, AEAD_AES_256_GCM]]
        repetitions: 3
        """
        let found = problems(yaml)
        #expect(found.map(\.code) == [.liveOnlyKnob])
        #expect(found.first?.message.contains("do not encrypt") == true)
        #expect(problems(yaml + "\nmode: live\n").isEmpty)
        let misspelt = yaml.replacingOccurrences(of: "[AEAD_AES_128_GCM]", with: "[AEAD_AES_128_GMC]") + "\nmode: live\n"
        #expect(!problems(misspelt).isEmpty, "an unknown suite name is an error, not ignored")
    }

    @Test func srtpBackendIsLiveOnlyAndCheckedByName() throws {
        let yaml = """
        name: srtp-backend
        sweep:
          - key: webRtcTransport.srtpBackend
            values: [libsrtp2, openssl]
        repetitions: 3
        """
        let found = problems(yaml)
        #expect(found.map(\.code) == [.liveOnlyKnob])
        let refusal = try #require(found.first)
        #expect(refusal.line == 3 && refusal.column == 10)
        #expect(refusal.message.contains("webRtcTransport.srtpBackend") && refusal.message.contains("do not encrypt"))
        #expect(problems(yaml + "\nmode: live\n").isEmpty)
        let (experiment, _) = try loader.resolve(yaml: yaml + "\nmode: live\n", file: "e.yaml")
        let plan = try SweepPlan(experiment: experiment)
        #expect(plan.candidates.map(\.profile.webRtcTransport.srtpBackend) == [.libsrtp2, .libsrtp2, .openssl])  // base first

        let misspelt = problems(yaml.replacingOccurrences(of: "openssl]", with: "opensll]") + "\nmode: live\n")
        let d = try #require(misspelt.first)
        #expect(misspelt.count == 1)
        #expect(d.keyPath == "sweep[0].values[1]")
        #expect(d.line == 4 && d.column == 24)
        #expect(d.fix == "did you mean `openssl`? allowed: `libsrtp2`, `openssl`")
    }

    @Test func unknownSweepKeyHasDidYouMean() throws {
        let yaml = """
        sweep:
          - key: feedback.nack.maxRetrys
            values: [3]
        """
        let d = try #require(problems(yaml).first)
        #expect(d.code == .unknownKey)
        #expect(d.line == 2 && d.column == 10)
        #expect(d.fix == "did you mean `feedback.nack.maxRetries`?")
    }

    @Test func badSweepValueIsPositionedAtTheValue() throws {
        let yaml = "sweep:\n  - key: feedback.nack.enabled\n    values: [true, sometimes]\n"
        let d = try #require(problems(yaml).first)
        #expect(d.code == .typeMismatch)
        #expect(d.keyPath == "sweep[0].values[1]")
        #expect(d.line == 3 && d.column == 20)
    }

    @Test func everyExperimentProblemIsReportedTogether() {
        let yaml = """
        network: [4gg]
        duration: soon
        objectiv: {minimize: x}
        constraints: ["latency about 3"]
        """
        let codes = problems(yaml).map(\.keyPath)
        #expect(codes == ["network[0]", "duration", "objectiv", "constraints[0]"])
    }

    @Test func rangesExpandLinearAndLog() throws {
        let yaml = """
        sweep:
          - key: webRtcTransport.initialAvailableOutgoingBitrate
            range: {from: 100000, to: 10000000, steps: 3, scale: log}
          - key: feedback.nack.timerInterval
            range: {from: 20, to: 60, steps: 3}
        repetitions: 12
        """
        let (experiment, warnings) = try loader.resolve(yaml: yaml, file: "e.yaml")
        #expect(warnings.isEmpty)
        #expect(experiment.axes[0].values == [.scalar("100000"), .scalar("1000000"), .scalar("10000000")])
        #expect(experiment.axes[1].values == [.scalar("20"), .scalar("40"), .scalar("60")])
        let plan = try SweepPlan(experiment: experiment)
        #expect(plan.candidates.count == 10)
        #expect(plan.candidates[1].name == "webRtcTransport.initialAvailableOutgoingBitrate=100000, feedback.nack.timerInterval=20")
        #expect(plan.candidates[1].profile.webRtcTransport.initialAvailableOutgoingBitrate == 100_000)
    }

    @Test func seedsAreSharedAcrossCandidatesAndHashesAreStable() throws {
        let experiment = bitrateExperiment(values: [600_000, 1_000_000], repetitions: 3)
        let plan = try SweepPlan(experiment: experiment)
        #expect(plan.candidates[0].configHash == plan.candidates[1].configHash)   // 600000 is the default
        #expect(plan.candidates[0].configHash != plan.candidates[2].configHash)
        #expect(try SweepPlan.configHash(Profile()) == plan.candidates[0].configHash)
        let trials = plan.trials()
        #expect(trials.count == 9)
        let seedsByCandidate = Dictionary(grouping: trials, by: \.candidate).mapValues { $0.map(\.seed) }
        #expect(seedsByCandidate[0] == seedsByCandidate[2])
        #expect(Set(seedsByCandidate[0]!).count == 3)
        #expect(Set(trials.map(\.id)).count == 9)
        let again = try SweepPlan(experiment: experiment).trials()
        #expect(again.map(\.id) == trials.map(\.id))
    }

    @Test func randomStrategySamplesTheGrid() throws {
        var experiment = bitrateExperiment(values: [700_000, 800_000, 900_000, 1_000_000, 1_100_000])
        experiment.strategy = .random(samples: 2)
        let plan = try SweepPlan(experiment: experiment)
        #expect(plan.candidates.count == 3)
        #expect(try SweepPlan(experiment: experiment).candidates.map(\.name) == plan.candidates.map(\.name))
    }

    @Test func inlineBaseAndInlineNetwork() throws {
        let yaml = """
        base:
          webRtcTransport: {initialAvailableOutgoingBitrate: 900000}
        network:
          - name: custom
            uplink: {delay: 20, loss: 0.01}
            downlink: {delay: 20}
          - 3g
        objective:
          - minimize: frameLatency.p95
          - maximize: receivedBitrate.mean
        strategy: {kind: random, samples: 3}
        repetitions: 6
        """
        let (experiment, _) = try loader.resolve(yaml: yaml, file: "e.yaml")
        #expect(experiment.base.webRtcTransport.initialAvailableOutgoingBitrate == 900_000)
        #expect(experiment.networks.map(\.name) == ["custom", "3g"])
        #expect(experiment.networks[0].uplink.loss == 0.01 && experiment.networks[0].downlink.jitter == 0)
        #expect(experiment.objectives.count == 2)
        #expect(experiment.strategy == .random(samples: 3))
    }
}

@Suite("Shipped YAML files")
struct ShippedFilesTests {
    @Test func everyShippedFileValidates() throws {
        var files = ["Profiles/baseline.yaml"]
        let experiments = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("Experiments").path)
        files += experiments.filter { $0.hasSuffix(".yaml") }.map { "Experiments/\($0)" }
        #expect(files.count >= 9)
        for file in files {
            let result = FileValidator().validate(repositoryRoot.appendingPathComponent(file).path)
            #expect(result.ok, "\(file): \(result.diagnostics.map(\.description))")
            #expect(result.kind != nil)
        }
    }

    @Test func baselineYAMLIsTheProfileDefaults() throws {
        let profile = try ExperimentLoader().loadProfile(at: repositoryRoot.appendingPathComponent("Profiles/baseline.yaml").path)
        #expect(profile == Profile())
    }

    @Test func quickstartIsSmall() throws {
        let (experiment, _) = try ExperimentLoader().loadExperiment(at: repositoryRoot.appendingPathComponent("Experiments/quickstart.yaml").path)
        let plan = try SweepPlan(experiment: experiment)
        // The README's first command must finish in minutes on 2 cores, build included: at most
        // 24 trials of 20 simulated seconds, with enough repetitions for a verdict to be possible.
        #expect(plan.trials().count <= 24)
        #expect(experiment.repetitions >= 7)
        #expect(experiment.duration == .seconds(20))
        #expect(experiment.networks.map(\.name) == ["4g"])
    }

    @Test func validatorTellsKindsApartAndRejectsUnknownKind() throws {
        let dir = temporaryDirectory()
        let network = dir.appendingPathComponent("net.yaml")
        try Data("name: lossy\nuplink: {loss: 0.1}\ndownlink: {loss: 0.1, jiter: 3}\n".utf8).write(to: network)
        let result = FileValidator().validate(network.path)
        #expect(result.kind == .network)
        #expect(result.diagnostics.map(\.keyPath) == ["downlink.jiter"])
        #expect(result.diagnostics.first?.fix == "did you mean `jitter`?")
        let odd = dir.appendingPathComponent("odd.yaml")
        try Data("kind: profil\n".utf8).write(to: odd)
        #expect(FileValidator().validate(odd.path).diagnostics.first?.fix == "did you mean `profile`?")
    }
}

@Suite("Sweep key paths")
struct SweepKeyPathTests {
    @Test func indexedKeysPatchListEntries() throws {
        let patched = ProfilePatch.apply([("producer.encodings[2].maxBitrate", .scalar("2500000"))], to: Profile())
        #expect(patched.value?.producer.encodings[2].maxBitrate == 2_500_000)
        #expect(patched.value?.producer.encodings[1].maxBitrate == 500_000)
    }

    @Test func outOfRangeIndexIsAnError() throws {
        let yaml = "sweep:\n  - key: producer.encodings[5].maxBitrate\n    values: [1]\nrepetitions: 6\n"
        do {
            _ = try ExperimentLoader().resolve(yaml: yaml, file: "e.yaml")
            Issue.record("expected an error")
        } catch {
            let d = try #require(error.diagnostics.first)
            #expect(d.code == .unknownKey && d.line == 2)
            #expect(d.message.contains("out of range"))
        }
    }

    @Test func twoAxisSweepDrawsAHeatmap() async throws {
        var experiment = bitrateExperiment(values: [1_000_000, 2_000_000], repetitions: 2)
        experiment.axes.append(SweepAxis(key: "feedback.nack.maxRetries", values: [.scalar("5"), .scalar("20")]))
        let out = temporaryDirectory()
        _ = try await Sweep.run(experiment, options: SweepOptions(outDirectory: out), executor: FakeExecutor(), gitRevision: nil)
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("Sweep surface"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 4)
    }
}

@Suite("Positions of defaulted keys")
struct DefaultPositionTests {
    @Test func warningAboutADefaultPointsAtTheFileNotAtGeneratedYAML() throws {
        let yaml = "name: short\nsweep:\n  - key: feedback.nack.maxRetries\n    values: [3]\n"
        let (_, warnings) = try ExperimentLoader().resolve(yaml: yaml, file: "e.yaml")
        let w = try #require(warnings.first)
        #expect(w.severity == .warning && w.keyPath == "repetitions")
        #expect(w.line == 1 && w.column == 1)
    }
}
