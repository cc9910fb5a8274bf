import Engine
import Testing
@testable import Harness

@Suite("Network presets")
struct NetworkPresetTests {
    @Test("the names DESIGN.md promises exist")
    func promisedNames() {
        for name in ["desktop-broadband", "wifi-lossy", "4g", "3g", "mobile-congested", "lossless"] {
            #expect(NetworkScenario.presetNames.contains(name))
        }
    }

    @Test("every preset loads, is named after itself, and builds working links", arguments: NetworkScenario.presetNames)
    func loads(name: String) throws {
        let scenario = try NetworkScenario.preset(named: name)
        #expect(scenario.name == name)
        try scenario.uplink.validate()
        try scenario.downlink.validate()
        var link = try LinkEmulator<Int>(profile: scenario.downlink, generator: SeededGenerator(seed: 1))
        // 200 kb/s of 1,000-byte packets for 20 s: below every preset's rate, so only loss removes packets.
        let out = runPeriodic(&link, count: 500, spacing: .milliseconds(40), bytes: 1_000)
        #expect(link.counters.droppedByQueue == 0)
        #expect(out.count == 500 - link.counters.droppedByLoss)
        let minimumDelay = out.map { ($0.deliveredAt - $0.sentAt).milliseconds }.min() ?? 0
        #expect(minimumDelay >= 0)
    }

    @Test("cellular presets get worse from 4g to 3g to mobile-congested")
    func cellularOrdering() throws {
        let cellular = try ["4g", "3g", "mobile-congested"].map { try NetworkScenario.preset(named: $0) }
        for (better, worse) in zip(cellular, cellular.dropFirst()) {
            #expect(better.downlink.delay < worse.downlink.delay)
            #expect(better.downlink.jitter < worse.downlink.jitter)
            #expect(better.downlink.loss < worse.downlink.loss)
            #expect(try #require(better.downlink.bandwidth) > #require(worse.downlink.bandwidth))
            #expect(try #require(better.uplink.bandwidth) > #require(worse.uplink.bandwidth))
        }
    }

    @Test("lossless is an ideal link")
    func lossless() throws {
        let scenario = try NetworkScenario.preset(named: "lossless")
        #expect(scenario.uplink == LinkProfile() && scenario.downlink == LinkProfile())
    }

    @Test("an unknown name lists the valid ones")
    func unknown() {
        do {
            _ = try NetworkScenario.preset(named: "5g")
            Issue.record("accepted an unknown preset")
        } catch let error as UnknownPresetError {
            #expect(error.name == "5g")
            for name in NetworkScenario.presetNames { #expect(error.description.contains(name)) }
        } catch {
            Issue.record("wrong error \(error)")
        }
    }

    @Test("participant overrides and schedules resolve per participant and direction")
    func overridesAndSchedule() throws {
        var scenario = try NetworkScenario.preset(named: "desktop-broadband")
        let mobile = try NetworkScenario.preset(named: "4g")
        let bad = try NetworkScenario.preset(named: "3g")
        scenario.participants = ["mobile": LinkPair(uplink: mobile.uplink, downlink: mobile.downlink),
                                 "2": LinkPair(uplink: bad.uplink, downlink: bad.downlink)]
        scenario.schedule = [ScheduledChange(at: 10, downlink: bad.downlink),
                             ScheduledChange(at: 20, uplink: bad.uplink, downlink: scenario.downlink)]
        #expect(scenario.links(participant: 0).downlink == scenario.downlink)
        #expect(scenario.links(participant: 1, deviceClass: "mobile").downlink == mobile.downlink)
        #expect(scenario.links(participant: 2, deviceClass: "mobile").downlink == bad.downlink)
        let down = scenario.changes(uplink: false, start: .seconds(1))
        let up = scenario.changes(uplink: true, start: .seconds(1))
        #expect(down.map(\.at) == [.seconds(11), .seconds(21)])
        #expect(up.map(\.at) == [.seconds(21)])
        #expect(up.first?.profile == bad.uplink)
    }
}
