import ControlAPI
import EngineClient
import Foundation
import Testing

/// The real `sfulab serve` binary (built by `swift build` or `swift test` next to this test
/// bundle): it prints its ready line, answers the control API, and exits 0 on SIGTERM.
@Suite struct ServeProcessTests {
    /// `sfulab` in the build directory this test runs from.
    static func sfulabPath() throws -> String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = bundle.deletingLastPathComponent()
        // The test binary sits in .build/<triple>/debug, or inside a .xctest bundle there.
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("sfulab").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw ServerProcess.LaunchError.cannotStart(executable: "sfulab", reason: "not found near \(bundle.path)")
    }

    static var baselineProfile: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Profiles/baseline.yaml").path
    }

    @Test func readyLineThenControlAPIThenGracefulSIGTERM() throws {
        let server = try ServerProcess.launch(executable: Self.sfulabPath(), arguments: [
            "--profile", Self.baselineProfile, "--seed", "3", "--log-level", "error",
        ])
        defer { if server.isRunning { server.terminate() } }
        #expect(server.ready.event == "listening")
        #expect(server.ready.control.hasPrefix("http://127.0.0.1:"))
        #expect(server.ready.workers == 1)
        #expect(server.ready.pid == server.pid)
        #expect(try server.client.health().status == "ok")
        #expect(try server.client.createTransport(room: "p").port > 0)
        #expect(server.terminate() == 0)
        #expect(!server.isRunning)
    }

    @Test func aBadProfileExitsWithStatus2BeforeReady() throws {
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("sfulab-serve-bad-\(getpid()).yaml")
        try "worker:\n  cont: 2\n".write(to: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: bad) }
        let devNull = FileHandle(forWritingAtPath: "/dev/null")
        #expect {
            _ = try ServerProcess.launch(executable: Self.sfulabPath(), arguments: ["--profile", bad.path], stderr: devNull)
        } throws: { error in
            guard case .exitedBeforeReady(let status, _) = error as? ServerProcess.LaunchError else { return false }
            return status == 2
        }
    }
}
