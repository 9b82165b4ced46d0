import Foundation
import JukiNetwork

/// The sensitivity run's terminal table, sensitivity.json, sensitivity.md and sensitivity.html (a tornado chart).
public enum SensitivityReport {
    /// Writes sensitivity.json, sensitivity.md and sensitivity.html into `directory` (created if needed).
    public static func write(_ result: SensitivityResult, description: String = "", directory: String)
        throws(ScenarioError)
    {
        try ScenarioRunner.write(directory: directory) {
            try result.json().write(to: URL(fileURLWithPath: directory + "/sensitivity.json"))
            try markdown(result, description: description).write(
                toFile: directory + "/sensitivity.md", atomically: true, encoding: .utf8)
            try html(result, description: description).write(
                toFile: directory + "/sensitivity.html", atomically: true, encoding: .utf8)
        }
    }

    /// The input's value in its unit, as a reader expects it (a share in %, a duration with its unit).
    public static func valueText(_ value: Double, _ unit: EstimatedInput.Unit) -> String {
        switch unit {
        case .share: String(format: "%.3g %%", value * 100)
        case .perDay: String(format: "%.4g/day", value)
        case .count: String(format: "%.0f", value)
        case .microseconds: Durations.readable(value)
        case .multiplier: String(format: "×%.3g", value)
        case .days: String(format: "%.3g days", value)
        }
    }

    static func wait(_ seconds: Double) -> String { Durations.readable(seconds * 1e6) }

    /// A difference of waits, with its sign (the readable units are for magnitudes).
    static func signedWait(_ seconds: Double) -> String {
        (seconds < 0 ? "−" : seconds > 0 ? "+" : "") + wait(abs(seconds))
    }

    static func percent(_ factor: Double) -> String { String(format: "%g %%", (factor * 100 * 1e6).rounded() / 1e6) }

    /// The first lines of every output: what was moved, and the base case.
    static func heading(_ r: SensitivityResult) -> [String] {
        let seeds =
            r.seeds.count == 1 ? "seed \(r.seeds[0])" : "seeds \(r.seeds.first ?? 0)–\(r.seeds.last ?? 0)"
        var lines = [
            "\(r.scenario): sensitivity of the \(r.metric.title) to \(r.inputs.count + r.noEffect.count) estimated "
                + "inputs, each moved ±\(percent(r.factor)) (\(seeds), \(r.simulations) simulated days)",
            "base: p95 \(wait(r.base.p95)), mean \(wait(r.base.mean)), worst counter p95 \(wait(r.base.worst)) at "
                + "\(r.base.worstCounter), \(r.base.served) counter visits"
                + (r.seeds.count > 1 ? " (averages over the seeds)" : ""),
        ]
        if let n = r.noise {
            lines.append(
                "noise: the base case's \(r.metric.title) varies over the seeds from \(wait(n.minimum)) to "
                    + "\(wait(n.maximum)) (standard deviation \(wait(n.standardDeviation))); a swing under twice that "
                    + "is marked ~")
        } else {
            // One seed: a rate redraws its own flow's arrivals (one stream per flow), and every queue behind them.
            lines.append(
                "one seed: a swing mixes the input's effect with noise (a rate redraws its flow's arrivals and the queues behind them); "
                    + "--replications 3 measures the noise")
        }
        return lines
    }

    /// The terminal table: the `top` largest swings, then the inputs without effect.
    public static func terminal(_ r: SensitivityResult, top: Int, directory: String) -> [String] {
        var lines = heading(r)
        let shown = Array(r.inputs.prefix(max(top, 0)))
        // One row per input: rank, name, its base value, down value → wait, up value → wait, swing.
        let rows = shown.map { e in
            [
                "\(e.rank)", e.name, valueText(e.baseValue, e.unit),
                valueText(e.downValue, e.unit) + " → " + wait(e.down[r.metric]),
                valueText(e.upValue, e.unit) + " → " + wait(e.up[r.metric]), wait(e.swing),
            ]
        }
        let header = ["rank", "input", "base", "down (−\(percent(r.factor)))", "up (+\(percent(r.factor)))", "swing"]
        let widths = header.indices.map { k in ([header] + rows).map { $0[k].count }.max() ?? 0 }
        // Numbers align right, names and value → wait pairs left.
        let right: Set = [0, 2, 5]
        func line(_ cells: [String]) -> String {
            "  "
                + cells.enumerated().map { k, cell in
                    let fill = String(repeating: " ", count: max(widths[k] - cell.count, 0))
                    return right.contains(k) ? fill + cell : cell + fill
                }.joined(separator: "  ")
        }
        lines += ["", line(header)]
        for (e, row) in zip(shown, rows) { lines.append(line(row) + (e.withinNoise == true ? " ~" : "")) }
        if r.inputs.count > shown.count {
            lines.append("  … \(r.inputs.count - shown.count) more in sensitivity.md")
        }
        if !r.noEffect.isEmpty {
            lines.append("")
            var current = "  no effect here:"
            for name in r.noEffect.map(\.name) {
                if current.count + name.count + 2 > 116 {
                    lines.append(current)
                    current = "   "
                }
                current += " " + name + (name == r.noEffect.last?.name ? "" : ",")
            }
            lines.append(current)
        }
        lines += [
            "", String(format: "  time: %.2f s for %d simulated days", r.wallSeconds, r.simulations),
            "  report: \(directory)/sensitivity.html",
        ]
        return lines
    }

    static func markdown(_ r: SensitivityResult, description: String) -> String {
        var md = ["# \(r.scenario): sensitivity", ""]
        if !description.isEmpty { md += [description, ""] }
        md += heading(r).map { $0 + "  " } + [""]
        md += [
            "Each estimated input ([E] in the code: a default no source gives) is moved down and up by "
                + "\(percent(r.factor)) with everything else at its base value and the same seed, so the difference "
                + "between the two runs is the input's own effect. The swing is |\(r.metric.title) up − down|; the "
                + "largest swings are the estimates that decide the answer.",
            "",
            "| rank | input | base value | down value | \(r.metric.rawValue) down | up value | \(r.metric.rawValue) up "
                + "| swing | direction |" + (r.noise != nil ? " up − down per seed | within noise |" : "")
                + " why estimated |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---|" + (r.noise != nil ? "---|---|" : "") + "---|",
        ]
        for e in r.inputs {
            let perSeed = e.swingBySeed.map { " " + $0.map(signedWait).joined(separator: ", ") + " |" } ?? ""
            let noise = e.withinNoise.map { " \($0 ? "yes" : "no") |" } ?? ""
            md.append(
                "| \(e.rank) | `\(e.name)` | \(valueText(e.baseValue, e.unit)) | \(valueText(e.downValue, e.unit)) | "
                    + "\(wait(e.down[r.metric])) | \(valueText(e.upValue, e.unit)) | \(wait(e.up[r.metric])) | "
                    + "\(wait(e.swing)) | \(direction(e)) |" + perSeed + noise + " \(e.reason) |")
        }
        if !r.noEffect.isEmpty {
            md += ["", "## No effect in this scenario", ""]
            md += r.noEffect.map { "- `\($0.name)`: \($0.why)" }
        }
        md += [
            "", "## Every case's waits", "",
            "| input | mean down | mean up | p95 down | p95 up | worst counter p95 down | worst counter p95 up |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for e in r.inputs {
            md.append(
                "| `\(e.name)` | \(wait(e.down.mean)) | \(wait(e.up.mean)) | \(wait(e.down.p95)) | \(wait(e.up.p95)) | "
                    + "\(wait(e.down.worst)) (\(e.down.worstCounter)) | \(wait(e.up.worst)) (\(e.up.worstCounter)) |")
        }
        md.append("")
        return md.joined(separator: "\n")
    }

    static func direction(_ e: SensitivityResult.Entry) -> String {
        switch e.direction {
        case 1: "more ⇒ longer waits"
        case -1: "more ⇒ shorter waits"
        default: "none"
        }
    }

    static func html(_ r: SensitivityResult, description: String) -> String {
        typealias H = HTMLReport
        var body = ["<h1>\(H.escape(r.scenario)): sensitivity</h1>"]
        if !description.isEmpty { body.append("<p>\(H.escape(description))</p>") }
        body.append("<p>" + heading(r).map(H.escape).joined(separator: "<br>") + "</p>")
        body.append(
            "<p>Each estimated input is moved down and up by \(percent(r.factor)) with everything else at its base "
                + "value and the same seed. Bars run from the base case's \(H.escape(r.metric.title)) to the value "
                + "with the input down (blue) and up (orange); the longest bars, at the top, are the estimates that "
                + "decide the answer. Waits are simulated time.</p>")
        body.append(tornado(r))
        var table = [
            "<table><tr><th>rank</th><th>input</th><th>base value</th><th>down value</th><th>\(r.metric.rawValue) down min</th>"
                + "<th>up value</th><th>\(r.metric.rawValue) up min</th><th>swing min</th><th>direction</th>"
                + (r.noise != nil ? "<th>within noise</th>" : "") + "<th>why estimated</th></tr>"
        ]
        for e in r.inputs {
            table.append(
                "<tr><td>\(e.rank)</td><td>\(H.escape(e.name))</td><td>\(H.escape(valueText(e.baseValue, e.unit)))</td>"
                    + "<td>\(H.escape(valueText(e.downValue, e.unit)))</td><td>\(minutes(e.down[r.metric]))</td>"
                    + "<td>\(H.escape(valueText(e.upValue, e.unit)))</td><td>\(minutes(e.up[r.metric]))</td>"
                    + "<td>\(minutes(e.swing))</td><td>\(H.escape(direction(e)))</td>"
                    + (e.withinNoise.map { "<td>\($0 ? "yes" : "no")</td>" } ?? "")
                    + "<td>\(H.escape(e.reason))</td></tr>")
        }
        table.append("</table>")
        body.append(table.joined())
        if !r.noEffect.isEmpty {
            body.append(
                "<h2>No effect in this scenario</h2><ul>"
                    + r.noEffect.map { "<li>\(H.escape($0.name)): \(H.escape($0.why))</li>" }.joined() + "</ul>")
        }
        return H.page(title: "\(r.scenario) sensitivity", body: body)
    }

    static func minutes(_ seconds: Double) -> String { String(format: "%.2f", seconds / 60) }

    /// The tornado chart: one row per input, largest swing on top, bars from the base value to the down and up
    /// results; at most 30 rows (the table has them all).
    static func tornado(_ r: SensitivityResult) -> String {
        typealias H = HTMLReport
        let rows = Array(r.inputs.prefix(30))
        guard !rows.isEmpty else { return "<p>No input moved the counter waits.</p>" }
        let base = r.base[r.metric] / 60
        let values = rows.flatMap { [$0.down[r.metric] / 60, $0.up[r.metric] / 60] } + [base]
        var lo = values.min() ?? 0
        var hi = values.max() ?? 1
        let margin = max((hi - lo) * 0.05, 0.01)
        lo = max(0, lo - margin)
        hi += margin
        let width = 900.0
        let left = 330.0
        let right = 20.0
        let rowHeight = 24.0
        let plotWidth = width - left - right
        let height = Double(rows.count) * rowHeight + 80
        func x(_ v: Double) -> Double { left + (v - lo) / (hi - lo) * plotWidth }
        var svg = [
            H.svgOpen(
                width, height,
                "\(r.metric.title.prefix(1).uppercased() + r.metric.title.dropFirst()) with each input moved "
                    + "±\(percent(r.factor)), in minutes")
        ]
        for (k, e) in rows.enumerated() {
            let y = 10 + Double(k) * rowHeight
            // Swings within the noise are drawn faint: the table says why.
            let noisy = e.withinNoise == true
            svg.append(H.text(left - 6, y + 14, e.name + (noisy ? " ~" : ""), anchor: "end"))
            if noisy { svg.append("<g opacity=\"0.4\">") }
            defer { if noisy { svg.append("</g>") } }
            for (half, (value, label, input, color)) in [
                (e.down[r.metric] / 60, "down", e.downValue, "#4e79a7"),
                (e.up[r.metric] / 60, "up", e.upValue, "#f28e2b"),
            ].enumerated() {
                let from = min(x(base), x(value))
                let w = max(abs(x(value) - x(base)), 1)
                svg.append(
                    H.rect(
                        from, y + 2 + Double(half) * 9, w, 9, color,
                        title: "\(e.name) \(label) (\(valueText(input, e.unit))): \(String(format: "%.2f", value)) min")
                )
            }
        }
        let axisY = 14 + Double(rows.count) * rowHeight
        svg.append(
            "<line x1=\"\(H.f(x(base)))\" y1=\"6\" x2=\"\(H.f(x(base)))\" y2=\"\(H.f(axisY))\" stroke=\"#222\" "
                + "stroke-dasharray=\"4 3\"><title>base \(String(format: "%.2f", base)) min</title></line>")
        svg.append(
            "<line x1=\"\(H.f(left))\" y1=\"\(H.f(axisY))\" x2=\"\(H.f(left + plotWidth))\" y2=\"\(H.f(axisY))\" stroke=\"#888\"/>"
        )
        // Round ticks (1, 2 or 5 times a power of ten), about five over the range.
        let raw = (hi - lo) / 5
        let power = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? raw
        var tick = (lo / step).rounded(.up) * step
        while tick <= hi + 1e-9 {
            svg.append(
                "<line x1=\"\(H.f(x(tick)))\" y1=\"\(H.f(axisY))\" x2=\"\(H.f(x(tick)))\" y2=\"\(H.f(axisY + 4))\" "
                    + "stroke=\"#888\"/><text class=\"axis\" x=\"\(H.f(x(tick)))\" y=\"\(H.f(axisY + 16))\" "
                    + "text-anchor=\"middle\">" + String(format: step < 1 ? "%.1f" : "%.0f", tick) + "</text>")
            tick += step
        }
        svg.append(
            H.text(
                10, height - 12,
                "minutes; dashed line: base \(String(format: "%.1f", base)) min; blue: input −\(percent(r.factor)), "
                    + "orange: input +\(percent(r.factor))" + (r.noise != nil ? "; faint, ~: within the noise" : ""),
                anchor: "start"))
        svg.append("</svg>")
        return svg.joined()
    }
}
