import Engine
import Testing
@testable import Harness

@Suite("Bandwidth traces")
struct BandwidthTraceTests {
    /// Keeps `link` backlogged (at least `backlogBytes` queued) from `start` to `seconds`, sending
    /// 1,500-byte packets; returns the bytes that left the bottleneck in that time.
    func saturate(_ link: inout LinkEmulator<Int>, from start: Double = 0, seconds: Double, backlogBytes: Int = 30_000) -> Int {
        var out: [LinkPacket<Int>] = []
        var now = Instant.seconds(start)
        var index = 0
        let end = Instant.seconds(seconds)
        while now <= end {
            drain(&link, until: now, into: &out)
            while link.queuedBytes < backlogBytes {
                link.send(index, size: 1_500, now: now)
                index += 1
            }
            now = now + .milliseconds(10)
        }
        return out.filter { $0.departedAt > .seconds(start) && $0.departedAt <= end }.reduce(0) { $0 + $1.bytes }
    }

    @Test("the FCC trace parses: 252 rows of 5 s, mean equal to the column mean")
    func fccParses() throws {
        let trace = try BandwidthTrace.load(path: "\(fixturesDirectory)/fcc_32551_amazon.tsv")
        #expect(trace.format == .rateRows)
        #expect(trace.period == .seconds(1_260))
        // Equal spacing: the time-weighted mean is the plain mean of the Mbps column, 0.319287.
        #expect(abs(trace.meanRate.kbps - 319.287) < 0.5, "mean \(trace.meanRate)")
    }

    @Test("a rate trace replays at its recorded mean rate", arguments: ["fcc_32551_amazon.tsv", "norway_ferry_2.tsv"])
    func replayMeanRate(file: String) throws {
        let trace = try BandwidthTrace.load(path: "\(fixturesDirectory)/\(file)")
        var link = try LinkEmulator<Int>(profile: profile(trace: file, queueBytes: 1_000_000),
                                         generator: SeededGenerator(seed: 1), traceDirectory: fixturesDirectory)
        let seconds = trace.period.secondsDouble
        let bytes = saturate(&link, seconds: seconds)
        let rate = Double(bytes) * 8 / seconds
        let expected = Double(trace.meanRate.bitsPerSecond)
        #expect(abs(rate - expected) < 0.02 * expected, "replayed \(rate) b/s, recorded mean \(expected) b/s")
    }

    @Test("the replayed rate follows the trace segment by segment")
    func followsSegments() throws {
        let trace = try BandwidthTrace(rateRows: [(0, 1), (10, 4), (20, 0.5)], source: "three steps")
        #expect(trace.period == .seconds(30))
        var link = try LinkEmulator<Int>(profile: profile(trace: "steps", queueBytes: 1_000_000),
                                         generator: SeededGenerator(seed: 1), traces: ["steps": trace])
        let first = saturate(&link, seconds: 10)
        let second = saturate(&link, from: 10, seconds: 20)
        #expect(abs(Double(first) * 8 / 10 - 1_000_000) < 20_000)
        #expect(abs(Double(second) * 8 / 10 - 4_000_000) < 40_000)
    }

    @Test("a Mahimahi trace delivers 1,500 bytes per opportunity and loops")
    func mahimahi() throws {
        let trace = try BandwidthTrace.load(path: "\(fixturesDirectory)/constant-12mbps.mahimahi")
        #expect(trace.format == .mahimahi)
        #expect(trace.period == .milliseconds(100))
        #expect(trace.meanRate == .mbps(12))
        var link = try LinkEmulator<Int>(profile: profile(trace: "m", queueBytes: 1_000_000),
                                         generator: SeededGenerator(seed: 1), traces: ["m": trace])
        let bytes = saturate(&link, seconds: 20, backlogBytes: 60_000)
        let rate = Double(bytes) * 8 / 20
        #expect(abs(rate - 12_000_000) < 0.01 * 12_000_000, "replayed \(rate) b/s")
    }

    @Test("Mahimahi opportunities: level and inverse, with repeated timestamps")
    func mahimahiLevels() throws {
        let trace = try BandwidthTrace.parse("5\n5\n10\n20\n", source: "inline")
        #expect(trace.period == .milliseconds(20))
        #expect(trace.level(at: 4_999_999) == 0)
        #expect(trace.level(at: 5_000_000) == 3_000)
        #expect(trace.level(at: 20_000_000) == 6_000)          // one full loop
        #expect(trace.level(at: 25_000_000) == 9_000)          // the 5 ms pair of the second loop
        #expect(trace.offset(reaching: 1) == 5_000_000)
        #expect(trace.offset(reaching: 4_500) == 10_000_000)
        #expect(trace.offset(reaching: 6_000) == 20_000_000)
        #expect(trace.offset(reaching: 6_001) == 25_000_000)
    }

    @Test("malformed traces name the file and line", arguments: [
        ("1\n2\nx\n", 3, "integer"),
        ("10\n5\n", 2, "earlier"),
        ("0\t1.0\n1\n", 2, "two numbers"),
        ("0\t1.0\n0\t2.0\n", 2, "increase"),
        ("0\t1.0\n1\t-2\n", 2, "≥ 0"),
    ])
    func malformed(text: String, line: Int, phrase: String) throws {
        do {
            _ = try BandwidthTrace.parse(text, source: "bad.trace")
            Issue.record("parsed a malformed trace")
        } catch let error as TraceError {
            #expect(error.path == "bad.trace")
            #expect(error.line == line)
            #expect(error.description.hasPrefix("bad.trace:\(line): "))
            #expect(error.message.contains(phrase), "\(error)")
        }
    }

    @Test("empty, all-zero and missing traces are refused")
    func refused() throws {
        #expect(throws: TraceError.self) { try BandwidthTrace.parse("# nothing\n\n", source: "e") }
        #expect(throws: TraceError.self) { try BandwidthTrace.parse("0 0\n5 0\n", source: "z") }
        #expect(throws: TraceError.self) { try BandwidthTrace.parse("0\n", source: "p") }
        do {
            _ = try BandwidthTrace.load(path: "/nonexistent/trace.tsv")
            Issue.record("loaded a missing file")
        } catch let error as TraceError {
            #expect(error.path == "/nonexistent/trace.tsv")
        }
        #expect(throws: TraceError.self) {
            try LinkEmulator<Int>(profile: profile(trace: "missing.tsv"), generator: SeededGenerator(seed: 1))
        }
        // A trace that only a scheduled change uses is loaded (and refused) up front.
        #expect(throws: TraceError.self) {
            try LinkEmulator<Int>(profile: LinkProfile(), generator: SeededGenerator(seed: 1),
                                  schedule: [LinkChange(at: .seconds(5), profile: profile(trace: "missing.tsv"))])
        }
    }

    @Test("a rate file may start with a header line and use spaces")
    func header() throws {
        let trace = try BandwidthTrace.parse("seconds Mbps\n0 2\n1 2\n", source: "h")
        #expect(trace.meanRate == .mbps(2))
    }
}

@Suite("Bandwidth traces in schedules")
struct ScheduledTraceTests {
    @Test("a change to a trace replays it from the change time")
    func changeToTrace() throws {
        let trace = try BandwidthTrace(rateRows: [(0, 2)], source: "flat 2 Mb/s")
        var link = try LinkEmulator<Int>(profile: profile(bandwidth: 500, queueBytes: 1_000_000),
                                         generator: SeededGenerator(seed: 1),
                                         schedule: [LinkChange(at: .seconds(10), profile: profile(trace: "flat", queueBytes: 1_000_000))],
                                         traces: ["flat": trace])
        // 1 Mb/s offered: queue builds at 0.5 Mb/s until 10 s, drains at 2 Mb/s after.
        let out = runPeriodic(&link, count: 2_000, spacing: .milliseconds(10), bytes: 1_250)
        let late = out.filter { $0.sentAt >= .seconds(16) }.map { ($0.departedAt - $0.sentAt).milliseconds }
        #expect(late.allSatisfy { abs($0 - 5) < 0.001 }, "sojourn after the backlog drained: 5 ms at 2 Mb/s")
        let backlogAtChange = out.filter { $0.sentAt < .seconds(10) }.map { ($0.departedAt - $0.sentAt).milliseconds }.max() ?? 0
        #expect(backlogAtChange > 5_000)
    }
}
