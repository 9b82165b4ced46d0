import Foundation
import JukiNetwork
import Testing

@testable import JukiScenario

/// Shift rosters: the patterns' file and its errors, the covering search against an exhaustive one, and a plan
/// rostered, verified and written back as a scenario.
@Suite("Shift rosters")
struct ShiftRosterTests {
    static func minutes(_ h: Int, _ m: Int = 0) -> Int64 { Int64(h * 60 + m) * 60_000_000 }

    static let patterns = [
        ShiftPattern(
            name: "full", start: minutes(8, 30), end: minutes(17, 15), breaks: [minutes(12)..<minutes(13)]),
        ShiftPattern(
            name: "full late lunch", start: minutes(8, 30), end: minutes(17, 15), breaks: [minutes(13)..<minutes(14)]),
        ShiftPattern(name: "morning", start: minutes(8, 30), end: minutes(12, 30)),
        ShiftPattern(name: "afternoon", start: minutes(13), end: minutes(17, 15)),
    ]

    /// A one-counter, one-day plan of `clerks` per 1-hour interval (08:30–17:00, the last half an hour).
    static func plan(_ clerks: [Int]) throws -> StaffingPlan {
        var s = try Scenario.parse("name: roster\nstart: 2026-03-03\nduration: 1d\npopulation: {residents: 3000}\n")
        s.configuration.counters = Array(s.configuration.counters.prefix(1))
        let grid = PlanGrid(s.configuration, width: 3_600_000_000)
        try #require(grid.intervals.count == clerks.count)
        return StaffingPlan(grid: grid, clerks: clerks)
    }

    @Test("the roster is the cheapest cover: the same hours at work as every combination of up to 6 per pattern")
    func exhaustive() throws {
        let profiles: [[Int]] = [
            [2, 3, 4, 4, 5, 4, 3, 2, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1], [3, 2, 1, 0, 4, 4, 2, 2, 2],
            [5, 5, 2, 2, 2, 1, 4, 4, 3],
        ]
        for profile in profiles {
            let plan = try Self.plan(profile)
            let roster = try ShiftRoster.cover(plan, patterns: Self.patterns).get()
            #expect(roster.proven == [true])
            // At least the plan's clerks at the desks at every minute of the office day.
            let g = plan.grid
            for i in g.intervals.indices {
                for t in stride(from: g.intervals[i].lowerBound, to: g.intervals[i].upperBound, by: 60_000_000) {
                    #expect(roster.atDesk(counter: 0, day: 0, at: t) >= profile[i], "\(profile) at \(t)")
                }
            }
            var best = Double.infinity
            for n in 0..<(7 * 7 * 7 * 7) {
                let counts = [n % 7, n / 7 % 7, n / 49 % 7, n / 343 % 7]
                let candidate = ShiftRoster(grid: g, patterns: Self.patterns, counts: [counts], proven: [true])
                let covers = g.intervals.indices.allSatisfy { i in
                    stride(from: g.intervals[i].lowerBound, to: g.intervals[i].upperBound, by: 15 * 60_000_000)
                        .allSatisfy { candidate.atDesk(counter: 0, day: 0, at: $0) >= profile[i] }
                }
                if covers { best = min(best, candidate.workHours) }
            }
            #expect(abs(roster.workHours - best) < 1e-9, "\(profile): \(roster.workHours) against \(best)")
        }
    }

    @Test("a moment no pattern covers names plan.shifts, the time and the counter")
    func uncovered() throws {
        let plan = try Self.plan([1, 1, 1, 1, 1, 1, 1, 1, 1])
        let mornings = [ShiftPattern(name: "morning", start: Self.minutes(8, 30), end: Self.minutes(12, 30))]
        guard case .failure(let e) = ShiftRoster.cover(plan, patterns: mornings) else {
            Issue.record("a plan the patterns cannot cover was rostered")
            return
        }
        #expect(e.field == "plan.shifts")
        #expect(e.message.contains("12:30") && e.message.contains(plan.grid.counters[0]))
    }

    @Test("the roster's staffing steps change only where its desks do, and stop at closing")
    func steps() throws {
        let plan = try Self.plan([2, 3, 4, 4, 5, 4, 3, 2, 1])
        let roster = try ShiftRoster.cover(plan, patterns: Self.patterns).get()
        let entries = roster.entries(counter: 0)
        #expect(entries.allSatisfy { $0.from < plan.grid.closing })
        for (a, b) in zip(entries, entries.dropFirst()) { #expect(a.clerks != b.clerks && a.from < b.from) }
        for e in entries { #expect(e.clerks == roster.atDesk(counter: 0, day: 0, at: e.from)) }
        let applied = roster.applied(to: try Self.configuration())
        #expect(applied.lunchBreaks == nil)
        #expect(applied.counters[0].clerks == entries.map(\.clerks).max())
    }

    static func configuration() throws -> NetworkConfiguration {
        var s = try Scenario.parse(
            "name: roster\nstart: 2026-03-03\nduration: 1d\npopulation: {residents: 3000}\ncounters: {lunchBreaks: standard}\n"
        )
        s.configuration.counters = Array(s.configuration.counters.prefix(1))
        return s.configuration
    }

    @Test("shift files: every mistake names the key and the rule")
    func badFiles() throws {
        let cases: [(String, String, String)] = [
            ("shifts: []", "shifts", "at least one"),
            ("shifts: [{name: a, start: '08:30'}]", "shifts[0]", "'end'"),
            ("shifts: [{name: a, start: '8h', end: '17:00'}]", "shifts[0].start", "HH:MM"),
            ("shifts: [{name: a, start: '17:00', end: '08:30'}]", "shifts[0].end", "end after it starts"),
            ("shifts: [{name: a, start: '08:30', end: '17:00', breaks: ['07:00-08:00']}]", "breaks[0]", "inside"),
            ("shifts: [{name: a, start: '08:30', end: '17:00', breaks: ['12:00']}]", "breaks[0]", "HH:MM-HH:MM"),
            (
                "shifts: [{name: a, start: '08:30', end: '17:00', breaks: ['12:00-13:00', '12:30-12:45']}]",
                "breaks[1]", "after the break before it"
            ),
            (
                "shifts: [{name: a, start: '08:30', end: '17:00'}, {name: a, start: '09:00', end: '12:00'}]", "name",
                "distinct"
            ),
            ("shifts: [{name: a, start: '08:30', end: '17:00', lunch: 1h}]", "lunch", "unknown key"),
            ("patterns: []", "patterns", "unknown key"),
        ]
        for (text, path, rule) in cases {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("sh-\(UUID().uuidString).yaml")
            try text.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            do {
                _ = try ShiftPattern.load(path: file.path)
                Issue.record("'\(text)' was accepted")
            } catch {
                #expect(error.path.contains(path), "\(text): \(error.path)")
                #expect(error.message.contains(rule), "\(text): \(error.message)")
            }
        }
        let shipped = try ShiftPattern.load(path: "Scenarios/shifts/fujisawa-counters.yaml")
        #expect(shipped.count == 7 && shipped[0].workHours == 7.75)
    }

    @Test("a plan with shifts: rostered, verified on the fresh seeds, and the scenario file replays the roster")
    func planned() async throws {
        let scenario = try PlanTests.smallScenario()
        var options = try PlanTests.options("counters.*.wait p(90)<30m", interval: 3 * 3_600_000_000, replications: 2)
        options.shifts = Self.patterns
        let result = try await Planner.plan(scenario, options)
        let roster = try #require(result.roster)
        let check = try #require(result.rosterVerification)
        #expect(check.replications == result.verificationSeeds.count)
        #expect(roster.workHours >= result.plan.clerkHours)
        #expect(result.meetsTarget == (Double(check.countersMet(result.grid, result.target)) >= 0.95 * 2))
        let yaml = try PlanReport.scenarioFile(
            result, source: "name: plan-test\nseed: 11\nstart: 2026-03-03\nduration: 1d\n", file: "x.yaml")
        let back = try Scenario.parse(yaml)
        for k in 0..<3 {
            let counter = try #require(back.configuration.counters.first { $0.name == result.grid.counters[k] })
            #expect(counter.staffing.entries == roster.entries(counter: k))
            #expect(counter.clerks == result.sizes[k].clerks)
        }
        let csv = PlanReport.shiftsCSV(roster).split(separator: "\n")
        #expect(csv.first == "counter,date,shift,clerks,start,end,breaks,hours_at_work")
        #expect(csv.count == 1 + roster.counts.reduce(0) { $0 + $1.filter { $0 > 0 }.count })
        #expect(PlanReport.markdown(result).contains("## Shifts"))
    }
}
