import JukiCore
import JukiSimulation
import Testing

@testable import JukiNetwork

/// Staffing through the day, lunch breaks, impatient visitors (reneging and balking), and counters that take only
/// some procedures or keep their own hours.
@Suite("Staffing and visitor behaviour at the counters")
struct VisitorBehaviourTests {
    static let date = CivilDate(year: 2026, month: 3, day: 3)
    static let hour: Int64 = 3_600_000_000

    /// The small town with few counters and long queues: 本庁 and two 市民センター with one clerk each.
    static func busyConfiguration(seed: UInt64 = 3) -> NetworkConfiguration {
        var c = smallConfiguration(seed: seed)
        c.counters = Array(c.counters.prefix(3))
        for i in c.counters.indices {
            c.counters[i].clerks = i == 0 ? 2 : 1
            c.counters[i].contractors = 0
        }
        return c
    }

    @Test("a schedule's steps: the configured clerks before the first step, a day's own steps over every-day ones")
    func steps() {
        let schedule = StaffSchedule([
            .init(from: 9 * Self.hour, clerks: 4), .init(from: 12 * Self.hour, clerks: 2),
            .init(day: 1, from: 10 * Self.hour, clerks: 6),
        ])
        let steps = StaffStep.steps(schedule, breaks: nil, date: Self.date, days: 2, clerks: 3, contractors: 0)
        let midnight = SimulatedTime(date: Self.date).microseconds
        let day = SimulatedTime.microsecondsPerDay
        #expect(
            steps == [
                StaffStep(at: midnight, clerks: 3, contractors: 0),
                StaffStep(at: midnight + 9 * Self.hour, clerks: 4, contractors: 0),
                StaffStep(at: midnight + 12 * Self.hour, clerks: 2, contractors: 0),
                StaffStep(at: midnight + day, clerks: 3, contractors: 0),
                StaffStep(at: midnight + day + 10 * Self.hour, clerks: 6, contractors: 0),
            ])
        #expect(
            StaffStep.steps(StaffSchedule(), breaks: nil, date: Self.date, days: 2, clerks: 3, contractors: 1).isEmpty)
    }

    @Test("lunch breaks go in turns: about 1/k of the clerks away at a time, never the last one")
    func lunchBreaks() {
        let breaks = LunchBreaks.standard
        // 11:30–13:30 holds two 45-minute turns: 11:30–12:15 and 12:15–13:00.
        #expect(breaks.turns == 2)
        let t0 = breaks.from
        let t1 = breaks.from + breaks.length
        #expect(breaks.away(at: t0, clerks: 5) == 3 && breaks.away(at: t1, clerks: 5) == 2)
        #expect(breaks.away(at: t0 - 1, clerks: 5) == 0 && breaks.away(at: t1 + breaks.length, clerks: 5) == 0)
        #expect(breaks.away(at: t0, clerks: 1) == 0 && breaks.away(at: t0, clerks: 2) == 1)
        let steps = StaffStep.steps(
            StaffSchedule(), breaks: breaks, date: Self.date, days: 1, clerks: 5, contractors: 2)
        let midnight = SimulatedTime(date: Self.date).microseconds
        #expect(steps.map(\.clerks) == [5, 2, 3, 5])
        #expect(steps.map(\.at) == [midnight, midnight + t0, midnight + t1, midnight + t1 + breaks.length])
        // The contractors keep their share of those present, and an employee always stays.
        #expect(steps.allSatisfy { $0.contractors < $0.clerks })
        #expect(steps.map(\.contractors) == [2, 1, 1, 2])
        // Five clerks minus the breaks (3 × 45 min and 2 × 45 min) over the office day.
        let open = (midnight + BusinessCalendar.standard.opening, midnight + BusinessCalendar.standard.closing)
        let full = 5 * (open.1 - open.0)
        #expect(StaffStep.clerkTime(steps, openDays: [open], initial: 5) == full - 5 * breaks.length)
    }

    @Test("the counter follows its staffing: nobody starts service while no clerk is at the desk")
    func staffingApplies() async throws {
        var c = Self.busyConfiguration()
        // 片瀬 closes its desk from 12:00 to 14:00 (nobody there), then two clerks.
        c.counters[1].staffing = StaffSchedule([
            .init(from: 12 * Self.hour, clerks: 0), .init(from: 14 * Self.hour, clerks: 2),
        ])
        c.workload.perDay = c.workload.perDay.mapValues { $0 * 2 }
        let simulation = try await NetworkSimulation(c)
        await simulation.run(until: .endOfDay)
        let reports = await simulation.counterReports()
        let log = reports[1].waitLog
        let midnight = SimulatedTime(date: c.date).microseconds
        #expect(log.count > 20)
        var startsInGap = 0
        var waitedThrough = 0
        for j in 0..<log.count where !log.left[j] {
            let start = log.arrivals[j] + log.waits[j] - midnight
            if start >= 12 * Self.hour && start < 14 * Self.hour { startsInGap += 1 }
            if log.arrivals[j] - midnight >= 12 * Self.hour && log.arrivals[j] - midnight < 14 * Self.hour {
                waitedThrough += 1
                #expect(start >= 14 * Self.hour)
            }
        }
        #expect(startsInGap == 0)
        #expect(waitedThrough > 0)
        // Clerk time: one clerk 08:30–12:00, none 12:00–14:00, two 14:00–17:00.
        #expect(reports[1].staffed)
        #expect(reports[1].clerkSeconds == 3.5 * 3600 + 2 * 3 * 3600)
        #expect(reports[2].clerkSeconds == 8.5 * 3600 && !reports[2].staffed)
        let report = await simulation.report()
        #expect(report.invariants.holds)
    }

    /// Abandonments and visitors at each counter with patience of `mean` minutes.
    static func abandonments(patience minutes: Double) async throws -> (abandoned: Int, served: Int, failed: Int) {
        var c = Self.busyConfiguration()
        c.workload.perDay = c.workload.perDay.mapValues { $0 * 6 }
        for flow in Flow.counterFlows { c.service.visitors.patience[flow] = .minutes(minutes / 2, plus: minutes / 2) }
        let (_, report) = try await run(c)
        #expect(report.invariants.holds)
        let reneged = report.journeys.values.reduce(0) { $0 + ($1.failed[.reneged] ?? 0) }
        let abandoned = report.counters.reduce(0) { $0 + $1.visitors.abandoned }
        #expect(reneged == abandoned)
        return (abandoned, report.counters.reduce(0) { $0 + $1.served }, reneged)
    }

    @Test("reneging: visitors leave when their patience runs out, and more of them the less patient they are")
    func reneging() async throws {
        let patient = try await Self.abandonments(patience: 120)
        let impatient = try await Self.abandonments(patience: 10)
        #expect(impatient.abandoned > 0)
        #expect(impatient.abandoned > patient.abandoned)
        #expect(impatient.served < patient.served)
    }

    @Test("balking: a visitor who finds the queue too long goes to the main counter, comes back, or gives up")
    func balking() async throws {
        var c = Self.busyConfiguration()
        c.workload.perDay = c.workload.perDay.mapValues { $0 * 6 }
        c.service.visitors.balkingQueue = 3
        c.service.visitors.balkAnotherCounter = 1
        let (_, report) = try await run(c)
        #expect(report.invariants.holds)
        let branches = report.counters.dropFirst()
        let balked = branches.reduce(0) { $0 + $1.visitors.balked }
        #expect(balked > 0)
        // Everyone who balked at a 市民センター went to 本庁 (nobody balks twice).
        #expect(branches.reduce(0) { $0 + $1.visitors.balkedElsewhere } == balked)
        #expect(report.counters[0].visitors.balkedElsewhere == 0)
        // Without balking, the same day has longer queues at the branches and fewer visitors at 本庁.
        var patient = c
        patient.service.visitors = VisitorBehaviour()
        let (_, without) = try await run(patient)
        let longest = { (r: NetworkReport) in r.counters.dropFirst().map(\.maxQueue).max() ?? 0 }
        #expect(longest(without) > longest(report))
        #expect(report.counters[0].served > without.counters[0].served)
    }

    @Test("a procedure never lands at a counter that does not take it; outside its hours a counter gets nobody")
    func procedures() async throws {
        var c = Self.busyConfiguration()
        c.workload.perDay = c.workload.perDay.mapValues { $0 * 3 }
        c.counters[1].procedures = [.certificate]
        // 明治 opens 10:00–15:00.
        c.counters[2].hours = 10 * Self.hour..<15 * Self.hour
        let simulation = try await NetworkSimulation(c)
        await simulation.run(until: .endOfDay)
        let nodes = await simulation.nodeReports()
        let katase = nodes.counters[1].journeys
        for flow in Flow.counterFlows where flow != .certificate {
            #expect(katase[Int(flow.rawValue)].started == 0, "\(flow) landed at a counter that does not take it")
        }
        #expect(katase[Int(Flow.certificate.rawValue)].started > 0)
        let meiji = nodes.counters[2].counter.waitLog
        let midnight = SimulatedTime(date: c.date).microseconds
        #expect(meiji.count > 0)
        // The walk from home takes a little: arrivals land just after the visitor set out inside the hours.
        for t in meiji.arrivals {
            #expect(t - midnight >= 10 * Self.hour && t - midnight < 15 * Self.hour + Self.hour / 4)
        }
        let report = await simulation.report()
        #expect(report.invariants.holds)
    }
}
