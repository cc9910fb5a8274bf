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
            --mode live plays it in real time to a `sfulab serve` process over real sockets
            (docs/live-mode.md).
            """)

    @Argument(help: "Session or workload file (.sfuw).")
    var session: String

    @OptionGroup var live: LiveTrialOptions

    @Option(help: "Also save what the engine received during the replay to this file.")
    var record: String?

    @OptionGroup var options: SessionTrialOptions

    func validate() throws {
        if live.mode == .live && record != nil {
            throw ValidationError("--record works in simulated mode only: in live mode the engine runs in the server process (save a live session with `sfulab record --engine URL`)")
        }
    }

    func run() throws {
        let spec = try options.spec(file: session)
        let result = live.mode == .live
            ? try live.runLive(spec, verbatim: true)
            : try options.run(spec, verbatim: true, recordingTo: record)
        try options.print(result, title: "replayed \(session) over \(spec.network.name)", extra: record.map { ["recorded": $0] } ?? [:])
    }
}
