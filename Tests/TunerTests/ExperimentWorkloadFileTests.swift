import Foundation
import Testing
@testable import Tuner

/// An experiment's `workload.file` is resolved next to the experiment and checked when the
/// experiment is loaded: a bad file is a diagnostic at `workload.file` naming the file and the
/// byte offset, never a crash or a sweep of failing trials.
@Suite struct ExperimentWorkloadFileTests {
    func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sfulab-tuner-wl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func load(workload relative: String, in directory: URL) throws -> Experiment {
        let yaml = """
        workload:
          file: \(relative)
        network: [4g]
        duration: 2s
        objective: {minimize: frameLatency.p95}
        """
        return try ExperimentLoader().resolve(yaml: yaml, file: directory.appendingPathComponent("e.yaml").path).0
    }

    @Test func garbageFileIsADiagnosticNamingFileAndOffset() throws {
        let directory = try directory()
        let bad = directory.appendingPathComponent("bad.sfuw")
        try Data("SFULABWL".utf8 + [1, 0, 0, 0, 0, 0, 0, 0] + Array(repeating: 0x41, count: 40)).write(to: bad)
        let error = #expect(throws: DiagnosticsError.self) { try load(workload: "bad.sfuw", in: directory) }
        let diagnostic = try #require(error?.diagnostics.first { $0.keyPath == "workload.file" })
        #expect(diagnostic.file.hasSuffix("e.yaml") && diagnostic.line == 2)
        #expect(diagnostic.message.contains(bad.path) && diagnostic.message.contains("byte 32") && diagnostic.message.contains("truncated"))
    }

    @Test func missingFileIsADiagnostic() throws {
        let directory = try directory()
        let error = #expect(throws: DiagnosticsError.self) { try load(workload: "../nowhere/none.sfuw", in: directory) }
        #expect(error?.diagnostics.contains { $0.keyPath == "workload.file" && $0.message.contains("none.sfuw") } == true)
    }
}
