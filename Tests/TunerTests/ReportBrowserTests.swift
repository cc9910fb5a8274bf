import Engine
import Foundation
import Harness
import Testing
import Tuner

/// report.html, produced by a real (small) simulated sweep with two axes, rendered by headless
/// Chromium at phone (390 px) and desktop (1280 px) widths in light and dark mode: no horizontal
/// scrolling, every chart present with a size, and the colour scheme follows the system.
@Suite(.serialized) struct ReportBrowserTests {
    /// Runs the sweep once and renders the report.
    static let report: Result<URL, any Error> = {
        let semaphore = DispatchSemaphore(value: 0)
        let box = ResultBox()
        Task {
            do {
                var workload = WorkloadSpec(participants: 3)
                workload.kind = "meeting"
                let experiment = Experiment(
                    name: "browser", networks: [try NetworkScenario.preset(named: "4g")], duration: .seconds(3),
                    axes: [SweepAxis(key: "webRtcTransport.initialAvailableOutgoingBitrate", values: [.scalar("300000"), .scalar("2000000")]),
                           SweepAxis(key: "feedback.nack.defaultRtt", values: [.scalar("50"), .scalar("200")])],
                    repetitions: 2, seed: 3)
                let outcome = try await Sweep.run(experiment, options: SweepOptions(outDirectory: temporaryDirectory(), jobs: 2),
                                                  executor: InProcessTrialExecutor(), gitRevision: nil)
                box.value = .success(outcome.reportHTML)
            } catch {
                box.value = .failure(error)
            }
            semaphore.signal()
        }
        semaphore.wait()
        return box.value!
    }()

    final class ResultBox: @unchecked Sendable {
        var value: Result<URL, any Error>?
    }

    /// A page that frames the report at `width` px and writes measurements into the DOM.
    func probePage(for report: URL, width: Int) throws -> URL {
        let page = report.deletingLastPathComponent().appendingPathComponent("probe-\(width).html")
        let html = """
            <html><body style="margin:0"><iframe id="f" src="\(report.lastPathComponent)" style="width:\(width)px;height:4000px;border:0"></iframe>
            <pre id="result"></pre><script>
            document.getElementById('f').onload = function () {
              var d = this.contentDocument, w = this.contentWindow;
              var charts = Array.from(d.querySelectorAll('svg')).map(function (s) { var r = s.getBoundingClientRect(); return [r.width, r.height]; });
              document.getElementById('result').textContent = JSON.stringify({
                scrollWidth: d.documentElement.scrollWidth, clientWidth: d.documentElement.clientWidth,
                charts: charts, dark: w.matchMedia('(prefers-color-scheme: dark)').matches,
                background: w.getComputedStyle(d.body).backgroundColor });
            };
            </script></body></html>
            """
        try html.write(to: page, atomically: true, encoding: .utf8)
        return page
    }

    struct Measurement: Decodable {
        var scrollWidth: Double
        var clientWidth: Double
        var charts: [[Double]]
        var dark: Bool
        var background: String
    }

    @Test(arguments: [(390, false), (390, true), (1280, false), (1280, true)])
    func reportFitsAndShowsEveryChart(width: Int, dark: Bool) throws {
        let chromium = try #require(HeadlessChromium.find(), "headless Chromium is needed: run scripts/install-deps.sh --with-test-tools")
        let report = try Self.report.get()
        let dom = try chromium.dumpDOM(of: probePage(for: report, width: width), dark: dark)
        let json = try #require(dom.range(of: "<pre id=\"result\">").flatMap { start in
            dom[start.upperBound...].range(of: "</pre>").map { String(dom[start.upperBound..<$0.lowerBound]) }
        })
        let measurement = try JSONDecoder().decode(Measurement.self, from: Data(json.replacingOccurrences(of: "&quot;", with: "\"").utf8))
        #expect(measurement.clientWidth == Double(width))
        #expect(measurement.scrollWidth <= measurement.clientWidth, "horizontal scrolling at \(width) px")
        // Objective bars, latency distribution, sweep heatmap, and time series.
        #expect(measurement.charts.count >= 4)
        #expect(measurement.charts.allSatisfy { $0[0] > 50 && $0[1] > 50 })
        #expect(measurement.dark == dark)
        let png = report.deletingLastPathComponent().appendingPathComponent("report-\(width)-\(dark ? "dark" : "light").png")
        try chromium.screenshot(of: report, to: png, dark: dark, width: width, height: 2_000)
        let size = try FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int ?? 0
        #expect(size > 10_000, "screenshot \(png.path) is missing or blank")
    }

    @Test func darkAndLightBackgroundsDiffer() throws {
        let chromium = try #require(HeadlessChromium.find(), "headless Chromium is needed: run scripts/install-deps.sh --with-test-tools")
        let report = try Self.report.get()
        func background(dark: Bool) throws -> String {
            let dom = try chromium.dumpDOM(of: probePage(for: report, width: 1280), dark: dark)
            return dom.components(separatedBy: "background").dropFirst().first ?? ""
        }
        #expect(try background(dark: true) != background(dark: false))
    }
}
