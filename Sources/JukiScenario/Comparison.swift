import Foundation

/// One metric of two summaries side by side.
public struct ComparedMetric: Sendable, Hashable {
    public var name: String
    public var base: Double
    public var new: Double
    /// (new − base) / base; infinite when base is 0 and new is not.
    public var delta: Double
    /// Higher is better (throughput) rather than lower (latency).
    public var higherIsBetter: Bool
    public var worse: Bool
}

/// Compares two `summary.json` files: latency percentiles (lower is better) and throughput (higher is better).
public enum SummaryComparison {
    /// Reads a summary.json (see ``Summary/read(_:)``).
    public static func load(_ path: String) throws(Summary.ReadError) -> Summary { try Summary.read(path) }

    /// Every comparable metric by name: its value and whether higher is better.
    static func metrics(_ summary: Summary) -> [String: (Double, Bool)] {
        var result: [String: (Double, Bool)] = [:]
        func block(_ prefix: String, _ latency: Summary.Latency?) {
            guard let latency else { return }
            for (name, value) in latency.statistics { result["\(prefix).\(name)"] = (value, false) }
        }
        for (flow, j) in summary.journeys ?? [:] {
            block("journeys.\(flow).latencySeconds", j.latencySeconds)
            for (hop, h) in j.hops { block("journeys.\(flow).hops.\(hop)", h) }
        }
        for (name, c) in summary.counters ?? [:] { block("counters.\(name).waitSeconds", c.waitSeconds) }
        if let eps = summary.wall?.eventsPerSecond { result["wall.eventsPerSecond"] = (eps, true) }
        if let canary = summary.canary {
            result["canary.meanTimeInSystem"] = (canary.meanTimeInSystem, false)
            result["canary.meanWait"] = (canary.meanWait, false)
        }
        if let cps = summary.wall?.customersPerSecond { result["wall.customersPerSecond"] = (cps, true) }
        // A sweep: every value's run, prefixed by the value, and the waits over all its counters.
        for variant in summary.variants ?? [] {
            let prefix = "sweep[\(variant.value)]."
            for (name, v) in metrics(variant.summary) { result[prefix + name] = v }
            block(prefix + "counters.all.waitSeconds", variant.counters.waitSeconds)
        }
        return result
    }

    /// Compares `new` with `base`: a latency worse by more than `budget` (a fraction), or throughput worse by
    /// more than `throughputBudget`, is marked worse.
    public static func compare(base: Summary, new: Summary, budget: Double, throughputBudget: Double)
        -> [ComparedMetric]
    {
        let b = metrics(base)
        let n = metrics(new)
        return Set(b.keys).intersection(n.keys).sorted().compactMap { name in
            guard let (bv, higher) = b[name], let (nv, _) = n[name] else { return nil }
            let delta = bv == 0 ? (nv == 0 ? 0 : .infinity) : (nv - bv) / bv
            let allowed = higher ? throughputBudget : budget
            let worse = higher ? delta < -allowed - 1e-12 : delta > allowed + 1e-12
            return ComparedMetric(name: name, base: bv, new: nv, delta: delta, higherIsBetter: higher, worse: worse)
        }
    }

    /// The comparison as a table: plain text, or Markdown for CI job summaries.
    public static func table(_ rows: [ComparedMetric], markdown: Bool) -> String {
        var lines: [String] = []
        if markdown {
            lines += ["| metric | base | new | delta | |", "|---|---:|---:|---:|---|"]
        } else {
            lines.append(
                "metric".padding(toLength: 70, withPad: " ", startingAt: 0) + "        base         new     delta")
        }
        for r in rows {
            let delta = r.delta.isInfinite ? "+∞" : String(format: "%+.2f%%", r.delta * 100)
            let flag = r.worse ? "WORSE" : ""
            if markdown {
                lines.append("| \(r.name) | \(format(r.base)) | \(format(r.new)) | \(delta) | \(flag) |")
            } else {
                lines.append(
                    r.name.padding(toLength: 70, withPad: " ", startingAt: 0)
                        + format(r.base).leftPadded(12) + format(r.new).leftPadded(12) + delta.leftPadded(10) + "  "
                        + flag)
            }
        }
        let worse = rows.filter(\.worse).count
        lines.append(markdown ? "" : "")
        lines.append("\(rows.count) metrics compared, \(worse) worse than the budget")
        return lines.joined(separator: "\n")
    }

    static func format(_ v: Double) -> String { v >= 1000 ? String(format: "%.0f", v) : String(format: "%.3f", v) }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? " " + self : String(repeating: " ", count: width - count) + self
    }
}
