import Foundation

/// Runs a command with a deadline: its exit status, stdout and stderr. A command still running
/// at the deadline is killed and reported as status -1.
func runCommand(_ executable: String, _ arguments: [String], timeout: TimeInterval = 60) throws -> (status: Int32, output: String, errors: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    try process.run()
    // Read both pipes while it runs, so a chatty command never blocks on a full pipe.
    let collected = DispatchGroup()
    nonisolated(unsafe) var out = Data(), err = Data()
    DispatchQueue.global().async(group: collected) { out = output.fileHandleForReading.readDataToEndOfFile() }
    DispatchQueue.global().async(group: collected) { err = errors.fileHandleForReading.readDataToEndOfFile() }
    guard exited.wait(timeout: .now() + timeout) == .success else {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        collected.wait()
        return (-1, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
    collected.wait()
    return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
}
