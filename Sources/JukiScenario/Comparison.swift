import Foundation

/// One metric of two summaries side by side.
public struct ComparedMetric: Sendable {
    /// How the new value stands against the base.
    public enum Verdict: Sendable, Hashable, Comparable {
        /// In the base, absent from the new run: a failure (a journey, counter or hop disappeared).
        case missing
        /// Worse than the budget allows: a failure unless it is a wall-clock metric and `--gate-wall` is off.
        case worse
        /// Worse within the budget.
        case worseWithinBudget
        case better
        case unchanged
        /// Only in the new run: shown, never a failure.
        case added
    }

    public var name: String
    /// Absent from one side for `missing` and `added`.
    public var base: Double?
    public var new: Double?
    /// (new − base) / base; infinite when base is 0 and new is not; nil when one side is absent.
    public var delta: Double?
    /// Higher is better (throughput) rather than lower (latency).
    public var higherIsBetter: Bool
    /// Measured on the wall clock (machine-dependent): reported, gating only with `--gate-wall`.
    public var isWallClock: Bool
    public var verdict: Verdict
    /// Whether this row fails the comparison.
    public var fails: Bool
    /// With `--significance`: the 95 % confidence interval of new − base (the means of the replications), and whether
    /// it came from paired replications (the same seeds on both sides) or from Welch's test.
    public var interval: (low: Double, high: Double, paired: Bool)? = nil
    /// With `--significance`: a metric not in every replication of both runs, shown from the first replications and
    /// not gated.
    public var unestimated = false

    /// Worse than the budget, whether or not it gates.
    public var worse: Bool { verdict == .worse }

    /// How much worse, as a positive share (better is negative): for ordering, worst first.
    var badness: Double {
        guard let delta else { return verdict == .missing ? .infinity : -.infinity }
        return higherIsBetter ? -delta : delta
    }
}

/// The outcome of comparing two summaries: every metric, and which gate.
public struct ComparisonResult: Sendable {
    /// Every metric in either summary, worst first (failures, then by how much worse, then by name).
    public var rows: [ComparedMetric]

    public var failures: [ComparedMetric] { rows.filter(\.fails) }
    public var passed: Bool { failures.isEmpty }
    public func count(_ verdict: ComparedMetric.Verdict) -> Int { rows.filter { $0.verdict == verdict }.count }
}

/// What `compare` may be lenient about; by default nothing.
public struct ComparisonOptions: Sendable, Hashable {
    /// Allowed growth of a latency (a fraction) and allowed fall of a throughput.
    public var budget: Double
    public var throughputBudget: Double
    /// Wall-clock metrics gate too (they are only reported otherwise).
    public var gateWall = false
    /// Two replicated runs: a metric both estimate is worse only when the 95 % interval of the difference of the
    /// means lies above 0 (below, for a throughput) and the means differ by more than the budget.
    public var significance = false

    public init(budget: Double, throughputBudget: Double, gateWall: Bool = false, significance: Bool = false) {
        self.budget = budget
        self.throughputBudget = throughputBudget
        self.gateWall = gateWall
        self.significance = significance
    }
}

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
        // A suite: every entry's metrics, prefixed by the entry.
        for entry in summary.suite?.entries ?? [] {
            guard let s = entry.summary else { continue }
            for (name, v) in metrics(s) { result["suite[\(entry.name)]." + name] = v }
        }
        // A sweep: every value's run, prefixed by the value, and the waits over all its counters.
        for variant in summary.variants ?? [] {
            let prefix = "sweep[\(variant.value)]."
            for (name, v) in metrics(variant.summary) { result[prefix + name] = v }
            block(prefix + "counters.all.waitSeconds", variant.counters.waitSeconds)
        }
        return result
    }

    /// Why two summaries are not comparable (different scenario, kind or clock), or nil when they are.
    public static func mismatch(base: Summary, new: Summary) -> String? {
        var differences: [String] = []
        if base.scenario != new.scenario { differences.append("scenario '\(base.scenario)' ≠ '\(new.scenario)'") }
        if base.kind != new.kind { differences.append("kind \(base.kind.rawValue) ≠ \(new.kind.rawValue)") }
        if base.clock != new.clock { differences.append("clock \(base.clock.rawValue) ≠ \(new.clock.rawValue)") }
        if base.sweep?.parameter != new.sweep?.parameter {
            differences.append("swept key \(base.sweep?.parameter ?? "none") ≠ \(new.sweep?.parameter ?? "none")")
        }
        guard !differences.isEmpty else { return nil }
        return "the summaries are of different runs (" + differences.joined(separator: "; ")
            + "): compare a run with a baseline of the same scenario, or pass --allow-different-scenarios"
    }

    /// Compares `new` with `base`: a latency worse by more than the budget, a throughput worse by more than its
    /// budget (wall-clock metrics only with `gateWall`), or a metric of the base missing from the new run fails.
    public static func compare(base: Summary, new: Summary, _ options: ComparisonOptions) -> ComparisonResult {
        let b = metrics(base)
        let n = metrics(new)
        let estimates = options.significance ? (base.replications, new.replications) : (nil, nil)
        var rows: [ComparedMetric] = []
        for name in Set(b.keys).union(n.keys) {
            let bv = b[name]?.0
            let nv = n[name]?.0
            let higher = b[name]?.1 ?? n[name]?.1 ?? false
            let wall = name.hasPrefix("wall.") || name.contains("].wall.")
            var row = ComparedMetric(
                name: name, base: bv, new: nv, delta: nil, higherIsBetter: higher, isWallClock: wall,
                verdict: .unchanged, fails: false)
            switch (bv, nv) {
            case (.some, nil):
                row.verdict = .missing
                row.fails = true
            case (nil, .some):
                row.verdict = .added
            case (let bv?, let nv?):
                let delta = bv == 0 ? (nv == 0 ? 0 : .infinity) : (nv - bv) / bv
                row.delta = delta
                let badness = higher ? -delta : delta
                let allowed = higher ? options.throughputBudget : options.budget
                row.verdict =
                    badness > allowed + 1e-12
                    ? .worse : badness > 1e-12 ? .worseWithinBudget : badness < -1e-12 ? .better : .unchanged
                row.fails = row.verdict == .worse && (!wall || options.gateWall)
                if let br = estimates.0, let nr = estimates.1 {
                    if let be = br.metrics[name], let ne = nr.metrics[name] {
                        judge(&row, (be, br.count), (ne, nr.count), paired: br.seeds == nr.seeds, options)
                    } else if !wall {
                        // A flow or hop some replications did not have: one run's figure is noise, not a verdict.
                        row.unestimated = true
                        row.fails = false
                    }
                }
            case (nil, nil):
                continue
            }
            rows.append(row)
        }
        rows.sort { a, b in
            if a.fails != b.fails { return a.fails }
            if a.badness != b.badness { return a.badness > b.badness }
            return a.name < b.name
        }
        return ComparisonResult(rows: rows)
    }

    /// Judges `row` on the replications' estimates: the means side by side, the interval of their difference
    /// (paired by replication when both ran the same seeds and kept the values, else Welch's), and a verdict that is
    /// worse or better only when the interval excludes 0.
    static func judge(
        _ row: inout ComparedMetric, _ base: (Estimate, Int), _ new: (Estimate, Int), paired: Bool,
        _ options: ComparisonOptions
    ) {
        guard let interval = difference(base, new, paired: paired) else { return }
        let (base, new) = (base.0, new.0)
        row.base = base.mean
        row.new = new.mean
        let delta = base.mean == 0 ? (new.mean == 0 ? 0 : .infinity) : (new.mean - base.mean) / base.mean
        row.delta = delta
        row.interval = interval
        let worse = row.higherIsBetter ? interval.high < 0 : interval.low > 0
        let better = row.higherIsBetter ? interval.low > 0 : interval.high < 0
        let badness = row.higherIsBetter ? -delta : delta
        let allowed = row.higherIsBetter ? options.throughputBudget : options.budget
        row.verdict =
            worse ? (badness > allowed + 1e-12 ? .worse : .worseWithinBudget) : better ? .better : .unchanged
        row.fails = row.verdict == .worse && (!row.isWallClock || options.gateWall)
    }

    /// The 95 % confidence interval of new − base, each side an estimate and its number of replications: paired
    /// differences (Student's t on n − 1) when `paired` and both kept their values in the same order, else Welch's
    /// (Welch–Satterthwaite degrees of freedom). Nil with fewer than two replications on a side.
    public static func difference(_ base: (Estimate, Int), _ new: (Estimate, Int), paired: Bool)
        -> (low: Double, high: Double, paired: Bool)?
    {
        let ((base, nb), (new, nn)) = (base, new)
        if paired, let bv = base.values, let nv = new.values, bv.count == nv.count, bv.count > 1 {
            let d = Estimate(zip(nv, bv).map { $0 - $1 })
            return (d.low, d.high, true)
        }
        guard nb > 1, nn > 1 else { return nil }
        let vb = base.standardDeviation * base.standardDeviation / Double(nb)
        let vn = new.standardDeviation * new.standardDeviation / Double(nn)
        let diff = new.mean - base.mean
        guard vb + vn > 0 else { return (diff, diff, false) }
        let df = (vb + vn) * (vb + vn) / (vb * vb / Double(nb - 1) + vn * vn / Double(nn - 1))
        let half = Estimate.t975(degreesOfFreedom: max(Int(df.rounded(.down)), 1)) * (vb + vn).squareRoot()
        return (diff - half, diff + half, false)
    }

    /// The comparison as a table, plain text or Markdown (for CI job summaries): by default the rows that changed,
    /// failed or are on one side only, worst first; `all` lists every metric. The last line gives the totals.
    public static func table(_ result: ComparisonResult, markdown: Bool, all: Bool = false, gateWall: Bool = false)
        -> String
    {
        let shown = all ? result.rows : result.rows.filter { $0.fails || $0.verdict != .unchanged }
        var lines: [String] = []
        if !shown.isEmpty {
            if markdown {
                lines += ["| metric | base | new | delta | |", "|---|---:|---:|---:|---|"]
            } else {
                lines.append(
                    "metric".padding(toLength: 70, withPad: " ", startingAt: 0) + "        base         new     delta")
            }
        }
        for r in shown {
            let interval = r.interval.map {
                " [" + format($0.low) + ", " + format($0.high) + "]" + ($0.paired ? " paired" : " Welch")
            }
            let delta =
                (r.delta.map { $0.isInfinite ? "+∞" : String(format: "%+.2f%%", $0 * 100) } ?? "—")
            let base = r.base.map(format) ?? "—"
            let new = r.new.map(format) ?? "absent"
            let flag: String
            switch r.verdict {
            case .missing: flag = "MISSING"
            case .worse: flag = r.fails ? "WORSE" : r.unestimated ? "worse" : "worse (wall clock, not gated)"
            case .worseWithinBudget: flag = "worse within budget"
            case .better: flag = "better"
            case .unchanged: flag = r.interval == nil ? "" : "not significant"
            case .added: flag = "new"
            }
            let shownFlag =
                flag + (interval.map { " (difference\($0))" } ?? "")
                + (r.unestimated ? " (not in every replication: not gated)" : "")
            if markdown {
                lines.append("| \(r.name) | \(base) | \(new) | \(delta) | \(shownFlag) |")
            } else {
                lines.append(
                    r.name.padding(toLength: 70, withPad: " ", startingAt: 0) + base.leftPadded(12) + new.leftPadded(12)
                        + delta.leftPadded(10) + "  " + shownFlag)
            }
        }
        if !shown.isEmpty { lines.append("") }
        let hidden = result.rows.count - shown.count
        let gatingWorse = result.rows.filter { $0.verdict == .worse && $0.fails }.count
        let wallWorse = result.count(.worse) - gatingWorse
        lines.append(
            "\(result.rows.count) metrics compared: \(result.failures.count) failed "
                + "(\(gatingWorse) worse than the budget, \(result.count(.missing)) missing from the new run), "
                + "\(result.count(.worseWithinBudget)) worse within the budget, \(result.count(.better)) better, "
                + "\(result.count(.unchanged)) unchanged, \(result.count(.added)) only in the new run"
                + (gateWall
                    ? ""
                    : "; wall-clock metrics are reported, not gated (--gate-wall)"
                        + (wallWorse > 0 ? ": \(wallWorse) worse than the budget" : ""))
                + (hidden > 0 ? "; \(hidden) unchanged not shown (--all)" : ""))
        return lines.joined(separator: "\n")
    }

    static func format(_ v: Double) -> String { v >= 1000 ? String(format: "%.0f", v) : String(format: "%.3f", v) }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? " " + self : String(repeating: " ", count: width - count) + self
    }
}
