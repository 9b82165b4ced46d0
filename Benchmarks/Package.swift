// swift-tools-version: 6.1
import PackageDescription

// jukisim's benchmarks (package-benchmark). A separate package, so the main package does not depend on
// package-benchmark: run them from this directory with `swift package benchmark` (see docs/benchmarks.md).
//
// Only the MallocInterposer trait is enabled: allocations are counted by an LD_PRELOADed interposer that
// package-benchmark builds itself, so libjemalloc (its backend up to Swift 6.2) is not needed.

let package = Package(
    name: "jukisim-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "jukisim", path: "../"),
        .package(url: "https://github.com/ordo-one/package-benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        benchmarkSuite("Population", uses: ["JukiPopulation"]),
        benchmarkSuite("Register", uses: ["JukiCore", "JukiRegister", "JukiPopulation"]),
        benchmarkSuite("Export", uses: ["JukiRegister", "JukiPopulation"]),
        benchmarkSuite("Simulation", uses: ["JukiCore", "JukiSimulation", "JukiNetwork"]),
    ],
    swiftLanguageModes: [.v6]
)

/// A benchmark executable in `Benchmarks/<name>/`, with package-benchmark's boilerplate plugin.
func benchmarkSuite(_ name: String, uses libraries: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "package-benchmark")]
            + libraries.map { .product(name: $0, package: "jukisim") },
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
    )
}
