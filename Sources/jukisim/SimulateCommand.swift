import ArgumentParser
import Foundation
import JukiSimulation

/// `jukisim simulate`: run built-in simulations directly (scenario files come with `jukisim run`).
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a built-in simulation.",
        subcommands: [Canary.self, Day.self, Bulk.self]
    )
}

extension SimulateCommand {
    /// `jukisim simulate canary`: the engine canary, an M/M/c queue checked against Erlang C.
    struct Canary: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the engine canary: M/M/c service points with Poisson arrivals, checked against Erlang C.",
            discussion: """
                Default: 13 service points × 4 servers at utilisation 0.8, 100,000 customers each.

                Examples:
                  jukisim simulate canary
                  jukisim simulate canary --customers-per-point 1000000 --json
                """
        )

        @Option(help: "Service points.") var points = 13
        @Option(help: "Servers (clerks) per service point.") var servers = 4
        @Option(help: "Utilisation ρ, between 0 and 1 (exclusive).") var utilization = 0.8
        @Option(help: "Customers per service point.") var customersPerPoint = 100_000
        @Option(help: "Root seed.") var seed: UInt64 = 1
        @Option(help: "Window length in mean service times (the canary has no links, so this is free).")
        var window = 100.0
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard (1...10_000).contains(points) else { throw ValidationError("--points must be 1 to 10,000") }
            guard (1...10_000).contains(servers) else { throw ValidationError("--servers must be 1 to 10,000") }
            guard utilization > 0 && utilization < 1 else { throw ValidationError("--utilization must be in (0, 1)") }
            guard (1...1_000_000_000).contains(customersPerPoint) else {
                throw ValidationError("--customers-per-point must be 1 to 1,000,000,000")
            }
            guard window > 0 && window <= 1e9 else { throw ValidationError("--window must be in (0, 1e9]") }
        }

        func run() async throws {
            var canary = CanaryRun()
            canary.points = points
            canary.servers = servers
            canary.utilization = utilization
            canary.customersPerPoint = customersPerPoint
            canary.seed = seed
            canary.windowInServiceTimes = window
            let start = DispatchTime.now().uptimeNanoseconds
            let result: CanaryRun.Result
            do {
                result = try await canary.run()
            } catch {
                throw JukisimExit(code: .usage, message: error.description)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let deviation = (result.meanTimeInSystem - result.erlangC) / result.erlangC
            let digest = String(result.digest, radix: 16)
            if json {
                let object: [String: Any] = [
                    "customers": result.customers, "meanTimeInSystem": result.meanTimeInSystem,
                    "meanWait": result.meanWait, "erlangC": result.erlangC, "deviation": deviation,
                    "events": result.events, "windows": result.windows, "digest": digest,
                    "wall": ["seconds": seconds, "customersPerSecond": Double(result.customers) / seconds],
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print(
                    "M/M/\(servers) × \(points), ρ = \(utilization): \(result.customers) customers, \(result.events) events"
                )
                print(
                    String(
                        format: "mean time in system %.4f service times; Erlang C %.4f; deviation %+.2f%%",
                        result.meanTimeInSystem, result.erlangC, deviation * 100))
                print(
                    String(format: "mean wait %.4f service times; longest queue %d", result.meanWait, result.maxQueue))
                print("windows \(result.windows); digest \(digest)")
                print(
                    String(
                        format: "wall %.3f s: %.2f M customers/s, %.2f M events/s", seconds,
                        Double(result.customers) / seconds / 1e6, Double(result.events) / seconds / 1e6))
            }
        }
    }
}
