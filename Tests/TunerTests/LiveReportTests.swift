import Engine
import Foundation
import Harness
import Testing
@testable import Tuner

/// Live results carry where each impairment was applied; the report shows it per candidate.
@Suite struct LiveReportTests {
    /// A live-looking result whose notes depend on the transport the profile picks.
    struct LiveFake: TrialExecutor {
        func run(_ spec: TrialSpec) async throws -> TrialResult {
            var result = try await FakeExecutor().run(spec)
            result.mode = "live"
            let tcp = spec.profile.webRtcTransport.preferTcp
            result.liveImpairments = ["loss": tcp ? "modelled as TCP retransmission delay" : "dropped in user space",
                                      "transport": tcp ? "TCP" : "UDP"]
            return result
        }
    }

    @Test func reportSaysWhereEachImpairmentWasAppliedPerCandidate() async throws {
        var experiment = bitrateExperiment(values: [1_000_000], repetitions: 2)
        experiment.axes = [SweepAxis(key: "webRtcTransport.preferTcp", values: [.scalar("true")])]
        experiment.mode = .live
        let out = temporaryDirectory()
        _ = try await Sweep.run(experiment, options: SweepOptions(outDirectory: out), executor: LiveFake(), gitRevision: nil)
        let md = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(md.contains("## Where live impairments were applied"))
        #expect(md.contains("| loss | dropped in user space |"))
        #expect(md.contains("| loss | modelled as TCP retransmission delay |"))
        #expect(md.contains("Mode: **live**"))
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("Where live impairments were applied"))
    }

    @Test func simulatedReportsHaveNoSuchSection() async throws {
        let out = temporaryDirectory()
        _ = try await Sweep.run(bitrateExperiment(values: [1_000_000], repetitions: 2), options: SweepOptions(outDirectory: out),
                                executor: FakeExecutor(), gitRevision: nil)
        let md = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(!md.contains("live impairments"))
    }
}
