import ArgumentParser
import Engine
import Foundation
import Harness
import Tuner

/// `sfulab trial`: runs one trial and prints its metrics.
struct TrialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trial",
        abstract: "Run one trial (simulated, or live against the engine server) and print what it measured.",
        discussion: """
            Either --spec FILE.json (a whole TrialSpec, as the sweep runner writes them), a recorded
            --workload FILE.sfuw, or a synthesized meeting from --participants/--kind/--device, with
            a --network preset.
            Same spec and seed give the same metrics; --reproducible leaves out wallSeconds so the
            JSON is byte-identical run to run (simulated mode only: live trials run in real time).
            --mode live starts `sfulab serve` with the profile (or uses --engine URL) and runs the
            same participants over real sockets on 127.0.0.1 (docs/live-mode.md).
            """)

    @Option(help: "A TrialSpec JSON file (profile, workload, network, duration, seed).")
    var spec: String?

    @Option(help: "Profile YAML (mediasoup vocabulary); the built-in baseline when absent.")
    var profile: String?

    @Option(help: "A workload file (.sfuw): participants, streams and media from the recording instead of a synthesized meeting.")
    var workload: String?

    @Option(help: "Participants in a synthesized workload.")
    var participants: Int = 5

    @Option(help: "Workload kind: meeting, webinar, screen or audio.")
    var kind: String = "meeting"

    @Option(help: "Devices: desktop, mobile or mixed.")
    var device: String = "desktop"

    @Option(help: "Network preset (\(NetworkScenario.presetNames.joined(separator: ", "))).")
    var network: String = "desktop-broadband"

    @Option(help: "Simulated duration, e.g. 30s, 2m, 500ms.")
    var duration: String = "30s"

    @Option(help: "Seed for every random draw in the trial.")
    var seed: UInt64 = 1

    @Flag(help: "Print JSON on stdout.")
    var json = false

    @Flag(help: "Leave wallSeconds out of the JSON so that it is byte-identical for the same seed.")
    var reproducible = false

    @OptionGroup var live: LiveTrialOptions

    func run() throws {
        let trialSpec: TrialSpec
        do { trialSpec = try makeSpec() } catch let error as DiagnosticsError {
            printError(error.description)
            throw ExitCode(2)
        } catch let error as ValidationError {
            printError("error: \(error.message)")
            throw ExitCode(2)
        }
        var result: TrialResult
        if live.mode == .live {
            result = try live.runLive(trialSpec)
        } else {
            let clock = ContinuousClock()
            let started = clock.now
            do {
                result = try TrialRunner(traceDirectory: FileManager.default.currentDirectoryPath).run(trialSpec)
            } catch let error as TrialError {
                printError("error: \(error.description)")
                throw ExitCode(2)
            }
            result.wallSeconds = (clock.now - started).secondsDouble
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            var object = try JSONSerialization.jsonObject(with: encoder.encode(result)) as! [String: Any]
            if reproducible { object["wallSeconds"] = nil }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            let who = trialSpec.workload.file ?? "\(trialSpec.workload.participants) participants"
            print("trial: \(who), \(trialSpec.network.name), "
                + "\(trialSpec.duration.secondsDouble)s \(result.mode) in \(String(format: "%.2f", result.wallSeconds))s")
            for (impairment, place) in (result.liveImpairments ?? [:]).sorted(by: { $0.key < $1.key }) {
                print("  applied \(impairment): \(place)")
            }
            for name in result.metrics.keys.sorted() {
                print("  \(name) = \(String(format: "%.4g", result.metrics[name]!))")
            }
        }
    }

    private func makeSpec() throws -> TrialSpec {
        if let spec {
            do {
                return try JSONDecoder().decode(TrialSpec.self, from: Data(contentsOf: URL(fileURLWithPath: spec)))
            } catch {
                throw ValidationError("\(spec): not a valid trial spec: \(error)")
            }
        }
        let scenario: NetworkScenario
        do { scenario = try NetworkScenario.preset(named: network) } catch {
            throw ValidationError("--network: \(error)")
        }
        guard let parsed = DurationText.parse(duration) else {
            throw ValidationError("--duration: '\(duration)' is not a duration (examples: 30s, 2m, 500ms)")
        }
        let chosenProfile = try profile.map { try ExperimentLoader().loadProfile(at: $0) } ?? Profile()
        let workloadSpec = workload.map { WorkloadSpec(file: $0) } ?? WorkloadSpec(participants: participants, kind: kind, device: device)
        return TrialSpec(profile: chosenProfile, workload: workloadSpec,
                         network: scenario, duration: parsed, seed: seed)
    }
}
