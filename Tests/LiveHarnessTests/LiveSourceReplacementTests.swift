import ControlAPI
import Engine
import EngineClient
import Foundation
import Harness
@testable import LiveHarness
import NIOPosix
import Synchronization
import Testing

/// A live device switch asks the server and hands the answer to the load generator's loop: the
/// publisher switches only once the server has bound the new SSRCs; a refusal or no answer is
/// counted.
@Suite("Live device switch against sfulab serve", .serialized)
struct LiveSourceReplacementTests {
    /// Runs `replaceProducerSource` on the driver's loop; returns its outcome and whether it came
    /// before the call returned (it must not: the server has to answer first).
    static func replace(_ control: LiveSessionControl, driver: LiveDriver, producer: Int, ssrc: UInt32) throws
        -> (outcome: SourceReplacementOutcome?, synchronous: Bool) {
        let answered = Mutex<(SourceReplacementOutcome?, Bool)>((nil, false))
        let done = DispatchSemaphore(value: 0)
        try driver.loop.submit {
            let returned = Mutex(false)
            control.replaceProducerSource(ProducerID(rawValue: producer), encodings: [ProducerEncoding(ssrc: ssrc)], now: .zero) { outcome in
                answered.withLock { $0 = (outcome, !returned.withLock { $0 }) }
                done.signal()
            }
            returned.withLock { $0 = true }
        }.wait()
        _ = done.wait(timeout: .now() + 15)
        return answered.withLock { $0 }
    }

    @Test func switchesOnlyAfterTheServerBoundTheSSRCsAndCountsFailures() throws {
        let baseline = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Profiles/baseline.yaml").path
        let server = try ServerProcess.launch(executable: try LiveTestSupport.sfulabPath(), arguments: ["--profile", baseline],
                                              readyTimeout: .seconds(30))
        defer { _ = server.terminate() }
        let client = server.client
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let driver = LiveDriver(loop: group.next())
        let room = "switch"
        let control = try LiveSessionControl(client: client, room: room, protocol: .udp, driver: driver, profile: Profile())
        let transport = try client.createTransport(room: room)
        let opus = try #require(control.capabilities.codec(mimeType: "audio/opus"))
        let producer = try client.produce(room: room, transport: transport.id, ProducerOptions(
            kind: .audio, mimeType: opus.mimeType, payloadType: opus.payloadType, encodings: [ProducerEncoding(ssrc: 1_111)]))

        let bound = try Self.replace(control, driver: driver, producer: producer, ssrc: 2_222)
        guard case .bound = bound.outcome else { Issue.record("outcome \(String(describing: bound.outcome))"); return }
        #expect(!bound.synchronous)
        // By the time the publisher may switch, the server sends the new SSRC's packets on.
        #expect(try client.listProducers(room: room).producers.first?.encodings.map(\.ssrc) == [2_222])
        #expect(control.failedSourceReplacements == 0)

        // An SSRC the server refuses (in use on the transport): the workload may draw another.
        let second = try client.produce(room: room, transport: transport.id, ProducerOptions(
            kind: .audio, mimeType: opus.mimeType, payloadType: opus.payloadType, encodings: [ProducerEncoding(ssrc: 3_333)]))
        #expect(try Self.replace(control, driver: driver, producer: second, ssrc: 2_222).outcome == .refused)
        #expect(control.failedSourceReplacements == 1 && control.failedCalls == 1)

        // No answer within the deadline: the publisher keeps its source.
        let impatient = try LiveSessionControl(client: client, room: room, protocol: .udp, driver: driver, profile: Profile(),
                                               sourceReplacementTimeout: .nanoseconds(1))
        #expect(try Self.replace(impatient, driver: driver, producer: second, ssrc: 4_444).outcome == .failed)
        #expect(impatient.failedSourceReplacements == 1)
        impatient.waitForPendingSourceReplacements()
        control.waitForPendingSourceReplacements()
    }
}
