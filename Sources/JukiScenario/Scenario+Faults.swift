import JukiCore
import JukiNetwork
import JukiSimulation

extension Scenario {
    /// Link kinds a fault may name: every network link (a resident's walk to the counter and the portal are not
    /// the Juki-net's).
    static let faultLinks: [LinkKind] = [
        .counterLAN, .registerToCS, .csToPrefecture, .prefectureToNational, .csToCardSystem, .csToCS,
    ]

    /// `faults`: `scheduled` (a list of faults), `random` (a storm drawn from the seed), and `storeAndForward`
    /// (true unless turned off to show what it protects against).
    static func parseFaults(
        _ v: YAMLValue, seed: UInt64, into c: inout NetworkConfiguration
    ) throws(ScenarioError) -> (scheduled: [Fault], random: RandomFaults?) {
        let keys = try v.mapping(allowed: ["scheduled", "random", "storeAndForward"])
        if let s = keys["storeAndForward"] { c.storeAndForward = try s.bool() }
        let dayStart = SimulatedTime(date: c.date).microseconds
        var faults: [Fault] = []
        var random: RandomFaults?
        if let list = keys["scheduled"] {
            for item in try list.sequence() { faults.append(try parseFault(item, dayStart: dayStart, days: c.days)) }
        }
        if let r = keys["random"] {
            let k = try r.mapping(allowed: ["count", "from", "until", "kinds", "maxDuration"])
            guard let count = k["count"] else { throw r.error(.missingKey, "'random' needs 'count' (faults to draw)") }
            var storm = RandomFaults(
                count: try count.int(1...100_000), from: dayStart + (try k["from"]?.timeOfDay() ?? 9 * 3_600_000_000),
                until: dayStart + (try k["until"]?.timeOfDay() ?? 17 * 3_600_000_000))
            guard storm.until > storm.from else {
                throw (k["until"] ?? r).error(.range, "'until' must be later than 'from'")
            }
            if let kinds = k["kinds"] {
                storm.kinds = []
                for kind in try kinds.sequence() { storm.kinds.append(try faultKind(kind)) }
                guard !storm.kinds.isEmpty else { throw kinds.error(.value, "'kinds' must name at least one kind") }
            }
            if let m = k["maxDuration"] { storm.maxDuration = try m.duration(1_000_000...86_400_000_000) }
            storm.seed = seed
            random = storm
        }
        c.faults = faultPlan(faults, random)
        return (faults, random)
    }

    /// The scheduled faults and the storm's, in start order.
    static func faultPlan(_ scheduled: [Fault], _ random: RandomFaults?) -> [Fault] {
        (scheduled + (random?.faults() ?? [])).sorted { ($0.start, $0.kind.rawValue) < ($1.start, $1.kind.rawValue) }
    }

    static func faultKind(_ v: YAMLValue) throws(ScenarioError) -> FaultKind {
        let name = try v.string()
        guard let kind = FaultKind.allCases.first(where: { $0.description == name }) else {
            throw v.error(
                .value,
                "unknown fault kind '\(name)': use "
                    + FaultKind.allCases.map(\.description).joined(separator: ", "))
        }
        return kind
    }

    /// One scheduled fault: `kind`, `node` or `link`, `at` (HH:MM), `day` (1-based), `duration`, and `rate`,
    /// `extra` or `factor` as the kind needs.
    static func parseFault(_ v: YAMLValue, dayStart: Int64, days: Int) throws(ScenarioError) -> Fault {
        let k = try v.mapping(allowed: ["kind", "node", "link", "at", "day", "duration", "rate", "extra", "factor"])
        guard let kindValue = k["kind"] else { throw v.error(.missingKey, "a fault needs 'kind'") }
        let kind = try faultKind(kindValue)
        guard let at = k["at"] else { throw v.error(.missingKey, "a fault needs 'at' (HH:MM, when it starts)") }
        guard let d = k["duration"] else { throw v.error(.missingKey, "a fault needs 'duration' (e.g. 15m)") }
        let day = try k["day"]?.int(1...max(days, 1)) ?? 1
        var fault = Fault(
            kind: kind, start: dayStart + Int64(day - 1) * SimulatedTime.microsecondsPerDay + (try at.timeOfDay()),
            duration: try d.duration(1_000...(7 * 86_400_000_000)))
        if kind.targetsNode {
            guard let n = k["node"] else {
                throw v.error(.missingKey, "a fault of kind '\(kind)' needs 'node' (\(FaultNode.names))")
            }
            if let l = k["link"] { throw l.error(.value, "a fault of kind '\(kind)' names a node, not a link") }
            let name = try n.string()
            guard let node = FaultNode(name: name) else {
                throw n.error(.value, "unknown node '\(name)': faults can name \(FaultNode.names)")
            }
            if node == .counterSupport && kind != .outage {
                throw n.error(.value, "counterSupport takes an outage only (it has no worker pool to slow down)")
            }
            fault.node = node
        } else {
            guard let l = k["link"] else {
                throw v.error(
                    .missingKey,
                    "a fault of kind '\(kind)' needs 'link' (" + faultLinks.map(\.description).joined(separator: ", ")
                        + ")")
            }
            if let n = k["node"] { throw n.error(.value, "a fault of kind '\(kind)' names a link, not a node") }
            let name = try l.string()
            guard let link = faultLinks.first(where: { $0.description == name }) else {
                throw l.error(
                    .value,
                    "unknown link '\(name)': faults can name " + faultLinks.map(\.description).joined(separator: ", "))
            }
            fault.link = link
        }
        // Each parameter belongs to one kind, and that kind needs it.
        let parameter: (key: String, kind: FaultKind)? =
            switch kind {
            case .loss: ("rate", .loss)
            case .latencySpike: ("extra", .latencySpike)
            case .slowdown: ("factor", .slowdown)
            case .outage, .partition: nil
            }
        for key in ["rate", "extra", "factor"] where key != parameter?.key {
            if let x = k[key] { throw x.error(.value, "'\(key)' does not apply to a fault of kind '\(kind)'") }
        }
        if let p = parameter {
            guard let x = k[p.key] else { throw v.error(.missingKey, "a fault of kind '\(kind)' needs '\(p.key)'") }
            switch kind {
            case .loss: fault.rate = try x.double(0...1)
            case .latencySpike: fault.extra = try x.duration(1...3_600_000_000)
            default: fault.factor = try x.double(1...1_000)
            }
        }
        return fault
    }
}
