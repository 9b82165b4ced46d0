import Benchmark
import JukiCore
import JukiPopulation
import JukiRegister

// Register.*: operations on the generated Fujisawa register (445,283 residents). The register and every input
// (codes, queries, moves) are built once per process, outside the measurement; random orders come from
// JukiCore.RandomStream so they are the same on every machine and toolchain.

/// The generated Fujisawa register, built once per process on first use.
let fujisawa: ResidentRegister = {
    do {
        return try PopulationGenerator.generate(PopulationOptions(jobs: 2)).register
    } catch {
        fatalError("generating Fujisawa failed: \(error)")
    }
}()

/// Operations per iteration of the per-operation benchmarks (their scaling factor is `.mega`).
let operations = 1_000_000

/// Codes, numbers, queries and relocations in random orders (the same work `jukisim bench register` times).
let workload: RegisterWorkload = {
    do {
        return try RegisterWorkload(
            register: fujisawa, lookups: operations, searches: operations, relocations: operations,
            seed: PopulationOptions.defaultSeed)
    } catch {
        fatalError("building the register workload failed: \(error)")
    }
}()

let residentCodes = workload.codes
let individualNumbers = workload.numbers
let basicFactsQueries = workload.queries
let moves = workload.moves
let warmUpRow = workload.warmUp.row
let warmUpAddress = workload.warmUp.address

let context = ChangeContext(
    time: SimulatedTime(date: CivilDate(year: 2025, month: 6, day: 2), hour: 9),
    operatorID: OperatorID(101), terminalID: TerminalID(7))

/// J-LIS's conversion for the default seed, as the generator uses it.
let conversion = NumberConversion(key: PopulationOptions().conversionKey)

/// Per-operation benchmarks: a million operations per iteration, single-threaded, no allocation allowed.
func perOperation(maxIterations: Int) -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 1,
        scalingFactor: .mega,
        maxDuration: .seconds(3),
        maxIterations: maxIterations,
        thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0])]
    )
}

let benchmarks: @Sendable () -> Void = {
    Benchmark(
        "Register.lookup.residentCode",
        configuration: perOperation(maxIterations: 40),
        closure: { benchmark in
            let register = fujisawa
            let codes = residentCodes
            for i in benchmark.scaledIterations {
                blackHole(register.row(residentCode: codes[i]))
            }
        },
        setup: {
            for code in residentCodes.prefix(1000) where fujisawa.row(residentCode: code) == nil {
                fatalError("resident code \(code) not found")
            }
        }
    )

    Benchmark(
        "Register.lookup.individualNumber",
        configuration: perOperation(maxIterations: 40),
        closure: { benchmark in
            let register = fujisawa
            let numbers = individualNumbers
            for i in benchmark.scaledIterations {
                blackHole(register.row(individualNumber: numbers[i]))
            }
        },
        setup: {
            for number in individualNumbers.prefix(1000) where fujisawa.row(individualNumber: number) == nil {
                fatalError("individual number \(number.masked) not found")
            }
        }
    )

    // One reusable result array: a search allocates nothing once it has capacity.
    var results: [RowID] = []
    Benchmark(
        "Register.search.basicFacts",
        configuration: perOperation(maxIterations: 40),
        closure: { benchmark in
            let register = fujisawa
            let queries = basicFactsQueries
            for i in benchmark.scaledIterations {
                register.search(queries[i], into: &results)
                blackHole(results.count)
            }
        },
        setup: {
            results.reserveCapacity(64)
            for query in basicFactsQueries.prefix(1000) {
                fujisawa.search(query, into: &results)
                if results.isEmpty { fatalError("a resident's own name and birth date found nobody") }
            }
        }
    )

    Benchmark(
        "Register.relocate.withChangeLog",
        configuration: perOperation(maxIterations: 20),
        closure: { benchmark in
            // A fresh copy each iteration keeps the change log (and memory) from growing across iterations;
            // its room is reserved up front, so the measured relocations allocate nothing.
            var register = fujisawa
            try register.relocate(warmUpRow, to: warmUpAddress, context: context)
            register.reserveChangeLog(operations)
            let work = moves
            benchmark.startMeasurement()
            for i in benchmark.scaledIterations {
                let move = work[i]
                try register.relocate(move.row, to: move.address, context: context)
            }
            benchmark.stopMeasurement()
            if register.changeLog.count != operations + 1 {
                benchmark.error("expected \(operations + 1) changes, logged \(register.changeLog.count)")
            }
        },
        setup: { blackHole(moves.count) }
    )

    Benchmark(
        "Register.designate.bulk",
        configuration: .init(
            metrics: [.wallClock, .throughput, .mallocCountTotal],
            warmupIterations: 1,
            maxDuration: .seconds(3),
            maxIterations: 30,
            thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0])]
        ),
        closure: { benchmark in
            // Setup, not measured: a fresh copy with every number cleared (as before the 2015 initial run).
            var register = fujisawa
            register.clearIndividualNumbers()
            try register.relocate(warmUpRow, to: warmUpAddress, context: context)
            benchmark.startMeasurement()
            let result = register.designateAllMissing(using: conversion, context: context)
            benchmark.stopMeasurement()
            if result.designated != fujisawa.count || result.collisions != 0 {
                benchmark.error("designated \(result.designated) with \(result.collisions) collisions")
            }
        },
        setup: { blackHole(fujisawa.count) }
    )
}
