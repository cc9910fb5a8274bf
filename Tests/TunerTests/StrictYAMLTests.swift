import Engine
import Harness
import Testing
@testable import Tuner

@Suite("Strict YAML decoding")
struct StrictYAMLTests {
    @Test func defaultsApplyToKeysTheFileDoesNotName() throws {
        let yaml = """
        webRtcTransport:
          initialAvailableOutgoingBitrate: 1000000
        feedback:
          nack:
            maxRetries: 5
        """
        let result = StrictYAML.decode(Profile.self, yaml: yaml, file: "p.yaml")
        #expect(result.diagnostics.isEmpty)
        let profile = try #require(result.value)
        var expected = Profile()
        expected.webRtcTransport.initialAvailableOutgoingBitrate = 1_000_000
        expected.feedback.nack.maxRetries = 5
        #expect(profile == expected)
    }

    @Test func unknownKeyIsReportedWithPositionAndSuggestion() {
        let yaml = """
        webRtcTransport:
          enableTcp: true
          initialAvailableOutgoingBitrat: 1000000
        """
        let result = StrictYAML.decode(Profile.self, yaml: yaml, file: "p.yaml")
        #expect(result.value == nil)
        #expect(result.diagnostics.count == 1)
        let d = result.diagnostics[0]
        #expect(d.code == .unknownKey)
        #expect(d.line == 3)
        #expect(d.column == 3)
        #expect(d.keyPath == "webRtcTransport.initialAvailableOutgoingBitrat")
        #expect(d.fix == "did you mean `initialAvailableOutgoingBitrate`?")
        #expect(d.description.hasPrefix("p.yaml:3:3: error: webRtcTransport.initialAvailableOutgoingBitrat: unknown key"))
    }

    @Test func unknownKeyNextToAnOptionalIsCaught() {
        let yaml = "webRtcTransport:\n  maxIncomingBitrat: 5\n  maxIncomingBitrate: 7\n"
        let result = StrictYAML.decode(Profile.self, yaml: yaml, file: "p.yaml")
        #expect(result.diagnostics.map(\.keyPath) == ["webRtcTransport.maxIncomingBitrat"])
        #expect(result.diagnostics.first?.fix == "did you mean `maxIncomingBitrate`?")
    }

    @Test func everyProblemInAFileIsReportedAtOnce() {
        let yaml = """
        worker:
          count: many
        webRtcTransport:
          enableUdp: maybe
          listenInfos:
            - protocol: udpp
              ip: 127.0.0.1
        consumr:
          priority: 2
        """
        let result = StrictYAML.decode(Profile.self, yaml: yaml, file: "p.yaml")
        let byPath = Dictionary(result.diagnostics.map { ($0.keyPath, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(result.diagnostics.count == 4)
        let count = byPath["worker.count"]
        #expect(count?.code == .typeMismatch)
        #expect(count?.line == 2 && count?.column == 10)
        #expect(count?.fix == "for example `1`")
        #expect(byPath["webRtcTransport.enableUdp"]?.line == 4)
        #expect(byPath["webRtcTransport.listenInfos[0].protocol"]?.fix == "did you mean `udp`? allowed: `udp`, `tcp`")
        #expect(byPath["consumr"]?.fix == "did you mean `consumer`?")
        #expect(byPath["consumr"]?.line == 8 && byPath["consumr"]?.column == 1)
    }

    @Test func srtpBackendIsReadAndAMisspeltOneNamesTheAllowedValues() throws {
        let valid = StrictYAML.decode(Profile.self, yaml: "webRtcTransport:\n  srtpBackend: openssl\n", file: "p.yaml")
        #expect(valid.diagnostics.isEmpty)
        #expect(valid.value?.webRtcTransport.srtpBackend == .openssl)
        #expect(Profile().webRtcTransport.srtpBackend == .libsrtp2, "the default is what mediasoup links")

        let misspelt = StrictYAML.decode(Profile.self, yaml: "webRtcTransport:\n  srtpBackend: boringssl\n", file: "p.yaml")
        #expect(misspelt.value == nil)
        let d = try #require(misspelt.diagnostics.first)
        #expect(misspelt.diagnostics.count == 1)
        #expect(d.keyPath == "webRtcTransport.srtpBackend")
        #expect(d.line == 2 && d.column == 16)
        #expect(d.fix.contains("`libsrtp2`") && d.fix.contains("`openssl`"))
        #expect(d.description.hasPrefix("p.yaml:2:16: error: webRtcTransport.srtpBackend: invalid value `boringssl`"))
    }

    @Test func syntaxErrorHasAPosition() {
        let result = StrictYAML.decode(Profile.self, yaml: "worker:\n  count: [1, 2\n", file: "bad.yaml")
        #expect(result.value == nil)
        #expect(result.diagnostics.first?.code == .syntax)
        #expect((result.diagnostics.first?.line ?? 0) >= 2)
    }

    @Test func sequencesReplaceDefaults() throws {
        let yaml = """
        producer:
          encodings:
            - {rid: r0, maxBitrate: 200000, scaleResolutionDownBy: 2, scalabilityMode: L1T2}
        """
        let profile = try #require(StrictYAML.decode(Profile.self, yaml: yaml, file: "p.yaml").value)
        #expect(profile.producer.encodings.count == 1)
        #expect(profile.producer.encodings[0].maxBitrate == 200_000)
        #expect(profile.producer.svcScalabilityMode == "L3T3_KEY")
    }

    @Test func everyBadListElementIsReported() {
        let yaml = """
        producer:
          encodings:
            - {rid: r0, maxBitrate: lots, scaleResolutionDownBy: 4, scalabilityMode: L1T3}
            - {rid: r1, maxBitrate: 500000, scaleResolutionDownBy: 2, scalabilityMode: L1T3}
            - {rid: r2, maxBitrate: 1500000, scaleResolutionDownBy: half, scalabilityMode: L1T3}
        """
        let result = StrictYAML.decode(Profile.self, yaml: yaml, file: "p.yaml")
        #expect(result.diagnostics.map(\.keyPath) == ["producer.encodings[0].maxBitrate", "producer.encodings[2].scaleResolutionDownBy"])
        #expect(result.diagnostics.map(\.line) == [3, 5])
    }
}
