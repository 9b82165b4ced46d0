import Foundation
import JukiCore
import JukiNetwork
import JukiSimulation

/// The self-contained HTML report: tables and inline SVG charts, no scripts, no network.
package enum HTMLReport {
    package static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The counters' timelines over replications (per counter and bin), drawn as bands around their means.
    struct CounterBands: Sendable {
        var replications: Int
        var queue: [[Estimate]]
        var wait: [[Estimate]]
    }

    static func render(
        _ scenario: Scenario, _ report: NetworkReport, _ thresholds: [ThresholdResult], preface: String = "",
        bands: CounterBands? = nil
    ) -> String {
        var body: [String] = []
        body.append("<h1>\(escape(scenario.name))</h1>")
        if !scenario.description.isEmpty { body.append("<p>\(escape(scenario.description))</p>") }
        if !preface.isEmpty { body.append(preface) }
        body.append(
            "<p>Simulated \(escape(report.start.description)) → \(escape(report.end.description)), seed \(scenario.seed), "
                + "\(report.engine.handled) events. Latencies and waits are simulated time.</p>")
        body.append(thresholdTable(thresholds))
        body.append(
            invariantList(
                report.invariants, addressee: report.addressee, sharing: report.sharing,
                certificates: report.certificates, support: report.counterSupport))
        body.append(faultSection(report))
        body.append("<h2>Journeys (業務)</h2>")
        body.append(latencyChart(report))
        body.append(percentileDistribution(report))
        body.append(journeyTable(report))
        body.append("<h2>Time per hop</h2>")
        body.append(hopChart(report))
        body.append("<h2>Arrivals and completions per hour</h2>")
        body.append(hourlyChart(report))
        body.append("<h2>Counters (窓口)</h2>")
        body.append(counterChart(report))
        body.append(queueTimeline(report, bands: bands))
        body.append(waitTimeline(report, bands: bands))
        body.append(counterTable(report))
        return page(title: scenario.name, body: body)
    }

    /// A complete page around `body`: inline styles only, no scripts, nothing fetched.
    static func page(title: String, body: [String]) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title)) — jukisim report</title>
        <style>
        body{font-family:system-ui,"Noto Sans CJK JP",sans-serif;margin:2em;max-width:1100px;color:#222}
        table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
        th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
        .fail{color:#b00;font-weight:bold}.pass{color:#070}svg{background:#fff;border:1px solid #ddd;margin:0.5em 0}
        .axis{font-size:11px;fill:#444}.label{font-size:12px;fill:#222}
        </style></head><body>
        \(body.joined(separator: "\n"))
        </body></html>
        """
    }

    static func minutes(_ us: Double) -> Double { us / 60_000_000 }

    static func thresholdTable(_ results: [ThresholdResult]) -> String {
        guard !results.isEmpty else { return "<p>No thresholds.</p>" }
        var rows = [
            "<h2>Thresholds</h2><table><tr><th>metric</th><th>expression</th><th>value</th><th>result</th></tr>"
        ]
        for r in results {
            let value =
                r.value.map {
                    r.threshold.boundIsDuration ? String(format: "%.1f min", minutes($0)) : String(format: "%g", $0)
                }
                ?? "no data"
            rows.append(
                "<tr><td>\(escape(r.threshold.metric))</td><td>\(escape(r.threshold.expression))</td><td>\(value)</td>"
                    + "<td class=\"\(r.ok ? "pass" : "fail")\">\(r.ok ? "pass" : "FAIL")</td></tr>")
        }
        rows.append("</table>")
        return rows.joined()
    }

    static func invariantList(
        _ i: InvariantReport, addressee: AddresseeReport?, sharing: SharingReport?,
        certificates: CertificateSystem.Report?, support: CounterSupport.Report? = nil
    ) -> String {
        let drafting = support.map { c in
            let s = RunSummary.counterSupport(c)
            return "<li>counter support (窓口業務支援システム): \(s.drafted.values.reduce(0, +)) notices drafted, "
                + "\(s.enteredByHand) entered by hand after all; clerks' desk time saved "
                + String(format: "%.1f h", s.deskHoursSaved) + "; \(s.searches) 届出書検索; utilisation "
                + String(format: "%.2f %%", s.utilization * 100) + "</li>"
        }
        let printed = certificates.map { c in
            let s = RunSummary.certificates(c)
            return "<li>certificate system (証明交付システム): \(s.counter.values.reduce(0, +)) certificates at the counters, "
                + "\(s.convenienceStore.values.reduce(0, +)) at convenience stores' kiosks; fees "
                + "\(s.feesYen.values.reduce(0, +)) 円; \(s.refused.values.reduce(0, +)) refused; printer utilisation "
                + String(format: "%.2f %%", s.utilization * 100) + "</li>"
        }
        let copy = sharing.map { x in
            let s = RunSummary.informationSharing(x)
            let state =
                s.copyAgreesWithRegister.map { $0 ? "agrees with the register" : "DISAGREES with the register" }
                ?? "\(s.pendingCopies) records in flight"
            return "<li>information sharing (情報提供ネットワークシステム): \(s.requests) requests, \(s.refusedByNetwork) "
                + "refused by the network, \(s.provided + s.providedAfterReview) provided "
                + "(\(s.providedAfterReview) after review), \(s.provisionsOffList) outside the permission list; "
                + "intermediate server utilisation " + String(format: "%.4f %%", s.serverUtilization * 100)
                + "; its copy (副本) " + state + "</li>"
        }
        let unified = addressee.map { a in
            let s = a.system
            let state =
                a.agreesWithRegister.map { $0 ? "agrees with the register" : "DISAGREES with the register" }
                ?? "\(a.pendingRecords) records in flight"
            return "<li>unified addressee system (団体内統合宛名システム): \(s.records) records, \(s.issued) numbers "
                + "issued, \(s.numberChanges) number changes under a kept unified number, utilisation "
                + String(format: "%.4f %%", s.utilization * 100) + "; " + state + "</li>"
        }
        return """
            <h2>Invariants</h2><ul>
            <li>duplicate resident codes (住民票コード): \(i.duplicateResidentCodes); duplicate individual numbers (個人番号): \(i.duplicateIndividualNumbers)</li>
            <li>identity updates (本人確認情報) pending: \(i.pendingUpdates); lost: \(i.lostUpdates)</li>
            <li>journeys: \(i.arrivals) arrivals = \(i.completed) completed + \(i.failed) failed + \(i.inProgress) in progress</li>
            \(unified ?? "")
            \(copy ?? "")
            \(printed ?? "")
            \(drafting ?? "")
            <li class="\(i.holds ? "pass" : "fail")">\(i.holds ? "all hold" : "BROKEN")</li></ul>
            """
    }

    /// Faults injected and how store-and-forward coped, per outbox (only when the scenario injects faults).
    static func faultSection(_ report: NetworkReport) -> String {
        let f = report.faults
        guard f.injected > 0 else { return "" }
        let kinds = f.byKind.sorted { $0.key < $1.key }.map { "\($0.value) \(escape($0.key))" }.joined(separator: ", ")
        let c = report.consistency
        var rows = [
            "<h2>Faults (障害)</h2><ul>",
            "<li>injected: \(f.injected) (\(kinds)); messages affected: \(f.affectedMessages)</li>",
            "<li>retried: \(f.retried) (\(f.retransmissions) retransmissions, \(f.outboxRetries) outbox retries); "
                + "clerks' retries: \(f.counterRetries); refused as unreachable: \(f.unavailable)</li>",
            "<li>lost updates: \(report.invariants.lostUpdates); divergence found by the consistency check (整合性確認): "
                + (c.map { "\($0.prefectureDifferences + $0.nationalDifferences)" } ?? "not run")
                + "; after reconciliation: "
                + (c.map { "\($0.prefectureRemaining + $0.nationalRemaining)" } ?? "not run") + "</li></ul>",
            "<table><tr><th>outbox (store-and-forward)</th><th>batches</th><th>retries</th><th>largest backlog</th>"
                + "<th>longest drain</th><th>waiting at end</th></tr>",
        ]
        for (name, o) in f.outboxes.sorted(by: { $0.key < $1.key }) {
            rows.append(
                "<tr><td>\(escape(name))</td><td>\(o.batchesSent)</td><td>\(o.retries)</td><td>\(o.maxBacklog)</td>"
                    + "<td>" + String(format: "%.1f s", Double(o.longestDrain) / 1e6)
                    + "</td><td>\(o.waiting)</td></tr>")
        }
        rows.append("</table>")
        return rows.joined()
    }

    static func flows(_ report: NetworkReport) -> [(Flow, JourneyStats, Distribution)] {
        Flow.allCases.compactMap { f in
            guard let s = report.journeys[f], s.started > 0, s.latency.count > 0 else { return nil }
            return (f, s, Distribution(s.latency))
        }
    }

    /// Horizontal bars: p50, p95 and p99 latency per journey, in minutes.
    static func latencyChart(_ report: NetworkReport) -> String {
        let rows = flows(report)
        guard !rows.isEmpty else { return "" }
        let maxValue = max(1, rows.map { minutes($0.2.percentile(99)) }.max() ?? 1)
        let width = 900.0
        let left = 260.0
        let rowHeight = 34.0
        let height = Double(rows.count) * rowHeight + 50
        var svg = [svgOpen(width, height, "Latency per journey: p50, p95, p99 in minutes")]
        let scale = (width - left - 20) / maxValue
        for (k, (flow, _, d)) in rows.enumerated() {
            let y = 10 + Double(k) * rowHeight
            svg.append(text(left - 6, y + 16, "\(flow.description) (\(flow.japanese))", anchor: "end"))
            for (j, (p, color)) in [(99.0, "#f4b6b6"), (95, "#e07b7b"), (50, "#b03030")].enumerated() {
                let w = max(1, minutes(d.percentile(p)) * scale)
                svg.append(
                    rect(
                        left, y + Double(j) * 3, w, 22 - Double(j) * 6, color,
                        title: "p\(Int(p)) \(String(format: "%.1f", minutes(d.percentile(p)))) min"))
            }
        }
        svg += axis(left: left, width: width - left - 20, y: height - 36, maxValue: maxValue, unit: "minutes")
        svg.append(text(left, height - 6, "bars: p99 (light), p95, p50 (dark)", anchor: "start"))
        svg.append("</svg>")
        return svg.joined()
    }

    /// Stacked bars: mean time per hop of each journey, in minutes.
    static func hopChart(_ report: NetworkReport) -> String {
        let rows = Flow.allCases.filter { !report.hops.hops(of: $0).isEmpty }
        guard !rows.isEmpty else { return "" }
        let palette = [
            "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
            "#bab0ac",
            "#1f77b4", "#aec7e8", "#ffbb78", "#98df8a", "#d62728", "#c5b0d5", "#8c564b", "#17becf", "#bcbd22",
            "#7f7f7f",
        ]
        let means = rows.map { f in report.hops.hops(of: f).map { ($0.0, $0.1.mean) } }
        let maxTotal = max(1e-9, means.map { minutes($0.reduce(0) { $0 + $1.1 }) }.max() ?? 1)
        let width = 900.0
        let left = 260.0
        let shown = Hop.allCases.filter { h in means.contains { $0.contains { $0.0 == h } } }
        let legendRows = Double((shown.count + 4) / 5)
        let height = Double(rows.count) * 28 + 64 + 15 * legendRows
        var svg = [
            svgOpen(
                width, height,
                "Mean time per hop of each journey, in minutes (waits and desk time dominate; network hops take milliseconds)"
            )
        ]
        let scale = (width - left - 20) / maxTotal
        for (k, f) in rows.enumerated() {
            let y = 10 + Double(k) * 28
            svg.append(text(left - 6, y + 14, f.description, anchor: "end"))
            var x = left
            for (h, mean) in means[k] {
                let w = minutes(mean) * scale
                guard w > 0.2 else { continue }
                let color = palette[Int(h.rawValue) % palette.count]
                svg.append(
                    rect(x, y, w, 18, color, title: "\(h.description): \(String(format: "%.2f", minutes(mean))) min"))
                x += w
            }
        }
        svg += axis(
            left: left, width: width - left - 20, y: height - 46 - 15 * legendRows, maxValue: maxTotal, unit: "minutes")
        // A legend of the hops shown, so the chart reads without hovering.
        for (n, h) in shown.enumerated() {
            let lx = 10 + Double(n % 5) * 178
            let ly = height - 4 - 15 * legendRows + Double(n / 5) * 15
            svg.append(rect(lx, ly, 10, 10, palette[Int(h.rawValue) % palette.count], title: h.description))
            svg.append("<text class=\"axis\" x=\"\(f(lx + 14))\" y=\"\(f(ly + 9))\">\(escape(h.description))</text>")
        }
        svg.append("</svg>")
        return svg.joined()
    }

    /// Arrivals (counter waits starting) and completions (counter service ending) per hour of the day.
    static func hourlyChart(_ report: NetworkReport) -> String {
        let arrivals = report.hourly.arrivals
        let completions = report.hourly.completions
        let maxValue = Double(max(1, (arrivals + completions).max() ?? 1))
        let width = 900.0
        let height = 260.0
        let left = 50.0
        let plotHeight = 190.0
        var svg = [svgOpen(width, height, "Arrivals and completions per hour of the day (all counters)")]
        let bar = (width - left - 20) / 24
        for h in 0..<24 {
            let x = left + Double(h) * bar
            let a = Double(arrivals[h]) / maxValue * plotHeight
            let c = Double(completions[h]) / maxValue * plotHeight
            svg.append(
                rect(x + 2, 10 + plotHeight - a, bar / 2 - 2, a, "#4e79a7", title: "\(h):00 arrivals \(arrivals[h])"))
            svg.append(
                rect(
                    x + bar / 2, 10 + plotHeight - c, bar / 2 - 2, c, "#f28e2b",
                    title: "\(h):00 completions \(completions[h])"))
            if h % 2 == 0 { svg.append(text(x + bar / 2, 10 + plotHeight + 14, "\(h)h", anchor: "middle")) }
        }
        svg.append(text(left - 6, 16, String(format: "%.0f", maxValue), anchor: "end"))
        svg.append(text(left - 6, 10 + plotHeight, "0", anchor: "end"))
        svg.append(
            text(left, height - 12, "journeys per hour (JST): blue arrivals, orange completions", anchor: "start"))
        svg.append("</svg>")
        return svg.joined()
    }

    static func hour(_ t: Int64, _ day: Int64) -> Int {
        Int(
            ((t - day) % SimulatedTime.microsecondsPerDay + SimulatedTime.microsecondsPerDay)
                % SimulatedTime.microsecondsPerDay / 3_600_000_000)
    }

    /// Measured p95 and mean wait per counter beside the Erlang C (M/M/c) mean wait for its load.
    static func counterChart(_ report: NetworkReport) -> String {
        let rows = report.counters
        guard !rows.isEmpty else { return "" }
        let predictions = rows.map(erlangWait)
        let maxValue = max(
            1, rows.map { minutes(Distribution($0.waits).percentile(95)) }.max() ?? 1,
            predictions.compactMap { $0 }.map(minutes).max() ?? 0)
        let width = 900.0
        let left = 260.0
        let height = Double(rows.count) * 30 + 60
        var svg = [
            svgOpen(width, height, "Wait at each counter, in minutes: p95, mean, and the Erlang C mean for its load")
        ]
        let scale = (width - left - 20) / maxValue
        for (k, c) in rows.enumerated() {
            let y = 10 + Double(k) * 30
            let d = Distribution(c.waits)
            svg.append(text(left - 6, y + 14, c.name, anchor: "end"))
            svg.append(
                rect(
                    left, y, max(1, minutes(d.percentile(95)) * scale), 9, "#e07b7b",
                    title: "p95 \(String(format: "%.1f", minutes(d.percentile(95)))) min"))
            svg.append(
                rect(
                    left, y + 10, max(1, minutes(d.mean) * scale), 9, "#b03030",
                    title: "mean \(String(format: "%.1f", minutes(d.mean))) min"))
            if let p = predictions[k] {
                let x = left + minutes(p) * scale
                svg.append(
                    "<line x1=\"\(f(x))\" y1=\"\(f(y - 2))\" x2=\"\(f(x))\" y2=\"\(f(y + 21))\" stroke=\"#222\" stroke-width=\"2\"><title>Erlang C mean \(String(format: "%.1f", minutes(p))) min</title></line>"
                )
            }
        }
        svg += axis(left: left, width: width - left - 20, y: height - 46, maxValue: maxValue, unit: "minutes")
        svg.append(
            text(
                left, height - 8,
                "light: p95 wait; dark: mean wait; tick: Erlang C (M/M/c) mean wait for the same load",
                anchor: "start"))
        svg.append("</svg>")
        return svg.joined()
    }

    /// The M/M/c mean wait for a counter's measured arrival rate and mean service time, µs (nil if overloaded).
    static func erlangWait(_ c: CounterReport) -> Double? {
        let open = Double(BusinessCalendar.standard.closing - BusinessCalendar.standard.opening)
        // The offered load counts the overtime too: the service the day's arrivals needed, over the open clerk time.
        let busy = c.utilization * open * Double(c.clerks) + c.overtimeSeconds * 1e6
        let offered = busy / (open * Double(c.clerks))
        guard c.served > 0, offered > 0, offered < 1 else { return nil }
        return ErlangC.meanWait(servers: c.clerks, utilization: offered) * busy / Double(c.served)
    }

    static func journeyTable(_ report: NetworkReport) -> String {
        var rows = [
            "<table><tr><th>journey</th><th>日本語</th><th>started</th><th>completed</th><th>persons</th><th>failed</th><th>p50 min</th>"
                + "<th>p95 min</th><th>p99 min</th><th>max min</th><th>failures</th></tr>"
        ]
        for (flow, s, d) in flows(report) {
            let failures = s.failed.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key) \($0.value)" }.joined(
                separator: ", ")
            rows.append(
                "<tr><td>\(flow)</td><td>\(flow.japanese)</td><td>\(s.started)</td><td>\(s.completed)</td><td>\(s.persons)</td><td>\(s.failedCount)</td>"
                    + [50, 95, 99, 100].map { "<td>\(String(format: "%.1f", minutes(d.percentile($0))))</td>" }.joined()
                    + "<td>\(escape(failures))</td></tr>")
        }
        rows.append("</table>")
        return rows.joined()
    }

    static func counterTable(_ report: NetworkReport) -> String {
        var rows = [
            "<table><tr><th>counter (窓口)</th><th>clerks</th><th>served</th><th>mean wait min</th><th>p95 wait min</th>"
                + "<th>Erlang C mean wait min</th><th>max queue</th><th>utilisation (office hours)</th>"
                + "<th>overtime min</th><th>served after hours</th><th>sent home</th></tr>"
        ]
        for c in report.counters {
            let d = Distribution(c.waits)
            let e = erlangWait(c).map { String(format: "%.1f", minutes($0)) } ?? "overloaded"
            rows.append(
                "<tr><td>\(escape(c.name))</td><td>\(c.clerks)</td><td>\(c.served)</td><td>\(String(format: "%.1f", minutes(d.mean)))</td>"
                    + "<td>\(String(format: "%.1f", minutes(d.percentile(95))))</td><td>\(e)</td><td>\(c.maxQueue)</td>"
                    + "<td>\(String(format: "%.1f %%", c.utilization * 100))</td>"
                    + "<td>\(String(format: "%.1f", c.overtimeSeconds / 60))</td><td>\(c.servedAfterHours)</td>"
                    + "<td>\(c.sentHome)</td></tr>")
        }
        rows.append("</table>")
        return rows.joined()
    }

    // MARK: SVG pieces

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func svgOpen(_ w: Double, _ h: Double, _ title: String) -> String {
        "<h3>\(escape(title))</h3><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(w))\" height=\"\(f(h))\" viewBox=\"0 0 \(f(w)) \(f(h))\" role=\"img\"><title>\(escape(title))</title>"
    }

    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ color: String, title: String) -> String {
        "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(max(w, 0)))\" height=\"\(f(max(h, 0)))\" fill=\"\(color)\"><title>\(escape(title))</title></rect>"
    }

    static func text(_ x: Double, _ y: Double, _ s: String, anchor: String) -> String {
        "<text class=\"label\" x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\">\(escape(s))</text>"
    }

    static func axis(left: Double, width: Double, y: Double, maxValue: Double, unit: String) -> [String] {
        var parts = [
            "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + width))\" y2=\"\(f(y))\" stroke=\"#888\"/>"
        ]
        for i in 0...5 {
            let v = maxValue * Double(i) / 5
            let x = left + width * Double(i) / 5
            parts.append("<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x))\" y2=\"\(f(y + 4))\" stroke=\"#888\"/>")
            parts.append(
                "<text class=\"axis\" x=\"\(f(x))\" y=\"\(f(y + 16))\" text-anchor=\"middle\">\(String(format: v < 10 ? "%.1f" : "%.0f", v))</text>"
            )
        }
        parts.append(
            "<text class=\"axis\" x=\"\(f(left + width))\" y=\"\(f(y + 28))\" text-anchor=\"end\">\(escape(unit))</text>"
        )
        return parts
    }
}
