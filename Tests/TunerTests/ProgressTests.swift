import Foundation
import Testing
@testable import Tuner

final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    func append(_ s: String) { lock.withLock { text += s } }
    var value: String { lock.withLock { text } }
}

@Suite("Progress")
struct ProgressTests {
    @Test func plainLinesWhenNotATerminal() async throws {
        let lines = Lines()
        let progress = TerminalProgress(interactive: false, write: lines.append)
        let experiment = bitrateExperiment(values: [1_000_000], repetitions: 2)
        _ = try await Sweep.run(experiment, options: SweepOptions(outDirectory: temporaryDirectory(), jobs: 1),
                                executor: CountingExecutor(failAfter: 3), progress: progress, gitRevision: nil)
        let text = lines.value.split(separator: "\n")
        #expect(text.count == 4)
        #expect(text.first?.hasPrefix("trial 1/4 c000-n0-r0-") == true)
        #expect(text.last?.contains("FAILED: simulated crash") == true)
        #expect(!lines.value.contains("\r"))
    }

    @Test func barWithETAOnATerminal() async throws {
        let lines = Lines()
        let progress = TerminalProgress(interactive: true, write: lines.append)
        let experiment = bitrateExperiment(values: [1_000_000], repetitions: 2)
        _ = try await Sweep.run(experiment, options: SweepOptions(outDirectory: temporaryDirectory(), jobs: 2),
                                executor: FakeExecutor(), progress: progress, gitRevision: nil)
        #expect(lines.value.contains("\r[##############################] 4/4  ETA 00:00"))
        #expect(lines.value.hasSuffix("\n"))
    }
}
