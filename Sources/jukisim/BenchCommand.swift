import ArgumentParser
import Foundation
import JukiCore
import JukiPopulation
import JukiRegister
import JukiSimulation

/// `jukisim bench`: quick measurements for comparing with other tools (Benchmarks/peers/); the gated
/// benchmarks are package-benchmark's, in Benchmarks/.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure operations for side-by-side comparisons with other tools (see Benchmarks/peers/).",
        subcommands: [Register.self]
    )

    /// `jukisim bench register`: the register's operations on the generated Fujisawa, as in the peer benchmark.
    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "register",
            abstract: "Time lookups, basic-facts searches, relocations and bulk designation on the register.",
            discussion: """
                Generates the population (not timed), then times each operation on one thread and prints the
                median of --repeat runs. Lookups find the row by resident code and read its fixed-size columns;
                searches are name (kana) + birth date; relocations write the change log; bulk designation gives
                every resident a new individual number through J-LIS's conversion.

                Examples:
                  jukisim bench register
                  jukisim bench register --json --seed 20250501
                """
        )

        @Option(help: "Root seed of the population and of the random picks.")
        var seed: UInt64 = PopulationOptions.defaultSeed

        @Option(help: "Residents (default: Fujisawa's 445,283).")
        var residents: Int?

        @Option(help: "Lookups by resident code.") var lookups = 1_000_000
        @Option(help: "Basic-facts searches.") var searches = 200_000
        @Option(help: "Relocations.") var relocations = 200_000
        @Option(help: "Runs of each operation; the median is printed.") var `repeat` = 3
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard (1...100_000_000).contains(lookups), (1...100_000_000).contains(searches),
                (1...100_000_000).contains(relocations)
            else { throw ValidationError("--lookups, --searches and --relocations must be 1 to 100,000,000") }
            guard (1...50).contains(`repeat`) else { throw ValidationError("--repeat must be 1 to 50") }
            if let residents, !(1...PopulationOptions.maximumResidents).contains(residents) {
                throw ValidationError("--residents must be 1 to \(PopulationOptions.maximumResidents)")
            }
        }

        func run() async throws {
            var options = PopulationOptions(seed: seed, jobs: ProcessInfo.processInfo.activeProcessorCount)
            if let residents { options.residents = residents }
            let population: Population
            let workload: RegisterWorkload
            do {
                population = try PopulationGenerator.generate(options)
                workload = try RegisterWorkload(
                    register: population.register, lookups: lookups, searches: searches, relocations: relocations,
                    seed: seed)
            } catch {
                throw JukisimExit(code: .usage, message: "\(error)")
            }
            let register = population.register
            let context = ChangeContext(
                time: SimulatedTime(date: CivilDate(year: 2025, month: 6, day: 2), hour: 9),
                operatorID: OperatorID(101),
                terminalID: TerminalID(7))
            let conversion = NumberConversion(key: options.conversionKey)
            var checksum: UInt64 = 0
            var results: [RowID] = []
            results.reserveCapacity(64)
            var failure: String?
            let measured: [(String, Int, Double)] = [
                (
                    "lookupByCode", workload.codes.count,
                    median {
                        let c = register.columns
                        for code in workload.codes {
                            guard let row = register.row(residentCode: code) else { continue }
                            let r = row.index
                            checksum &+=
                                c.individualNumber[r] &+ UInt64(bitPattern: Int64(c.birthDate[r]))
                                &+ UInt64(c.town[r]) &+ UInt64(c.banchi[r]) &+ UInt64(c.household[r])
                                &+ UInt64(c.status[r]) &+ UInt64(c.surname[r])
                        }
                    }
                ),
                (
                    "basicFactsSearch", workload.queries.count,
                    median {
                        for q in workload.queries {
                            register.search(q, into: &results)
                            checksum &+= UInt64(results.count)
                        }
                    }
                ),
                (
                    "relocation", workload.moves.count,
                    median(prepare: {
                        var copy = register
                        try? copy.relocate(workload.warmUp.row, to: workload.warmUp.address, context: context)
                        copy.reserveChangeLog(workload.moves.count + 1)
                        return copy
                    }) { (copy: inout ResidentRegister) in
                        for m in workload.moves {
                            do {
                                try copy.relocate(m.row, to: m.address, context: context)
                            } catch {
                                failure = "relocation of \(m.row) refused: \(error)"
                            }
                        }
                    }
                ),
                (
                    "bulkDesignation", register.count,
                    median(prepare: {
                        var copy = register
                        copy.clearIndividualNumbers()
                        try? copy.relocate(workload.warmUp.row, to: workload.warmUp.address, context: context)
                        return copy
                    }) { (copy: inout ResidentRegister) in
                        let result = copy.designateAllMissing(using: conversion, context: context)
                        if result.designated != register.count {
                            failure = "designated \(result.designated) of \(register.count)"
                        }
                    }
                ),
            ]
            if let failure { throw JukisimExit(code: .internalError, message: failure) }
            if json {
                var operations: [String: Any] = [:]
                for (name, count, seconds) in measured {
                    operations[name] = [
                        "count": count, "seconds": seconds, "perSecond": (Double(count) / seconds).rounded(),
                    ]
                }
                let object: [String: Any] = [
                    "residents": register.count, "seed": seed, "repeat": `repeat`, "operations": operations,
                    "checksum": String(checksum, radix: 16),
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print("register of \(register.count) residents, seed \(seed), median of \(`repeat`) runs, 1 thread")
                for (name, count, seconds) in measured {
                    print(
                        name.padding(toLength: 18, withPad: " ", startingAt: 0)
                            + String(
                                format: "%10d ops  %8.4f s  %8.2f M ops/s", count, seconds,
                                Double(count) / seconds / 1e6))
                }
            }
        }

        /// The median wall time of `repeat` runs of `body`, in seconds.
        func median(_ body: () -> Void) -> Double {
            var times: [Double] = []
            for _ in 0..<`repeat` {
                let clock = WallClock()
                body()
                times.append(clock.seconds)
            }
            return times.sorted()[times.count / 2]
        }

        /// The median wall time of `repeat` runs of `body` on a fresh value from `prepare` (not timed).
        func median<T>(prepare: () -> T, _ body: (inout T) -> Void) -> Double {
            var times: [Double] = []
            for _ in 0..<`repeat` {
                var value = prepare()
                let clock = WallClock()
                body(&value)
                times.append(clock.seconds)
            }
            return times.sorted()[times.count / 2]
        }
    }
}
