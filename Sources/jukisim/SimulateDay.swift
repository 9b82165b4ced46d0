import ArgumentParser
import Foundation
import JukiCore
import JukiNetwork

extension SimulateCommand {
    /// `jukisim simulate day`: one business day of the municipality and the Juki-net.
    struct Day: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Simulate one business day: counters, register system, CS, prefecture and national servers.",
            discussion: """
                Examples:
                  jukisim simulate day
                  jukisim simulate day --residents 50000 --bulk-at 18
                  jukisim simulate day --json
                """
        )

        @Option(help: "Residents of Fujisawa (default 445,283).") var residents: Int?
        @Option(help: "Root seed.") var seed: UInt64 = 1
        @Option(help: "The simulated business day, YYYY-MM-DD.") var date = "2026-03-02"
        @Option(help: "Run bulk number assignment at this hour of the day (0–24), if given.") var bulkAt: Double?
        @Option(help: "Share of residents without a number yet, 0 to 1.") var undesignatedShare = 0.002
        @Option(help: "Scale the day's arrivals (1 = a typical weekday, 0 = none).") var workloadScale = 1.0
        @Option(help: "Threads for population generation.") var jobs = ProcessInfo.processInfo.activeProcessorCount
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard workloadScale >= 0 && workloadScale <= 1000 else {
                throw ValidationError("--workload-scale must be 0 to 1000")
            }
            if let b = bulkAt, !(0...24).contains(b) { throw ValidationError("--bulk-at must be an hour from 0 to 24") }
        }

        func run() async throws {
            var configuration = NetworkConfiguration()
            configuration.seed = seed
            do {
                configuration.date = try CivilDate(parsing: date, field: "--date")
            } catch {
                throw JukisimExit(code: .usage, message: error.description)
            }
            configuration.municipality.residents = residents
            configuration.municipality.seed = seed
            configuration.municipality.jobs = jobs
            configuration.municipality.undesignatedShare = undesignatedShare
            configuration.bulkAssignmentAt = bulkAt.map { Int64($0 * 3_600_000_000) }
            configuration.workload.perDay = configuration.workload.perDay.mapValues { $0 * workloadScale }
            try await DayRunner.run(configuration, json: json)
        }
    }

    /// `jukisim simulate bulk`: bulk number assignment of every resident through the whole network.
    struct Bulk: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bulk number assignment (一括付番) of every resident, through the CS and the national server.",
            discussion: """
                Every resident starts without an individual number; the register system requests number candidates
                in batches, designates them, sends identity updates and delivery records.

                Examples:
                  jukisim simulate bulk
                  jukisim simulate bulk --residents 100000 --batch 5000
                """
        )

        @Option(help: "Residents of Fujisawa (default 445,283).") var residents: Int?
        @Option(help: "Root seed.") var seed: UInt64 = 1
        @Option(help: "Resident codes per number-candidate batch.") var batch = 10_000
        @Option(help: "Threads for population generation.") var jobs = ProcessInfo.processInfo.activeProcessorCount
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard (1...10_000_000).contains(batch) else { throw ValidationError("--batch must be 1 to 10,000,000") }
        }

        func run() async throws {
            var configuration = NetworkConfiguration()
            configuration.seed = seed
            configuration.municipality.residents = residents
            configuration.municipality.seed = seed
            configuration.municipality.jobs = jobs
            configuration.municipality.undesignatedShare = 1
            configuration.workload.perDay = [:]
            configuration.bulkAssignmentAt = 0
            configuration.bulkBatchSize = batch
            try await DayRunner.run(configuration, json: json)
        }
    }
}

/// Runs a network day and prints its summary.
enum DayRunner {
    static func run(_ configuration: NetworkConfiguration, json: Bool) async throws {
        let simulation: NetworkSimulation
        do {
            simulation = try await NetworkSimulation(configuration)
        } catch {
            throw JukisimExit(code: .usage, message: error.description)
        }
        let clock = DispatchTime.now().uptimeNanoseconds
        await simulation.run(until: .endOfDay)
        let runSeconds = Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9
        let report = await simulation.report()
        let summary = DaySummary(report: report, setupSeconds: simulation.setupSeconds, runSeconds: runSeconds)
        if json {
            print(summary.json())
        } else {
            print(summary.text())
        }
        if !report.invariants.holds { throw JukisimExit(code: .internalError, message: "an invariant broke") }
    }
}
