import ArgumentParser
import Foundation
import JukiScenario
import JukiTraining

/// `jukisim cases`: training cases drawn from the synthetic population.
struct CasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "Training cases from the synthetic population: case sheets and an answer key for a classroom.",
        subcommands: [Generate.self]
    )
}

extension CasesCommand {
    /// `jukisim cases generate --drill FILE`.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw a drill's cases and write case sheets (one per page), an answer key and cases.json.",
            discussion: """
                The drill (YAML, docs/training.md) names the scenario whose population and desk times the cases come
                from, how many cases, the mix of requests, the discrepancies per case (0–3) and the trainee's rights.
                The same drill and seed give the same cases in the same order. Every file is marked as synthetic data.

                Writes cases.html (print it: one case per page), answer-key.html and cases.json into the output folder,
                and prints one line per case.

                Exit codes: 0 done; 2 invalid drill, scenario or option; 3 an I/O error.

                Examples:
                  jukisim cases generate --drill Scenarios/drills/first-week.yaml
                  jukisim cases generate --drill Scenarios/drills/first-week.yaml --seed 7 --output /tmp/cases
                """
        )

        @Option(help: "The drill file (YAML).")
        var drill: String

        @Option(help: "Override the drill's seed (the same seed gives the same cases).")
        var seed: UInt64?

        @Option(help: "Output folder (default: Reports/<drill name>-cases/).")
        var output: String?

        @Flag(help: "Print one line instead of the case list.")
        var quiet = false

        func run() throws {
            var d: Drill
            do {
                d = try Drill.load(path: drill)
            } catch {
                throw JukisimExit(code: .usage, message: error.description)
            }
            if let seed { d.seed = seed }
            let directory = output ?? "Reports/\(Self.folderName(d.name))-cases"
            try RunCommand.prepareOutput(directory)
            let book: CaseBook
            do {
                book = try CaseGenerator.generate(d)
            } catch {
                throw JukisimExit(code: .usage, message: error.description)
            }
            do {
                try CaseSheets.sheets(book).write(toFile: directory + "/cases.html", atomically: true, encoding: .utf8)
                try CaseSheets.answerKey(book).write(
                    toFile: directory + "/answer-key.html", atomically: true, encoding: .utf8)
                try book.json().write(toFile: directory + "/cases.json", atomically: true, encoding: .utf8)
            } catch {
                throw JukisimExit(code: .internalError, message: "cannot write into \(directory): \(error)")
            }
            let refused = book.cases.filter { $0.expected.verdict == .refuse }.count
            let line =
                "\(book.cases.count) cases (\(refused) to refuse) from \(book.municipality)'s synthetic population, "
                + "seed \(d.seed): \(directory)/cases.html, answer-key.html, cases.json"
            guard !quiet else {
                print(line)
                return
            }
            for c in book.cases {
                let rules = c.planted.isEmpty ? "clean" : c.planted.map(\.rawValue).joined(separator: ", ")
                print("  \(c.id). \(c.request.rawValue) — \(c.expected.verdict.rawValue) (\(rules))")
            }
            print(line)
        }

        /// A folder name from the drill's name: letters, digits, '-' and '_' kept.
        static func folderName(_ name: String) -> String {
            let kept = name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" }
            return String(kept)
        }
    }
}
