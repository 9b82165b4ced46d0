import JukiSimulation

/// A run's metrics as families of labelled points, from its summary: what `metrics.prom`, the live `/metrics` and
/// the OTLP `metrics.jsonl` all write, each in its own format.
///
/// Names are Prometheus': a `jukisim_` prefix, base units (seconds), `_total` on counters, `_ratio` on shares
/// (docs/observability.md lists them). Latency histograms keep the run's HDR histogram, which each format buckets.
public enum RunMetrics {
    /// What a family measures, as Prometheus and OpenTelemetry type it.
    public enum Kind: Sendable, Hashable {
        /// A total that only grows (OTLP: a monotonic cumulative sum).
        case counter
        case gauge
        case histogram
    }

    /// One labelled value of a family: a number, or a distribution.
    public struct Point: Sendable {
        public var labels: [(String, String)]
        public var value: Double
        /// The distribution of a histogram family, µs.
        public var histogram: LatencyHistogram?
    }

    /// A metric family: its name, help, kind and points.
    public struct Family: Sendable {
        public var name: String
        public var help: String
        public var kind: Kind
        public var points: [Point]
    }

    /// Every family of `summary`, in a fixed order (points in the summary's sorted key order).
    public static func families(_ summary: Summary, finished: Bool = true) -> [Family] {
        var out = Builder()
        out.add(
            "jukisim_run_finished", .gauge, "1 once the run has ended and these are its final figures, else 0.", [],
            finished ? 1 : 0)
        out.add(
            "jukisim_run_info", .gauge, "The run these metrics describe (always 1).",
            [
                ("scenario", summary.scenario), ("kind", summary.kind.rawValue), ("clock", summary.clock.rawValue),
                ("seed", String(summary.seed)),
            ], 1)
        journeys(summary, &out)
        counters(summary, &out)
        nodes(summary, &out)
        checks(summary, &out)
        load(summary, &out)
        return out.families
    }

    /// Collects points into families by name, keeping the order families first appear in.
    public struct Builder: Sendable {
        public private(set) var families: [Family] = []
        var index: [String: Int] = [:]

        public init() {}

        /// A counter's or gauge's point.
        public mutating func add(
            _ name: String, _ kind: Kind, _ help: String, _ labels: [(String, String)], _ value: Double
        ) {
            point(name, kind, help, Point(labels: labels, value: value))
        }

        /// A histogram's point, from a latency block's HDR histogram.
        public mutating func add(
            _ name: String, _ help: String, _ labels: [(String, String)], _ latency: Summary.Latency
        ) {
            let h = (try? latency.distribution()) ?? nil
            point(name, .histogram, help, Point(labels: labels, value: 0, histogram: h))
        }

        mutating func point(_ name: String, _ kind: Kind, _ help: String, _ point: Point) {
            if let i = index[name] {
                families[i].points.append(point)
            } else {
                index[name] = families.count
                families.append(Family(name: name, help: help, kind: kind, points: [point]))
            }
        }
    }

    static func journeys(_ s: Summary, _ out: inout Builder) {
        for (flow, j) in (s.journeys ?? [:]).sorted(by: { $0.key < $1.key }) {
            let label = [("flow", flow)]
            out.add(
                "jukisim_journeys_started_total", .counter, "Journeys (notices, requests) started.", label,
                Double(j.started))
            out.add(
                "jukisim_journeys_completed_total", .counter, "Journeys that completed.", label, Double(j.completed))
            out.add(
                "jukisim_journey_persons_total", .counter,
                "Persons the completed journeys named (a household moving together files one notice).", label,
                Double(j.persons))
            for (reason, n) in j.failed.sorted(by: { $0.key < $1.key }) {
                out.add(
                    "jukisim_journeys_failed_total", .counter, "Journeys that failed, by reason.",
                    label + [("reason", reason)], Double(n))
            }
            out.add(
                "jukisim_journey_duration_seconds",
                "A journey's time from its arrival to its end (queue, desk and every system).",
                label, j.latencySeconds)
            for (hop, h) in j.hops.sorted(by: { $0.key < $1.key }) {
                out.add(
                    "jukisim_hop_duration_seconds",
                    "One hop of a journey: a counter's wait or desk, or a system's round trip.",
                    label + [("hop", hop)], h)
            }
        }
    }

    static func counters(_ s: Summary, _ out: inout Builder) {
        for (name, c) in (s.counters ?? [:]).sorted(by: { $0.key < $1.key }) {
            let label = [("counter", name)]
            out.add("jukisim_visits_served_total", .counter, "Visitors served at a counter.", label, Double(c.served))
            out.add("jukisim_clerks", .gauge, "Clerks at a counter.", label, Double(c.clerks))
            out.add(
                "jukisim_clerk_utilization_ratio", .gauge,
                "Clerks' busy time over their time inside office hours (0-1).",
                label, c.utilization)
            out.add("jukisim_queue_length_max", .gauge, "The longest queue at a counter.", label, Double(c.maxQueue))
            out.add(
                "jukisim_clerk_overtime_seconds_total", .counter, "Clerks' time at work after closing.", label,
                c.overtimeSeconds)
            let left = "Visitors who left the queue (abandoned) or did not join it (balked)."
            out.add(
                "jukisim_visitors_left_total", .counter, left, label + [("why", "abandoned")], Double(c.abandoned ?? 0))
            out.add("jukisim_visitors_left_total", .counter, left, label + [("why", "balked")], Double(c.balked ?? 0))
            out.add("jukisim_queue_wait_seconds", "A visitor's wait in a counter's queue.", label, c.waitSeconds)
        }
    }

    static func nodes(_ s: Summary, _ out: inout Builder) {
        for (name, n) in (s.nodes ?? [:]).sorted(by: { $0.key < $1.key }) {
            let label = [("node", name)]
            out.add("jukisim_node_events_handled_total", .counter, "Events a node handled.", label, Double(n.handled))
            if let u = n.utilization {
                out.add("jukisim_node_utilization_ratio", .gauge, "A node's workers' busy share (0-1).", label, u)
            }
        }
        if let e = s.engine {
            out.add("jukisim_engine_events_total", .counter, "Events the engine handled.", [], Double(e.events))
        }
    }

    /// Faults, refusals, invariants and thresholds.
    static func checks(_ s: Summary, _ out: inout Builder) {
        if let f = s.faults {
            for (kind, n) in f.byKind.sorted(by: { $0.key < $1.key }) {
                out.add("jukisim_faults_injected_total", .counter, "Faults injected.", [("kind", kind)], Double(n))
            }
            out.add("jukisim_fault_retries_total", .counter, "Messages retried after a fault.", [], Double(f.retried))
            out.add("jukisim_updates_lost_total", .counter, "Updates lost (must be 0).", [], Double(f.lostUpdates))
            out.add(
                "jukisim_fault_backlog_max", .gauge, "The longest store-and-forward backlog.", [], Double(f.maxBacklog))
        }
        if let sec = s.security {
            for (reason, n) in sec.refusals.sorted(by: { $0.key < $1.key }) {
                out.add(
                    "jukisim_refusals_total", .counter, "Requests refused by the security rules, by reason.",
                    [("reason", reason)], Double(n))
            }
        }
        if let i = s.invariants {
            out.add(
                "jukisim_invariants_hold", .gauge, "1 when every end-of-run invariant holds, else 0.", [],
                i.hold ? 1 : 0)
        }
        for t in s.thresholds ?? [] {
            out.add(
                "jukisim_threshold_passed", .gauge, "1 when the threshold passed, else 0.",
                [("metric", t.metric), ("expression", t.expression)], t.ok ? 1 : 0)
        }
    }

    static func load(_ s: Summary, _ out: inout Builder) {
        guard let l = s.load else { return }
        for (name, value, help) in [
            ("intended", l.intended, "Arrivals the load profile intended."),
            ("issued", l.issued, "Arrivals the generator issued."),
            ("dropped", l.dropped, "Arrivals dropped, later than the profile allows."),
            ("late", l.late, "Arrivals issued more than 1 ms late."),
        ] {
            out.add("jukisim_load_arrivals_\(name)_total", .counter, help, [], Double(value))
        }
        out.add(
            "jukisim_load_latency_seconds",
            "Latency from each journey's intended start (corrected for coordinated omission).", [], l.latencySeconds)
        out.add(
            "jukisim_load_uncorrected_latency_seconds", "Latency from each journey's actual start (uncorrected).", [],
            l.uncorrectedLatencySeconds)
    }
}
