import Foundation
import Testing
import Engine
@testable import ICE

/// Replays inputs kept under FuzzRegressions/STUNMessage/ with the invariants of
/// Fuzz/STUNMessage/main.swift: no trap, agents send only parseable messages, a parsed message
/// rebuilds to the same attributes.
@Suite struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzRegressions")

    static func inputs(_ target: String) -> [[UInt8]] {
        let folder = root.appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name in
            (try? Data(contentsOf: folder.appendingPathComponent(name))).map { [UInt8]($0) }
        }
    }

    @Test func regressionFolderExists() {
        #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent("README.md").path))
    }

    @Test(arguments: inputs("STUNMessage"))
    func stunMessage(input: [UInt8]) {
        let tuple = ICETransportTuple(
            local: TransportAddress(ip: .loopbackV4, port: 40_000), remote: TransportAddress(ip: .loopbackV4, port: 50_000))
        let credentials = ICECredentials(usernameFragment: "fuzz", password: "fuzzpassword0000000000")
        var agent = ICELiteAgent(localCredentials: credentials, consentTimeout: .seconds(1))
        agent.handle(input, on: tuple, now: .zero)
        agent.handleTimeout(now: .seconds(2))
        var checker = ICEControllingChecker(remoteCredentials: credentials, tuple: tuple, localCredentials: credentials, random: SeededGenerator(seed: 1))
        checker.start(now: .zero)
        checker.handle(input, now: .milliseconds(1))
        while let output = agent.poll() ?? checker.poll() {
            if case .transmit(let transmit) = output { #expect(throws: Never.self) { try STUNMessage(parsing: transmit.bytes) } }
        }
        guard case .success(let message) = parseSTUN(input) else { return }
        let rebuilt = STUNMessage.build(
            message.type, transactionID: message.transactionID, attributes: message.attributes,
            integrityKey: [1, 2, 3], fingerprint: message.hasFingerprint)
        #expect((try? STUNMessage(parsing: rebuilt))?.attributes == message.attributes)
    }
}
