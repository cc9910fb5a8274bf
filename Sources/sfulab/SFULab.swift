import ArgumentParser
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The `sfulab` command: a thin front end over the Tuner and Harness libraries.
///
/// Exit codes (DESIGN.md): 0 success, 1 a check failed, 2 bad input or usage. Argument parsing
/// errors, which ArgumentParser reports as EX_USAGE (64), are mapped to 2.
@main
struct SFULab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sfulab",
        abstract: "A configuration-driven SFU tuning lab.",
        subcommands: [
            SweepCommand.self, TrialCommand.self, ValidateCommand.self, ReportCommand.self,
            WorkloadCommand.self, ClipCommand.self, RecordCommand.self, ReplayCommand.self, BenchCommand.self, ServeCommand.self,
        ]
    )

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            guard code == .validationFailure else { exit(withError: error) }
            // Usage errors: ArgumentParser's message and help hint, then exit 2.
            printError(fullMessage(for: error))
            Glibc.exit(2)
        }
    }
}
