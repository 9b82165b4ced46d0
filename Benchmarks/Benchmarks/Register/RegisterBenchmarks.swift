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

/// `total` items of `items`, as successive random permutations (Fisher–Yates over a `RandomStream`).
func visitingOrder<T>(_ items: [T], total: Int, stream: UInt64) -> [T] {
    var random = RandomStream(seed: PopulationOptions.defaultSeed, stream: stream)
    var out: [T] = []
    out.reserveCapacity(total)
    while out.count < total {
        var pass = items
        for i in stride(from: pass.count - 1, to: 0, by: -1) {
            pass.swapAt(i, Int(random.next(below: UInt64(i + 1))))
        }
        out.append(contentsOf: pass.prefix(total - out.count))
    }
    return out
}

let allRows: [Int] = Array(0..<fujisawa.count)

/// Resident codes of every resident, in random order, repeated to `operations`.
let residentCodes: [ResidentCode] = visitingOrder(allRows, total: operations, stream: 1).map {
    ResidentCode(uncheckedRawValue: fujisawa.columns.residentCode[$0])
}

/// Individual numbers of every resident who has one (0.2 % are undesignated), in random order.
let individualNumbers: [IndividualNumber] = visitingOrder(
    allRows.filter { fujisawa.columns.individualNumber[$0] != 0 }, total: operations, stream: 2
).map { IndividualNumber(uncheckedRawValue: fujisawa.columns.individualNumber[$0]) }

/// The name (kana) + birth date query a clerk would type for each resident, in random order.
let basicFactsQueries: [ResolvedQuery] = visitingOrder(allRows, total: operations, stream: 3).map {
    fujisawa.nameAndBirthDateQuery(of: RowID(UInt32($0)))
}

/// A relocation done on each fresh copy of the register before the measurement starts, so that copy-on-write
/// of the columns, the address index and the change log happens outside the measured region.
let warmUpRow = RowID(0)
let warmUpAddress: RegisterAddress = {
    let r = warmUpRow.index
    let town = fujisawa.columns.town[r]
    return RegisterAddress(town: town, chome: fujisawa.columns.chome[r], banchi: 9003, go: 1)
}()

/// One relocation (転居): a row and an address in its own town different from its current one.
struct Move {
    var row: RowID
    var address: RegisterAddress
}

/// `operations` relocations over every resident in random order. Each resident alternates between two addresses
/// in its own town (番地 9001 and 9002, which the generator never uses) with a valid 丁目, so no move is a
/// no-change error.
let moves: [Move] = {
    let register = fujisawa
    var pair: [(RegisterAddress, RegisterAddress)] = []
    pair.reserveCapacity(register.count)
    for r in 0..<register.count {
        let town = register.columns.town[r]
        let chomeCount = register.towns[Int(town)].chomeCount
        let chome = chomeCount == 0 ? 0 : 1 + r % chomeCount
        let go = 1 + r % 99
        do {
            let a = try register.address(townID: town, chome: chome, banchi: 9001, go: go)
            let b = try register.address(townID: town, chome: chome, banchi: 9002, go: go)
            pair.append((a, b))
        } catch {
            fatalError("invalid relocation address for row \(r): \(error)")
        }
    }
    var current: [RegisterAddress] = (0..<register.count).map {
        RegisterAddress(
            town: register.columns.town[$0], chome: register.columns.chome[$0],
            banchi: register.columns.banchi[$0], go: register.columns.go[$0])
    }
    current[warmUpRow.index] = warmUpAddress
    return visitingOrder(allRows, total: operations, stream: 4).map { r in
        let (a, b) = pair[r]
        let target = current[r] == a ? b : a
        current[r] = target
        return Move(row: RowID(UInt32(r)), address: target)
    }
}()

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
