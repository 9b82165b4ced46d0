import Foundation
import JukiCore
import JukiNetwork
import JukiSimulation

/// The comparison of a sweep's runs: summary.json, report.md and report.html beside one folder per value.
enum SweepReport {
    /// One value's run.
    struct Variant {
        var value: String
        var folder: String
        var report: NetworkReport
        var summary: Summary
        var thresholds: [ThresholdResult]
        var wallSeconds: Double

        /// Every counter's waits in one histogram.
        var waits: LatencyHistogram {
            var h = LatencyHistogram()
            for c in report.counters { h.merge(c.waits) }
            return h
        }

        var served: Int { report.counters.reduce(0) { $0 + $1.served } }
        var maxQueue: Int { report.counters.map(\.maxQueue).max() ?? 0 }

        /// Clerk busy time over clerk time, all counters together.
        var utilization: Double {
            let clerks = report.counters.reduce(0) { $0 + $1.clerks }
            let busy = report.counters.reduce(0.0) { $0 + $1.utilization * Double($1.clerks) }
            return clerks > 0 ? busy / Double(clerks) : 0
        }

        var thresholdsPassed: Int { thresholds.filter(\.ok).count }
    }

    /// `03-workload.oneStopShare-0.2`: sortable, and safe as a folder name whatever the value.
    static func folderName(index: Int, parameter: String, value: String) -> String {
        let safe = String(
            (parameter + "-" + value).map { $0.isLetter || $0.isNumber || ".-_".contains($0) ? $0 : "_" }.prefix(80))
        return String(format: "%02d-", index + 1) + safe
    }

    /// The counters the swept key touches: the one named by `counters.clerks.<name>`, else every counter (a rate,
    /// a share, the seed or a desk time reaches them all).
    static func touchedCounters(_ sweep: Sweep, _ runs: [Variant]) -> [String] {
        let names = runs.first?.report.counters.map(\.name) ?? []
        let prefix = "counters.clerks."
        guard sweep.parameter.hasPrefix(prefix) else { return names }
        let name = String(sweep.parameter.dropFirst(prefix.count))
        return names.contains(name) ? [name] : names
    }

    /// p95 wait at each touched counter for each value: the rows of the per-counter table and chart.
    static func counterWaits(_ sweep: Sweep, _ runs: [Variant]) -> [(name: String, p95: [Double])] {
        touchedCounters(sweep, runs).map { name in
            (
                name,
                runs.map { r in
                    Double(r.report.counters.first { $0.name == name }?.waits.percentile(95) ?? 0)
                }
            )
        }
    }

    /// Flows started in every run, for the per-flow columns.
    static func commonFlows(_ runs: [Variant]) -> [Flow] {
        Flow.allCases.filter { f in
            runs.allSatisfy { ($0.report.journeys[f]?.latency.count ?? 0) > 0 }
                && [.moveIn, .specialMoveIn, .oneStopMove, .moveOut, .certificate].contains(f)
        }
    }

    static func summary(_ scenario: Scenario, _ sweep: Sweep, _ runs: [Variant]) -> Summary {
        let seconds = runs.reduce(0) { $0 + $1.wallSeconds }
        let events = runs.reduce(UInt64(0)) { $0 + $1.report.engine.handled }
        var summary = Summary(kind: .sweep, scenario: scenario.name, seed: scenario.seed, clock: .virtual)
        summary.sweep = Summary.Sweep(parameter: sweep.parameter, values: sweep.values)
        summary.wall = Summary.Wall(
            seconds: round6(seconds), eventsPerSecond: seconds > 0 ? (Double(events) / seconds).rounded() : 0)
        summary.variants = runs.map { r in
            var s = r.summary
            s.wall = nil
            return Summary.Variant(
                value: r.value, folder: r.folder, summary: s,
                counters: Summary.PooledCounters(
                    served: r.served, waitSeconds: Distribution(r.waits).seconds, utilization: round6(r.utilization),
                    maxQueue: r.maxQueue))
        }
        return summary
    }

    static func markdown(_ scenario: Scenario, _ sweep: Sweep, _ runs: [Variant]) -> String {
        let flows = commonFlows(runs)
        var md = ["# \(scenario.name): sweep of `\(sweep.parameter)`", ""]
        if !scenario.description.isEmpty { md += [scenario.description, ""] }
        md += [
            "Seed \(scenario.seed); one run per value, each with its full report in its folder. Waits are over "
                + "every counter (窓口) together, in simulated time.", "",
            "| \(sweep.parameter) | journeys | counter visits | mean wait | p95 wait | p99 wait | max queue | "
                + "utilisation | " + flows.map { "\($0) p95" }.joined(separator: " | ") + (flows.isEmpty ? "" : " | ")
                + "thresholds | report |",
            "|" + String(repeating: "---|", count: 10 + flows.count),
        ]
        for r in runs {
            let w = r.waits
            md.append(
                "| \(r.value) | \(r.report.invariants.arrivals) | \(r.served) | "
                    + [w.mean, Double(w.percentile(95)), Double(w.percentile(99))].map(Durations.readable).joined(
                        separator: " | ")
                    + " | \(r.maxQueue) | " + String(format: "%.1f %%", r.utilization * 100) + " | "
                    + flows.map { Durations.readable(Double(r.report.journeys[$0]?.latency.percentile(95) ?? 0)) }
                    .joined(separator: " | ") + (flows.isEmpty ? "" : " | ")
                    + "\(r.thresholdsPassed)/\(r.thresholds.count) | [\(r.folder)](\(r.folder)/report.md) |")
        }
        let touched = counterWaits(sweep, runs)
        md += [
            "", "## p95 wait per counter",
            "",
            touched.count == 1
                ? "The swept key sets this counter's clerks." : "The swept key reaches every counter.",
            "", "| counter | " + runs.map(\.value).joined(separator: " | ") + " |",
            "|---|" + String(repeating: "---|", count: runs.count),
        ]
        for c in touched {
            md.append("| \(c.name) | " + c.p95.map(Durations.readable).joined(separator: " | ") + " |")
        }
        md.append("")
        return md.joined(separator: "\n")
    }

    static func html(_ scenario: Scenario, _ sweep: Sweep, _ runs: [Variant]) -> String {
        typealias H = HTMLReport
        var body = ["<h1>\(H.escape(scenario.name)): sweep of \(H.escape(sweep.parameter))</h1>"]
        if !scenario.description.isEmpty { body.append("<p>\(H.escape(scenario.description))</p>") }
        body.append(
            "<p>Seed \(scenario.seed); one run per value. Waits are over every counter (窓口) together, in simulated "
                + "time. Each value's full report is linked in the table.</p>")
        body.append(
            lineChart(
                title: "Wait at the counters (窓口) against \(sweep.parameter), in minutes", values: sweep.values,
                xLabel: sweep.parameter, unit: "minutes",
                series: [
                    ("mean wait", runs.map { H.minutes($0.waits.mean) }),
                    ("p95 wait", runs.map { H.minutes(Double($0.waits.percentile(95))) }),
                    ("p99 wait", runs.map { H.minutes(Double($0.waits.percentile(99))) }),
                ]))
        body.append(
            lineChart(
                title: "Counter visits and clerk utilisation against \(sweep.parameter)", values: sweep.values,
                xLabel: sweep.parameter, unit: "% of the first value's visits, and % utilisation",
                series: [
                    (
                        "counter visits (% of first)",
                        runs.map { 100 * Double($0.served) / Double(max(runs[0].served, 1)) }
                    ),
                    ("clerk utilisation %", runs.map { 100 * $0.utilization }),
                ]))
        let touched = counterWaits(sweep, runs)
        // At most 13 lines: beyond that a chart is unreadable, and the table below has them all.
        body.append(
            lineChart(
                title: "p95 wait per counter (窓口) against \(sweep.parameter), in minutes", values: sweep.values,
                xLabel: sweep.parameter, unit: "minutes",
                series: touched.prefix(13).map { ($0.name, $0.p95.map(H.minutes)) }))
        var perCounter = [
            "<table><tr><th>counter (窓口): p95 wait min</th>"
                + runs.map { "<th>\(H.escape($0.value))</th>" }.joined() + "</tr>"
        ]
        for c in touched {
            perCounter.append(
                "<tr><td>\(H.escape(c.name))</td>"
                    + c.p95.map { "<td>\(String(format: "%.1f", H.minutes($0)))</td>" }.joined() + "</tr>")
        }
        perCounter.append("</table>")
        let flows = commonFlows(runs)
        var table = [
            "<table><tr><th>\(H.escape(sweep.parameter))</th><th>journeys</th><th>counter visits</th>"
                + "<th>mean wait min</th><th>p95 wait min</th><th>p99 wait min</th><th>max queue</th><th>utilisation</th>"
                + flows.map { "<th>\($0) (\($0.japanese)) p95 min</th>" }.joined()
                + "<th>thresholds</th><th>report</th></tr>"
        ]
        for r in runs {
            let w = r.waits
            table.append(
                "<tr><td>\(H.escape(r.value))</td><td>\(r.report.invariants.arrivals)</td><td>\(r.served)</td>"
                    + [w.mean, Double(w.percentile(95)), Double(w.percentile(99))].map {
                        "<td>\(String(format: "%.1f", H.minutes($0)))</td>"
                    }.joined() + "<td>\(r.maxQueue)</td><td>\(String(format: "%.1f %%", r.utilization * 100))</td>"
                    + flows.map {
                        "<td>\(String(format: "%.1f", H.minutes(Double(r.report.journeys[$0]?.latency.percentile(95) ?? 0))))</td>"
                    }.joined()
                    + "<td class=\"\(r.thresholdsPassed == r.thresholds.count ? "pass" : "fail")\">\(r.thresholdsPassed)/\(r.thresholds.count)</td>"
                    + "<td><a href=\"\(H.escape(r.folder))/report.html\">\(H.escape(r.folder))</a></td></tr>")
        }
        table.append("</table>")
        body.append(table.joined())
        body.append(perCounter.joined())
        return H.page(title: "\(scenario.name) sweep", body: body)
    }

    /// Lines over the sweep's values (evenly spaced, in order), with a legend.
    static func lineChart(
        title: String, values: [String], xLabel: String, unit: String, series: [(String, [Double])]
    ) -> String {
        typealias H = HTMLReport
        let width = 900.0
        let left = 60.0
        let plotWidth = width - left - 40
        let plotHeight = 220.0
        // The legend: three entries a row, as many rows as it needs.
        let perRow = 3
        let legendTop = plotHeight + 62
        let height = legendTop + Double((series.count + perRow - 1) / perRow) * 18 + 10
        let maxValue = max(series.flatMap(\.1).max() ?? 0, 1e-9) * 1.1
        let step = plotWidth / Double(max(values.count - 1, 1))
        var svg = [H.svgOpen(width, height, title)]
        svg += H.yAxis(
            left: left, plotWidth: plotWidth, plotHeight: plotHeight,
            ticks: H.linearTicks(maxValue: maxValue, plotHeight: plotHeight), unit: unit)
        for (k, v) in values.enumerated() {
            svg.append(H.text(left + Double(k) * step, 28 + plotHeight, v, anchor: "middle"))
        }
        svg.append(H.text(left + plotWidth, 46 + plotHeight, xLabel, anchor: "end"))
        for (n, (name, ys)) in series.enumerated() {
            let color = H.linePalette[n % H.linePalette.count]
            let points = ys.enumerated().map { k, y in
                "\(H.f(left + Double(k) * step)),\(H.f(10 + plotHeight - y / maxValue * plotHeight))"
            }
            svg.append(
                "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"><title>\(H.escape(name))</title></polyline>"
            )
            for p in points {
                let xy = p.split(separator: ",")
                svg.append(
                    "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"3\" fill=\"\(color)\"><title>\(H.escape(name))</title></circle>"
                )
            }
            let lx = 10 + Double(n % perRow) * 240
            let ly = legendTop + Double(n / perRow) * 18
            svg.append(H.rect(lx, ly + 14, 10, 10, color, title: name))
            svg.append("<text class=\"axis\" x=\"\(H.f(lx + 14))\" y=\"\(H.f(ly + 23))\">\(H.escape(name))</text>")
        }
        svg.append("</svg>")
        return svg.joined()
    }
}
