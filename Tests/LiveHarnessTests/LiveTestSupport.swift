import Foundation

enum LiveTestSupport {
    struct NotBuilt: Error, CustomStringConvertible {
        var description: String
    }

    /// `sfulab` in the build directory this test runs from (`swift test` builds it next to the
    /// test bundle: .build/<triple>/debug, or a .xctest bundle inside it).
    static func sfulabPath() throws -> String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = bundle.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("sfulab").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw NotBuilt(description: "sfulab not found near \(bundle.path): build it with `swift build --product sfulab`")
    }
}
