import Foundation

extension HTMLReport {
    /// The replications' section of a replicated run's page: the headline metrics' means with their 95 % intervals
    /// as whiskers, the rule's verdict, and the thresholds on the means.
    static func replicationSection(_ r: Summary.Replicated) -> String {
        var parts = [
            "<h2>Replications</h2>",
            "<p>\(r.count) replications (seeds \(r.seeds.map(String.init).joined(separator: ", "))); the counters' "
                + "timelines below are the replications' means with their 95 % intervals as bands, the other charts "
                + "the first replication's, the run without replications. Means with 95 % confidence intervals "
                + "(Student's t); every metric's is in summary.json <code>replications.metrics</code>.</p>",
            "<p>\(escape(ReplicationRunner.verdict(r)))</p>",
        ]
        let rows = r.headline.compactMap { p in r.metrics[p].map { (p, $0) } }
        if !rows.isEmpty {
            let left = 330.0
            let width = 520.0
            let rowHeight = 22.0
            let top = 10.0
            let height = top + Double(rows.count) * rowHeight + 40
            let maxValue = max(rows.map { $0.1.high }.max() ?? 1, 1) / 60
            var svg = [svgOpen(left + width + 30, height, "Headline metrics: mean and 95 % interval (minutes)")]
            for (i, (path, e)) in rows.enumerated() {
                let y = top + Double(i) * rowHeight
                let x = { (seconds: Double) in left + width * min(max(seconds / 60 / maxValue, 0), 1) }
                let label = path.replacingOccurrences(of: "journeys.", with: "").replacingOccurrences(
                    of: "counters.", with: "")
                svg.append(text(left - 6, y + 14, label, anchor: "end"))
                svg.append(
                    rect(
                        left, y + 4, x(e.mean) - left, rowHeight - 8, "#7aa6d6",
                        title: "\(path): mean \(ReplicationRunner.duration(e))"))
                svg.append(
                    "<line x1=\"\(f(x(e.low)))\" y1=\"\(f(y + rowHeight / 2))\" x2=\"\(f(x(e.high)))\" "
                        + "y2=\"\(f(y + rowHeight / 2))\" stroke=\"#123\" stroke-width=\"2\"/>")
                for end in [e.low, e.high] {
                    svg.append(
                        "<line x1=\"\(f(x(end)))\" y1=\"\(f(y + 6))\" x2=\"\(f(x(end)))\" y2=\"\(f(y + rowHeight - 6))\" "
                            + "stroke=\"#123\" stroke-width=\"2\"/>")
                }
            }
            svg += axis(
                left: left, width: width, y: top + Double(rows.count) * rowHeight + 4, maxValue: maxValue, unit: "min")
            svg.append("</svg>")
            parts.append(svg.joined())
            var table = [
                "<table><tr><th>metric</th><th>mean</th><th>95 % interval</th><th>relative half-width</th></tr>"
            ]
            for (path, e) in rows {
                table.append(
                    "<tr><td>\(escape(path))</td><td>\(escape(Durations.readable(e.mean * 1e6)))</td>"
                        + "<td>\(escape(Durations.readable(e.low * 1e6))) – \(escape(Durations.readable(e.high * 1e6)))</td>"
                        + "<td>\(e.relativeHalfWidth.map { String(format: "%.1f %%", $0 * 100) } ?? "–")</td></tr>")
            }
            table.append("</table>")
            parts.append(table.joined())
        }
        if !r.thresholds.isEmpty {
            var table = ["<table><tr><th>threshold</th><th>on the mean</th><th>passed in</th></tr>"]
            for t in r.thresholds {
                table.append(
                    "<tr><td>\(escape(t.metric)) \(escape(t.expression))</td>"
                        + "<td class=\"\(t.ok ? "pass" : "fail")\">\(t.ok ? "pass" : "FAIL")</td>"
                        + "<td>\(t.passedIn) of \(r.count)</td></tr>")
            }
            table.append("</table>")
            parts.append(table.joined())
        }
        return parts.joined(separator: "\n")
    }
}
