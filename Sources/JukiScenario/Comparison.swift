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
    /// Why a summary could not be read.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public static func load(_ path: String) throws(ReadError) -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(path: path, reason: "cannot read the file")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ReadError(path: path, reason: "not a JSON object (expected a summary.json)")
        }
        guard object["schemaVersion"] as? Int == RunSummary.schemaVersion else {
            throw ReadError(path: path, reason: "schemaVersion must be \(RunSummary.schemaVersion)")
        }
        return object
    }

    /// Every comparable metric as (name, value, higherIsBetter), sorted by name.
    static func metrics(_ summary: [String: Any]) -> [String: (Double, Bool)] {
        var result: [String: (Double, Bool)] = [:]
        let percentiles = ["mean", "p50", "p90", "p95", "p99", "p999", "max"]
        func block(_ prefix: String, _ any: Any?) {
            guard let b = any as? [String: Any] else { return }
            for p in percentiles { if let v = b[p] as? Double { result["\(prefix).\(p)"] = (v, false) } }
        }
        for (flow, any) in summary["journeys"] as? [String: Any] ?? [:] {
            guard let j = any as? [String: Any] else { continue }
            block("journeys.\(flow).latencySeconds", j["latencySeconds"])
            for (hop, h) in j["hops"] as? [String: Any] ?? [:] { block("journeys.\(flow).hops.\(hop)", h) }
        }
        for (name, any) in summary["counters"] as? [String: Any] ?? [:] {
            block("counters.\(name).waitSeconds", (any as? [String: Any])?["waitSeconds"])
        }
        if let wall = summary["wall"] as? [String: Any], let eps = wall["eventsPerSecond"] as? Double {
            result["wall.eventsPerSecond"] = (eps, true)
        }
        if let canary = summary["canary"] as? [String: Any] {
            for key in ["meanTimeInSystem", "meanWait"] {
                if let v = canary[key] as? Double { result["canary.\(key)"] = (v, false) }
            }
        }
        if let wall = summary["wall"] as? [String: Any], let cps = wall["customersPerSecond"] as? Double {
            result["wall.customersPerSecond"] = (cps, true)
        }
        // A sweep: every value's run, prefixed by the value, and the waits over all its counters.
        for variant in summary["variants"] as? [[String: Any]] ?? [] {
            guard let value = variant["value"] as? String else { continue }
            let prefix = "sweep[\(value)]."
            for (name, v) in metrics(variant["summary"] as? [String: Any] ?? [:]) { result[prefix + name] = v }
            block(prefix + "counters.all.waitSeconds", (variant["counters"] as? [String: Any])?["waitSeconds"])
        }
        return result
    }

    /// Compares `new` with `base`: a latency worse by more than `budget` (a fraction), or throughput worse by
    /// more than `throughputBudget`, is marked worse.
    public static func compare(base: [String: Any], new: [String: Any], budget: Double, throughputBudget: Double)
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
