import ArgumentParser
import Foundation
import JukiScenario

/// `jukisim compare BASE.json NEW.json`: regressions between two runs.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two summary.json files; exit 1 when a metric is worse than the budget or missing.",
        discussion: """
            Latency percentiles of journeys, hops and counter waits must not grow by more than --budget, and every
            metric of the base must be in the new run (a journey, counter or hop that disappeared fails). Wall-clock
            metrics (events per second, customers per second) are machine noise: they are reported and gate only
            with --gate-wall, against --throughput-budget. Summaries of different scenarios, kinds or clocks are
            refused (exit 2) unless --allow-different-scenarios.

            Output: the metrics that changed, failed or are on one side only, worst first, and the totals; --all
            lists every metric. With --significance (two replicated runs), journey times and counter waits are
            judged on the means with the 95 % interval of their difference. Exit codes: 0 passed, 1 a metric failed, 2 unreadable or incomparable summaries
            or a bad flag.

            Examples:
              jukisim compare Reports/baselines/fujisawa-typical-day.json Reports/run/summary.json --budget 0
              jukisim compare base.json new.json --budget 5% --format md
              jukisim compare replicated-base.json replicated-new.json --significance --budget 0
            """
    )

    @Argument(help: "The baseline summary.json.") var base: String
    @Argument(help: "The new summary.json.") var new: String
    @Option(help: "Allowed growth of latencies, e.g. 5% or 0.05.") var budget = "5%"
    @Option(help: "Allowed fall of throughput (default: the latency budget).") var throughputBudget: String?
    @Option(help: "Output: text or md.") var format: CompareFormat = .text
    @Flag(help: "Let wall-clock metrics (throughput on this machine) fail the comparison.") var gateWall = false
    @Flag(help: "List every metric, not only those that changed or failed.") var all = false
    @Flag(help: "Compare summaries of different scenarios, kinds or clocks.") var allowDifferentScenarios = false
    @Flag(
        help: ArgumentHelp(
            "Two replicated runs: judge journey times and waits on the replications' means, worse only when the 95 % "
                + "interval of the difference excludes 0 (paired when both ran the same seeds) and beyond --budget."))
    var significance = false

    enum CompareFormat: String, ExpressibleByArgument { case text, md }

    static func fraction(_ text: String, flag: String) throws(JukisimExit) -> Double {
        let t = text.trimmingCharacters(in: .whitespaces)
        let value = t.hasSuffix("%") ? Double(t.dropLast()).map { $0 / 100 } : Double(t)
        guard let v = value, v >= 0, v.isFinite else {
            throw JukisimExit(
                code: .usage, message: "\(flag): '\(text)' is not a budget: write a share like 5% or 0.05")
        }
        return v
    }

    func run() throws {
        let latency = try Self.fraction(budget, flag: "--budget")
        let throughput =
            try throughputBudget.map { (t) throws(JukisimExit) in try Self.fraction(t, flag: "--throughput-budget") }
            ?? latency
        let b: Summary
        let n: Summary
        do {
            b = try SummaryComparison.load(base)
            n = try SummaryComparison.load(new)
        } catch {
            throw JukisimExit(code: .usage, message: error.description)
        }
        if !allowDifferentScenarios, let mismatch = SummaryComparison.mismatch(base: b, new: n) {
            throw JukisimExit(code: .usage, message: mismatch)
        }
        if significance {
            for (summary, path) in [(b, base), (n, new)] where summary.replications == nil {
                throw JukisimExit(
                    code: .usage,
                    message: "--significance: \(path) is not a replicated run (no `replications` block): run it with "
                        + "--replications N")
            }
        }
        let result = SummaryComparison.compare(
            base: b, new: n,
            ComparisonOptions(
                budget: latency, throughputBudget: throughput, gateWall: gateWall, significance: significance))
        print(SummaryComparison.table(result, markdown: format == .md, all: all, gateWall: gateWall))
        if !result.passed { throw JukisimExit(code: .checkFailed, message: nil) }
    }
}
