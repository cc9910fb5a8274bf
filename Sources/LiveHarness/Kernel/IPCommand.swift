import Foundation

/// Runs iproute2's `ip` (the kernel path's only way of creating namespaces and configuring the
/// devices in them). Every invocation names its namespace with `-n` or `netns`: nothing here
/// touches the host's own interfaces, routes or firewall.
enum IPCommand {
    /// Where `ip` is, or nil when it is not installed.
    static let path: String? = {
        let candidates = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]
            + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/ip" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `ip arguments...` and throws with its stderr when it exits non-zero.
    static func run(_ arguments: [String]) throws(Failure) {
        guard let path else { throw Failure(description: "iproute2's `ip` is not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw Failure(description: "cannot run \(path): \(error.localizedDescription)")
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let said = message.trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(description: "`ip \(arguments.joined(separator: " "))` exited with status \(process.terminationStatus)"
                + (said.isEmpty ? "" : ": \(said)"))
        }
    }
}
