import ArgumentParser
import Engine
import Foundation
import Harness
import Media
import Tuner

/// Options `sfulab record` and `sfulab replay` share: the profile, network, seed and output form
/// of the simulated trial that plays a workload or session file.
struct SessionTrialOptions: ParsableArguments {
    @Option(help: "Profile YAML (mediasoup vocabulary); the built-in baseline when absent.")
    var profile: String?

    @Option(help: "Network preset (\(NetworkScenario.presetNames.joined(separator: ", "))).")
    var network: String = "lossless"

    @Option(help: "Simulated duration, e.g. 10s; default: the file's duration.")
    var duration: String?

    @Option(help: "Seed for every random draw in the trial.")
    var seed: UInt64 = 1

    @Flag(help: "Print JSON on stdout.")
    var json = false

    /// The trial spec for `file`, or a `ValidationError`/`DiagnosticsError` naming the bad input.
    func makeSpec(file: String) throws -> TrialSpec {
        let scenario: NetworkScenario
        do { scenario = try NetworkScenario.preset(named: network) } catch {
            throw ValidationError("--network: \(error)")
        }
        let length: Duration
        if let duration {
            guard let parsed = DurationText.parse(duration) else {
                throw ValidationError("--duration: '\(duration)' is not a duration (examples: 30s, 2m, 500ms)")
            }
            length = parsed
        } else {
            do { length = .microseconds(try WorkloadReader(path: file).manifest.durationMicros) } catch {
                throw ValidationError("\(error)")
            }
        }
        let chosenProfile = try profile.map { try ExperimentLoader().loadProfile(at: $0) } ?? Profile()
        return TrialSpec(profile: chosenProfile, workload: WorkloadSpec(file: file), network: scenario, duration: length, seed: seed)
    }

    /// Runs the trial (recording to `recordPath` when given); exits 2 with the error on stderr.
    func run(_ spec: TrialSpec, verbatim: Bool, recordingTo recordPath: String?) throws -> TrialResult {
        var runner = TrialRunner(traceDirectory: FileManager.default.currentDirectoryPath)
        runner.replaysVerbatim = verbatim
        let clock = ContinuousClock()
        let started = clock.now
        do {
            var result = try runner.run(spec, recordingTo: recordPath)
            result.wallSeconds = (clock.now - started).secondsDouble
            return result
        } catch let error as TrialError {
            printError("error: \(error.description)")
            throw ExitCode(2)
        }
    }

    /// Prints `result` as JSON (with `extra` fields) or as text under `title`.
    func print(_ result: TrialResult, title: String, extra: [String: String] = [:]) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            var object = try JSONSerialization.jsonObject(with: encoder.encode(result)) as! [String: Any]
            for (key, value) in extra { object[key] = value }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            Swift.print(String(decoding: data, as: UTF8.self))
        } else {
            Swift.print("\(title): \(String(format: "%.1f", result.simulatedSeconds))s \(result.mode) in \(String(format: "%.2f", result.wallSeconds))s")
            for key in extra.keys.sorted() { Swift.print("  \(key): \(extra[key]!)") }
            for (impairment, place) in (result.liveImpairments ?? [:]).sorted(by: { $0.key < $1.key }) {
                Swift.print("  applied \(impairment): \(place)")
            }
            for name in result.metrics.keys.sorted() {
                Swift.print("  \(name) = \(String(format: "%.4g", result.metrics[name]!))")
            }
        }
    }

    /// Turns option errors into exit code 2 with the message.
    func spec(file: String) throws -> TrialSpec {
        do { return try makeSpec(file: file) } catch let error as DiagnosticsError {
            printError(error.description)
            throw ExitCode(2)
        } catch let error as ValidationError {
            printError("error: \(error.message)")
            throw ExitCode(2)
        }
    }
}
