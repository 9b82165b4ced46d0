import Foundation
import JukiSimulation
import Prometheus

/// A run's metrics in Prometheus' text exposition format (`metrics.prom` in the report folder, and the live
/// `/metrics` of wall-clock runs), written with swift-prometheus.
///
/// Names follow Prometheus' conventions: a `jukisim_` prefix, base units (seconds), `_total` on counters, `_ratio` on
/// shares; the run itself is `jukisim_run_info{scenario, kind, clock, seed}` 1. Latencies are histograms with
/// ``PrometheusExposition/buckets`` (seconds), filled from the run's HDR histograms: `_count` is exact, each value
/// lands in the bucket of its HDR bucket's top (within 0.1 % for journeys and waits, 1 % for hops), and `_sum` is
/// the sum of those values, so within the same precision of the exact sum (the mean is in summary.json).
public enum PrometheusExposition {
    /// The latency buckets' upper bounds, seconds: sub-millisecond for the load mode's in-memory round trips, minutes
    /// to hours for a day's journeys at the counter, up to a day for online move-outs that wait for the next
    /// business day's processing (docs/observability.md).
    public static let buckets: [Double] = [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
        300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10800, 21600, 43200, 86400,
    ]

    /// The exposition text of `summary`, in a stable order: families by name, series by their labels (the
    /// registry emits in its dictionaries' order, which changes from run to run).
    public static func text(_ summary: Summary, finished: Bool = true) -> String {
        text(RunMetrics.families(summary, finished: finished))
    }

    /// The exposition text of `families`, sorted as ``text(_:finished:)`` sorts.
    public static func text(_ families: [RunMetrics.Family]) -> String {
        sorted(registry(families).emitToString())
    }

    /// `text` with its families sorted by name and each family's series by labels; a histogram's lines stay
    /// together and in order.
    static func sorted(_ text: String) -> String {
        var families: [(name: String, header: [Substring], series: [String: [Substring]])] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# HELP ") {
                let name = line.dropFirst("# HELP ".count).prefix { $0 != " " }
                families.append((String(name), [line], [:]))
            } else if line.hasPrefix("#") {
                families[families.count - 1].header.append(line)
            } else if !families.isEmpty {
                families[families.count - 1].series[seriesKey(line), default: []].append(line)
            }
        }
        var out: [Substring] = []
        for family in families.sorted(by: { $0.name < $1.name }) {
            out += family.header
            for key in family.series.keys.sorted() { out += family.series[key] ?? [] }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// A sample line's series: its labels without `le` (a histogram's buckets, sum and count share it).
    static func seriesKey(_ line: Substring) -> String {
        guard let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}") else { return "" }
        let labels = line[line.index(after: open)..<close]
        guard let le = labels.range(of: "le=\"") else { return String(labels) }
        return String(labels[..<le.lowerBound]).trimmingCharacters(in: CharacterSet(charactersIn: ","))
    }

    /// A registry holding `families` (a new one each time: the figures are the run's totals so far).
    public static func registry(_ families: [RunMetrics.Family]) -> PrometheusCollectorRegistry {
        let r = PrometheusCollectorRegistry()
        for family in families {
            let descriptor = MetricNameDescriptor(metricName: family.name, unitName: "", helpText: family.help)
            for point in family.points {
                switch family.kind {
                case .counter:
                    r.makeCounter(descriptor: descriptor, labels: point.labels).increment(by: point.value)
                case .gauge:
                    r.makeGauge(descriptor: descriptor, labels: point.labels).set(point.value)
                case .histogram:
                    let h = r.makeValueHistogram(descriptor: descriptor, labels: point.labels, buckets: buckets)
                    point.histogram?.forEachBucket { microseconds, count in
                        let seconds = Double(microseconds) / 1e6
                        for _ in 0..<count { h.record(seconds) }
                    }
                }
            }
        }
        return r
    }
}
