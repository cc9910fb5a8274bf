import Foundation

/// `sfulab report RUN --compare OTHER`: candidates of two runs side by side on the first run's
/// primary objective, matched by candidate name and config hash.
public struct RunComparison: Sendable {
    public var first: ResultsDocument
    public var second: ResultsDocument

    public init(first: ResultsDocument, second: ResultsDocument) {
        self.first = first
        self.second = second
    }

    struct Row {
        var name: String
        var hash: String
        var a: MetricSummary?
        var b: MetricSummary?
    }

    var metric: String { first.experiment.objectives.first?.metric ?? "frameLatency.p95" }

    var rows: [Row] {
        var out: [Row] = []
        for c in first.candidates {
            out.append(Row(name: c.name, hash: c.configHash, a: c.metrics[metric],
                           b: second.candidates.first { $0.configHash == c.configHash || $0.name == c.name }?.metrics[metric]))
        }
        for c in second.candidates where !first.candidates.contains(where: { $0.configHash == c.configHash || $0.name == c.name }) {
            out.append(Row(name: c.name, hash: c.configHash, a: nil, b: c.metrics[metric]))
        }
        return out
    }

    static func cell(_ s: MetricSummary?) -> String {
        guard let s else { return "—" }
        return "\(SweepAnalysis.format(s.mean)) [\(SweepAnalysis.format(s.ciLow)), \(SweepAnalysis.format(s.ciHigh))]"
    }

    public func markdown() -> String {
        var md = "# Comparison: \(first.runID) vs \(second.runID)\n\n"
        md += "- A: `\(first.experiment.name)` run `\(first.runID)` — winner: \(first.winner.map { "`\($0)`" } ?? "none")\n"
        md += "- B: `\(second.experiment.name)` run `\(second.runID)` — winner: \(second.winner.map { "`\($0)`" } ?? "none")\n\n"
        md += "| candidate | config hash | A \(metric) [95% CI] | B \(metric) [95% CI] | B − A |\n|---|---|---|---|---|\n"
        for r in rows {
            let delta = (r.a != nil && r.b != nil) ? SweepAnalysis.format(r.b!.mean - r.a!.mean) : "—"
            md += "| `\(r.name)` | `\(r.hash)` | \(Self.cell(r.a)) | \(Self.cell(r.b)) | \(delta) |\n"
        }
        md += "\nIntervals overlap or not: runs differ in time and possibly seeds, so this table is descriptive; rerun both in one sweep for a paired test.\n"
        return md
    }

    public func html() -> String {
        let esc = SVGChart.escape
        var h = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        h += "<title>Comparison \(esc(first.runID)) vs \(esc(second.runID))</title><style>\(ReportRenderer.css)</style></head><body>"
        h += "<h1>Comparison: \(esc(first.runID)) vs \(esc(second.runID))</h1>"
        var bars: [SVGChart.Bar] = []
        for r in rows {
            if let a = r.a { bars.append(.init(label: "A · \(r.name)", value: a.mean, low: a.ciLow, high: a.ciHigh, highlight: false)) }
            if let b = r.b { bars.append(.init(label: "B · \(r.name)", value: b.mean, low: b.ciLow, high: b.ciHigh, highlight: true)) }
        }
        h += SVGChart.bars(bars, unit: "")
        h += "<div class=\"scroll\"><table><tr><th>candidate</th><th>A</th><th>B</th></tr>"
        for r in rows { h += "<tr><td><code>\(esc(r.name))</code></td><td>\(esc(Self.cell(r.a)))</td><td>\(esc(Self.cell(r.b)))</td></tr>" }
        return h + "</table></div></body></html>\n"
    }

    /// Writes `compare-<second run>.md` and `.html` into `directory`; returns the HTML path.
    public func write(to directory: URL) throws -> URL {
        let base = "compare-\(RunStore.slug(second.runID))"
        let htmlURL = directory.appendingPathComponent(base + ".html")
        try AtomicFile.writeAll([(directory.appendingPathComponent(base + ".md"), Data(markdown().utf8)), (htmlURL, Data(html().utf8))])
        return htmlURL
    }
}
