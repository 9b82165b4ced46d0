import JukiCore
import JukiNetwork
import JukiSimulation

/// What a staffing plan must achieve: a wait statistic within a bound at every counter (or at one), in every
/// interval: `counters.*.wait p(90)<20m` (90 % of each interval's visitors wait under 20 minutes) or
/// `counters.鵠沼市民センター.wait avg<10m`.
public struct PlanTarget: Sendable, Hashable, CustomStringConvertible {
    /// The counter's name (or server's, with `servers`), or `*` for every one.
    public var counter: String
    /// Whether the target is on the servers' worker pools (`servers.<name>.wait`) rather than the counters.
    public var servers = false
    /// The share of visitors who must wait less than the bound (0.9 for p(90)); nil for the mean wait.
    public var quantile: Double?
    /// The bound, µs.
    public var bound: Int64
    /// Whether the bound itself fails (`<`) or passes (`<=`).
    public var strict = true
    public var text: String

    public var description: String { text }

    /// Parses `counters.<name|*>.wait <p(N)|avg><|<=><duration>`; the error names the rule.
    public static func parse(_ text: String, counters: [String]) -> Result<PlanTarget, PlanError> {
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            return .failure(PlanError(field: "target", "write the metric, a space and the rule: '\(example)'"))
        }
        let metric = parts[0]
        let servers = metric.hasPrefix("servers.")
        guard metric.hasPrefix("counters.") || servers, metric.hasSuffix(".wait") else {
            return .failure(
                PlanError(
                    field: "target",
                    "the metric must be counters.<name or *>.wait or servers.<name or *>.wait, found '\(metric)'"))
        }
        let name = String(metric.dropFirst(servers ? "servers.".count : "counters.".count).dropLast(".wait".count))
        if servers {
            guard name == "*" || PoolPlanner.servers.contains(name) else {
                return .failure(
                    PlanError(
                        field: "target",
                        "unknown server '\(name)' (servers: \(PoolPlanner.servers.joined(separator: ", ")), or *)"))
            }
        } else if name != "*" && !counters.contains(name) {
            return .failure(
                PlanError(
                    field: "target",
                    "unknown counter '\(name)'" + Scenario.counterList(name, counters)))
        }
        switch Threshold.parse(parts[1], metric: metric) {
        case .failure(let e):
            return .failure(PlanError(field: "target", "\(e.reason) in '\(e.expression)'"))
        case .success(let t):
            guard t.boundIsDuration, t.bound > 0 else {
                return .failure(PlanError(field: "target", "the bound must be a duration above 0, e.g. 20m"))
            }
            guard t.comparison == .less || t.comparison == .lessOrEqual else {
                return .failure(PlanError(field: "target", "a wait target is an upper bound: use < or <="))
            }
            switch t.statistic {
            case .percentile(let p) where p < 100:
                return .success(
                    PlanTarget(
                        counter: name, servers: servers, quantile: p / 100, bound: Int64(t.bound),
                        strict: t.comparison == .less, text: text))
            case .average:
                return .success(
                    PlanTarget(
                        counter: name, servers: servers, quantile: nil, bound: Int64(t.bound),
                        strict: t.comparison == .less, text: text))
            default:
                return .failure(
                    PlanError(field: "target", "the statistic must be p(N) with 0 < N < 100, or avg"))
            }
        }
    }

    static let example = "counters.*.wait p(90)<20m"

    /// Whether a statistic of `value` µs meets the target.
    public func meets(_ value: Int64) -> Bool { strict ? value < bound : value <= bound }

    /// What a visitor's wait of `us` adds to the judged figure: 1 past the bound for a quantile target (the share
    /// past the bound must stay within 1 − q), the wait itself for a mean target.
    func counted(_ us: Int64) -> Double {
        guard quantile != nil else { return Double(us) }
        return meets(us) ? 0 : 1
    }

    /// The judged figure's limit: 1 − q of the visitors past the bound, or the bound on the mean (µs).
    var limit: Double { quantile.map { 1 - $0 } ?? Double(bound) }

    /// Whether the target covers counter `name`.
    func covers(_ name: String) -> Bool { counter == "*" || counter == name }

    /// The statistic of `waits` (µs) the target bounds: the quantile (nearest rank) or the mean; 0 when empty.
    func statistic(_ waits: [Int64]) -> Int64 {
        guard !waits.isEmpty else { return 0 }
        guard let q = quantile else { return waits.reduce(0, +) / Int64(waits.count) }
        let sorted = waits.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank - 1, 0), sorted.count - 1)]
    }

    /// The short name of the statistic: "p90", "mean".
    var statisticName: String {
        guard let q = quantile else { return "mean" }
        let p = q * 100
        return p == p.rounded() ? "p\(Int(p))" : "p\(p)"
    }
}

/// A planning error: the option or key at fault and the rule.
public struct PlanError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// The cells a plan staffs: every counter, on every day of the run it opens, in intervals of the office day.
public struct PlanGrid: Sendable, Hashable {
    public var counters: [String]
    /// The run's days (0-based) with office hours, and their dates.
    public var days: [Int]
    public var dates: [CivilDate]
    /// The office day cut into intervals, µs after midnight (the last may be shorter).
    public var intervals: [Range<Int64>]
    /// Per counter and day (`counters.count × days.count`): whether the counter is open that day.
    public var open: [Bool]

    /// The grid of `configuration` with intervals of `width` µs from opening to closing.
    public init(_ configuration: NetworkConfiguration, width: Int64) {
        let calendar = BusinessCalendar.standard
        counters = configuration.counters.map(\.name)
        var days: [Int] = []
        var dates: [CivilDate] = []
        var open: [[Bool]] = []
        for d in 0..<max(configuration.days, 1) {
            let date = configuration.date.adding(days: d)
            let business = calendar.isBusinessDay(date)
            let saturday = calendar.isSaturdayOpening(date)
            let row = configuration.counters.map { business || (saturday && $0.opensSaturdays) }
            guard row.contains(true) else { continue }
            days.append(d)
            dates.append(date)
            open.append(row)
        }
        self.days = days
        self.dates = dates
        var intervals: [Range<Int64>] = []
        var t = calendar.opening
        let step = max(width, 60_000_000)
        while t < calendar.closing {
            intervals.append(t..<min(t + step, calendar.closing))
            t += step
        }
        self.intervals = intervals
        // Counter-major, as cells are.
        self.open = configuration.counters.indices.flatMap { k in open.map { $0[k] } }
    }

    public var cellCount: Int { counters.count * days.count * intervals.count }

    /// The end of the office day, µs after midnight.
    public var closing: Int64 { intervals.last?.upperBound ?? 0 }

    /// The flat index of counter `k`, day `d` (index into `days`), interval `i`.
    public func cell(_ k: Int, _ d: Int, _ i: Int) -> Int { (k * days.count + d) * intervals.count + i }

    public func isOpen(_ k: Int, _ d: Int) -> Bool { open[k * days.count + d] }

    /// The cell a visitor who arrived at `time` (µs) at counter `k` belongs to: nil outside the planned days;
    /// arrivals before opening count in the first interval, after closing in the last.
    func cell(counter k: Int, arrival time: Int64) -> Int? {
        let date = SimulatedTime(microseconds: time).date
        guard let d = dates.firstIndex(of: date), !intervals.isEmpty else { return nil }
        let tod = time - SimulatedTime(date: date).microseconds
        let i = intervals.firstIndex { $0.contains(tod) } ?? (tod < intervals[0].lowerBound ? 0 : intervals.count - 1)
        return cell(k, d, i)
    }

    /// Counter `k`'s open cells.
    func cells(of k: Int) -> [Int] {
        days.indices.filter { isOpen(k, $0) }.flatMap { d in intervals.indices.map { cell(k, d, $0) } }
    }

    /// Hours in interval `i`.
    func hours(_ i: Int) -> Double { Double(intervals[i].upperBound - intervals[i].lowerBound) / 3.6e9 }
}

/// Clerks per counter, day and interval (a ``PlanGrid``'s cells), with what the plan applies to a scenario.
public struct StaffingPlan: Sendable, Hashable {
    public var grid: PlanGrid
    public var clerks: [Int]

    public init(grid: PlanGrid, clerks: [Int]) {
        self.grid = grid
        self.clerks = clerks
    }

    /// Clerk-hours in the plan's office hours.
    public var clerkHours: Double { grid.counters.indices.reduce(0) { $0 + clerkHours(counter: $1) } }

    /// Clerk-hours of counter `k`.
    public func clerkHours(counter k: Int) -> Double {
        var total = 0.0
        for d in grid.days.indices where grid.isOpen(k, d) {
            for i in grid.intervals.indices { total += Double(clerks[grid.cell(k, d, i)]) * grid.hours(i) }
        }
        return total
    }

    /// The configuration with this plan as each counter's staffing: a step per interval (per day when the run has
    /// several), the counter's own share of contractors.
    public func applied(to configuration: NetworkConfiguration) -> NetworkConfiguration {
        var c = configuration
        for k in c.counters.indices where k < grid.counters.count {
            var entries: [StaffSchedule.Entry] = []
            for d in grid.days.indices where grid.isOpen(k, d) {
                for i in grid.intervals.indices {
                    entries.append(
                        StaffSchedule.Entry(
                            day: grid.days.count > 1 ? grid.days[d] : nil, from: grid.intervals[i].lowerBound,
                            clerks: clerks[grid.cell(k, d, i)]))
                }
            }
            Self.setStaffing(&c, counter: k, entries: entries)
        }
        return c
    }

    /// Sets counter `k`'s staffing to `entries`; their largest count is the counter's size (clerk ids and the
    /// default share of contractors follow it).
    static func setStaffing(_ c: inout NetworkConfiguration, counter k: Int, entries: [StaffSchedule.Entry]) {
        c.counters[k].staffing = StaffSchedule(entries)
        let most = entries.map(\.clerks).max() ?? c.counters[k].clerks
        let share = Double(c.counters[k].contractors) / Double(max(c.counters[k].clerks, 1))
        c.counters[k].clerks = max(most, 1)
        c.counters[k].contractors = min(Int((share * Double(max(most, 1))).rounded()), max(most - 1, 0))
    }

    /// The plan of a configuration's own staffing: its clerks, less lunch breaks, in every interval (what "today's
    /// staffing" costs and achieves).
    public static func current(_ configuration: NetworkConfiguration, grid: PlanGrid) -> StaffingPlan {
        var clerks = [Int](repeating: 0, count: grid.cellCount)
        for (k, counter) in configuration.counters.enumerated() where k < grid.counters.count {
            let steps = StaffStep.steps(
                counter.staffing, breaks: configuration.lunchBreaks, date: configuration.date,
                days: configuration.days, clerks: counter.clerks, contractors: counter.contractors)
            for d in grid.days.indices {
                let midnight = SimulatedTime(date: grid.dates[d]).microseconds
                for i in grid.intervals.indices {
                    let t = midnight + grid.intervals[i].lowerBound
                    clerks[grid.cell(k, d, i)] = steps.last { $0.at <= t }?.clerks ?? counter.clerks
                }
            }
        }
        return StaffingPlan(grid: grid, clerks: clerks)
    }
}

/// The demand a plan staffs for, measured by simulation: visitors per cell (mean over replications) and each
/// counter's clerk time per visitor (desk work, backend waits and the second check together).
public struct PlanDemand: Sendable, Hashable {
    public var arrivals: [Double]
    public var serviceSeconds: [Double]

    /// The offered load of cell `c` of counter `k` in interval `i`: arrivals per second × service seconds.
    func offeredLoad(_ c: Int, counter k: Int, hours: Double) -> Double {
        arrivals[c] / max(hours * 3600, 1) * serviceSeconds[k]
    }
}

extension StaffingPlan {
    /// The stationary Erlang C plan (SIPP, "stationary independent period by period"): each interval staffed as if
    /// its arrival rate held forever, the fewest clerks (at least one) whose M/M/c waits meet the target.
    public static func sipp(_ demand: PlanDemand, grid: PlanGrid, target: PlanTarget) -> StaffingPlan {
        var clerks = [Int](repeating: 0, count: grid.cellCount)
        for k in grid.counters.indices {
            for d in grid.days.indices where grid.isOpen(k, d) {
                for i in grid.intervals.indices {
                    let c = grid.cell(k, d, i)
                    let a = demand.offeredLoad(c, counter: k, hours: grid.hours(i))
                    clerks[c] =
                        target.covers(grid.counters[k])
                        ? ErlangC.servers(
                            offeredLoad: a, meanService: demand.serviceSeconds[k], bound: Double(target.bound) / 1e6,
                            quantile: target.quantile, minimum: 1, maximum: 1_000)
                        : max(1, Int(a.rounded(.up)))
                }
            }
        }
        return StaffingPlan(grid: grid, clerks: clerks)
    }
}
