import Benchmark
import JukiPopulation
import JukiRegister

// Export.jsonl: JSON Lines for every resident of the Fujisawa register, formatted on two threads and handed
// to a sink that discards the bytes. The register and the exporter's pre-escaped tables are built once,
// outside the measurement.

/// The generated Fujisawa register, built once per process on first use.
let fujisawa: ResidentRegister = {
    do {
        return try PopulationGenerator.generate(PopulationOptions(jobs: 2)).register
    } catch {
        fatalError("generating Fujisawa failed: \(error)")
    }
}()

let exporter = PopulationExporter(register: fujisawa, format: .jsonl)

let benchmarks: @Sendable () -> Void = {
    Benchmark(
        "Export.jsonl",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal],
            warmupIterations: 1,
            maxDuration: .seconds(4),
            maxIterations: 15,
            // Counts this large are kept to about 3 significant digits (HDR histogram), and two threads
            // share the work: allow 1 %.
            thresholds: [.mallocCountTotal: .init(relative: [.p90: 1.0])]
        ),
        closure: { benchmark in
            var bytes = 0
            exporter.write(jobs: 2) { chunk in
                bytes += chunk.count
                blackHole(chunk)
            }
            benchmark.stopMeasurement()
            if bytes == 0 { benchmark.error("the export wrote nothing") }
        },
        setup: { blackHole(exporter.format) }
    )
}
