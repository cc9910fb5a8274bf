import Foundation
import Testing
@testable import Media

/// Damaged workload files never trap: every read either succeeds or throws a `WorkloadError`.
@Suite struct WorkloadFuzzTests {
    @Test func randomDamageIsReportedNotTrapped() throws {
        let (path, _) = try WorkloadFileTests.smallWorkload()
        let original = TestFiles.bytes(path)
        var state: UInt64 = 0x5EED
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var opened = 0, rejected = 0, recordErrors = 0
        for round in 0..<300 {
            var bytes = original
            switch round % 3 {
            case 0: for _ in 0..<(1 + next() % 8) { bytes[next() % bytes.count] = UInt8(truncatingIfNeeded: next()) }
            case 1: bytes = Array(bytes[0..<(next() % bytes.count)])
            default:
                let start = next() % bytes.count
                bytes.replaceSubrange(start..<min(bytes.count, start + next() % 64), with: (0..<(next() % 64)).map { _ in UInt8(truncatingIfNeeded: next()) })
            }
            let damaged = TestFiles.temporaryPath("fuzz.sfuw")
            try Data(bytes).write(to: URL(fileURLWithPath: damaged))
            do {
                let reader = try WorkloadReader(path: damaged)
                opened += 1
                for track in reader.manifest.tracks {
                    var cursor = try reader.packets(track: track.id)
                    do { while try cursor.next() != nil {} } catch { recordErrors += 1 }
                }
            } catch {
                #expect(error.description.hasPrefix(damaged))
                rejected += 1
            }
            try? FileManager.default.removeItem(atPath: damaged)
        }
        #expect(opened + rejected == 300)
        #expect(rejected > 100)
    }
}
