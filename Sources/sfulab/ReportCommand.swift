import ArgumentParser
import Foundation
import Tuner

/// `sfulab report RUN_DIR [--compare RUN_DIR]`: re-renders a run's report, or compares two runs.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Re-render a run's report from its results.json, or compare two runs.",
        discussion: "Exit status: 0 written, 2 a run directory or results file is missing or invalid."
    )

    @Argument(help: "Run directory containing results.json.")
    var runDirectory: String

    @Option(help: "A second run directory to compare against.")
    var compare: String?

    @Flag(help: "Print the written paths as JSON.")
    var json = false

    func run() throws {
        let directory = URL(fileURLWithPath: runDirectory)
        do {
            let first = try ResultsDocument.load(from: directory.appendingPathComponent("results.json"))
            let written: URL
            if let compare {
                let second = try ResultsDocument.load(from: URL(fileURLWithPath: compare).appendingPathComponent("results.json"))
                written = try RunComparison(first: first, second: second).write(to: directory)
            } else {
                try ReportRenderer(results: first).write(to: directory)
                written = directory.appendingPathComponent("report.html")
            }
            if json {
                let data = try JSONSerialization.data(withJSONObject: ["report": written.path, "winner": first.winner.map { $0 as Any } ?? NSNull()] as [String: Any],
                                                      options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print("report: \(written.path)")
            }
        } catch let error as TunerError {
            printError("error: \(error)")
            throw ExitCode(error.code == .io ? 1 : 2)
        }
    }
}
