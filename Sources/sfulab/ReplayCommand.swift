import ArgumentParser
import Foundation
import Harness

/// `sfulab replay`: plays a saved session (or any workload file) back through the engine exactly
/// as recorded, and prints what the subscribers measured.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Play a saved session back through the engine and print what the subscribers measured.",
        discussion: """
            Every packet is sent at its recorded time with its recorded payload; key-frame
            requests are answered only by the recording's own key frames. --record OUT saves what
            the engine received during the replay (over a lossless network it equals SESSION).
            """)

    enum Mode: String, ExpressibleByArgument, CaseIterable { case simulated, live }

    @Argument(help: "Session or workload file (.sfuw).")
    var session: String

    @Option(help: "simulated (default) or live (needs the engine server).")
    var mode: Mode = .simulated

    @Option(help: "Also save what the engine received during the replay to this file.")
    var record: String?

    @OptionGroup var options: SessionTrialOptions

    func run() throws {
        guard mode == .simulated else {
            printError("error: live replay is not available until the engine server exists (`sfulab serve`); use --mode simulated")
            throw ExitCode(2)
        }
        let spec = try options.spec(file: session)
        let result = try options.run(spec, verbatim: true, recordingTo: record)
        try options.print(result, title: "replayed \(session) over \(spec.network.name)", extra: record.map { ["recorded": $0] } ?? [:])
    }
}
