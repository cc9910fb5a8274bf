import Engine
import Testing
@testable import Tuner

@Suite("Hostile YAML never crashes the decoder")
struct HostileInputTests {
    @Test(arguments: [
        "", "~", "- a\n- b\n", "42", "worker: [1, 2]", "worker:\n  count: 99999999999999999999999\n",
        "worker:\n  count: -1e400\n", "a: &x {b: 1}\nc: *x\n", "webRtcTransport: {listenInfos: {udp: 1}}",
        "router:\n  mediaCodecs:\n    - kind: video\n", "\u{0}\u{1}", "[", "{a: 1, a: 2}", "feedback: !!binary aGVsbG8=",
        String(repeating: "[", count: 500) + String(repeating: "]", count: 500),
    ])
    func profileDecodingReportsInsteadOfCrashing(yaml: String) {
        let result = StrictYAML.decode(Profile.self, yaml: yaml, file: "hostile.yaml")
        #expect(result.value == nil)
        #expect(!result.diagnostics.isEmpty)
        #expect(result.diagnostics.allSatisfy { $0.file == "hostile.yaml" && !$0.message.isEmpty })
    }

    @Test func anchorsAndAliasesAreResolved() throws {
        let yaml = """
        defaults: &nack {maxRetries: 4}
        """
        #expect(StrictYAML.decode(Profile.self, yaml: yaml, file: "p.yaml").diagnostics.first?.code == .unknownKey)
        let ok = "feedback:\n  nack: &n {maxRetries: 4}\n  retransmission: {maxItems: 100}\n"
        #expect(StrictYAML.decode(Profile.self, yaml: ok, file: "p.yaml").value?.feedback.nack.maxRetries == 4)
    }

    @Test func hostileExperimentsReportInsteadOfCrashing() {
        for yaml in ["sweep: [{key: '', values: []}]", "sweep: [{key: a.b.c.d.e, range: {from: -1, to: 5, scale: log}}]",
                     "repetitions: -3\nduration: 0s", "network: []", "objective: []", "strategy: {kind: random, samples: 0}",
                     "sweep: [{key: 'producer.encodings[-1].rid', values: [x]}]", "base: /nonexistent/profile.yaml"] {
            #expect(throws: DiagnosticsError.self, "\(yaml)") { try ExperimentLoader().resolve(yaml: yaml, file: "e.yaml") }
        }
    }
}
