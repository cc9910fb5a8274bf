import Engine
import Foundation
import Harness
import Media
import Testing

/// Every file in Workloads/ runs as a trial (1 s of it), and the shipped set stays under 20 MB.
@Suite struct ShippedWorkloadTests {
    static let directory: String = {
        let file = "\(#filePath)"
        var url = URL(fileURLWithPath: file)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Workloads").path
    }()

    static let files = ["meeting-5-desktop.sfuw", "meeting-10-mixed.sfuw", "webinar-1-presenter-50-viewers.sfuw",
                        "screen-share-4.sfuw", "audio-20.sfuw"]

    @Test(arguments: files)
    func runsAsATrial(file: String) throws {
        let path = "\(Self.directory)/\(file)"
        let participants = try WorkloadReader(path: path).manifest.participants.count
        let result = try TrialRunner().run(RecordedFixtures.spec(path, network: "desktop-broadband", seconds: 1))
        #expect(result.metrics["participants"] == Double(participants))
        #expect(result.metrics["packetDelay.count", default: 0] > 0)
    }

    @Test func shippedSetIsUnder20MB() throws {
        let sizes = try Self.files.map { try FileManager.default.attributesOfItem(atPath: "\(Self.directory)/\($0)")[.size] as? Int ?? 0 }
        #expect(sizes.allSatisfy { $0 > 0 })
        #expect(sizes.reduce(0, +) < 20_000_000)
    }
}
