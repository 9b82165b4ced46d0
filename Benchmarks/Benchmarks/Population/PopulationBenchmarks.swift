import Benchmark
import JukiPopulation

// Population.generate.fujisawa: the whole synthetic Fujisawa population (445,283 residents) on both cores,
// from options to an indexed ResidentRegister. One generation per iteration; the population is released after
// the measurement stops.

let benchmarks: @Sendable () -> Void = {
    Benchmark(
        "Population.generate.fujisawa",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .peakMemoryResident],
            warmupIterations: 1,
            maxDuration: .seconds(4),
            maxIterations: 8,
            // Counts this large are kept to about 3 significant digits (HDR histogram), and two threads
            // share the work: allow 1 %.
            thresholds: [.mallocCountTotal: .init(relative: [.p90: 1.0])]
        )
    ) { benchmark in
        let population = try PopulationGenerator.generate(PopulationOptions(jobs: 2))
        benchmark.stopMeasurement()
        if population.register.count != 445_283 {
            benchmark.error("expected 445,283 residents, generated \(population.register.count)")
        }
        blackHole(population)
    }
}
