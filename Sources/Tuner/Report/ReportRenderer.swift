import Foundation
import Harness

/// Renders `trials.csv`, `report.md` and `report.html` from a results document alone, so that
/// `sfulab report RUN_DIR` can re-render any stored run.
public struct ReportRenderer: Sendable {
    public var results: ResultsDocument

    public init(results: ResultsDocument) { self.results = results }

    var primary: Objective { results.experiment.objectives.first ?? Objective(metric: "frameLatency.p95", direction: .minimize) }

    /// Every file of a run, rendered and written together (all or nothing), plus `extra` files.
    public func write(to directory: URL, extra: [(name: String, data: Data)] = []) throws {
        try AtomicFile.writeAll([
            (directory.appendingPathComponent("results.json"), try results.encoded()),
            (directory.appendingPathComponent("trials.csv"), Data(csv().utf8)),
            (directory.appendingPathComponent("report.md"), Data(markdown().utf8)),
            (directory.appendingPathComponent("report.html"), Data(html().utf8)),
        ] + extra.map { (directory.appendingPathComponent($0.name), $0.data) })
    }

    // MARK: - CSV

    /// One row per trial, one column per metric (sorted), RFC 4180 quoting.
    public func csv() -> String {
        let metrics = Set(results.trials.flatMap { $0.result?.metrics.keys.map { $0 } ?? [] }).sorted()
        var lines = [(["trial", "candidate", "candidateName", "configHash", "network", "repetition", "seed", "status", "error",
                       "mode", "simulatedSeconds", "wallSeconds"] + metrics).map(Self.csvField).joined(separator: ",")]
        for t in results.trials {
            var row = [t.id, "\(t.candidate)", t.candidateName, t.configHash, t.network, "\(t.repetition)", "\(t.seed)",
                       t.status.rawValue, t.error ?? "", t.result?.mode ?? "",
                       t.result.map { "\($0.simulatedSeconds)" } ?? "", t.result.map { "\($0.wallSeconds)" } ?? ""]
            row += metrics.map { m in t.result?.metrics[m].map { "\($0)" } ?? "" }
            lines.append(row.map(Self.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    // MARK: - Markdown

    var modes: String {
        let m = Set(results.trials.compactMap { $0.result?.mode })
        return m.isEmpty ? results.experiment.mode.rawValue : m.sorted().joined(separator: ", ")
    }

    func objectiveCell(_ c: CandidateSummary, _ metric: String) -> String {
        guard let s = c.metrics[metric] else { return "n/a" }
        return "\(SweepAnalysis.format(s.mean)) [\(SweepAnalysis.format(s.ciLow)), \(SweepAnalysis.format(s.ciHigh))]"
    }

    /// `mean [CI] · Δ d · p q` for one objective of one candidate.
    func objectiveSummary(_ c: CandidateSummary, _ objective: Objective) -> String {
        var text = objectiveCell(c, objective.metric)
        if let cmp = c.comparisons.first(where: { $0.metric == objective.metric }) {
            text += " · Δ \(SweepAnalysis.format(cmp.meanDifference)) · p \(SweepAnalysis.format(cmp.pAdjusted))"
            if cmp.significant { text += cmp.better ? " (better)" : " (worse)" }
        }
        return text
    }

    public func markdown() -> String {
        let e = results.experiment
        var md = "# \(e.name) — sweep report\n\n"
        if !e.description.isEmpty { md += "\(e.description)\n\n" }
        md += "**Verdict:** \(results.winner.map { "winner `\($0)`" } ?? "no significant winner"). \(results.verdict)\n\n"
        md += "- Run `\(results.runID)`, \(results.createdAt), sfulab \(results.tool.version)"
        md += results.tool.gitRevision.map { " (git \($0))" } ?? ""
        md += "\n- Mode: **\(modes)** — every figure below was measured in this mode.\n"
        md += "- Objective: \(e.objectives.map(\.description).joined(separator: "; ")); constraints: "
        md += e.constraints.isEmpty ? "none" : e.constraints.joined(separator: "; ")
        md += "\n- Networks: \(e.networks.map(\.name).joined(separator: ", ")); \(e.repetitions) repetitions; "
        md += "duration \(SweepAnalysis.format(e.durationSeconds)) s; seed \(e.seed)\n"
        md += "- Statistics: mean with 95% percentile-bootstrap CI; paired sign-flip test vs baseline, Holm-adjusted, α = \(results.alpha). See docs/statistics.md.\n\n"
        md += "## Candidates\n\n"
        md += "| # | candidate | trials ok/failed | \(primary.metric) mean [95% CI] | Δ vs baseline [95% CI] | p | p (Holm) | constraints | Pareto |\n"
        md += "|---|---|---|---|---|---|---|---|---|\n"
        for c in results.candidates {
            let cmp = c.comparisons.first
            let delta = cmp.map { "\(SweepAnalysis.format($0.meanDifference)) [\(SweepAnalysis.format($0.ciLow)), \(SweepAnalysis.format($0.ciHigh))]" } ?? "—"
            md += "| \(c.index) | `\(c.name)` | \(c.trialsOK)/\(c.trialsFailed) | \(objectiveCell(c, primary.metric)) | \(delta) | "
            md += "\(cmp.map { SweepAnalysis.format($0.pValue) } ?? "—") | \(cmp.map { SweepAnalysis.format($0.pAdjusted) } ?? "—") | "
            md += "\(c.constraints.isEmpty ? "—" : (c.meetsConstraints ? "met" : "violated")) | \(c.paretoOptimal ? "yes" : "") |\n"
        }
        if !e.constraints.isEmpty {
            md += "\n## Constraints\n\n| candidate | " + e.constraints.map { "`\($0)`" }.joined(separator: " | ") + " |\n"
            md += "|---|" + String(repeating: "---|", count: e.constraints.count) + "\n"
            for c in results.candidates {
                md += "| `\(c.name)` | " + c.constraints.map { check in
                    "\(check.value.map(SweepAnalysis.format) ?? "n/a") \(check.satisfied ? "✓" : "✗")"
                }.joined(separator: " | ") + " |\n"
            }
        }
        if e.objectives.count > 1 {
            md += "\n## All objectives\n\n| candidate | " + e.objectives.map { "\($0.description) mean [95% CI] · Δ · p (Holm)" }.joined(separator: " | ") + " |\n"
            md += "|---|" + String(repeating: "---|", count: e.objectives.count) + "\n"
            for c in results.candidates {
                md += "| `\(c.name)` | " + e.objectives.map { objectiveSummary(c, $0) }.joined(separator: " | ") + " |\n"
            }
            md += "\n**Pareto front:** \(results.paretoFront.map { "`\($0)`" }.joined(separator: ", "))\n"
        }
        md += "\n## Configurations\n\n| candidate | config hash |\n|---|---|\n"
        for c in results.candidates { md += "| `\(c.name)` | `\(c.configHash)` |\n" }
        md += liveImpairmentsMarkdown()
        let failed = results.trials.filter { $0.status == .failed }
        if !failed.isEmpty {
            md += "\n## Failed trials\n\n"
            for t in failed { md += "- `\(t.id)` (\(t.candidateName), \(t.network), r\(t.repetition)): \(t.error ?? "")\n" }
        }
        md += "\n## Seeds\n\n| network | repetition | seed |\n|---|---|---|\n"
        for s in results.seeds { md += "| \(s.network) | \(s.repetition) | \(s.seed) |\n" }
        return md
    }
}
