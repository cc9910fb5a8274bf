import ArgumentParser
import Foundation
import Harness
import LiveRecorder

/// `sfulab record`: saves what the producers of a session sent, as the engine received it and
/// with timing, in the workload format — from a simulated session (`--workload`) or from a room
/// of a running engine server (`--engine URL --room ROOM`).
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Save what the producers of a session sent (after the uplink, with timing) as a workload file.",
        discussion: """
            Simulated: --workload FILE plays that workload through the engine over --network and
            saves every packet the engine received (lost packets missing, duplicates and
            retransmissions once) with the time it was first sent; `sfulab replay` plays it back.
            Live: --engine URL --room ROOM taps that room of a running `sfulab serve` and saves
            every packet its producers' streams delivered to the engine, timed when the server read
            it, until --duration has passed or SIGINT/SIGTERM; producers created meanwhile are
            picked up. Participants are the engine's transports (docs/workload-format.md,
            "Recording a live engine"); --profile, --network and --seed do not apply.
            """)

    @Option(help: "Workload file (.sfuw) whose session is simulated and recorded.")
    var workload: String?

    @Option(help: "Output session file (.sfuw); written to a temporary file, then renamed.")
    var out: String

    @Option(help: "Engine server control URL (http://HOST:PORT) whose room is recorded.")
    var engine: String?

    @Option(help: "Room to record (with --engine).")
    var room: String?

    @OptionGroup var options: SessionTrialOptions

    func run() throws {
        switch (workload, engine, room) {
        case (nil, let engine?, let room?):
            try recordLive(engine: engine, room: room)
        case (let workload?, nil, nil):
            let spec = try options.spec(file: workload)
            let result = try options.run(spec, verbatim: false, recordingTo: out)
            try options.print(result, title: "recorded \(out) from \(workload) over \(spec.network.name)", extra: ["out": out])
        case (nil, nil, nil):
            printError("error: give --workload FILE to record a simulated session, or --engine URL --room ROOM to record a live room")
            throw ExitCode(2)
        case (_?, _, _):
            printError("error: --workload records a simulated session, --engine/--room a live one; give one or the other")
            throw ExitCode(2)
        case (nil, _, nil):
            printError("error: --engine needs --room ROOM (the room to record)")
            throw ExitCode(2)
        case (nil, nil, _):
            printError("error: --room needs --engine URL (the engine server's control URL, for example http://127.0.0.1:8080)")
            throw ExitCode(2)
        }
    }

    private func recordLive(engine: String, room: String) throws {
        var duration: Duration?
        if let text = options.duration {
            guard let parsed = DurationText.parse(text), parsed > .zero else {
                printError("error: --duration: '\(text)' is not a positive duration (examples: 30s, 2m, 500ms)")
                throw ExitCode(2)
            }
            duration = parsed
        }
        let stop = StopSignal()
        stop.onSignals([SIGINT, SIGTERM])
        let result = Result { () throws(LiveRecordingError) -> EngineRoomRecorder.Summary in
            let recorder = try EngineRoomRecorder(url: engine, room: room)
            return try recorder.record(to: out, duration: duration, started: {
                if !options.json {
                    printError("recording room \(room) on \(recorder.client.url)\(duration.map { " for \($0)" } ?? ""); SIGINT stops and saves")
                }
            }, shouldStop: { stop.reasonIfStopped != nil })
        }
        guard case .success(let summary) = result else {
            if case .failure(let error) = result {
                printError("error: \(error)")
                if case .usage = error { throw ExitCode(2) }
            }
            throw ExitCode(1)
        }
        if options.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print("recorded \(summary.out) from room \(summary.room): \(String(format: "%.1f", summary.durationSeconds)) s, "
                  + "\(summary.participants) participants, \(summary.streams) streams, \(summary.packets) packets (stopped by \(summary.stoppedBy))")
            print("  tap frames: \(summary.framesReceived) received, \(summary.framesLost) lost, \(summary.framesUnattributed) of unknown producers")
        }
    }
}
