import ArgumentParser
import Foundation
import JukiCore
import JukiPopulation

/// `jukisim population`: generate a synthetic population and check it against its calibration.
struct PopulationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "population",
        abstract: "Generate a synthetic population, or compare its marginals with the calibration targets.",
        subcommands: [Generate.self, Stats.self]
    )
}

/// The options shared by `generate` and `stats`.
struct PopulationArguments: ParsableArguments {
    @Option(help: "Municipality code (全国地方公共団体コード, 6 digits with check digit). Fujisawa, 142051, has real towns.")
    var municipality: String = "142051"

    @Option(help: "Residents to generate (default: 445,283 for Fujisawa, 50,000 elsewhere).")
    var residents: Int?

    @Option(help: "Root seed: the same seed gives the same population on any number of threads.")
    var seed: UInt64 = PopulationOptions.defaultSeed

    @Option(help: "Threads to use (default: the number of cores). Changes speed, never output.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Share of residents without an individual number yet, 0 to 1 (served by bulk number assignment).")
    var undesignatedShare: Double = 0.002

    func options() throws(JukisimExit) -> PopulationOptions {
        let code: MunicipalityCode
        do {
            code = try MunicipalityCode(parsing: municipality)
        } catch {
            throw JukisimExit(code: .usage, message: "--municipality: \(error)")
        }
        return PopulationOptions(
            municipality: code, residents: residents, seed: seed, jobs: jobs, undesignatedShare: undesignatedShare)
    }

    func generate(progress: Output.Progress) throws(JukisimExit) -> (Population, Double) {
        let options = try options()
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let population = try PopulationGenerator.generate(options) { phase, fraction in
                if ProcessInfo.processInfo.environment["JUKISIM_TIMING"] != nil {
                    Output.standardError("\(phase) at \(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)")
                }
                progress.update("generating: \(phase)", fraction)
            }
            progress.finish()
            return (population, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        } catch {
            progress.finish()
            throw JukisimExit(code: .usage, message: "--\(flag(for: error.field)): \(error.message)")
        }
    }

    private func flag(for field: String) -> String {
        switch field {
        case "undesignatedShare": "undesignated-share"
        default: field
        }
    }
}

extension PopulationCommand {
    /// `jukisim population generate`.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate residents and write them as JSON Lines or CSV.",
            discussion: """
                Examples:
                  jukisim population generate --residents 10000 > people.jsonl
                  jukisim population generate --format csv --output fujisawa.csv
                  jukisim population generate --municipality 141003 --residents 200000 --seed 7
                """
        )

        @OptionGroup var population: PopulationArguments

        @Option(help: "Output format: jsonl or csv.")
        var format: ExportFormatArgument = .jsonl

        @Option(help: "Output file (default: standard output).")
        var output: String?

        func run() throws {
            let progress = Output.Progress(enabled: Output.isTerminal && (population.residents ?? 445_283) >= 100_000)
            let (generated, _) = try population.generate(progress: progress)
            let sink = try Output.Sink(path: output)
            let exporter = PopulationExporter(register: generated.register, format: format.format)
            try exporter.write(jobs: population.jobs) { bytes throws(JukisimExit) in try sink.write(bytes) }
            try sink.close()
        }
    }

    /// `jukisim population stats`.
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the generated marginals beside their calibration targets, with deviations.",
            discussion: """
                Examples:
                  jukisim population stats
                  jukisim population stats --residents 10000 --json
                """
        )

        @OptionGroup var population: PopulationArguments

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() throws {
            let progress = Output.Progress(enabled: Output.isTerminal && (population.residents ?? 445_283) >= 100_000)
            let (generated, seconds) = try population.generate(progress: progress)
            let stats = PopulationStats.compute(generated)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let data = try encoder.encode(stats)
                print(String(decoding: data, as: UTF8.self))
            } else {
                print(StatsTable.render(stats, seconds: seconds, jobs: population.jobs))
            }
        }
    }
}

/// `--format` values.
enum ExportFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case jsonl
    case csv

    var format: ExportFormat { self == .jsonl ? .jsonl : .csv }
}
