import Foundation
import JukiCore
import JukiNetwork
import JukiSimulation

extension HTMLReport {
    static let linePalette = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#1f77b4",
        "#d62728", "#17becf", "#bcbd22", "#7f7f7f",
    ]

    /// A y axis: a grid line and a label at each tick, and the unit written up the left side.
    static func yAxis(
        left: Double, plotWidth: Double, plotHeight: Double, ticks: [(y: Double, label: String)], unit: String
    ) -> [String] {
        var svg: [String] = []
        for (y, label) in ticks {
            svg.append(
                "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y))\" stroke=\"#eee\"/>")
            svg.append(
                "<text class=\"axis\" x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(escape(label))</text>"
            )
        }
        svg.append(
            "<text class=\"axis\" x=\"12\" y=\"\(f(10 + plotHeight / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 12 \(f(10 + plotHeight / 2)))\">\(escape(unit))</text>"
        )
        return svg
    }

    /// Five evenly spaced ticks from 0 to `maxValue`.
    static func linearTicks(maxValue: Double, plotHeight: Double) -> [(y: Double, label: String)] {
        (0...4).map { i in
            let v = maxValue * Double(i) / 4
            return (10 + plotHeight - plotHeight * Double(i) / 4, String(format: v < 10 ? "%.1f" : "%.0f", v))
        }
    }

    /// One line of a chart and its legend entry (five entries per legend row, at the chart's bottom).
    static func series(
        _ n: Int, points: [String], color: String, name: String, label: String, bottom: Double, rows: Double
    ) -> [String] {
        let lx = 10 + Double(n % 5) * 178
        let ly = bottom - 4 - 15 * rows + Double(n / 5) * 15
        return [
            "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(points.joined(separator: " "))\"><title>\(escape(name))</title></polyline>",
            rect(lx, ly, 10, 10, color, title: name),
            "<text class=\"axis\" x=\"\(f(lx + 14))\" y=\"\(f(ly + 9))\">\(escape(label))</text>",
        ]
    }

    /// The bins where any counter had someone waiting or served, so a day's chart spans office hours only.
    static func activeBins(_ report: NetworkReport) -> Range<Int>? {
        var first = Int.max
        var last = -1
        for c in report.counters {
            for (b, n) in c.waitsByArrival.count.enumerated() where n > 0 {
                first = min(first, b)
                last = max(last, b)
            }
            for (b, a) in c.queueLength.area.enumerated() where a > 0 {
                first = min(first, b)
                last = max(last, b)
            }
        }
        return last >= first ? first..<(last + 1) : nil
    }

    /// A line per counter over simulated time: `value(counter, bin)`, with hours (or days and hours) on the x axis.
    /// With `bands` (per counter and bin, over replications), the lines are the replications' means and a band
    /// behind each is its 95 % interval.
    static func timelineChart(
        _ report: NetworkReport, title: String, unit: String, bands: [[Estimate]]? = nil,
        value: (CounterReport, Int) -> Double
    ) -> String {
        guard let bins = activeBins(report), let first = report.counters.first else { return "" }
        let width = 900.0
        let left = 60.0
        let plotWidth = width - left - 20
        let plotHeight = 220.0
        let legendRows = Double((report.counters.count + 4) / 5)
        let height = plotHeight + 70 + 15 * legendRows
        // A band's estimate at counter k and bin b, when the replications reached it.
        func band(_ k: Int, _ b: Int) -> Estimate? {
            guard let bands, k < bands.count, b < bands[k].count else { return nil }
            return bands[k][b]
        }
        // At most one point per pixel: a long run's bins are drawn in groups, each at its highest value (so a
        // peak stays visible), with the band of that bin. A simulated year has 35,040 bins per counter.
        let perGroup = max(1, (bins.count + Int(plotWidth) - 1) / Int(plotWidth))
        let groups = stride(from: bins.lowerBound, to: bins.upperBound, by: perGroup).map {
            $0..<min($0 + perGroup, bins.upperBound)
        }
        // Each counter's value per group and the bin it came from.
        let picked = report.counters.enumerated().map { k, c in
            groups.map { g -> (value: Double, bin: Int) in
                var best = (value: -Double.infinity, bin: g.lowerBound)
                for b in g {
                    let v = band(k, b).map { $0.mean } ?? value(c, b)
                    if v > best.value { best = (v, b) }
                }
                return best
            }
        }
        let series = picked.map { $0.map(\.value) }
        let highs = picked.indices.flatMap { k in picked[k].compactMap { band(k, $0.bin)?.high } }
        let maxValue = max((series.flatMap { $0 } + highs).max() ?? 0, 1e-9) * 1.05
        var svg = [svgOpen(width, height, title)]
        let step = plotWidth / Double(max(groups.count - 1, 1))
        svg += yAxis(
            left: left, plotWidth: plotWidth, plotHeight: plotHeight,
            ticks: linearTicks(maxValue: maxValue, plotHeight: plotHeight), unit: unit)
        // X labels: every hour (or every day for long runs, every week past eight weeks), in JST.
        let binWidth = first.queueLength.binWidth
        let binsPerHour = max(1, Int(3_600_000_000 / binWidth))
        let multiDay = bins.count > 2 * 24 * binsPerHour
        let labelEvery = bins.count > 56 * 24 * binsPerHour ? 7 * 24 * binsPerHour : 24 * binsPerHour
        let origin = first.queueLength.origin
        for (k, g) in groups.enumerated() {
            let label: String?
            if multiDay {
                let b = (g.lowerBound + labelEvery - 1) / labelEvery * labelEvery
                label = g.contains(b) ? SimulatedTime(microseconds: origin + Int64(b) * binWidth).date.description : nil
            } else {
                let b = g.lowerBound
                label = b % binsPerHour == 0 ? "\(hour(origin + Int64(b) * binWidth, origin)):00" : nil
            }
            guard let label else { continue }
            let x = left + Double(k) * step
            svg.append(
                "<line x1=\"\(f(x))\" y1=\"\(f(10 + plotHeight))\" x2=\"\(f(x))\" y2=\"\(f(14 + plotHeight))\" stroke=\"#888\"/>"
            )
            svg.append(text(x, 28 + plotHeight, label, anchor: "middle"))
        }
        let per =
            perGroup == 1
            ? "per 15 minutes"
            : "the highest 15 minutes of each \(Durations.readable(Double(perGroup) * Double(binWidth)))"
        svg.append(
            text(
                left + plotWidth, 44 + plotHeight,
                (multiDay ? "simulated date (JST), " : "simulated time of day (JST), ") + per,
                anchor: "end"))
        let y = { (v: Double) in 10 + plotHeight - max(v, 0) / maxValue * plotHeight }
        for n in report.counters.indices where bands != nil {
            // The band first, so every line stays on top of every band.
            let color = linePalette[n % linePalette.count]
            let upper = picked[n].enumerated().compactMap { k, p in
                band(n, p.bin).map { "\(f(left + Double(k) * step)),\(f(y($0.high)))" }
            }
            let lower = picked[n].enumerated().compactMap { k, p in
                band(n, p.bin).map { "\(f(left + Double(k) * step)),\(f(y($0.low)))" }
            }
            guard !upper.isEmpty else { continue }
            svg.append(
                "<polygon class=\"band\" fill=\"\(color)\" fill-opacity=\"0.15\" stroke=\"none\" points=\""
                    + (upper + lower.reversed()).joined(separator: " ") + "\"/>")
        }
        for (n, c) in report.counters.enumerated() {
            let color = linePalette[n % linePalette.count]
            let points = series[n].enumerated().map { k, v in
                "\(f(left + Double(k) * step)),\(f(10 + plotHeight - v / maxValue * plotHeight))"
            }
            svg += Self.series(
                n, points: points, color: color, name: c.name, label: c.name, bottom: height, rows: legendRows)
        }
        svg.append("</svg>")
        return svg.joined()
    }

    /// Queue length (people waiting, time-weighted mean per 15 minutes) at each counter.
    static func queueTimeline(_ report: NetworkReport, bands: CounterBands? = nil) -> String {
        timelineChart(
            report,
            title: "Queue length at each counter (窓口), people waiting: mean per 15 minutes" + over(bands),
            unit: "people", bands: bands?.queue
        ) { c, b in c.queueLength.mean(b) }
    }

    /// The charts' note on replications: what the lines and the bands are.
    static func over(_ bands: CounterBands?) -> String {
        guard let bands else { return "" }
        return "; mean of \(bands.replications) replications, the band its 95 % interval"
    }

    /// Mean wait at each counter by the quarter hour people arrived.
    static func waitTimeline(_ report: NetworkReport, bands: CounterBands? = nil) -> String {
        timelineChart(
            report, title: "Wait at each counter (窓口) by arrival time: mean per 15 minutes, in minutes" + over(bands),
            unit: "minutes",
            bands: bands?.wait
        ) { c, b in minutes(c.waitsByArrival.mean(b)) }
    }

    /// The HdrHistogram-style percentile distribution: latency against percentile (log scale of 1/(1−p)).
    static func percentileDistribution(_ report: NetworkReport) -> String {
        let rows = flows(report).filter { $0.1.latency.count >= 10 }
        guard !rows.isEmpty else { return "" }
        let width = 900.0
        let left = 60.0
        let plotWidth = width - left - 20
        let plotHeight = 240.0
        let legendRows = Double((rows.count + 4) / 5)
        let height = plotHeight + 70 + 15 * legendRows
        // x = log10(1 / (1 − p)): 0 at p0, 1 at p90, 2 at p99, 3 at p99.9, 4 at p99.99.
        let ticks: [(Double, String)] = [(0, "0%"), (1, "90%"), (2, "99%"), (3, "99.9%"), (4, "99.99%")]
        let levels = stride(from: 0.0, through: 4.0, by: 0.05).map { 100 * (1 - pow(10, -$0)) }
        let series = rows.map { row in levels.map { minutes(Double(row.1.latency.percentile($0))) } }
        // Log scale in minutes: journeys range from seconds to days, so a linear axis hides all but the longest.
        let positive = series.flatMap { $0 }.filter { $0 > 0 }
        let low = floor(log10(max(positive.min() ?? 0.01, 1e-3)))
        let high = max(ceil(log10(max(positive.max() ?? 1, 1e-3))), low + 1)
        func y(_ v: Double) -> Double {
            10 + plotHeight - (log10(max(v, pow(10, low))) - low) / (high - low) * plotHeight
        }
        var svg = [
            svgOpen(
                width, height,
                "Latency percentile distribution per journey (業務), in minutes on a log scale (HdrHistogram)")
        ]
        svg += yAxis(
            left: left, plotWidth: plotWidth, plotHeight: plotHeight,
            ticks: (Int(low)...Int(high)).map { e in
                let v = pow(10, Double(e))
                return (y(v), v >= 1 ? String(format: "%.0f", v) : String(v))
            }, unit: "minutes (log scale)")
        for (x, label) in ticks {
            let px = left + x / 4 * plotWidth
            svg.append(
                "<line x1=\"\(f(px))\" y1=\"\(f(10 + plotHeight))\" x2=\"\(f(px))\" y2=\"\(f(14 + plotHeight))\" stroke=\"#888\"/>"
            )
            svg.append(text(px, 28 + plotHeight, label, anchor: "middle"))
        }
        svg.append(text(left + plotWidth, 44 + plotHeight, "percentile (log scale of 1 / (1 − p))", anchor: "end"))
        for (n, row) in rows.enumerated() {
            let color = linePalette[n % linePalette.count]
            let points = series[n].enumerated().map { k, v in
                "\(f(left + Double(k) / Double(levels.count - 1) * plotWidth)),\(f(y(v)))"
            }
            svg += Self.series(
                n, points: points, color: color, name: row.0.description,
                label: "\(row.0.description) \(row.0.japanese)", bottom: height, rows: legendRows)
        }
        svg.append("</svg>")
        return svg.joined()
    }
}
