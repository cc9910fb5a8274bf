import ArgumentParser
import Foundation
import Tuner

/// `sfulab validate FILE...`: checks profiles, experiments and network scenarios.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check profiles, experiments and network scenarios; report every problem with file:line:column.",
        discussion: "Exit status: 0 every file is valid, 2 a file has an error."
    )

    @Argument(help: "YAML files to check.")
    var files: [String]

    @Flag(help: "Print the results as JSON on stdout.")
    var json = false

    func run() throws {
        let validator = FileValidator()
        let results = files.map(validator.validate)
        if json {
            struct Output: Encodable {
                var ok: Bool
                var files: [FileValidation]
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(Output(ok: results.allSatisfy(\.ok), files: results)), as: UTF8.self))
        } else {
            for result in results {
                for diagnostic in result.diagnostics { print(diagnostic.description) }
                if result.ok { print("\(result.file): ok (\(result.kind?.rawValue ?? "unknown"))") }
            }
        }
        if !results.allSatisfy(\.ok) { throw ExitCode(2) }
    }
}
