import ArgumentParser

/// The `sfulab` command: a thin front end over the Tuner and Harness libraries.
@main
struct SFULab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sfulab",
        abstract: "A configuration-driven SFU tuning lab.",
        subcommands: [
            SweepCommand.self, TrialCommand.self, ValidateCommand.self, ReportCommand.self,
            WorkloadCommand.self, ClipCommand.self, RecordCommand.self, ReplayCommand.self, BenchCommand.self,
        ]
    )
}
