import Foundation
import JukiCore
import JukiNetwork
import Yams

/// A staffing plan's outputs: the terminal table, plan.md (with the capacity sentences), plan.csv for rostering
/// tools, plan.html (a heat map), plan.json, shifts.csv (with shift patterns), and a scenario file that applies
/// the plan (or its roster).
public enum PlanReport {
    /// Writes every file into `directory`; `source` is the scenario's YAML, which the plan's scenario copies.
    public static func write(_ r: PlanResult, source: String?, file: String, directory: String) throws(ScenarioError) {
        let yaml = try scenarioFile(r, source: source, file: file)
        try ScenarioRunner.write(directory: directory) {
            try markdown(r).write(toFile: directory + "/plan.md", atomically: true, encoding: .utf8)
            try csv(r).write(toFile: directory + "/plan.csv", atomically: true, encoding: .utf8)
            if let roster = r.roster {
                try shiftsCSV(roster).write(toFile: directory + "/shifts.csv", atomically: true, encoding: .utf8)
            }
            try html(r).write(toFile: directory + "/plan.html", atomically: true, encoding: .utf8)
            try json(r).write(to: URL(fileURLWithPath: directory + "/plan.json"))
            try yaml.write(toFile: directory + "/\(r.scenario)-plan.yaml", atomically: true, encoding: .utf8)
        }
    }

    static func minutes(_ us: Int64) -> String { String(format: "%.1f", Double(us) / 60e6) }
    static func minutes(_ seconds: Double) -> String { String(format: "%.1f", seconds / 60) }

    /// "09:30–12:30".
    static func span(_ r: PlanResult, _ from: Int, _ to: Int) -> String {
        Durations.clock(r.grid.intervals[from].lowerBound) + "–" + Durations.clock(r.grid.intervals[to].upperBound)
    }

    /// One sentence per counter that answers the target: its clerks through the day and the wait it gets on fresh
    /// seeds, with the 95 % interval.
    public static func capacity(_ r: PlanResult) -> [String] {
        let g = r.grid
        return g.counters.indices.compactMap { k in
            guard r.target.covers(g.counters[k]) else { return nil }
            var parts: [String] = []
            for d in g.days.indices where g.isOpen(k, d) {
                let row = g.intervals.indices.map { r.plan.clerks[g.cell(k, d, $0)] }
                parts.append((g.days.count > 1 ? "\(g.dates[d]) " : "") + pattern(r, row))
            }
            let e = r.verification.estimate(counter: k)
            return "\(g.counters[k]): " + parts.joined(separator: "; ")
                + ", \(r.target.statisticName) wait \(minutes(e.mean)) min [\(minutes(max(e.low, 0))), \(minutes(e.high))]"
        }
    }

    /// A day's clerks in words: "5 clerks 09:30–12:30, 4 otherwise" (the most common count is "otherwise").
    static func pattern(_ r: PlanResult, _ row: [Int]) -> String {
        guard let first = row.first else { return "" }
        guard row.contains(where: { $0 != first }) else { return "\(first) clerk" + (first == 1 ? "" : "s") }
        var counts: [Int: Int] = [:]
        for n in row { counts[n, default: 0] += 1 }
        let most = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
        // "Otherwise" only for a count that holds in several intervals; a day that changes every hour lists them all.
        let usual = (most?.value ?? 0) > 1 ? most?.key : nil
        var runs: [String] = []
        var i = 0
        while i < row.count {
            var j = i
            while j + 1 < row.count && row[j + 1] == row[i] { j += 1 }
            if row[i] != usual { runs.append("\(row[i]) \(span(r, i, j))") }
            i = j + 1
        }
        return runs.joined(separator: ", ") + (usual.map { ", \($0) otherwise" } ?? "")
    }

    /// The headline lines: clerk-hours of the plan against today's and SIPP's, and the verification.
    public static func headline(_ r: PlanResult) -> [String] {
        let g = r.grid
        let today = r.currentEvaluation.clerkHours.reduce(0, +)
        let planHours = r.plan.clerkHours
        let sippHours = r.sipp.clerkHours
        let sippFails = r.sippEvaluation.failing(g, r.target).count
        let todayFails = r.currentEvaluation.failing(g, r.target).count
        let cells = g.counters.indices.filter { r.target.covers(g.counters[$0]) }.reduce(0) { n, k in
            n + g.days.indices.filter { g.isOpen(k, $0) }.count * g.intervals.count
        }
        let met = r.verification.countersMet(g, r.target)
        let coveredCells = g.counters.indices.filter { r.target.covers(g.counters[$0]) }.flatMap { g.cells(of: $0) }
        let metCells = coveredCells.filter { r.verification.judged[$0] <= r.target.limit }.count
        let tuningMisses = r.planEvaluation.failing(g, r.target).count
        let perCounter = g.counters.indices.filter { r.target.covers(g.counters[$0]) }.map {
            r.verification.met(counter: $0, r.target)
        }
        return [
            "\(r.scenario): plan for \(r.target) in \(Durations.format(r.options.interval)) intervals, "
                + "\(g.counters.count) counters × \(g.days.count) day\(g.days.count == 1 ? "" : "s") × "
                + "\(g.intervals.count) intervals",
            String(
                format: "plan: %.1f clerk-hours (today's staffing %.1f, %+.1f); ", planHours, today, planHours - today)
                + (tuningMisses == 0
                    ? "every interval meets the target over the \(r.tuningSeeds.count) tuning replications"
                    : "\(tuningMisses) intervals miss the target's upper bound over the \(r.tuningSeeds.count) tuning "
                        + "replications")
                + "; \(r.repairs) clerk-intervals put back on \(r.validationSeeds.count) validation seeds",
            String(
                format: "today's staffing: %d of %d intervals miss the target", todayFails, cells),
            String(
                format: "SIPP (Erlang C interval by interval): %.1f clerk-hours, %d of %d intervals miss the target "
                    + "when simulated", sippHours, sippFails, cells),
            "verification on \(r.verificationSeeds.count) fresh seeds: every counter met the target over its "
                + (g.days.count > 1 ? "run" : "day") + " in "
                + "\(met) of \(r.verificationSeeds.count) replications"
                + String(format: " (%.0f %%)", 100 * Double(met) / Double(max(r.verificationSeeds.count, 1)))
                + "; each counter on its own in \(perCounter.min() ?? 0)–\(perCounter.max() ?? 0) of them; "
                + "\(metCells) of \(cells) intervals meet it over the replications together",
        ] + rosterHeadline(r)
            + [
                String(
                    format: "%d candidate plans simulated × %d replications, %.1f s", r.evaluations,
                    r.tuningSeeds.count, r.wallSeconds)
            ]
    }

    /// The roster's line: its hours at work against the plan's clerk-hours, and its verification.
    static func rosterHeadline(_ r: PlanResult) -> [String] {
        guard let roster = r.roster, let check = r.rosterVerification else { return [] }
        let met = check.countersMet(r.grid, r.target)
        let n = max(r.verificationSeeds.count, 1)
        let days = r.grid.counters.indices.flatMap { k in
            r.grid.days.indices.filter { r.grid.isOpen(k, $0) }.map { k * r.grid.days.count + $0 }
        }
        let provenDays = days.filter { roster.proven[$0] }.count
        let proven =
            provenDays == days.count
            ? "the cheapest roster" : "proven the cheapest for \(provenDays) of \(days.count) counter-days"
        return [
            String(
                format: "shifts: %d patterns, %.1f hours at work for the plan's %.1f clerk-hours (%+.1f %%, %@); ",
                roster.patterns.count, roster.workHours, r.plan.clerkHours,
                100 * (roster.workHours / max(r.plan.clerkHours, 1e-9) - 1), proven)
                + "every counter met the target over its \(r.grid.days.count > 1 ? "run" : "day") in \(met) of \(n) "
                + "fresh replications"
                + String(format: " (%.0f %%)", 100 * Double(met) / Double(n))
        ]
    }

    /// The roster as a table: counter × pattern, clerks on each (a block per day), and hours at work.
    static func rosterTable(_ roster: ShiftRoster) -> [String] {
        let g = roster.grid
        var lines: [String] = []
        for d in g.days.indices {
            if g.days.count > 1 { lines += ["", "### \(g.dates[d])", ""] }
            lines.append("| counter | " + roster.patterns.map(\.name).joined(separator: " | ") + " | hours at work |")
            lines.append("|---|" + String(repeating: "---|", count: roster.patterns.count) + "---|")
            for k in g.counters.indices where g.isOpen(k, d) {
                let counts = roster.counts(counter: k, day: d)
                let hours = roster.workHours(counter: k, day: d)
                lines.append(
                    "| \(g.counters[k]) | " + counts.map(String.init).joined(separator: " | ")
                        + String(format: " | %.2f |", hours))
            }
        }
        lines += ["", "Patterns:", ""]
        lines += roster.patterns.map { "- \($0.name): \($0.label), " + String(format: "%.2f h at work", $0.workHours) }
        return lines
    }

    /// One row per counter, day and pattern with clerks on it: what a rostering tool reads.
    static func shiftsCSV(_ roster: ShiftRoster) -> String {
        let g = roster.grid
        func quoted(_ s: String) -> String {
            s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var lines = ["counter,date,shift,clerks,start,end,breaks,hours_at_work"]
        for k in g.counters.indices {
            for d in g.days.indices where g.isOpen(k, d) {
                for (p, n) in roster.counts(counter: k, day: d).enumerated() where n > 0 {
                    let pattern = roster.patterns[p]
                    let breaks = pattern.breaks.map {
                        Durations.clock($0.lowerBound) + "-" + Durations.clock($0.upperBound)
                    }
                    lines.append(
                        [
                            quoted(g.counters[k]), "\(g.dates[d])", quoted(pattern.name), "\(n)",
                            Durations.clock(pattern.start), Durations.clock(pattern.end),
                            breaks.joined(separator: " "), String(format: "%.2f", Double(n) * pattern.workHours),
                        ].joined(separator: ","))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The terminal output: the headline, the plan table and the capacity sentences.
    public static func terminal(_ r: PlanResult, directory: String) -> [String] {
        headline(r) + [""] + table(r, markdown: false) + [""] + capacity(r) + ["", "report in \(directory)"]
    }

    /// The plan as a table, counter × interval (one block per day), each cell "plan (SIPP)".
    static func table(_ r: PlanResult, markdown: Bool) -> [String] {
        let g = r.grid
        var lines: [String] = []
        for d in g.days.indices {
            if g.days.count > 1 { lines.append((markdown ? "### " : "") + "\(g.dates[d])") }
            let head = ["counter"] + g.intervals.map { Durations.clock($0.lowerBound) } + ["clerk-h"]
            if markdown {
                lines.append("| " + head.joined(separator: " | ") + " |")
                lines.append("|" + String(repeating: "---|", count: head.count))
            } else {
                lines.append(
                    head.map { $0.padding(toLength: max($0.count, 6), withPad: " ", startingAt: 0) }
                        .joined(separator: " "))
            }
            for k in g.counters.indices where g.isOpen(k, d) {
                let cells = g.intervals.indices.map { i -> String in
                    let c = g.cell(k, d, i)
                    return r.plan.clerks[c] == r.sipp.clerks[c]
                        ? "\(r.plan.clerks[c])" : "\(r.plan.clerks[c]) (\(r.sipp.clerks[c]))"
                }
                let hours = g.intervals.indices.reduce(0.0) {
                    $0 + Double(r.plan.clerks[g.cell(k, d, $1)]) * g.hours($1)
                }
                let row = [g.counters[k]] + cells + [String(format: "%.1f", hours)]
                if markdown {
                    lines.append("| " + row.joined(separator: " | ") + " |")
                } else {
                    lines.append(
                        g.counters[k].padding(toLength: 14, withPad: " ", startingAt: 0) + " "
                            + row.dropFirst().map {
                                $0.padding(toLength: max($0.count, 6), withPad: " ", startingAt: 0)
                            }
                            .joined(separator: " "))
                }
            }
        }
        lines.append("(a cell reads plan (SIPP) where the two differ)")
        return lines
    }

    static func markdown(_ r: PlanResult) -> String {
        let g = r.grid
        var lines = ["# Staffing plan: \(r.scenario)", ""]
        lines += headline(r).map { "- " + $0 }
        lines += ["", "## Capacity", ""] + capacity(r).map { "- " + $0 }
        lines += ["", "## The plan (clerks at the desks; SIPP in brackets where it differs)", ""]
        lines += table(r, markdown: true)
        if let roster = r.roster {
            lines += [
                "", "## Shifts (clerks on each pattern; at least the plan's clerks at the desks at every moment)", "",
            ]
            lines += rosterTable(roster)
        }
        lines += [
            "",
            "## Waits per counter (\(r.target.statisticName) over each replication's day, minutes, mean [95 % interval])",
            "",
            "| counter | today (\(r.tuningSeeds.count) reps) | SIPP (\(r.tuningSeeds.count) reps) | plan, tuning seeds | "
                + "plan, fresh seeds (\(r.verificationSeeds.count) reps) | days met (fresh) | clerk-h today | clerk-h plan "
                + "| abandoned | balked |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for k in g.counters.indices {
            // A wait is never negative: the symmetric t interval is cut at 0.
            func cell(_ e: Estimate) -> String { "\(minutes(e.mean)) [\(minutes(max(e.low, 0))), \(minutes(e.high))]" }
            lines.append(
                "| \(g.counters[k]) | \(cell(r.currentEvaluation.estimate(counter: k))) | "
                    + "\(cell(r.sippEvaluation.estimate(counter: k))) | \(cell(r.planEvaluation.estimate(counter: k))) | "
                    + "\(cell(r.verification.estimate(counter: k))) | "
                    + "\(r.verification.met(counter: k, r.target)) of \(r.verification.replications) | "
                    + String(
                        format: "%.1f | %.1f | %.1f | %.1f |", r.currentEvaluation.clerkHours[k],
                        r.plan.clerkHours(counter: k), r.verification.abandoned[k], r.verification.balked[k]))
        }
        let sippMisses = r.sippEvaluation.failing(g, r.target)
        if !sippMisses.isEmpty {
            lines += ["", "## Where the stationary formula fails", ""]
            lines.append(
                "SIPP staffs each interval as if its arrival rate held forever. Simulated, these intervals miss "
                    + "\(r.target.text) (\(r.target.statisticName) of the interval's visitors over the tuning "
                    + "replications):")
            lines.append("")
            for c in sippMisses.prefix(40) {
                let (k, d, i) = position(g, c)
                lines.append(
                    "- \(g.counters[k])\(g.days.count > 1 ? " \(g.dates[d])" : "") \(span(r, i, i)): SIPP "
                        + "\(r.sipp.clerks[c]) clerks → \(minutes(r.sippEvaluation.pooled[c])) min; the plan "
                        + "\(r.plan.clerks[c]) → \(minutes(r.planEvaluation.pooled[c])) min")
            }
            if sippMisses.count > 40 { lines.append("- … and \(sippMisses.count - 40) more (plan.csv has them all)") }
        }
        lines += [
            "", "## How it was found", "",
            "1. Today's staffing was simulated on the tuning seeds to measure each interval's visitors and each "
                + "counter's clerk time per visitor.",
            "2. SIPP: the fewest clerks (at least one) whose Erlang C (M/M/c) waits meet the target, interval by "
                + "interval.",
            "3. Correction: every interval that misses the target in simulation gets a clerk, until none does.",
            "4. Trimming: one clerk at a time per counter, from the interval with the most slack, kept where every "
                + "interval of the counter still meets the target.",
            "5. Validation: the plan on \(r.validationSeeds.count) other seeds; a clerk goes back into every interval "
                + "that misses over them, and into the longest-waiting intervals of every counter whose next day could "
                + "miss more often than the reliability allows (a lognormal prediction bound on its day figure).",
            "6. Verification: the plan on \(r.verificationSeeds.count) seeds it was not tuned or validated on"
                + (r.roster == nil
                    ? "."
                    : "; then the cheapest roster of the shift patterns that keeps the plan's clerks at the desks at "
                        + "every moment, verified on the same seeds."),
            "", "Tuning seeds: " + r.tuningSeeds.map(String.init).joined(separator: ", "),
            "", "Verification seeds: " + r.verificationSeeds.map(String.init).joined(separator: ", "), "",
        ]
        return lines.joined(separator: "\n")
    }

    /// The counter, day and interval of cell `c`.
    static func position(_ g: PlanGrid, _ c: Int) -> (Int, Int, Int) {
        let i = c % max(g.intervals.count, 1)
        let rest = c / max(g.intervals.count, 1)
        return (rest / max(g.days.count, 1), rest % max(g.days.count, 1), i)
    }

    /// One row per counter, day and interval: what rostering tools read.
    static func csv(_ r: PlanResult) -> String {
        let g = r.grid
        var lines = [
            "counter,date,from,to,clerks,sipp_clerks,today_clerks,visitors,offered_load,"
                + "plan_\(r.target.statisticName)_minutes,sipp_\(r.target.statisticName)_minutes,"
                + "verified_\(r.target.statisticName)_minutes,meets_target"
        ]
        for k in g.counters.indices {
            for d in g.days.indices where g.isOpen(k, d) {
                for i in g.intervals.indices {
                    let c = g.cell(k, d, i)
                    let load = r.currentEvaluation.demand.offeredLoad(c, counter: k, hours: g.hours(i))
                    let name = g.counters[k].contains(",") ? "\"\(g.counters[k])\"" : g.counters[k]
                    lines.append(
                        [
                            name, "\(g.dates[d])", Durations.clock(g.intervals[i].lowerBound),
                            Durations.clock(g.intervals[i].upperBound), "\(r.plan.clerks[c])", "\(r.sipp.clerks[c])",
                            "\(r.current.clerks[c])", String(format: "%.2f", r.currentEvaluation.arrivals[c]),
                            String(format: "%.3f", load), minutes(r.planEvaluation.pooled[c]),
                            minutes(r.sippEvaluation.pooled[c]), minutes(r.verification.pooled[c]),
                            r.target.meets(r.verification.pooled[c]) ? "yes" : "no",
                        ].joined(separator: ","))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// plan.json: the grid, the three staffings and their waits.
    static func json(_ r: PlanResult) throws -> Data {
        struct Counter: Encodable {
            var name: String
            var plan: [[Int]]
            var sipp: [[Int]]
            var today: [[Int]]
            var clerkHours: Double
            var verified: Estimate
        }
        struct File: Encodable {
            var kind = "plan"
            var scenario: String
            var target: String
            var intervalSeconds: Int64
            var dates: [String]
            var intervals: [String]
            var clerkHours: [String: Double]
            var verification: [String: Int]
            var tuningSeeds: [UInt64]
            var verificationSeeds: [UInt64]
            var counters: [Counter]
            var shifts: Shifts?
        }
        struct Pattern: Encodable {
            var name: String
            var start: String
            var end: String
            var breaks: [String]
            var hoursAtWork: Double
        }
        struct Shifts: Encodable {
            var patterns: [Pattern]
            /// Per counter, per day, clerks on each pattern.
            var counts: [String: [[Int]]]
            var hoursAtWork: Double
            var proven: Bool
            var countersMet: Int
        }
        let g = r.grid
        func rows(_ p: StaffingPlan, _ k: Int) -> [[Int]] {
            g.days.indices.map { d in g.intervals.indices.map { p.clerks[g.cell(k, d, $0)] } }
        }
        let file = File(
            scenario: r.scenario, target: r.target.text, intervalSeconds: r.options.interval / 1_000_000,
            dates: g.dates.map(\.description),
            intervals: g.intervals.map { Durations.clock($0.lowerBound) + "-" + Durations.clock($0.upperBound) },
            clerkHours: [
                "plan": round6(r.plan.clerkHours), "sipp": round6(r.sipp.clerkHours),
                "today": round6(r.currentEvaluation.clerkHours.reduce(0, +)),
            ],
            verification: [
                "replications": r.verificationSeeds.count, "countersMet": r.verification.countersMet(g, r.target),
                "intervalsMissed": r.verification.failing(g, r.target).count,
            ],
            tuningSeeds: r.tuningSeeds, verificationSeeds: r.verificationSeeds,
            counters: g.counters.indices.map { k in
                Counter(
                    name: g.counters[k], plan: rows(r.plan, k), sipp: rows(r.sipp, k), today: rows(r.current, k),
                    clerkHours: round6(r.plan.clerkHours(counter: k)), verified: r.verification.estimate(counter: k))
            },
            shifts: r.roster.map { roster in
                Shifts(
                    patterns: roster.patterns.map { p in
                        Pattern(
                            name: p.name, start: Durations.clock(p.start), end: Durations.clock(p.end),
                            breaks: p.breaks.map {
                                Durations.clock($0.lowerBound) + "-" + Durations.clock($0.upperBound)
                            },
                            hoursAtWork: round6(p.workHours))
                    },
                    counts: Dictionary(
                        uniqueKeysWithValues: g.counters.indices.map { k in
                            (g.counters[k], g.days.indices.map { roster.counts(counter: k, day: $0) })
                        }),
                    hoursAtWork: round6(roster.workHours), proven: roster.proven.allSatisfy { $0 },
                    countersMet: r.rosterVerification?.countersMet(g, r.target) ?? 0)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(file)
    }

    /// The scenario with the plan as its counters' staffing (and the `plan` key gone): `jukisim run` on it replays
    /// the plan.
    static func scenarioFile(_ r: PlanResult, source: String?, file: String) throws(ScenarioError) -> String {
        var root = try planned(
            source, file: file, name: "\(r.scenario)-plan",
            description:
                "The staffing plan jukisim plan found for \(r.target.text) on \(r.scenario), applied to its counters.")
        var counters = root["counters"]?.mapping ?? Node.Mapping([])
        var staffing = Node.Mapping([])
        let g = r.grid
        // The counters' sizes as the plan ran them (clerk ids and the contractors' share follow them).
        var clerks = Node.Mapping([])
        var contractors = Node.Mapping([])
        for (k, size) in r.sizes.enumerated() where k < g.counters.count {
            clerks[g.counters[k]] = Node("\(size.clerks)")
            contractors[g.counters[k]] = Node("\(size.contractors)")
        }
        counters["clerks"] = Node.mapping(clerks)
        counters["contractors"] = Node.mapping(contractors)
        if let roster = r.roster {
            // The patterns carry their breaks: the rotating lunch breaks would take the clerks away twice.
            counters["lunchBreaks"] = nil
            for k in g.counters.indices {
                let steps = roster.entries(counter: k).map { e -> Node in
                    var step = Node.Mapping([])
                    if let day = e.day { step["day"] = Node("\(day)") }
                    step["from"] = Node(Durations.clock(e.from), Tag(.str), .doubleQuoted)
                    step["clerks"] = Node("\(e.clerks)")
                    return Node.mapping(Node.Mapping(step.map { ($0.key, $0.value) }, Tag(.map), .flow))
                }
                staffing[g.counters[k]] = Node.sequence(Node.Sequence(steps))
            }
        }
        for k in g.counters.indices where r.roster == nil {
            var steps: [Node] = []
            for d in g.days.indices where g.isOpen(k, d) {
                var last = -1
                for i in g.intervals.indices {
                    let n = r.plan.clerks[g.cell(k, d, i)]
                    guard n != last else { continue }
                    last = n
                    var step = Node.Mapping([])
                    if g.days.count > 1 { step["day"] = Node("\(g.days[d])") }
                    step["from"] = Node(Durations.clock(g.intervals[i].lowerBound), Tag(.str), .doubleQuoted)
                    step["clerks"] = Node("\(n)")
                    steps.append(Node.mapping(Node.Mapping(step.map { ($0.key, $0.value) }, Tag(.map), .flow)))
                }
            }
            staffing[g.counters[k]] = Node.sequence(Node.Sequence(steps))
        }
        counters["staffing"] = Node.mapping(staffing)
        root["counters"] = Node.mapping(counters)
        return try serialize(
            root, file: file,
            header: "# Written by jukisim plan: \(r.target.text), \(Durations.format(r.options.interval)) intervals"
                + (r.roster == nil ? "" : ", rostered with \(r.options.shifts.count) shift patterns") + ".\n")
    }

    /// The scenario `source` (a mapping) renamed and described for a plan, its `plan` and `replications` gone.
    static func planned(_ source: String?, file: String, name: String, description: String) throws(ScenarioError)
        -> Node.Mapping
    {
        var root = Node.Mapping([])
        if let source {
            do {
                if let node = try Yams.compose(yaml: source), let mapping = node.mapping { root = mapping }
            } catch {
                throw ScenarioError(.syntax, file: file, line: 0, column: 0, path: "", "\(error)")
            }
        }
        root["name"] = Node(name)
        root["description"] = Node(description)
        root["plan"] = nil
        root["replications"] = nil
        return root
    }

    /// `root` as YAML after `header`.
    static func serialize(_ root: Node.Mapping, file: String, header: String) throws(ScenarioError) -> String {
        do {
            return header + (try Yams.serialize(node: Node.mapping(root), allowUnicode: true))
        } catch {
            throw ScenarioError(.file, file: file, line: 0, column: 0, path: "", "could not write the plan: \(error)")
        }
    }

    /// plan.html: the plan as a heat map (counter × interval, darker = more clerks), cells SIPP gets wrong marked.
    static func html(_ r: PlanResult) -> String {
        let g = r.grid
        let most = max(r.plan.clerks.max() ?? 1, 1)
        var body = ["<h1>Staffing plan: \(HTMLReport.escape(r.scenario))</h1>", "<ul>"]
        body += headline(r).map { "<li>\(HTMLReport.escape($0))</li>" }
        body += ["</ul>", "<h2>Capacity</h2>", "<ul>"]
        body += capacity(r).map { "<li>\(HTMLReport.escape($0))</li>" }
        body.append("</ul>")
        let sippMisses = Set(r.sippEvaluation.failing(g, r.target))
        for d in g.days.indices {
            body.append(
                "<h2>Clerks at the desks\(g.days.count > 1 ? ", \(g.dates[d])" : "")</h2>"
                    + "<p>Darker is more clerks; a red border marks an interval where SIPP's staffing misses the target "
                    + "in simulation; the small figure is SIPP's.</p>")
            body.append("<table class=\"heat\"><tr><th>counter</th>")
            body += g.intervals.map { "<th>\(Durations.clock($0.lowerBound))</th>" }
            body.append("</tr>")
            for k in g.counters.indices where g.isOpen(k, d) {
                body.append("<tr><th>\(HTMLReport.escape(g.counters[k]))</th>")
                for i in g.intervals.indices {
                    let c = g.cell(k, d, i)
                    let n = r.plan.clerks[c]
                    let light = 95 - Int(60 * Double(n) / Double(most))
                    let border = sippMisses.contains(c) ? "border:2px solid #c00;" : ""
                    let title =
                        "\(n) clerks (SIPP \(r.sipp.clerks[c]), today \(r.current.clerks[c])); "
                        + "\(r.target.statisticName) wait \(minutes(r.verification.pooled[c])) min on fresh seeds"
                    body.append(
                        "<td style=\"background:hsl(210,60%,\(light)%);color:\(light < 60 ? "#fff" : "#000");\(border)\" "
                            + "title=\"\(HTMLReport.escape(title))\">\(n)<small> \(r.sipp.clerks[c])</small></td>")
                }
                body.append("</tr>")
            }
            body.append("</table>")
        }
        if let roster = r.roster {
            body.append(
                "<h2>Shifts</h2><p>Clerks on each pattern: at least the plan's clerks at the desks at every moment.</p>"
            )
            let g = roster.grid
            for d in g.days.indices {
                body.append("<table><tr><th>counter\(g.days.count > 1 ? " (\(g.dates[d]))" : "")</th>")
                body += roster.patterns.map {
                    "<th title=\"\(HTMLReport.escape($0.label))\">\(HTMLReport.escape($0.name))</th>"
                }
                body.append("<th>hours at work</th></tr>")
                for k in g.counters.indices where g.isOpen(k, d) {
                    let counts = roster.counts(counter: k, day: d)
                    let hours = roster.workHours(counter: k, day: d)
                    body.append(
                        "<tr><th>\(HTMLReport.escape(g.counters[k]))</th>" + counts.map { "<td>\($0)</td>" }.joined()
                            + String(format: "<td>%.2f</td></tr>", hours))
                }
                body.append("</table>")
            }
        }
        body.append(
            "<style>table.heat td{text-align:center;min-width:2.6em;padding:4px}table.heat small{opacity:.6}</style>")
        return HTMLReport.page(title: "Staffing plan: \(r.scenario)", body: body)
    }
}
