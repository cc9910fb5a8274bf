import Foundation
import Harness

/// Inline SVG charts for the HTML report. Every chart scales with `viewBox` and `width: 100%`;
/// colours come from CSS classes (`.s0`…`.s7`, `.axis`, `.grid`) so light and dark themes apply.
enum SVGChart {
    static let width = 480.0

    struct Bar {
        var label: String
        var value: Double
        var low: Double
        var high: Double
        var highlight: Bool
    }

    /// Horizontal bars with confidence-interval whiskers; labels sit above bars so long candidate
    /// names stay readable on a phone.
    static func bars(_ bars: [Bar], unit: String) -> String {
        let finite = bars.filter { $0.value.isFinite }
        guard !finite.isEmpty else { return "<p class=\"note\">No data for this chart.</p>" }
        let lo = min(0, finite.map { $0.low.isFinite ? $0.low : $0.value }.min()!)
        let hi = max(finite.map { $0.high.isFinite ? $0.high : $0.value }.max()!, lo + 1e-9)
        let left = 10.0, right = width - 80, row = 44.0
        let height = Double(bars.count) * row + 30
        func x(_ v: Double) -> Double { left + (v - lo) / (hi - lo) * (right - left) }
        var s = open(height: height, label: "Objective mean per candidate with 95% confidence intervals")
        for (i, bar) in bars.enumerated() {
            let y = Double(i) * row + 16
            let label = abbreviate(bar.label, 58)
            s += "<text x=\"\(left)\" y=\"\(f(y))\" class=\"label\"><title>\(escape(bar.label))</title>\(escape(label))</text>"
            guard bar.value.isFinite else { continue }
            s += "<rect x=\"\(f(x(min(0, bar.value))))\" y=\"\(f(y + 6))\" width=\"\(f(abs(x(bar.value) - x(0))))\" height=\"14\" class=\"\(bar.highlight ? "s1" : "s0") fill\"/>"
            if bar.low.isFinite && bar.high.isFinite {
                s += "<line x1=\"\(f(x(bar.low)))\" x2=\"\(f(x(bar.high)))\" y1=\"\(f(y + 13))\" y2=\"\(f(y + 13))\" class=\"whisker\"/>"
                for v in [bar.low, bar.high] {
                    s += "<line x1=\"\(f(x(v)))\" x2=\"\(f(x(v)))\" y1=\"\(f(y + 7))\" y2=\"\(f(y + 19))\" class=\"whisker\"/>"
                }
            }
            s += "<text x=\"\(f(min(x(max(bar.value, bar.high.isFinite ? bar.high : bar.value)) + 6, right + 4)))\" y=\"\(f(y + 18))\" class=\"value\">\(escape(SweepAnalysis.format(bar.value))) \(escape(unit))</text>"
        }
        s += "<line x1=\"\(f(x(0)))\" x2=\"\(f(x(0)))\" y1=\"4\" y2=\"\(f(height - 20))\" class=\"axis\"/>"
        return s + "</svg>"
    }

    /// Step lines: one per named series of (x, cumulative fraction) points.
    static func cdf(_ series: [(name: String, points: [(x: Double, q: Double)])], unit: String) -> String {
        let all = series.flatMap(\.points)
        guard all.count >= 2 else { return "<p class=\"note\">No percentile metrics to draw a distribution.</p>" }
        let xmin = min(0, all.map(\.x).min()!), xmax = max(all.map(\.x).max()!, xmin + 1e-9)
        return lines(series.map { ($0.name, $0.points.map { ($0.x, $0.q) }) }, xRange: (xmin, xmax), yRange: (0, 1),
                     xLabel: unit, yLabel: "fraction ≤ x", label: "Latency distribution per candidate", step: true)
    }

    /// Time series lines (seconds on x).
    static func timeSeries(_ series: [(name: String, points: [SeriesPoint])], metric: String) -> String {
        let all = series.flatMap(\.points)
        guard all.count >= 2 else { return "<p class=\"note\">No time series recorded.</p>" }
        let ys = all.map(\.value)
        let ymin = min(0, ys.min()!), ymax = max(ys.max()!, ymin + 1e-9)
        let xmax = max(all.map(\.t).max()!, 1e-9)
        return lines(series.map { ($0.name, $0.points.map { ($0.t, $0.value) }) }, xRange: (0, xmax), yRange: (ymin, ymax),
                     xLabel: "seconds", yLabel: metric, label: "\(metric) over time", step: false)
    }

    static func lines(_ series: [(String, [(Double, Double)])], xRange: (Double, Double), yRange: (Double, Double),
                      xLabel: String, yLabel: String, label: String, step: Bool) -> String {
        let left = 56.0, right = width - 12, top = 26.0, bottom = 240.0
        let legendRows = Double(series.count)
        let height = bottom + 40 + legendRows * 18
        func x(_ v: Double) -> Double { left + (v - xRange.0) / (xRange.1 - xRange.0) * (right - left) }
        func y(_ v: Double) -> Double { bottom - (v - yRange.0) / (yRange.1 - yRange.0) * (bottom - top) }
        var s = open(height: height, label: label)
        for k in 0...4 {
            let v = yRange.0 + (yRange.1 - yRange.0) * Double(k) / 4
            s += "<line x1=\"\(f(left))\" x2=\"\(f(right))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" class=\"grid\"/>"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y(v) + 4))\" class=\"tick\" text-anchor=\"end\">\(SweepAnalysis.format(v))</text>"
            let xv = xRange.0 + (xRange.1 - xRange.0) * Double(k) / 4
            s += "<text x=\"\(f(x(xv)))\" y=\"\(f(bottom + 16))\" class=\"tick\" text-anchor=\"middle\">\(SweepAnalysis.format(xv))</text>"
        }
        s += "<text x=\"\(f(right))\" y=\"\(f(bottom + 32))\" class=\"tick\" text-anchor=\"end\">\(escape(xLabel))</text>"
        s += "<text x=\"\(f(left))\" y=\"\(f(top - 12))\" class=\"tick\">\(escape(yLabel))</text>"
        for (i, (name, points)) in series.enumerated() {
            let sorted = points.sorted { $0.0 < $1.0 }
            var d = ""
            for (j, p) in sorted.enumerated() {
                if j == 0 { d += "M\(f(x(p.0))),\(f(y(p.1)))" } else if step {
                    d += " H\(f(x(p.0))) V\(f(y(p.1)))"
                } else { d += " L\(f(x(p.0))),\(f(y(p.1)))" }
            }
            s += "<path d=\"\(d)\" class=\"s\(i % 8) line\"/>"
            let ly = bottom + 48 + Double(i) * 18
            s += "<rect x=\"\(f(left))\" y=\"\(f(ly - 9))\" width=\"14\" height=\"4\" class=\"s\(i % 8) fill\"/>"
            let shown = abbreviate(name, 50)
            s += "<text x=\"\(f(left + 20))\" y=\"\(f(ly - 3))\" class=\"label\"><title>\(escape(name))</title>\(escape(shown))</text>"
        }
        return s + "</svg>"
    }

    /// A grid of cells coloured by value (darker = better for the objective).
    static func heatmap(xLabels: [String], yLabels: [String], values: [[Double?]], lowerIsBetter: Bool, xKey: String,
                        yKey: String) -> String {
        let all = values.flatMap { $0 }.compactMap { $0 }.filter(\.isFinite)
        guard !all.isEmpty else { return "<p class=\"note\">No data for the heatmap.</p>" }
        let lo = all.min()!, hi = max(all.max()!, lo + 1e-9)
        let left = 110.0, top = 62.0
        let cell = min(90.0, (width - left - 10) / Double(max(1, xLabels.count)))
        let rowHeight = 34.0
        let height = top + Double(yLabels.count) * rowHeight + 10
        var s = open(height: height, label: "Objective mean over the two sweep axes")
        s += "<text x=\"4\" y=\"14\" class=\"tick\">columns: \(escape(xKey))</text>"
        s += "<text x=\"4\" y=\"32\" class=\"tick\">rows: \(escape(yKey))</text>"
        for (i, label) in xLabels.enumerated() {
            s += "<text x=\"\(f(left + cell * (Double(i) + 0.5)))\" y=\"\(f(top - 6))\" class=\"tick\" text-anchor=\"middle\">\(escape(label))</text>"
        }
        for (j, label) in yLabels.enumerated() {
            let y = top + Double(j) * rowHeight
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 21))\" class=\"tick\" text-anchor=\"end\">\(escape(label))</text>"
            for (i, value) in values[j].enumerated() {
                guard let value, value.isFinite else { continue }
                var t = (value - lo) / (hi - lo)
                if !lowerIsBetter { t = 1 - t }
                let opacity = 0.15 + 0.85 * (1 - t)
                let x = left + cell * Double(i)
                s += "<rect x=\"\(f(x + 1))\" y=\"\(f(y + 1))\" width=\"\(f(cell - 2))\" height=\"\(f(rowHeight - 2))\" class=\"s0 fill\" fill-opacity=\"\(f(opacity))\"/>"
                s += "<text x=\"\(f(x + cell / 2))\" y=\"\(f(y + 21))\" class=\"cell\" text-anchor=\"middle\">\(SweepAnalysis.format(value))</text>"
            }
        }
        return s + "</svg>"
    }

    static func open(height: Double, label: String) -> String {
        "<svg viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(escape(label))\" xmlns=\"http://www.w3.org/2000/svg\">"
    }

    /// Shortens long names in the middle, keeping the end where sweep values differ.
    static func abbreviate(_ text: String, _ limit: Int) -> String {
        guard text.count > limit, limit > 10 else { return text }
        let head = limit / 3
        return String(text.prefix(head)) + "…" + String(text.suffix(limit - head - 1))
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v.isFinite ? v : 0) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
