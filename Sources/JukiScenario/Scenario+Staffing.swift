import Foundation
import JukiCore
import JukiNetwork
import JukiSimulation

extension Scenario {
    /// The counters a key names: one by its name, or every one for `*`.
    static func counterIndices(
        _ name: String, _ value: YAMLValue, _ counters: [CounterConfiguration]
    ) throws(ScenarioError) -> [Int] {
        if name == "*" { return Array(counters.indices) }
        guard let i = counters.firstIndex(where: { $0.name == name }) else {
            throw value.error(.unknownKey, "unknown counter '\(name)'\(counterList(name, counters.map(\.name)))")
        }
        return [i]
    }

    /// `counters.staffing`: per counter (or `*`), the clerks at the desks from a time of day on, each day or on one
    /// day of the run: `- {from: "08:30", clerks: 5}`, `- {day: 1, from: "12:00", clerks: 4, contractors: 2}`.
    static func parseStaffing(_ v: YAMLValue, into counters: inout [CounterConfiguration]) throws(ScenarioError) {
        for (name, value) in try v.entries() {
            var entries: [StaffSchedule.Entry] = []
            for item in try value.sequence() {
                let k = try item.mapping(allowed: ["day", "from", "clerks", "contractors"])
                guard let from = k["from"], let clerks = k["clerks"] else {
                    throw item.error(.missingKey, "a staffing step needs 'from' (HH:MM) and 'clerks'")
                }
                var entry = StaffSchedule.Entry(
                    day: try k["day"]?.int(0...3_660), from: try from.timeOfDay(), clerks: try clerks.int(0...1_000))
                if let c = k["contractors"] {
                    let n = try c.int(0...1_000)
                    guard n == 0 || n < entry.clerks else {
                        throw c.error(
                            .range,
                            "at most \(max(entry.clerks - 1, 0)) of \(entry.clerks) clerks may be the contractor's "
                                + "staff (an employee makes the decisions and the second checks)")
                    }
                    entry.contractors = n
                }
                guard !entries.contains(where: { $0.day == entry.day && $0.from == entry.from }) else {
                    throw from.error(.value, "two staffing steps at \(Durations.clock(entry.from)) on the same day")
                }
                entries.append(entry)
            }
            for i in try counterIndices(name, value, counters) { counters[i].staffing = StaffSchedule(entries) }
        }
    }

    /// `counters.procedures`: per counter (or `*`), the counter flows it takes; the others go to the main counter
    /// or the first that takes them.
    static func parseProcedures(_ v: YAMLValue, into counters: inout [CounterConfiguration]) throws(ScenarioError) {
        for (name, value) in try v.entries() {
            var flows = Set<Flow>()
            for item in try value.sequence() { flows.insert(try flowNamed(try item.string(), item)) }
            for i in try counterIndices(name, value, counters) { counters[i].procedures = flows }
        }
    }

    /// `counters.hours`: per counter (or `*`), its own opening hours `{opening: "09:00", closing: "16:00"}`.
    static func parseHours(_ v: YAMLValue, into counters: inout [CounterConfiguration]) throws(ScenarioError) {
        for (name, value) in try v.entries() {
            let k = try value.mapping(allowed: ["opening", "closing"])
            guard let o = k["opening"], let c = k["closing"] else {
                throw value.error(.missingKey, "a counter's hours need 'opening' and 'closing' (HH:MM)")
            }
            let opening = try o.timeOfDay()
            let closing = try c.timeOfDay()
            guard opening < closing else {
                throw c.error(.range, "closing (\(Durations.clock(closing))) must come after opening")
            }
            for i in try counterIndices(name, value, counters) { counters[i].hours = opening..<closing }
        }
    }

    /// `counters.lunchBreaks`: `standard`, `off`, or `{from: "11:30", to: "13:30", length: 45m}`.
    static func parseLunchBreaks(_ v: YAMLValue) throws(ScenarioError) -> LunchBreaks? {
        if let word = v.node.scalar?.string, word == "off" || word == "standard" {
            return word == "off" ? nil : .standard
        }
        let k = try v.mapping(allowed: ["from", "to", "length"])
        var breaks = LunchBreaks.standard
        if let f = k["from"] { breaks.from = try f.timeOfDay() }
        if let t = k["to"] { breaks.to = try t.timeOfDay() }
        if let l = k["length"] { breaks.length = try l.duration(60_000_000...14_400_000_000) }
        guard breaks.to - breaks.from >= breaks.length else {
            throw v.error(.range, "the window from 'from' to 'to' must hold at least one break of 'length'")
        }
        return breaks
    }

    /// `counters.visitors`: `patience` by counter flow (or `*`), `{minimum, meanExtra}`; `balking`
    /// `{queue, anotherCounter, anotherDay}`.
    static func parseVisitors(_ v: YAMLValue, into b: inout VisitorBehaviour) throws(ScenarioError) {
        let k = try v.mapping(allowed: ["patience", "balking"])
        if let p = k["patience"] {
            for (name, value) in try p.entries() {
                let fields = try value.mapping(allowed: ["minimum", "meanExtra"])
                var time = ServiceTime.minutes(10, plus: 30)
                if let m = fields["minimum"] { time.minimum = try m.duration(0...86_400_000_000) }
                if let e = fields["meanExtra"] { time.meanExtra = Double(try e.duration(0...86_400_000_000)) }
                let flows = name == "*" ? Flow.counterFlows : [try flowNamed(name, value)]
                for flow in flows { b.patience[flow] = time }
            }
        }
        if let balking = k["balking"] {
            let fields = try balking.mapping(allowed: ["queue", "anotherCounter", "anotherDay"])
            guard let q = fields["queue"] else {
                throw balking.error(.missingKey, "balking needs 'queue': the queue length a visitor will not join")
            }
            b.balkingQueue = try q.int(1...100_000)
            if let a = fields["anotherCounter"] { b.balkAnotherCounter = try a.double(0...1) }
            if let d = fields["anotherDay"] { b.balkAnotherDay = try d.double(0...1) }
            guard b.balkAnotherCounter + b.balkAnotherDay <= 1 else {
                throw balking.error(.range, "anotherCounter + anotherDay must be at most 1")
            }
        }
    }

    /// Every counter flow with visitors must have a counter that takes it, and a staffing step for one day must
    /// fall inside the run.
    static func checkCounters(_ v: YAMLValue, _ c: NetworkConfiguration) throws(ScenarioError) {
        for flow in Flow.counterFlows where c.workload.counterRate(flow) > 0 {
            guard c.counters.contains(where: { $0.procedures?.contains(flow) ?? true }) else {
                throw v.error(
                    .value, "counters.procedures: no counter takes '\(flow.descriptor.name)', which has visitors")
            }
        }
        for counter in c.counters {
            if let day = counter.staffing.entries.compactMap(\.day).first(where: { $0 >= c.days }) {
                throw v.error(
                    .range,
                    "counters.staffing.\(counter.name): day \(day) is outside the run (days 0 to \(c.days - 1))")
            }
        }
    }

    /// `plan: {target: "counters.*.wait p(90)<20m", interval: 1h, tuning: 4, verification: 20, jobs: 0}`.
    static func parsePlan(_ v: YAMLValue, _ scenario: Scenario) throws(ScenarioError) -> PlanOptions {
        let k = try v.mapping(allowed: [
            "target", "interval", "tuning", "verification", "jobs", "reliability", "shifts", "serverHours",
        ])
        guard let t = k["target"] else {
            throw v.error(.missingKey, "plan needs 'target', e.g. '\(PlanTarget.example)'")
        }
        guard scenario.sweep == nil, scenario.canary == nil, scenario.load == nil else {
            throw v.error(
                .value, "a plan is for a virtual-clock day of the municipality, not a sweep, canary or load run")
        }
        let target: PlanTarget
        switch PlanTarget.parse(try t.string(), counters: scenario.configuration.counters.map(\.name)) {
        case .success(let parsed): target = parsed
        case .failure(let e): throw t.error(.value, e.message)
        }
        var options = PlanOptions(target: target)
        if let i = k["interval"] { options.interval = try i.duration(PlanOptions.intervalRange) }
        if let n = k["tuning"] { options.tuning = try n.int(PlanOptions.tuningRange) }
        if let n = k["verification"] { options.verification = try n.int(PlanOptions.verificationRange) }
        if let j = k["jobs"] { options.jobs = try j.int(0...256) }
        if let r = k["reliability"] { options.reliability = try r.double(0.5...0.9999) }
        if let h = k["serverHours"] {
            let text = try h.string()
            guard let hours = ServerHours(rawValue: text) else {
                throw h.error(.value, "must be office or all, found '\(text)'")
            }
            options.serverHours = hours
        }
        if let shifts = k["shifts"] {
            if shifts.node.sequence != nil {
                options.shifts = try ShiftPattern.parse(shifts)
            } else {
                // A file beside the scenario.
                let name = try shifts.string()
                let base = URL(fileURLWithPath: scenario.file).deletingLastPathComponent()
                let path = name.hasPrefix("/") ? name : base.appendingPathComponent(name).path
                options.shifts = try ShiftPattern.load(path: path)
            }
        }
        return options
    }
}
