import Foundation

/// Live runs: where each impairment was applied (`TrialResult.liveImpairments`,
/// docs/live-mode.md), grouped by the candidates whose trials carried the same notes (UDP and
/// TCP candidates differ). Simulated runs have none and get no section.
extension ReportRenderer {
    struct ImpairmentGroup {
        var candidates: [String]
        var notes: [(impairment: String, place: String)]
    }

    var liveImpairmentGroups: [ImpairmentGroup] {
        var groups: [ImpairmentGroup] = []
        var keys: [[String: String]] = []
        for candidate in results.candidates {
            let notes = Set(results.trials.filter { $0.candidateName == candidate.name }.compactMap { $0.result?.liveImpairments })
            for note in notes.sorted(by: { $0.description < $1.description }) {
                if let index = keys.firstIndex(of: note) {
                    if !groups[index].candidates.contains(candidate.name) { groups[index].candidates.append(candidate.name) }
                } else {
                    keys.append(note)
                    groups.append(ImpairmentGroup(candidates: [candidate.name],
                                                  notes: note.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
                }
            }
        }
        return groups
    }

    func liveImpairmentsMarkdown() -> String {
        let groups = liveImpairmentGroups
        guard !groups.isEmpty else { return "" }
        var md = "\n## Where live impairments were applied\n"
        for group in groups {
            md += "\n" + group.candidates.map { "`\($0)`" }.joined(separator: ", ") + ":\n\n| impairment | applied |\n|---|---|\n"
            for note in group.notes { md += "| \(note.impairment) | \(note.place) |\n" }
        }
        return md
    }

    func liveImpairmentsHTML() -> String {
        let groups = liveImpairmentGroups
        guard !groups.isEmpty else { return "" }
        let esc = SVGChart.escape
        var h = "<h2>Where live impairments were applied</h2>"
        for group in groups {
            h += "<p>" + group.candidates.map { "<code>\(esc($0))</code>" }.joined(separator: ", ") + "</p>"
            h += "<div class=\"scroll\"><table><tr><th>impairment</th><th>applied</th></tr>"
            for note in group.notes { h += "<tr><td>\(esc(note.impairment))</td><td>\(esc(note.place))</td></tr>" }
            h += "</table></div>"
        }
        return h
    }
}
