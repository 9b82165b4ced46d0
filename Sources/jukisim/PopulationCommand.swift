import ArgumentParser
import Foundation
import JukiCore
import JukiNetwork
import JukiPopulation
import JukiSimulation

/// `jukisim population`: generate a synthetic population and check it against its calibration.
struct PopulationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "population",
        abstract: "Generate a synthetic population, or compare its marginals with the calibration targets.",
        subcommands: [Generate.self, Stats.self, Nation.self]
    )
}

/// The options shared by `generate` and `stats`.
struct PopulationArguments: ParsableArguments {
    @Option(help: "Municipality code (全国地方公共団体コード, 6 digits with check digit). Fujisawa, 142051, has real towns.")
    var municipality: String = "142051"

    @Option(
        help: "Residents to generate (default: 445,283 for Fujisawa; elsewhere its 住民基本台帳 population on 2026-01-01).")
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

extension PopulationCommand {
    /// `jukisim population nation`.
    struct Nation: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate every municipality of the nation (or of some prefectures) at its own size, at once.",
            discussion: """
                Each municipality gets its 住民基本台帳 population on 2026-01-01 (times --scale) and its own block of
                resident codes, so codes and numbers are unique nationwide. Prints the time, the registers' memory
                and the peak resident memory (docs/scale.md).
                Examples:
                  jukisim population nation                      # all 1,741 municipalities, 123,767,642 residents
                  jukisim population nation --prefectures 31,32 --scale 1%
                """
        )

        @Option(help: "Prefecture codes to generate, comma-separated, 1 to 47 (default: all 47).")
        var prefectures: String?

        @Option(help: "Share of each municipality's population to generate: 1% or 0.01 up to 100% (default: 100%).")
        var scale: String = "100%"

        @Option(help: "Root seed: the same seed gives the same nation on any number of threads.")
        var seed: UInt64 = PopulationOptions.defaultSeed

        @Option(help: "Threads to use (default: the number of cores). Changes speed, never output.")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Flag(help: "Also build the identity copies' shared base (IdentityBase) and report its size and time.")
        var copies = false

        @Flag(help: "Print JSON instead of lines.")
        var json = false

        /// Refuses `--copies` where the machine lacks the memory, rather than swapping: the registers keep about
        /// 98 B a resident, the base 88 B, and the base's build holds transient copies as large again (50 % of the
        /// nation, 61.9 M residents, peaked at 20.45 GB).
        static func checkMemoryForCopies(residents: Int) throws {
            try PeakMemory.require(
                residents * 330, for: "--copies: \(StatsTable.grouped(residents)) residents and their identity base",
                hint: "use --scale or --prefectures")
        }

        func run() throws {
            var codes: Set<Int>?
            if let prefectures {
                var parsed = Set<Int>()
                for part in prefectures.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let n = Int(part.trimmingCharacters(in: .whitespaces)), (1...47).contains(n) else {
                        throw JukisimExit(
                            code: .usage, message: "--prefectures: '\(part)' is not a prefecture code from 1 to 47")
                    }
                    parsed.insert(n)
                }
                codes = parsed
            }
            guard let share = RunCommand.share(scale), share > 0 else {
                throw JukisimExit(code: .usage, message: "--scale: a share above 0 and up to 100%, got '\(scale)'")
            }
            let members: [NationalPopulation.Member]
            do {
                members = try NationalPopulation.plan(prefectures: codes, scale: share)
            } catch {
                throw JukisimExit(code: .usage, message: "--\(error.field): \(error.message)")
            }
            if copies { try Self.checkMemoryForCopies(residents: members.reduce(0) { $0 + $1.residents }) }
            let nation: NationalPopulation
            let progress = Output.Progress(enabled: Output.isTerminal)
            do {
                nation = try NationalPopulation.generate(members, seed: seed, jobs: jobs) { fraction in
                    progress.update("generating the nation", fraction)
                }
                progress.finish()
            } catch {
                progress.finish()
                throw JukisimExit(code: .usage, message: "--\(error.field): \(error.message)")
            }
            let bytes = nation.populations.reduce(0) { $0 + $1.register.memoryFootprint().registerAndIndexes }
            let residents = nation.residents
            // The copies: one base for the CS, prefecture and national files (each keeps only its changes).
            var base: (bytes: Int, seconds: Double)?
            if copies {
                let clock = WallClock()
                let built = IdentityBase(registers: nation.populations.map(\.register))
                base = (built.storageBytes, clock.seconds)
            }
            let peak = PeakMemory.residentBytes()
            let largest = nation.members.max { $0.residents < $1.residents }
            let smallest = nation.members.min { $0.residents < $1.residents }
            let prefectureCount = Set(nation.members.map(\.municipality.prefectureCode)).count
            if json {
                let object: [String: Any] = [
                    "municipalities": nation.members.count,
                    "prefectures": prefectureCount,
                    "residents": residents, "seconds": nation.seconds, "registerBytes": bytes,
                    "peakResidentBytes": peak ?? 0, "seed": seed, "scale": share, "jobs": jobs,
                    "identityBaseBytes": base?.bytes ?? 0, "identityBaseSeconds": base?.seconds ?? 0,
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print(
                "\(StatsTable.grouped(nation.members.count)) municipalities in \(prefectureCount) prefectures, "
                    + "\(StatsTable.grouped(residents)) residents (scale \(String(format: "%g", share * 100)) %), seed \(seed), "
                    + "\(jobs) threads")
            print(
                String(
                    format: "generated in %.1f s (%.2f million residents a second)", nation.seconds,
                    Double(residents) / max(nation.seconds, 1e-9) / 1e6))
            print(
                String(
                    format: "registers and indexes: %.2f GB (%.1f B a resident); peak resident memory: %@",
                    Double(bytes) / 1e9, Double(bytes) / Double(max(residents, 1)),
                    peak.map { String(format: "%.2f GB", Double($0) / 1e9) } ?? "unknown"))
            if let base {
                print(
                    String(
                        format: "identity copies' shared base: %.2f GB (%.1f B a resident), built in %.1f s",
                        Double(base.bytes) / 1e9, Double(base.bytes) / Double(max(residents, 1)), base.seconds))
            }
            if let largest, let smallest {
                print(
                    "largest: \(largest.municipality.name) \(StatsTable.grouped(largest.residents)); "
                        + "smallest: \(smallest.municipality.name) \(StatsTable.grouped(smallest.residents))"
                )
            }
        }
    }
}

/// The process's peak resident memory (Linux: VmHWM in /proc/self/status) and the machine's available memory.
enum PeakMemory {
    /// MemAvailable in /proc/meminfo (Linux), nil elsewhere.
    static func availableBytes() -> Int? { kilobytes("MemAvailable:", in: "/proc/meminfo").map { $0 * 1024 } }

    /// Ends the command with exit 3 when MemAvailable is below `need` bytes: "`what` need about … GB of memory; …
    /// are available (`hint`)". Nothing when the machine does not say.
    static func require(_ need: Int, for what: String, hint: String) throws {
        guard let available = availableBytes(), need > available else { return }
        throw JukisimExit(
            code: .internalError,
            message: "\(what) need "
                + String(
                    format: "about %.1f GB of memory; %.1f GB are available (%@)", Double(need) / 1e9,
                    Double(available) / 1e9, hint))
    }

    static func residentBytes() -> Int? { kilobytes("VmHWM:", in: "/proc/self/status").map { $0 * 1024 } }

    /// The number of kB on the line of `file` that starts with `key` (the kernel's "Key:   123 kB" lines).
    static func kilobytes(_ key: String, in file: String) -> Int? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key) {
            return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int($0) }
        }
        return nil
    }
}

/// `--format` values.
enum ExportFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case jsonl
    case csv

    var format: ExportFormat { self == .jsonl ? .jsonl : .csv }
}
