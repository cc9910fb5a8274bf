import ArgumentParser
import Foundation
import Harness

/// `sfulab record`: runs a simulated session from a workload file and saves what its producers
/// sent, as the engine received it and with the original send times, in the workload format.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Save what the producers of a session sent (after the uplink, with timing) as a workload file.",
        discussion: """
            Simulated: --workload FILE plays that workload through the engine over --network and
            saves every packet the engine received (lost packets missing, duplicates and
            retransmissions once) with the time it was first sent; `sfulab replay` plays it back.
            Live (--engine URL --room ROOM) needs the engine server, which does not exist yet.
            """)

    @Option(help: "Workload file (.sfuw) whose session is simulated and recorded.")
    var workload: String?

    @Option(help: "Output session file (.sfuw); written to a temporary file, then renamed.")
    var out: String

    @Option(help: "Live engine URL (not available until the engine server exists).")
    var engine: String?

    @Option(help: "Live room (with --engine).")
    var room: String?

    @OptionGroup var options: SessionTrialOptions

    func run() throws {
        if engine != nil || room != nil {
            printError("error: recording from a live engine (--engine/--room) is not available until the engine server exists (`sfulab serve`); record a simulated session with --workload FILE")
            throw ExitCode(2)
        }
        guard let workload else {
            printError("error: give --workload FILE (a workload from `sfulab workload synth`) to record a simulated session")
            throw ExitCode(2)
        }
        let spec = try options.spec(file: workload)
        let result = try options.run(spec, verbatim: false, recordingTo: out)
        try options.print(result, title: "recorded \(out) from \(workload) over \(spec.network.name)", extra: ["out": out])
    }
}
