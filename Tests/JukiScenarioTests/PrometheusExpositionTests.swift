import Foundation
import Testing

@testable import JukiScenario

@Suite("Prometheus exposition of a run (metrics.prom, live /metrics)")
struct PrometheusExpositionTests {
    /// The value of the sample `series` (name with labels as written) in exposition `text`.
    static func value(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test("counts are the summary's; a histogram's buckets rise to its count and hold the summary's percentiles")
    func figures() async throws {
        let scenario = try Scenario.parse(
            """
            name: prometheus-test
            seed: 6
            population: {residents: 2000, others: {residents: 100}}
            workload: {followPopulation: false, scale: 0.1}
            thresholds: {journeys.certificate.latency: ["p(50)<1s"]}
            """)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try await ScenarioRunner.run(scenario, directory: dir)
        let text = try String(contentsOfFile: dir + "/metrics.prom", encoding: .utf8)
        let summary = try Summary.read(dir + "/summary.json")
        #expect(text == PrometheusExposition.text(summary))
        let certificate = try #require(summary.journeys?["certificate"])
        #expect(
            Self.value(text, #"jukisim_journeys_completed_total{flow="certificate"}"#) == Double(certificate.completed))
        #expect(
            Self.value(text, #"jukisim_journey_duration_seconds_count{flow="certificate"}"#)
                == Double(certificate.latencySeconds.count))
        #expect(
            Self.value(text, #"jukisim_journey_duration_seconds_bucket{flow="certificate",le="+Inf"}"#)
                == Double(certificate.latencySeconds.count))
        // The bucket holding the summary's p95 is the first whose count reaches 95 % of the journeys.
        var previous = 0.0
        var lower = 0.0
        var found: (Double, Double)?
        for bound in PrometheusExposition.buckets {
            let series = #"jukisim_journey_duration_seconds_bucket{flow="certificate",le="\#(bound)"}"#
            let count = try #require(Self.value(text, series), "\(series)")
            #expect(count >= previous)
            if found == nil, count >= 0.95 * Double(certificate.latencySeconds.count) { found = (lower, bound) }
            previous = count
            lower = bound
        }
        let (low, high) = try #require(found)
        #expect(certificate.latencySeconds.p95 > low && certificate.latencySeconds.p95 <= high)
        // The sum is the HDR buckets' values: within 0.1 % of the exact total.
        let sum = try #require(Self.value(text, #"jukisim_journey_duration_seconds_sum{flow="certificate"}"#))
        let exact = certificate.latencySeconds.mean * Double(certificate.latencySeconds.count)
        #expect(abs(sum - exact) <= 0.001 * exact)
        #expect(
            Self.value(text, #"jukisim_threshold_passed{metric="journeys.certificate.latency",expression="p(50)<1s"}"#)
                == 0)
        #expect(Self.value(text, "jukisim_invariants_hold") == 1 && Self.value(text, "jukisim_run_finished") == 1)
        let name = try #require(summary.counters?.keys.sorted().first)
        #expect(
            Self.value(text, #"jukisim_visits_served_total{counter="\#(name)"}"#)
                == Double(summary.counters?[name]?.served ?? -1))
        // Families in name order, so the file is the same text on every run of the same seed.
        let families = text.split(separator: "\n").filter { $0.hasPrefix("# HELP ") }.map {
            $0.split(separator: " ")[2]
        }
        #expect(families == families.sorted() && families.count > 20)
    }

    @Test("a wall-clock run publishes its figures while it runs, then exactly metrics.prom with run_finished 1")
    func live() async throws {
        let scenario = try Scenario.parse(
            """
            name: live-test
            seed: 2
            clock: wall
            population: {residents: 3000, others: {residents: 200}}
            load: {rate: 300, duration: 2500ms}
            """)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let live = LiveMetrics()
        _ = try await ScenarioRunner.run(scenario, directory: dir, live: live)
        // The last figures before the end (published when the last arrival was issued) were not final.
        let during = live.lastWhileRunning
        #expect(Self.value(during, "jukisim_run_finished") == 0)
        #expect((Self.value(during, "jukisim_load_arrivals_issued_total") ?? 0) > 0)
        #expect(live.finished)
        #expect(live.text == (try String(contentsOfFile: dir + "/metrics.prom", encoding: .utf8)))
        let summary = try Summary.read(dir + "/summary.json")
        #expect(Self.value(live.text, "jukisim_load_arrivals_issued_total") == Double(summary.load?.issued ?? -1))
    }
}
