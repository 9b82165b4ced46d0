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
    /// The latency buckets' upper bounds, seconds: sub-millisecond for the load mode's in-memory round trips, up
    /// to 3 h for a day's journeys at the counter (docs/observability.md).
    public static let buckets: [Double] = [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
        300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10800,
    ]

    /// The exposition text of `summary`, in a stable order: families by name, series by their labels (the
    /// registry emits in its dictionaries' order, which changes from run to run).
    public static func text(_ summary: Summary, finished: Bool = true) -> String {
        sorted(registry(summary, finished: finished).emitToString())
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

    /// A registry holding `summary`'s metrics (a new one each time: the figures are the run's totals so far).
    public static func registry(_ summary: Summary, finished: Bool = true) -> PrometheusCollectorRegistry {
        let r = PrometheusCollectorRegistry()
        gauge(r, "jukisim_run_finished", help: "1 once the run has ended and these are its final figures, else 0.")
            .set(finished ? 1.0 : 0.0)
        gauge(
            r, "jukisim_run_info",
            labels: [
                ("scenario", summary.scenario), ("kind", summary.kind.rawValue), ("clock", summary.clock.rawValue),
                ("seed", String(summary.seed)),
            ], help: "The run these metrics describe (always 1)."
        ).set(1.0)
        journeys(summary, r)
        counters(summary, r)
        nodes(summary, r)
        checks(summary, r)
        load(summary, r)
        return r
    }

    static func journeys(_ s: Summary, _ r: PrometheusCollectorRegistry) {
        for (flow, j) in (s.journeys ?? [:]).sorted(by: { $0.key < $1.key }) {
            let label = [("flow", flow)]
            counter(r, "jukisim_journeys_started_total", labels: label, help: "Journeys (notices, requests) started.")
                .increment(by: Int64(j.started))
            counter(
                r, "jukisim_journeys_completed_total", labels: label, help: "Journeys that completed."
            ).increment(by: Int64(j.completed))
            counter(
                r, "jukisim_journey_persons_total", labels: label,
                help: "Persons the completed journeys named (a household moving together files one notice)."
            ).increment(by: Int64(j.persons))
            for (reason, n) in j.failed.sorted(by: { $0.key < $1.key }) {
                counter(
                    r, "jukisim_journeys_failed_total", labels: label + [("reason", reason)],
                    help: "Journeys that failed, by reason."
                ).increment(by: Int64(n))
            }
            histogram(
                r, "jukisim_journey_duration_seconds", label, j.latencySeconds,
                help: "A journey's time from its arrival to its end (queue, desk and every system).")
            for (hop, h) in j.hops.sorted(by: { $0.key < $1.key }) {
                histogram(
                    r, "jukisim_hop_duration_seconds", label + [("hop", hop)], h,
                    help: "One hop of a journey: a counter's wait or desk, or a system's round trip.")
            }
        }
    }

    static func counters(_ s: Summary, _ r: PrometheusCollectorRegistry) {
        for (name, c) in (s.counters ?? [:]).sorted(by: { $0.key < $1.key }) {
            let label = [("counter", name)]
            counter(r, "jukisim_visits_served_total", labels: label, help: "Visitors served at a counter.")
                .increment(by: Int64(c.served))
            gauge(r, "jukisim_clerks", labels: label, help: "Clerks at a counter.").set(Double(c.clerks))
            gauge(
                r, "jukisim_clerk_utilization_ratio", labels: label,
                help: "Clerks' busy time over their time inside office hours (0-1)."
            ).set(c.utilization)
            gauge(r, "jukisim_queue_length_max", labels: label, help: "The longest queue at a counter.")
                .set(Double(c.maxQueue))
            counter(
                r, "jukisim_clerk_overtime_seconds_total", labels: label, help: "Clerks' time at work after closing."
            ).increment(by: c.overtimeSeconds)
            counter(
                r, "jukisim_visitors_left_total", labels: label + [("why", "abandoned")],
                help: "Visitors who left the queue (abandoned) or did not join it (balked)."
            ).increment(by: Int64(c.abandoned ?? 0))
            counter(
                r, "jukisim_visitors_left_total", labels: label + [("why", "balked")],
                help: "Visitors who left the queue (abandoned) or did not join it (balked)."
            ).increment(by: Int64(c.balked ?? 0))
            histogram(
                r, "jukisim_queue_wait_seconds", label, c.waitSeconds, help: "A visitor's wait in a counter's queue.")
        }
    }

    static func nodes(_ s: Summary, _ r: PrometheusCollectorRegistry) {
        for (name, n) in (s.nodes ?? [:]).sorted(by: { $0.key < $1.key }) {
            let label = [("node", name)]
            counter(r, "jukisim_node_events_handled_total", labels: label, help: "Events a node handled.")
                .increment(by: Int64(clamping: n.handled))
            if let u = n.utilization {
                gauge(
                    r, "jukisim_node_utilization_ratio", labels: label, help: "A node's workers' busy share (0-1)."
                ).set(u)
            }
        }
        if let e = s.engine {
            counter(r, "jukisim_engine_events_total", help: "Events the engine handled.")
                .increment(by: Int64(clamping: e.events))
        }
    }

    /// Faults, refusals, invariants and thresholds.
    static func checks(_ s: Summary, _ r: PrometheusCollectorRegistry) {
        if let f = s.faults {
            for (kind, n) in f.byKind.sorted(by: { $0.key < $1.key }) {
                counter(r, "jukisim_faults_injected_total", labels: [("kind", kind)], help: "Faults injected.")
                    .increment(by: Int64(n))
            }
            counter(r, "jukisim_fault_retries_total", help: "Messages retried after a fault.")
                .increment(by: Int64(f.retried))
            counter(r, "jukisim_updates_lost_total", help: "Updates lost (must be 0).")
                .increment(by: Int64(f.lostUpdates))
            gauge(r, "jukisim_fault_backlog_max", help: "The longest store-and-forward backlog.")
                .set(Double(f.maxBacklog))
        }
        if let sec = s.security {
            for (reason, n) in sec.refusals.sorted(by: { $0.key < $1.key }) {
                counter(
                    r, "jukisim_refusals_total", labels: [("reason", reason)],
                    help: "Requests refused by the security rules, by reason."
                ).increment(by: Int64(n))
            }
        }
        if let i = s.invariants {
            gauge(r, "jukisim_invariants_hold", help: "1 when every end-of-run invariant holds, else 0.")
                .set(i.hold ? 1.0 : 0.0)
        }
        for t in s.thresholds ?? [] {
            gauge(
                r, "jukisim_threshold_passed", labels: [("metric", t.metric), ("expression", t.expression)],
                help: "1 when the threshold passed, else 0."
            ).set(t.ok ? 1.0 : 0.0)
        }
    }

    static func load(_ s: Summary, _ r: PrometheusCollectorRegistry) {
        guard let l = s.load else { return }
        for (name, value, help) in [
            ("intended", l.intended, "Arrivals the load profile intended."),
            ("issued", l.issued, "Arrivals the generator issued."),
            ("dropped", l.dropped, "Arrivals dropped, later than the profile allows."),
            ("late", l.late, "Arrivals issued more than 1 ms late."),
        ] {
            counter(r, "jukisim_load_arrivals_\(name)_total", help: help).increment(by: Int64(value))
        }
        histogram(
            r, "jukisim_load_latency_seconds", [], l.latencySeconds,
            help: "Latency from each journey's intended start (corrected for coordinated omission).")
        histogram(
            r, "jukisim_load_uncorrected_latency_seconds", [], l.uncorrectedLatencySeconds,
            help: "Latency from each journey's actual start (uncorrected).")
    }

    static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    static func counter(
        _ r: PrometheusCollectorRegistry, _ name: String, labels: [(String, String)] = [], help: String
    ) -> Counter {
        r.makeCounter(descriptor: descriptor(name, help), labels: labels)
    }

    static func gauge(
        _ r: PrometheusCollectorRegistry, _ name: String, labels: [(String, String)] = [], help: String
    ) -> Gauge {
        r.makeGauge(descriptor: descriptor(name, help), labels: labels)
    }

    /// A Prometheus histogram filled from a latency block's HDR histogram.
    static func histogram(
        _ r: PrometheusCollectorRegistry, _ name: String, _ labels: [(String, String)], _ latency: Summary.Latency,
        help: String
    ) {
        let h = r.makeValueHistogram(descriptor: descriptor(name, help), labels: labels, buckets: buckets)
        guard latency.count > 0, let text = latency.histogram,
            let hdr = try? LatencyHistogram(
                encoded: text, count: latency.count,
                sum: Int64((latency.mean * 1e6 * Double(latency.count)).rounded()), minimum: nil,
                maximum: Int64((latency.max * 1e6).rounded()))
        else { return }
        hdr.forEachBucket { microseconds, count in
            let seconds = Double(microseconds) / 1e6
            for _ in 0..<count { h.record(seconds) }
        }
    }
}
