import Foundation
import JukiCore
import JukiNetwork

/// A shift a clerk can work: when it starts and ends, and the breaks away from the desk within it.
public struct ShiftPattern: Sendable, Hashable {
    public var name: String
    /// µs after midnight.
    public var start: Int64
    public var end: Int64
    /// Breaks within the shift, µs after midnight, in order and apart.
    public var breaks: [Range<Int64>]

    public init(name: String, start: Int64, end: Int64, breaks: [Range<Int64>] = []) {
        self.name = name
        self.start = start
        self.end = end
        self.breaks = breaks
    }

    /// Hours at work: the shift less its breaks (a break is not working time, 労働基準法第34条).
    public var workHours: Double {
        Double(end - start - breaks.reduce(0) { $0 + ($1.upperBound - $1.lowerBound) }) / 3_600_000_000
    }

    /// Whether a clerk on this shift is at the desk at `t` (µs after midnight).
    public func atDesk(_ t: Int64) -> Bool { t >= start && t < end && !breaks.contains { $0.contains(t) } }

    /// "08:30–17:15 (break 12:00–13:00)".
    public var label: String {
        let span = Durations.clock(start) + "–" + Durations.clock(end)
        guard !breaks.isEmpty else { return span }
        let pauses = breaks.map { Durations.clock($0.lowerBound) + "–" + Durations.clock($0.upperBound) }
        return span + " (break " + pauses.joined(separator: ", ") + ")"
    }

    /// The patterns of a shifts file: `shifts:` and a list of `{name, start, end, breaks: ["HH:MM-HH:MM", …]}`.
    public static func load(path: String) throws(ScenarioError) -> [ShiftPattern] {
        let text: String
        do {
            text = try InputFile.text(path, limit: 1_000_000)
        } catch {
            throw ScenarioError(.file, file: path, line: 0, column: 0, path: "", error.description)
        }
        let root = YAMLValue(node: try Scenario.compose(text, file: path), path: "", file: path)
        let top = try root.mapping(allowed: ["shifts"])
        guard let list = top["shifts"] else {
            throw root.error(.missingKey, "a shifts file needs 'shifts': a list of {name, start, end, breaks}")
        }
        return try parse(list)
    }

    /// The patterns of a `shifts` list.
    static func parse(_ list: YAMLValue) throws(ScenarioError) -> [ShiftPattern] {
        let items = try list.sequence()
        guard !items.isEmpty else { throw list.error(.value, "needs at least one shift pattern") }
        guard items.count <= maximumPatterns else {
            throw list.error(.range, "at most \(maximumPatterns) shift patterns, found \(items.count)")
        }
        var patterns: [ShiftPattern] = []
        for item in items {
            let k = try item.mapping(allowed: ["name", "start", "end", "breaks"])
            guard let name = k["name"], let start = k["start"], let end = k["end"] else {
                throw item.error(.missingKey, "a shift needs 'name', 'start' and 'end' (HH:MM)")
            }
            let title = try name.string()
            guard !title.isEmpty, !patterns.contains(where: { $0.name == title }) else {
                throw name.error(.value, "shift names must be given and distinct, found '\(title)' again or empty")
            }
            let from = try start.timeOfDay()
            let to = try end.timeOfDay()
            guard to > from else {
                throw end.error(.range, "a shift must end after it starts (\(Durations.clock(from)))")
            }
            var breaks: [Range<Int64>] = []
            for b in try k["breaks"]?.sequence() ?? [] {
                let text = try b.string()
                let ends = text.split(separator: "-").map { String($0).trimmingCharacters(in: .whitespaces) }
                let bounds = ends.compactMap { YAMLValue.clockTime($0) }
                guard bounds.count == 2, ends.count == 2 else {
                    throw b.error(.value, "'\(text)' is not a break: write HH:MM-HH:MM, e.g. 12:00-13:00")
                }
                guard bounds[0] < bounds[1], bounds[0] > from, bounds[1] < to,
                    breaks.last.map({ $0.upperBound <= bounds[0] }) ?? true
                else {
                    throw b.error(
                        .range,
                        "a break must lie inside the shift (\(Durations.clock(from))–\(Durations.clock(to))), "
                            + "end after it starts and come after the break before it")
                }
                breaks.append(bounds[0]..<bounds[1])
            }
            patterns.append(ShiftPattern(name: title, start: from, end: to, breaks: breaks))
        }
        return patterns
    }

    /// The most patterns a file may list (the roster's search branches over them).
    public static let maximumPatterns = 24
}

/// Clerks per counter, day and shift pattern that cover a staffing plan at every moment of the office day, at the
/// fewest hours at work.
///
/// Each counter's day is a covering problem: the plan asks for `r` clerks at the desks in each interval, a pattern
/// puts one clerk there over its hours less its breaks, and the roster is the cheapest multiset of patterns whose
/// desks cover the plan at every moment. Solved by branch and bound (the first moment still short, each pattern
/// covering it, a bound from the cheapest way to fill the worst shortfall), from a greedy start; a search that
/// runs past `nodeLimit` keeps the best roster found and says it is not proven cheapest.
public struct ShiftRoster: Sendable, Hashable {
    public var grid: PlanGrid
    public var patterns: [ShiftPattern]
    /// Per counter and open day (`grid.counters.count × grid.days.count`): clerks on each pattern.
    public var counts: [[Int]]
    /// Per counter and open day: whether the search proved the roster the cheapest.
    public var proven: [Bool]

    /// The most search nodes per counter and day.
    public static let nodeLimit = 100_000

    /// Hours at work over the roster.
    public var workHours: Double { grid.counters.indices.reduce(0) { $0 + workHours(counter: $1) } }

    /// Hours at work of counter `k`.
    public func workHours(counter k: Int) -> Double {
        grid.days.indices.reduce(0.0) { $0 + workHours(counter: k, day: $1) }
    }

    /// Hours at work of counter `k` on open day `d`.
    public func workHours(counter k: Int, day d: Int) -> Double {
        zip(counts(counter: k, day: d), patterns).reduce(0.0) { $0 + Double($1.0) * $1.1.workHours }
    }

    /// Clerks on each pattern at counter `k` on open day `d`.
    public func counts(counter k: Int, day d: Int) -> [Int] { counts[k * grid.days.count + d] }

    /// Clerks at the desks of counter `k` on open day `d` at `t` (µs after midnight).
    public func atDesk(counter k: Int, day d: Int, at t: Int64) -> Int {
        zip(counts(counter: k, day: d), patterns).reduce(0) { $0 + ($1.1.atDesk(t) ? $1.0 : 0) }
    }

    /// The moments of the day where a roster's desks may change: the intervals' and the patterns' bounds.
    func moments() -> [Int64] {
        var times = grid.intervals.map(\.lowerBound) + [grid.closing]
        for p in patterns { times += [p.start, p.end] + p.breaks.flatMap { [$0.lowerBound, $0.upperBound] } }
        return Set(times).sorted()
    }

    /// The configuration with the roster as each counter's staffing, without the rotating lunch breaks (the
    /// patterns carry their own).
    public func applied(to configuration: NetworkConfiguration) -> NetworkConfiguration {
        var c = configuration
        c.lunchBreaks = nil
        for k in c.counters.indices where k < grid.counters.count {
            StaffingPlan.setStaffing(&c, counter: k, entries: entries(counter: k))
        }
        return c
    }

    /// Counter `k`'s staffing steps: one wherever its desks change before closing (after closing the clerks at
    /// the desks finish the queue).
    public func entries(counter k: Int) -> [StaffSchedule.Entry] {
        let times = moments().filter { $0 < grid.closing }
        var entries: [StaffSchedule.Entry] = []
        for d in grid.days.indices where grid.isOpen(k, d) {
            var last: Int?
            for t in times {
                let n = atDesk(counter: k, day: d, at: t)
                guard n != last else { continue }
                entries.append(StaffSchedule.Entry(day: grid.days.count > 1 ? grid.days[d] : nil, from: t, clerks: n))
                last = n
            }
        }
        return entries
    }

    /// The cheapest roster of `patterns` covering `plan` at every moment of every counter's open days.
    public static func cover(
        _ plan: StaffingPlan, patterns: [ShiftPattern], nodeLimit: Int = ShiftRoster.nodeLimit
    ) -> Result<ShiftRoster, PlanError> {
        let grid = plan.grid
        var roster = ShiftRoster(
            grid: grid, patterns: patterns,
            counts: [[Int]](
                repeating: [Int](repeating: 0, count: patterns.count), count: grid.counters.count * grid.days.count),
            proven: [Bool](repeating: true, count: grid.counters.count * grid.days.count))
        let times = roster.moments()
        // Segments between consecutive moments; the patterns' desks are constant within each.
        let segments = zip(times, times.dropFirst()).map { $0..<$1 }
        let desks = patterns.map { p in segments.map { p.atDesk($0.lowerBound) } }
        for k in grid.counters.indices {
            for d in grid.days.indices where grid.isOpen(k, d) {
                let need = segments.map { s -> Int in
                    guard let i = grid.intervals.firstIndex(where: { $0.contains(s.lowerBound) }) else { return 0 }
                    return plan.clerks[grid.cell(k, d, i)]
                }
                if let s = need.indices.first(where: { i in need[i] > 0 && !desks.contains { $0[i] } }) {
                    return .failure(
                        PlanError(
                            field: "plan.shifts",
                            "no shift has a clerk at the desk \(Durations.clock(segments[s].lowerBound))–"
                                + "\(Durations.clock(segments[s].upperBound)), where the plan needs \(need[s]) at "
                                + "\(grid.counters[k]) on \(grid.dates[d]); add a pattern that covers it"))
                }
                var search = CoverSearch(
                    need: need, desks: desks, costs: patterns.map(\.workHours),
                    lengths: segments.map { Double($0.upperBound - $0.lowerBound) / 3_600_000_000 },
                    nodeLimit: nodeLimit)
                let (counts, proven) = search.solve()
                roster.counts[k * grid.days.count + d] = counts
                roster.proven[k * grid.days.count + d] = proven
            }
        }
        return .success(roster)
    }
}

/// The branch and bound behind `ShiftRoster.cover` for one counter's day.
struct CoverSearch {
    let need: [Int]
    let desks: [[Bool]]
    let costs: [Double]
    let nodeLimit: Int
    var best: [Int] = []
    var bestCost = Double.infinity
    var nodes = 0
    var seen: Set<[Int]> = []
    /// Per segment: the cheapest pattern's cost among those at the desk in it, and the segment's length (h).
    let cheapest: [Double]
    let lengths: [Double]

    init(need: [Int], desks: [[Bool]], costs: [Double], lengths: [Double], nodeLimit: Int) {
        self.need = need
        self.lengths = lengths
        self.desks = desks
        self.costs = costs
        self.nodeLimit = nodeLimit
        cheapest = need.indices.map { s in
            desks.indices.filter { desks[$0][s] }.map { costs[$0] }.min() ?? .infinity
        }
    }

    /// The cheapest counts and whether the search finished (proving them cheapest).
    mutating func solve() -> ([Int], Bool) {
        let start = improve(greedy())
        best = start
        bestCost = cost(start)
        var counts = [Int](repeating: 0, count: costs.count)
        var cover = [Int](repeating: 0, count: need.count)
        branch(&counts, &cover, 0)
        let finished = nodes <= nodeLimit
        return (finished ? best : improve(best), finished)
    }

    func cost(_ counts: [Int]) -> Double { zip(counts, costs).reduce(0) { $0 + Double($1.0) * $1.1 } }

    /// A lower bound on what still has to be added: the worst shortfall filled at its cheapest.
    func bound(_ cover: [Int]) -> Double {
        var b = 0.0
        for s in need.indices where cover[s] < need[s] { b = max(b, Double(need[s] - cover[s]) * cheapest[s]) }
        return b
    }

    mutating func branch(_ counts: inout [Int], _ cover: inout [Int], _ spent: Double) {
        nodes += 1
        guard nodes <= nodeLimit, seen.insert(counts).inserted else { return }
        guard let s = need.indices.first(where: { cover[$0] < need[$0] }) else {
            if spent < bestCost - 1e-9 {
                bestCost = spent
                best = counts
            }
            return
        }
        guard spent + bound(cover) < bestCost - 1e-9 else { return }
        // The patterns at the desk in the first segment still short, those reaching furthest first.
        let options = desks.indices.filter { desks[$0][s] }.sorted { reach($0, from: s) > reach($1, from: s) }
        for p in options {
            counts[p] += 1
            for i in need.indices where desks[p][i] { cover[i] += 1 }
            branch(&counts, &cover, spent + costs[p])
            for i in need.indices where desks[p][i] { cover[i] -= 1 }
            counts[p] -= 1
        }
    }

    /// How many segments from `s` on pattern `p` is at the desk without a gap.
    func reach(_ p: Int, from s: Int) -> Int {
        var i = s
        while i < need.count && desks[p][i] { i += 1 }
        return i - s
    }

    /// A start: the pattern that fills the most shortfall per hour at work, until none is left, then any shift
    /// the others make unnecessary taken out.
    func greedy() -> [Int] { fill([Int](repeating: 0, count: costs.count)) }

    /// `counts` with the shortfall filled by the pattern that fills the most of it (in time) per hour at work, one
    /// clerk at a time, then the shifts the others make unnecessary taken out, the dearest first.
    func fill(_ start: [Int]) -> [Int] {
        var counts = start
        var cover = [Int](repeating: 0, count: need.count)
        for p in counts.indices where counts[p] > 0 {
            for i in need.indices where desks[p][i] { cover[i] += counts[p] }
        }
        while need.indices.contains(where: { cover[$0] < need[$0] }) {
            var pick = 0
            var value = -1.0
            for p in desks.indices {
                let filled = need.indices.reduce(0.0) {
                    $0 + (desks[p][$1] && cover[$1] < need[$1] ? lengths[$1] : 0)
                }
                let v = filled / max(costs[p], 1e-9)
                if v > value {
                    value = v
                    pick = p
                }
            }
            counts[pick] += 1
            for i in need.indices where desks[pick][i] { cover[i] += 1 }
        }
        for p in costs.indices.sorted(by: { costs[$0] > costs[$1] }) {
            while counts[p] > 0, need.indices.allSatisfy({ !desks[p][$0] || cover[$0] > need[$0] }) {
                counts[p] -= 1
                for i in need.indices where desks[p][i] { cover[i] -= 1 }
            }
        }
        return counts
    }

    /// Local search on `counts`: take one to three clerks off a pattern, fill the shortfall again, keep it when it
    /// costs less; until no such move helps.
    func improve(_ start: [Int]) -> [Int] {
        var counts = start
        var current = cost(counts)
        var improved = true
        while improved {
            improved = false
            search: for p in counts.indices where counts[p] > 0 {
                for k in 1...min(counts[p], 3) {
                    var candidate = counts
                    candidate[p] -= k
                    candidate = fill(candidate)
                    let c = cost(candidate)
                    if c < current - 1e-9 {
                        counts = candidate
                        current = c
                        improved = true
                        break search
                    }
                }
            }
        }
        return counts
    }
}
