import ArgumentParser
import Foundation
import JukiScenario

/// `jukisim merge A.json B.json …`: several runs' summaries as one, from their HDR histograms.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge summary.json files of one scenario (seeds, replications, machines) into one, losslessly.",
        discussion: """
            The merged summary is the runs side by side: counts add, latency percentiles come from the merged HDR
            histograms each summary keeps (never averaged), maxima take the largest, utilizations the mean, and
            configuration must agree. Percentiles kept without a histogram become the largest of the inputs' and are
            listed in merged.upperBounds. Thresholds are judged again on the merged figures. docs/merge.md has the
            rules.

            Exit codes: 0 merged; 1 merged, but a threshold fails on the merged figures; 2 an unreadable summary,
            summaries of different scenarios, kinds or clocks, or summaries without histograms (re-recorded
            baselines).

            Examples:
              jukisim merge Reports/a/summary.json Reports/b/summary.json > merged.json
              jukisim merge shard-*/summary.json --output merged.json
            """
    )

    @Argument(help: "Two summary.json files or more (merged summaries too).") var summaries: [String]
    @Option(name: .shortAndLong, help: "Write the merged summary here instead of to standard output.")
    var output: String?

    func run() throws {
        var inputs: [(path: String, summary: Summary)] = []
        for path in summaries {
            do {
                inputs.append((path, try Summary.read(path)))
            } catch {
                throw JukisimExit(code: .usage, message: error.description)
            }
        }
        let merged: Summary
        do {
            merged = try SummaryMerge.merge(inputs)
        } catch {
            throw JukisimExit(code: .usage, message: "merge: \(error.description)")
        }
        var text = merged.json()
        text.append(0x0A)
        if let output {
            do {
                try text.write(to: URL(fileURLWithPath: output))
            } catch {
                throw JukisimExit(code: .internalError, message: "--output: cannot write \(output) (\(error))")
            }
        } else {
            FileHandle.standardOutput.write(text)
        }
        let failing = (merged.thresholds ?? []).filter { !$0.ok }
        if !failing.isEmpty {
            let list = failing.map { "\($0.metric): \($0.expression)" }.joined(separator: "; ")
            throw JukisimExit(
                code: .checkFailed, message: "merge: \(failing.count) threshold(s) fail on the merged runs: \(list)")
        }
    }
}
