import Engine
@testable import Harness

/// Directory holding the test fixtures, found from this source file's path (works on a clean clone).
let fixturesDirectory: String = {
    let file = "\(#filePath)"
    let directory = file[..<(file.lastIndex(of: "/") ?? file.endIndex)]
    return "\(directory)/Fixtures"
}()

/// Builds a link profile from keyword arguments.
func profile(delay: Double = 0, jitter: Double = 0, reorder: Bool = false, loss: Double = 0,
             lossBurst: Double? = nil, duplication: Double = 0, bandwidth: Double? = nil,
             trace: String? = nil, queue: QueueDiscipline = .droptail, queueBytes: Int? = nil,
             queueDelay: Double? = nil) -> LinkProfile {
    var p = LinkProfile()
    p.delay = delay
    p.jitter = jitter
    p.reorder = reorder
    p.loss = loss
    p.lossBurst = lossBurst
    p.duplication = duplication
    p.bandwidth = bandwidth
    p.trace = trace
    p.queue = queue
    p.queueBytes = queueBytes
    p.queueDelay = queueDelay
    return p
}

/// Takes out everything due up to and including `time`, in delivery order.
func drain(_ link: inout LinkEmulator<Int>, until time: Instant, into out: inout [LinkPacket<Int>]) {
    while let deadline = link.nextDeadline(), deadline <= time {
        link.handleTimeout(now: deadline)
        while let packet = link.pollPacket(now: deadline) { out.append(packet) }
    }
    link.handleTimeout(now: time)
    while let packet = link.pollPacket(now: time) { out.append(packet) }
}

/// Sends `count` packets numbered 0..<count, `spacing` apart, `bytes` each, and returns every
/// delivery once the link has gone idle.
func runPeriodic(_ link: inout LinkEmulator<Int>, count: Int, spacing: Duration, bytes: Int = 1_200,
                 start: Instant = .zero) -> [LinkPacket<Int>] {
    var out: [LinkPacket<Int>] = []
    out.reserveCapacity(count + count / 10)
    var now = start
    for index in 0..<count {
        drain(&link, until: now, into: &out)
        link.send(index, size: bytes, now: now)
        now = now + spacing
    }
    while let deadline = link.nextDeadline() { drain(&link, until: deadline, into: &out) }
    return out
}

/// Mean and (population) standard deviation.
func meanAndStandardDeviation(_ values: [Double]) -> (mean: Double, sd: Double) {
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    return (mean, variance.squareRoot())
}
