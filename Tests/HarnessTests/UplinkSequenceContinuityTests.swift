import Engine
import RTP
import Testing
@testable import Harness

/// What the participants put on the wire, per SSRC, must be one RTP stream SRTP can protect: a
/// live trial encrypts every uplink packet at the socket, after the uplink emulator, and libsrtp2
/// refuses a sequence number 1,024 or more behind the highest it has protected on that SSRC (its
/// replay window; `SRTPSession`'s default). A jump as far ahead is flagged too: it is a second
/// counter's number, behind which the stream's next packets fall. Plain transports forward such
/// packets unnoticed, so this runs the live load generator in virtual time against the in-process
/// engine (as LiveLoadGeneratorTests do) and checks each SSRC's sequence numbers as they leave the
/// uplink emulator, over synthetic meetings and the shipped workloads.
@Suite("Uplink RTP sequence numbers per SSRC stay within SRTP's replay window")
struct UplinkSequenceContinuityTests {
    /// The replay window of the participants' SRTP sessions (`SRTPSession`'s default).
    static let window = 1_024

    /// A jump of a sequence number on an SSRC.
    struct Jump: CustomStringConvertible {
        var ssrc: UInt32
        var payloadType: UInt8
        var from: UInt16
        var to: UInt16
        var description: String { "SSRC \(ssrc) (PT \(payloadType)): \(from) -> \(to)" }
    }

    /// The highest sequence number sent so far on each SSRC; records every packet whose number
    /// lies `window` or more behind it or ahead of it (16-bit serial arithmetic).
    struct Continuity {
        var highest: [UInt32: UInt16] = [:]
        var jumps: [Jump] = []
        var packets = 0

        mutating func sent(_ bytes: [UInt8]) {
            // RTCP (payload types 192...223 with the marker bit's position) is not an RTP stream.
            guard bytes.count >= 12, bytes[0] >> 6 == 2, !(192...223).contains(bytes[1]) else { return }
            let sequence = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
            let ssrc = UInt32(bytes[8]) << 24 | UInt32(bytes[9]) << 16 | UInt32(bytes[10]) << 8 | UInt32(bytes[11])
            packets += 1
            guard let top = highest[ssrc] else {
                highest[ssrc] = sequence
                return
            }
            let step = Int(Int16(bitPattern: sequence &- top))
            if step <= -UplinkSequenceContinuityTests.window || step >= UplinkSequenceContinuityTests.window {
                jumps.append(Jump(ssrc: ssrc, payloadType: bytes[1] & 0x7F, from: top, to: sequence))
            }
            if step > 0 { highest[ssrc] = sequence }
        }
    }

    /// Runs `spec` through the live load generator in virtual time and checks what reaches the sockets.
    func continuity(_ spec: TrialSpec) throws -> Continuity {
        let engine = Engine(profile: spec.profile, seed: 99)
        let generator = try LiveLoadGenerator(spec: spec, control: engine, overTCP: false)
        var continuity = Continuity()
        generator.runInVirtualTime(against: engine) { continuity.sent($0.bytes) }
        return continuity
    }

    /// A synthetic meeting: participants, network preset, seed (10 s).
    struct Meeting: Sendable, CustomStringConvertible {
        var participants: Int
        var network: String
        var seed: UInt64
        var description: String { "\(participants) participants on \(network), seed \(seed)" }
    }

    /// The live trial that showed the drops (`--participants 5 --network 4g --seed 1`), another
    /// seed, and a narrower network.
    static let meetings = [Meeting(participants: 5, network: "4g", seed: 1), Meeting(participants: 5, network: "4g", seed: 2),
                           Meeting(participants: 4, network: "3g", seed: 3)]

    @Test("synthetic meetings", arguments: meetings)
    func synthetic(meeting: Meeting) throws {
        let spec = TrialSpec(profile: Profile(), workload: WorkloadSpec(participants: meeting.participants),
                             network: try NetworkScenario.preset(named: meeting.network), duration: .seconds(10), seed: meeting.seed)
        let result = try continuity(spec)
        #expect(result.packets > 1_000)
        #expect(result.jumps.isEmpty, "\(result.jumps.count) jumps, first: \(result.jumps.prefix(5))")
    }

    @Test("shipped workloads", arguments: ["meeting-5-desktop.sfuw", "meeting-10-mixed.sfuw", "screen-share-4.sfuw"])
    func shipped(file: String) throws {
        let spec = try RecordedFixtures.spec("\(ShippedWorkloadTests.directory)/\(file)", network: "4g", seconds: 6, seed: 1)
        let result = try continuity(spec)
        #expect(result.packets > 500)
        #expect(result.jumps.isEmpty, "\(result.jumps.count) jumps, first: \(result.jumps.prefix(5))")
    }

    @Test("the check sees a second sequence counter on an SSRC")
    func checkCatchesTwoCounters() {
        var continuity = Continuity()
        func packet(_ sequence: UInt16) -> [UInt8] {
            [0x80, 97, UInt8(sequence >> 8), UInt8(sequence & 0xFF), 0, 0, 0, 0, 0, 0, 0, 7]
        }
        for sequence in UInt16(40_000)..<40_010 { continuity.sent(packet(sequence)) }
        #expect(continuity.jumps.isEmpty)
        continuity.sent(packet(39_500))  // reordered, inside the window
        #expect(continuity.jumps.isEmpty)
        continuity.sent(packet(3))  // another counter on the same SSRC
        #expect(continuity.jumps.count == 1)
    }
}
