import Benchmark
import JukiCore
import JukiNetwork
import JukiSimulation

// Engine.canary.mmc: the engine canary, 13 M/M/4 service points at ρ = 0.8, 1.3 M customers (2.6 M events).
// Network.day.typical: a typical Fujisawa weekday through the whole network (setup not measured).
// Network.bulk.fujisawa: bulk number assignment of all 445,283 residents through the network (setup not measured).
// Network.month.fujisawa: 30 simulated days of Fujisawa from 2026-04-01 (long horizons, issue 18; setup not measured).
// Allocation counts include task-group children per window, so they get a 5 % tolerance.

let benchmarks: @Sendable () -> Void = {
    let tolerance: [BenchmarkMetric: BenchmarkThresholds] = [.mallocCountTotal: .init(relative: [.p90: 5.0])]

    Benchmark(
        "Engine.canary.mmc",
        configuration: .init(
            metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .mega, maxDuration: .seconds(4),
            maxIterations: 10, thresholds: tolerance)
    ) { benchmark in
        let result = try await CanaryRun().run()
        if result.customers != 1_300_000 { benchmark.error("expected 1,300,000 customers, got \(result.customers)") }
        blackHole(result)
    }

    Benchmark(
        "Network.day.typical",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(6), maxIterations: 4, thresholds: tolerance)
    ) { benchmark in
        let simulation = try await NetworkSimulation(NetworkConfiguration())
        benchmark.startMeasurement()
        await simulation.run(until: .endOfDay)
        benchmark.stopMeasurement()
        let report = await simulation.report()
        if !report.invariants.holds { benchmark.error("an invariant broke") }
        blackHole(report)
    }

    Benchmark(
        "Network.month.fujisawa",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], maxDuration: .seconds(10),
            maxIterations: 3, thresholds: tolerance)
    ) { benchmark in
        var configuration = NetworkConfiguration()
        configuration.date = CivilDate(year: 2026, month: 4, day: 1)
        configuration.days = 30
        // As `jukisim run` keeps them: the spans of the 1 % of journeys it traces.
        configuration.service.spanSample = 0.01
        let simulation = try await NetworkSimulation(configuration)
        let end = simulation.dayStart.microseconds + 30 * 86_400_000_000
        benchmark.startMeasurement()
        await simulation.run(until: .time(SimulatedTime(microseconds: end)))
        benchmark.stopMeasurement()
        let report = await simulation.report()
        if !report.invariants.holds { benchmark.error("an invariant broke") }
        blackHole(report)
    }

    Benchmark(
        "Network.bulk.fujisawa",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(6), maxIterations: 4, thresholds: tolerance)
    ) { benchmark in
        var configuration = NetworkConfiguration()
        configuration.municipality.undesignatedShare = 1
        configuration.workload.perDay = [:]
        configuration.workload.onlineMoveOutsPerDay = 0
        configuration.bulkAssignmentAt = 0
        configuration.consistencyCheck = .off
        let simulation = try await NetworkSimulation(configuration)
        benchmark.startMeasurement()
        await simulation.run(until: .endOfDay)
        benchmark.stopMeasurement()
        let report = await simulation.report()
        if report.bulk?.designated != 445_283 { benchmark.error("bulk assignment did not designate everyone") }
        blackHole(report)
    }
}
