@testable import EngineServer
import Testing

/// `sfulab bench live` delivers every copy on both paths and reports the engine's stages (its
/// figures are measured by the command, not asserted here).
@Suite struct LiveBenchmarkTests {
    @Test func bothPathsDeliverEveryCopy() throws {
        var configuration = LiveBenchmark.Configuration()
        configuration.participants = 3
        configuration.rate = 50
        configuration.duration = .milliseconds(200)
        let report = try LiveBenchmark(configuration).run()
        for path in [report.engine, report.relay] {
            #expect(path.sent == 3 * 10)
            #expect(path.expected == path.sent * 2)
            #expect(path.received == path.expected)
            #expect(path.oneWayP50Micros > 0 && path.oneWayP50Micros <= path.oneWayP99Micros)
        }
        #expect(report.engineLatency.map(\.stage) == ["receive", "route", "send", "total"])
        #expect(report.cpuNanosecondsPerForwardedPacket != nil)
    }

    @Test func aTappedRoomStillDeliversEveryCopyAndTheTapEveryPacket() throws {
        var configuration = LiveBenchmark.Configuration()
        configuration.participants = 3
        configuration.rate = 50
        configuration.duration = .milliseconds(200)
        configuration.tap = true
        let report = try LiveBenchmark(configuration).run()
        #expect(report.engine.received == report.engine.expected)
        let tap = try #require(report.tap)
        #expect(tap.framesSent == report.engine.sent && tap.framesDropped == 0 && tap.framesReceived == tap.framesSent)
    }
}
