import Foundation

/// Drives Debian's headless Chromium for report checks: loads a page, runs a measuring script,
/// and returns what it wrote; or takes a screenshot. Installed by
/// `scripts/install-deps.sh --with-test-tools` (what `make test` runs).
struct HeadlessChromium {
    let executable: String

    /// Finds chromium on PATH; nil when it is not installed.
    static func find() -> HeadlessChromium? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let path = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return HeadlessChromium(executable: path) }
            }
        }
        return nil
    }

    private func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--allow-file-access-from-files", "--virtual-time-budget=5000"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The DOM after the page's scripts ran.
    func dumpDOM(of file: URL, dark: Bool, width: Int = 1280, height: Int = 900) throws -> String {
        try run((dark ? ["--force-dark-mode"] : []) + ["--window-size=\(width),\(height)", "--dump-dom", file.absoluteString])
    }

    /// A PNG screenshot of `file` in a window of `width` × `height`.
    func screenshot(of file: URL, to png: URL, dark: Bool, width: Int, height: Int) throws {
        _ = try run((dark ? ["--force-dark-mode"] : []) + ["--window-size=\(width),\(height)",
                                                            "--screenshot=\(png.path)", file.absoluteString])
    }
}
