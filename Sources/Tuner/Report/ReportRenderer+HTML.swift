import Foundation
import Harness

extension ReportRenderer {
    static let css = """
    :root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#59636e;--line:#d0d7de;--c0:#0969da;--c1:#1a7f37;--c2:#bf3989;--c3:#9a6700;--c4:#8250df;--c5:#cf222e;--c6:#1b7c83;--c7:#6e7781}
    @media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#30363d;--c0:#4493f8;--c1:#3fb950;--c2:#db61a2;--c3:#d29922;--c4:#a371f7;--c5:#f85149;--c6:#39c5cf;--c7:#8b949e}}
    *{box-sizing:border-box}body{margin:0 auto;max-width:1100px;padding:16px;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,sans-serif}
    h1{font-size:1.5em;overflow-wrap:anywhere}h2{font-size:1.2em;margin-top:1.6em;overflow-wrap:anywhere}p,li{overflow-wrap:anywhere}code{overflow-wrap:anywhere}
    .verdict{border-left:4px solid var(--c1);padding:8px 12px;background:color-mix(in srgb,var(--c1) 10%,transparent)}
    .verdict.none{border-color:var(--c7);background:color-mix(in srgb,var(--c7) 10%,transparent)}
    .scroll{overflow-x:auto;max-width:100%}table{border-collapse:collapse;font-size:.9em}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
    svg{width:100%;max-width:680px;height:auto;display:block}svg text{fill:var(--fg);font-size:14px}svg .tick{fill:var(--muted);font-size:13px}svg .cell{font-size:13px}
    .axis,.whisker{stroke:var(--fg);stroke-width:1.5}.grid{stroke:var(--line);stroke-width:1}.line{fill:none;stroke-width:2.5}
    .s0{--c:var(--c0)}.s1{--c:var(--c1)}.s2{--c:var(--c2)}.s3{--c:var(--c3)}.s4{--c:var(--c4)}.s5{--c:var(--c5)}.s6{--c:var(--c6)}.s7{--c:var(--c7)}
    .fill{fill:var(--c)}.line{stroke:var(--c)}.note,.meta{color:var(--muted)}ul{padding-left:1.2em}
    """

    /// The self-contained HTML report: inline CSS and SVG, no scripts, light and dark themes.
    public func html() -> String {
        let e = results.experiment
        let esc = SVGChart.escape
        var h = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        h += "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        h += "<title>\(esc(e.name)) — sfulab sweep report</title><style>\(Self.css)</style></head><body>"
        h += "<h1>\(esc(e.name)) — sweep report</h1>"
        if !e.description.isEmpty { h += "<p>\(esc(e.description))</p>" }
        h += "<p class=\"verdict\(results.winner == nil ? " none" : "")\"><strong>"
        h += results.winner.map { "Winner: <code>\(esc($0))</code>" } ?? "No significant winner"
        h += "</strong><br>\(esc(results.verdict))</p>"
        h += "<p class=\"meta\">Run <code>\(esc(results.runID))</code> · \(esc(results.createdAt)) · sfulab \(esc(results.tool.version))"
        h += results.tool.gitRevision.map { " · git <code>\(esc($0))</code>" } ?? ""
        h += " · mode <strong>\(esc(modes))</strong> (every figure here was measured in this mode) · networks "
        h += esc(e.networks.map(\.name).joined(separator: ", ")) + " · \(e.repetitions) repetitions · seed \(e.seed)</p>"

        h += "<h2>\(esc(primary.description)) per candidate</h2>"
        h += SVGChart.bars(results.candidates.map { c in
            let s = c.metrics[primary.metric]
            return SVGChart.Bar(label: "\(c.index). \(c.name)", value: s?.mean ?? .nan, low: s?.ciLow ?? .nan,
                                high: s?.ciHigh ?? .nan, highlight: c.name == results.winner)
        }, unit: primary.metric.lowercased().contains("latency") ? "ms" : "")
        h += "<p class=\"note\">Bars: mean over trials; whiskers: 95% percentile-bootstrap confidence interval.</p>"

        h += "<h2>Candidates</h2><div class=\"scroll\"><table><tr><th>#</th><th>candidate</th><th>trials ok/failed</th>"
        h += "<th>\(esc(primary.metric)) mean [95% CI]</th><th>Δ vs baseline [95% CI]</th><th>p</th><th>p (Holm)</th><th>constraints</th><th>Pareto</th></tr>"
        for c in results.candidates {
            let cmp = c.comparisons.first
            h += "<tr><td>\(c.index)</td><td><code>\(esc(c.name))</code></td><td>\(c.trialsOK)/\(c.trialsFailed)</td>"
            h += "<td>\(esc(objectiveCell(c, primary.metric)))</td>"
            h += "<td>\(cmp.map { esc("\(SweepAnalysis.format($0.meanDifference)) [\(SweepAnalysis.format($0.ciLow)), \(SweepAnalysis.format($0.ciHigh))]") } ?? "—")</td>"
            h += "<td>\(cmp.map { SweepAnalysis.format($0.pValue) } ?? "—")</td><td>\(cmp.map { SweepAnalysis.format($0.pAdjusted) } ?? "—")</td>"
            let constraintText = c.constraints.map { "\($0.constraint): \($0.value.map(SweepAnalysis.format) ?? "n/a") \($0.satisfied ? "✓" : "✗")" }
            h += "<td>\(c.constraints.isEmpty ? "—" : esc(constraintText.joined(separator: "; ")))</td><td>\(c.paretoOptimal ? "yes" : "")</td></tr>"
        }
        h += "</table></div>"

        if e.objectives.count > 1 {
            h += "<h2>All objectives</h2><div class=\"scroll\"><table><tr><th>candidate</th>"
            h += e.objectives.map { "<th>\(esc($0.description))<br>mean [95% CI] · Δ · p (Holm)</th>" }.joined() + "</tr>"
            for c in results.candidates {
                h += "<tr><td><code>\(esc(c.name))</code></td>" + e.objectives.map { "<td>\(esc(objectiveSummary(c, $0)))</td>" }.joined() + "</tr>"
            }
            h += "</table></div><p>Pareto front: " + results.paretoFront.map { "<code>\(esc($0))</code>" }.joined(separator: ", ") + "</p>"
        }
        h += "<h2>Latency distribution</h2>" + cdfChart()
        if let heat = heatmapChart() { h += "<h2>Sweep surface</h2>" + heat }
        h += "<h2>Baseline vs \(esc(comparedName)) over time</h2>" + timeSeriesChart()

        h += "<h2>Configurations</h2><div class=\"scroll\"><table><tr><th>candidate</th><th>config hash</th></tr>"
        for c in results.candidates { h += "<tr><td><code>\(esc(c.name))</code></td><td><code>\(c.configHash)</code></td></tr>" }
        h += "</table></div>"
        h += liveImpairmentsHTML()
        let failed = results.trials.filter { $0.status == .failed }
        if !failed.isEmpty {
            h += "<h2>Failed trials</h2><ul>"
            for t in failed { h += "<li><code>\(esc(t.id))</code>: \(esc(t.error ?? ""))</li>" }
            h += "</ul>"
        }
        return h + "<p class=\"note\">Generated by sfulab; methods in docs/statistics.md; schema in docs/results-schema.md.</p></body></html>\n"
    }

    /// The winner, or the candidate with the best objective mean when there is none.
    var comparedName: String {
        if let w = results.winner { return w }
        let others = results.candidates.filter { $0.index != 0 && $0.metrics[primary.metric] != nil }
        let best = others.max { a, b in primary.improvement(a.metrics[primary.metric]!.mean, over: b.metrics[primary.metric]!.mean) < 0 }
        return best?.name ?? "baseline"
    }

    /// The latency family the distribution chart shows: the objective's when it is a latency or
    /// delay, else frame latency, else packet delay, else the objective's family.
    var distributionFamily: String {
        let family = primary.metric.split(separator: ".").dropLast().joined(separator: ".")
        let objectiveFamily = family.isEmpty ? primary.metric : family
        if objectiveFamily.lowercased().contains("latency") || objectiveFamily.lowercased().contains("delay") { return objectiveFamily }
        for candidate in ["frameLatency", "packetDelay"] where results.candidates.contains(where: { $0.metrics["\(candidate).p50"] != nil }) {
            return candidate
        }
        return objectiveFamily
    }

    func cdfChart() -> String {
        let prefix = distributionFamily + "."
        let series = results.candidates.prefix(8).map { c -> (name: String, points: [(x: Double, q: Double)]) in
            let points = c.metrics.compactMap { name, s -> (x: Double, q: Double)? in
                guard name.hasPrefix(prefix), let q = Self.quantile(of: String(name.dropFirst(prefix.count))) else { return nil }
                return (s.mean, q)
            }
            return (c.name, points.sorted { $0.q < $1.q })
        }.filter { $0.points.count >= 2 }
        let unit = prefix.lowercased().contains("latency") || prefix.lowercased().contains("delay") ? "ms" : ""
        return SVGChart.cdf(series, unit: "\(prefix.dropLast()) \(unit)") +
            "<p class=\"note\">Built from the percentile metrics each trial reports (\(SVGChart.escape(prefix))pNN), averaged over trials.</p>"
    }

    /// `p95` → 0.95, `p99.9`/`p999` → 0.999, `p50` → 0.5, `min` → 0, `max` → 1.
    static func quantile(of suffix: String) -> Double? {
        if suffix == "min" { return 0 }
        if suffix == "max" { return 1 }
        guard suffix.hasPrefix("p") else { return nil }
        let digits = suffix.dropFirst()
        if digits.contains("."), let v = Double(digits) { return v / 100 }
        guard let v = Double(digits), !digits.isEmpty else { return nil }
        return v / pow(10, Double(digits.count))
    }

    func heatmapChart() -> String? {
        let axes = results.experiment.axes
        guard axes.count == 2 else { return nil }
        let (a, b) = (axes[0], axes[1])
        let values: [[Double?]] = b.values.map { bv in
            a.values.map { av in
                results.candidates.first { c in
                    c.assignments.contains { $0.key == a.key && $0.value == av } && c.assignments.contains { $0.key == b.key && $0.value == bv }
                }?.metrics[primary.metric]?.mean
            }
        }
        return SVGChart.heatmap(xLabels: a.values.map(\.description), yLabels: b.values.map(\.description), values: values,
                                lowerIsBetter: primary.direction == .minimize, xKey: a.key, yKey: b.key)
        + "<p class=\"note\">Cells: mean \(SVGChart.escape(primary.metric)); darker is better.</p>"
    }

    func timeSeriesChart() -> String {
        guard let other = results.candidates.first(where: { $0.name == comparedName }) else { return "" }
        let ok = results.trials.filter { $0.status == .ok }
        guard let base = ok.first(where: { $0.candidate == 0 }), let names = base.result?.series.keys.sorted(), !names.isEmpty,
              let peer = ok.first(where: { $0.candidate == other.index && $0.networkIndex == base.networkIndex && $0.repetition == base.repetition })
        else { return "<p class=\"note\">No time series recorded.</p>" }
        // Most telling first: what subscribers received, which layers they got, what the engine estimated.
        let preferred = ["receivedBitrate", "spatialLayer", "bandwidthEstimate"]
        let ordered = preferred.filter(names.contains) + names.filter { !preferred.contains($0) }
        var html = ""
        for name in ordered.prefix(4) {
            var series: [(name: String, points: [SeriesPoint])] = [("baseline", base.result?.series[name] ?? [])]
            if other.index != 0 { series.append((other.name, peer.result?.series[name] ?? [])) }
            html += SVGChart.timeSeries(series, metric: name)
        }
        return html
            + "<p class=\"note\">Series \(ordered.prefix(4).map { "<code>\(SVGChart.escape($0))</code>" }.joined(separator: ", ")) of network \(SVGChart.escape(base.network)), repetition \(base.repetition) (same seed for both).</p>"
    }
}
