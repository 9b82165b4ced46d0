import ArgumentParser
import Foundation
import JukiScenario

/// `jukisim compare BASE.json NEW.json`: regressions between two runs.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two summary.json files; exit 1 when a latency or throughput is worse than the budget.",
        discussion: """
            Latency percentiles of journeys, hops and counter waits must not grow by more than --budget; events per
            wall second must not fall by more than --throughput-budget (wall time is noisy: give it room).

            Examples:
              jukisim compare Reports/baselines/fujisawa-typical-day.json Reports/run/summary.json --budget 0
              jukisim compare base.json new.json --budget 5% --format md
            """
    )

    @Argument(help: "The baseline summary.json.") var base: String
    @Argument(help: "The new summary.json.") var new: String
    @Option(help: "Allowed growth of latencies, e.g. 5% or 0.05.") var budget = "5%"
    @Option(help: "Allowed fall of throughput (default: the latency budget).") var throughputBudget: String?
    @Option(help: "Output: text or md.") var format: CompareFormat = .text

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
        let rows = SummaryComparison.compare(base: b, new: n, budget: latency, throughputBudget: throughput)
        print(SummaryComparison.table(rows, markdown: format == .md))
        if rows.contains(where: \.worse) { throw JukisimExit(code: .checkFailed, message: nil) }
    }
}
