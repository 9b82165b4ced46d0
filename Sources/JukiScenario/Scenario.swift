import Foundation
import JukiCore
import JukiNetwork
import JukiPopulation
import JukiSimulation
import Yams

/// A scenario file: what to simulate, and what must hold.
public struct Scenario: Sendable {
    public var name: String
    public var description: String
    public var seed: UInt64
    public var configuration: NetworkConfiguration
    /// How long to run, µs after the start of the day.
    public var duration: Int64
    public var thresholds: [Threshold]
    public var file: String
    /// When the scenario sweeps a parameter: one complete scenario per value.
    public var sweep: Sweep?
    /// When the scenario is the engine canary (M/M/c service points) instead of the municipality.
    public var canary: CanaryRun?
    /// With `clock: wall`: how the load mode offers journeys in real time.
    public var load: LoadProfile?
    /// When the day is replicated: independent runs with seeds from the root seed, every metric with its interval.
    public var replications: Replications?
    /// For `jukisim plan`: the target and how to plan (the `plan` key); `jukisim run` runs the day as staffed.
    public var plan: PlanOptions?
    /// The share of journeys written as traces to `traces.jsonl` (head sampling, 0–1; `jukisim run --trace-sample`)
    /// [E: 1 % keeps a typical day's file to a few dozen traces and a national run's within reach of a collector].
    public var traceSample = 0.01
    /// `faults` as written: the scheduled faults and the storm (drawn again from the seed when it changes).
    var scheduledFaults: [Fault] = []
    var randomFaults: RandomFaults?

    /// Replaces the seed everywhere it is used (the population, the network, the canary and every sweep value,
    /// unless the sweep varies the seed itself).
    public mutating func setSeed(_ newSeed: UInt64) {
        seed = newSeed
        configuration.seed = newSeed
        configuration.municipality.seed = newSeed
        canary?.seed = newSeed
        if var storm = randomFaults {
            storm.seed = newSeed
            randomFaults = storm
            configuration.faults = Self.faultPlan(scheduledFaults, storm)
        }
        if var s = sweep, s.parameter != "seed" {
            for i in s.variants.indices { s.variants[i].setSeed(newSeed) }
            sweep = s
        }
    }

    /// Every key the top level accepts.
    static let topKeys = [
        "name", "description", "seed", "clock", "start", "duration", "population", "network", "counters", "workload",
        "batches", "faults", "sweep", "thresholds", "canary", "load", "security", "informationSharing",
        "replications", "plan",
    ]

    /// Reads and validates a scenario file.
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        try parse(try YAMLValue.text(path: path, limit: 4_000_000), file: path)
    }

    /// Parses and validates scenario text; `file` names it in errors.
    public static func parse(_ text: String, file: String = "scenario.yaml") throws(ScenarioError) -> Scenario {
        try parse(root: compose(text, file: file), file: file, sweeping: true)
    }

    static func compose(_ text: String, file: String) throws(ScenarioError) -> Yams.Node {
        try refuseComplexKeys(text, file: file)
        let root: Yams.Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ScenarioError(
                    .missingKey, file: file, line: 1, column: 1, path: "",
                    "the file is empty; it needs at least 'name'")
            }
            root = node
        } catch let e as ScenarioError {
            throw e
        } catch let e as YamlError {
            throw syntaxError(e, file: file, text: text)
        } catch {
            throw ScenarioError(.syntax, file: file, line: 0, column: 0, path: "", "not valid YAML: \(error)")
        }
        return root
    }

    /// Reads a composed scenario; with `sweeping`, a `sweep` key expands into one variant per value.
    static func parse(root: Yams.Node, file: String, sweeping: Bool) throws(ScenarioError) -> Scenario {
        let top = YAMLValue(node: root, path: "", file: file)
        let keys = try top.mapping(allowed: topKeys)
        guard let nameValue = keys["name"] else {
            throw top.error(.missingKey, "'name' is required (it names the report)")
        }
        var scenario = Scenario(
            name: try nameValue.string(), description: try keys["description"]?.string() ?? "", seed: 1,
            configuration: NetworkConfiguration(), duration: SimulatedTime.microsecondsPerDay, thresholds: [],
            file: file)
        guard scenario.name.range(of: "^[A-Za-z0-9._-]{1,80}$", options: .regularExpression) != nil else {
            throw nameValue.error(.value, "a name is 1–80 letters, digits, '.', '_' or '-' (it becomes a folder name)")
        }
        if let s = keys["seed"] { scenario.seed = try s.uint64() }
        scenario.configuration.seed = scenario.seed
        scenario.configuration.municipality.seed = scenario.seed
        var wall = false
        if let c = keys["clock"] {
            switch try c.string() {
            case "virtual": break
            case "wall": wall = true
            case let other: throw c.error(.value, "clock must be 'virtual' or 'wall', found '\(other)'")
            }
        }
        if let s = keys["start"] { scenario.configuration.date = try s.date() }
        if let d = keys["duration"] { scenario.duration = try d.duration(3_600_000_000...(366 * 86_400_000_000)) }
        scenario.configuration.days = Int(
            (scenario.duration + SimulatedTime.microsecondsPerDay - 1) / SimulatedTime.microsecondsPerDay)
        if let p = keys["population"] { try parsePopulation(p, into: &scenario.configuration) }
        followPopulation(&scenario.configuration)
        if let n = keys["network"] { try parseNetwork(n, into: &scenario.configuration) }
        if let c = keys["counters"] { try parseCounters(c, into: &scenario.configuration) }
        if let w = keys["workload"] { try parseWorkload(w, into: &scenario.configuration) }
        if let c = keys["counters"] { try checkCounters(c, scenario.configuration) }
        if let b = keys["batches"] { try parseBatches(b, into: &scenario.configuration) }
        if let x = keys["informationSharing"] {
            try parseInformationSharing(x, into: &scenario.configuration.informationSharing)
        }
        if let s = keys["security"] {
            let sk = try s.mapping(allowed: [
                "inquiryOnlyShare", "nonNumberUseShare", "mutualAuthentication", "revokedNodes", "misconfiguredNodes",
            ])
            if let a = sk["mutualAuthentication"] { scenario.configuration.mutualAuthentication.enabled = try a.bool() }
            for (key, keyPath) in [
                ("revokedNodes", \AuthenticationConfiguration.revoked),
                ("misconfiguredNodes", \AuthenticationConfiguration.misconfigured),
            ] {
                guard let list = sk[key] else { continue }
                var names: [String] = []
                for item in try list.sequence() {
                    let name = try item.string()
                    guard
                        ["municipalCS", "nationalServer", "cardManagementSystem"].contains(name)
                            || name.range(
                                of: "^(prefectureServer\\.[0-9]{1,2}|municipality\\.[0-9]{6})$",
                                options: .regularExpression)
                                != nil
                    else {
                        throw item.error(
                            .value,
                            "'\(name)' is no Juki-net node: name \(AuthenticationConfiguration.nodeNames)")
                    }
                    names.append(name)
                }
                scenario.configuration.mutualAuthentication[keyPath: keyPath] = names
            }
            var security = SecurityConfiguration()
            if let x = sk["inquiryOnlyShare"] { security.inquiryOnlyShare = try x.double(0...1) }
            if let x = sk["nonNumberUseShare"] { security.nonNumberUseShare = try x.double(0...1) }
            guard security.inquiryOnlyShare + security.nonNumberUseShare <= 1 else {
                throw s.error(.range, "inquiryOnlyShare + nonNumberUseShare must be at most 1")
            }
            scenario.configuration.service.security = security
        }
        if let v = keys["faults"], !(v.node.mapping?.isEmpty ?? false) {
            guard !wall else {
                throw v.error(.value, "'faults' applies to the virtual clock; leave it out with 'clock: wall'")
            }
            (scenario.scheduledFaults, scenario.randomFaults) = try parseFaults(
                v, seed: scenario.seed, into: &scenario.configuration)
        }
        if let t = keys["thresholds"] {
            scenario.thresholds = try parseThresholds(t, counters: scenario.configuration.counters.map(\.name))
        }
        switch (wall, keys["load"]) {
        case (true, let l?):
            let profile = try parseLoad(l, into: &scenario.configuration)
            scenario.load = profile
            scenario.configuration.applyLoadMode(
                delayScale: profile.delayScale, expectedJourneys: profile.intendedJourneys)
        case (true, nil):
            throw top.error(.missingKey, "clock 'wall' needs a 'load' mapping (rate or scale, and duration)")
        case (false, let l?):
            throw l.error(.value, "'load' drives the wall-clock mode: add 'clock: wall'")
        case (false, nil):
            break
        }
        if let c = keys["canary"] {
            for other in ["population", "network", "counters", "workload", "batches"] where keys[other] != nil {
                throw keys[other]?.error(
                    .value, "a canary scenario models M/M/c service points only; '\(other)' does not apply")
                    ?? c.error(.value, "")
            }
            scenario.canary = try parseCanary(c, seed: scenario.seed)
        }
        if sweeping, let v = keys["sweep"], !(v.node.mapping?.isEmpty ?? false) {
            scenario.sweep = try Sweep.parse(v, root: root, file: file)
        }
        if let r = keys["replications"] {
            scenario.replications = try parseReplications(r)
            try scenario.checkReplications(at: r)
            if let warmUp = scenario.replications?.warmUp, warmUp > 0 {
                guard warmUp < scenario.duration else {
                    throw r.error(
                        .range,
                        "warmUp (\(Durations.format(warmUp))) must be shorter than the run (\(Durations.format(scenario.duration)))"
                    )
                }
                scenario.configuration.service.measureFrom =
                    SimulatedTime(date: scenario.configuration.date).microseconds + warmUp
            }
        }
        if let p = keys["plan"] { scenario.plan = try parsePlan(p, scenario) }
        return scenario
    }

    /// `replications: N` or `replications: {count: N, relativeHalfWidth: 0.05, absoluteHalfWidth: 1m, jobs: J}`.
    static func parseReplications(_ v: YAMLValue) throws(ScenarioError) -> Replications {
        if v.node.scalar != nil { return Replications(count: try v.int(Replications.range)) }
        let k = try v.mapping(allowed: ["count", "relativeHalfWidth", "absoluteHalfWidth", "jobs", "warmUp"])
        guard let count = k["count"] else { throw v.error(.missingKey, "replications needs 'count' (2–1000)") }
        var r = Replications(count: try count.int(Replications.range))
        if let h = k["relativeHalfWidth"] { r.relativeHalfWidth = try h.double(0.001...1) }
        if let a = k["absoluteHalfWidth"] { r.absoluteHalfWidth = Double(try a.duration(0...86_400_000_000)) / 1e6 }
        if let j = k["jobs"] { r.jobs = try j.int(0...256) }
        if let w = k["warmUp"] { r.warmUp = try w.duration(0...(30 * 86_400_000_000)) }
        return r
    }

    /// Replications apply to a day of the municipality on the virtual clock: not to a sweep, a canary or the load
    /// mode.
    public func checkReplications() throws(ScenarioError) { try checkReplications(at: nil) }

    func checkReplications(at v: YAMLValue?) throws(ScenarioError) {
        let kind = sweep != nil ? "a sweep" : canary != nil ? "a canary" : load != nil ? "a wall-clock" : nil
        guard let kind else { return }
        let message = "replications run a virtual-clock day of the municipality; this is \(kind) scenario"
        throw v?.error(.value, message)
            ?? ScenarioError(.value, file: file, line: 0, column: 0, path: "replications", message)
    }

    static func syntaxError(_ e: YamlError, file: String, text: String) -> ScenarioError {
        switch e {
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.sorted().first ?? ""
            let (line, column) =
                secondOccurrence(of: key, in: text, from: context.mark) ?? (context.mark.line, context.mark.column)
            return ScenarioError(
                .syntax, file: file, line: line, column: column, path: "",
                "the key '\(key)' appears twice in one mapping (each key may appear once)")
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return ScenarioError(
                .syntax, file: file, line: mark.line, column: mark.column, path: "", "YAML syntax: \(problem)")
        default:
            return ScenarioError(.syntax, file: file, line: 0, column: 0, path: "", "YAML syntax: \(e)")
        }
    }

    /// Scenario keys are plain words: explicit keys (`? `) and collections nested deeper than any scenario needs are
    /// refused before Yams composes the text, because Yams's duplicate-key check hashes every key's whole subtree
    /// at every level (a 2 kB file of nested explicit keys took 8 s: found by the parser fuzzer).
    static func refuseComplexKeys(_ text: String, file: String) throws(ScenarioError) {
        var depth = 0
        var quote: Character?
        var lineNumber = 1
        var column = 0
        var lineStart = true
        for c in text {
            column += 1
            if c == "\n" || c == "\r" || c == "\r\n" {
                lineNumber += 1
                column = 0
                lineStart = true
                quote = nil
                continue
            }
            if let q = quote {
                if c == q { quote = nil }
                continue
            }
            if lineStart {
                if c == " " || c == "-" || c == "\t" { continue }
                lineStart = false
                if c == "?" {
                    throw ScenarioError(
                        .syntax, file: file, line: lineNumber, column: column, path: "",
                        "explicit keys ('? ') are not part of the scenario format: write 'key: value'")
                }
                if c == "#" { quote = "\n" }
            }
            switch c {
            case "\"", "'": quote = c
            case "#": quote = "\n"
            case "[", "{":
                depth += 1
                guard depth <= 16 else {
                    throw ScenarioError(
                        .syntax, file: file, line: lineNumber, column: column, path: "",
                        "collections nested more than 16 deep: no scenario key needs that")
                }
            case "]", "}": depth = max(0, depth - 1)
            default: break
            }
        }
    }

    /// Where a duplicated block-mapping key appears the second time: Yams names only the mapping. The mapping's
    /// keys are the lines indented like the first key at or after `mark`; a line indented less ends it.
    static func secondOccurrence(of key: String, in text: String, from mark: Mark) -> (Int, Int)? {
        // YAML breaks lines at \r, \r\n and \n alike; Yams's mark counts them so.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        var indent: Int?
        var seen = 0
        // The mark may lie past the last line (a mark at the end of the text): then there is nothing to find.
        for number in stride(from: max(mark.line, 1), through: lines.count, by: 1) {
            var line = Substring(lines[number - 1])
            let lead = line.prefix { $0 == " " }.count
            line = line.dropFirst(lead)
            if line.isEmpty || line.hasPrefix("#") { continue }
            // A sequence item's mapping starts after "- ".
            var column = lead
            while line.hasPrefix("- ") {
                line = line.dropFirst(2)
                let more = line.prefix { $0 == " " }.count
                line = line.dropFirst(more)
                column += 2 + more
            }
            if let indent, column < indent { return nil }
            if indent == nil { indent = column }
            guard column == indent else { continue }
            let name = line.prefix { $0 != ":" }.trimmingCharacters(in: .whitespaces)
            let unquoted = name.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            guard unquoted == key, line.dropFirst(name.count).hasPrefix(":") || line.contains(":") else { continue }
            seen += 1
            if seen == 2 { return (number, column + 1) }
        }
        return nil
    }

    static func parsePopulation(_ v: YAMLValue, into c: inout NetworkConfiguration) throws(ScenarioError) {
        let k = try v.mapping(allowed: ["municipality", "residents", "undesignatedShare", "others"])
        if let m = k["municipality"] {
            let text = try m.string()
            do {
                c.municipality.municipality = try MunicipalityCode(parsing: text)
            } catch {
                throw m.error(.value, "\(error)")
            }
            guard MunicipalityDirectory.entry(c.municipality.municipality) != nil else {
                throw m.error(.value, "\(text) is not one of the 1,741 municipalities")
            }
        }
        if let r = k["residents"] { c.municipality.residents = try r.int(1...PopulationOptions.maximumResidents) }
        if let u = k["undesignatedShare"] { c.municipality.undesignatedShare = try u.double(0...1) }
        if let o = k["others"] {
            let ok = try o.mapping(allowed: ["residents", "ownEvents", "prefectures", "scale"])
            if let r = ok["residents"] { c.otherResidents = try r.int(10...1_000_000) }
            if let e = ok["ownEvents"] { c.otherMunicipalityEvents = try e.bool() }
            // The nationwide network: every municipality of these prefectures at its own size times the scale.
            if ok["prefectures"] != nil || ok["scale"] != nil {
                if let r = ok["residents"] {
                    throw r.error(
                        .value,
                        "a nationwide network sizes each municipality by its population times 'scale'; drop 'residents'"
                    )
                }
                var nation = NationScope()
                if let p = ok["prefectures"] {
                    if let text = try? p.string() {
                        guard text == "all" else {
                            throw p.error(.type, "must be 'all' or a list of prefecture codes 1 to 47, found '\(text)'")
                        }
                        nation.prefectures = []
                    } else {
                        for item in try p.sequence() { nation.prefectures.insert(try item.int(1...47)) }
                        guard !nation.prefectures.isEmpty else {
                            throw p.error(.value, "must list prefecture codes 1 to 47, or be 'all'")
                        }
                    }
                }
                if let f = ok["scale"] {
                    nation.scale = try f.double(0...1)
                    guard nation.scale > 0 else {
                        throw f.error(.range, "must be above 0 (a share of each population)")
                    }
                }
                c.nation = nation
            }
        }
    }

    static func parseNetwork(_ v: YAMLValue, into c: inout NetworkConfiguration) throws(ScenarioError) {
        let k = try v.mapping(allowed: ["links", "servers"])
        if let links = k["links"] {
            for (name, value) in try links.entries() {
                guard let kind = LinkKind.allCases.first(where: { $0.description == name }) else {
                    let hint =
                        Suggestion.closest(to: name, in: LinkKind.allCases.map(\.description)).map {
                            "; did you mean '\($0)'?"
                        } ?? ""
                    throw value.error(.unknownKey, "unknown link '\(name)'\(hint)")
                }
                let lk = try value.mapping(allowed: ["minimum", "meanExtra"])
                var latency = c.links.latency(kind)
                if let m = lk["minimum"] { latency.minimum = try m.duration(1...60_000_000) }
                if let e = lk["meanExtra"] { latency.meanExtra = Double(try e.duration(0...60_000_000)) }
                c.links.latencies[Int(kind.rawValue)] = latency
            }
        }
        if let servers = k["servers"] {
            let names = ["registerSystem", "municipalCS", "prefectureServer", "nationalServer", "cardManagementSystem"]
            let sk = try servers.mapping(allowed: names)
            for (name, value) in sk {
                let fields = try value.mapping(allowed: ["workers", "serviceMinimum", "serviceMeanExtra"])
                let workers = try fields["workers"]?.int(1...10_000)
                var service: ServiceTime
                switch name {
                case "registerSystem": service = c.service.registerOperation
                case "municipalCS": service = c.service.csOperation
                case "prefectureServer": service = c.service.prefectureOperation
                case "nationalServer": service = c.service.nationalOperation
                default: service = c.service.cardSystemOperation
                }
                if let m = fields["serviceMinimum"] { service.minimum = try m.duration(0...3_600_000_000) }
                if let e = fields["serviceMeanExtra"] { service.meanExtra = Double(try e.duration(0...3_600_000_000)) }
                switch name {
                case "registerSystem":
                    c.service.registerOperation = service
                    if let w = workers { c.service.registerWorkers = w }
                case "municipalCS":
                    c.service.csOperation = service
                    if let w = workers { c.service.csWorkers = w }
                case "prefectureServer":
                    c.service.prefectureOperation = service
                    if let w = workers { c.service.prefectureWorkers = w }
                case "nationalServer":
                    c.service.nationalOperation = service
                    if let w = workers { c.service.nationalWorkers = w }
                default:
                    c.service.cardSystemOperation = service
                    if let w = workers { c.service.cardSystemWorkers = w }
                }
            }
        }
    }

    /// The shares of notices for 1, 2, 3, … persons: a list of up to 20 shares in [0, 1] adding up to 1.
    static func personShares(_ v: YAMLValue) throws(ScenarioError) -> [Double] {
        let items = try v.sequence()
        guard !items.isEmpty && items.count <= 20 else {
            throw v.error(.value, "personsPerNotice lists the shares of notices for 1, 2, 3, … persons: 1 to 20 shares")
        }
        var shares: [Double] = []
        for item in items { shares.append(try item.double(0...1)) }
        let total = shares.reduce(0, +)
        guard abs(total - 1) < 0.001 else {
            throw v.error(.value, "personsPerNotice shares must add up to 1, found \(total)")
        }
        return shares
    }

    /// Per-flow service times (`desk`, `perExtraPerson`): `<flow>: {minimum, meanExtra}`, starting from `defaults`.
    static func parseFlowTimes(
        _ v: YAMLValue, into times: inout [Flow: ServiceTime], fallback: ServiceTime
    ) throws(ScenarioError) {
        for (name, value) in try v.entries() {
            let flow = try flowNamed(name, value)
            let fields = try value.mapping(allowed: ["minimum", "meanExtra"])
            var s = times[flow] ?? fallback
            if let m = fields["minimum"] { s.minimum = try m.duration(0...86_400_000_000) }
            if let e = fields["meanExtra"] { s.meanExtra = Double(try e.duration(0...86_400_000_000)) }
            times[flow] = s
        }
    }

    /// `counters.contractors`: how many of each counter's clerks are the contractor's staff (委託), by counter name or
    /// `*`. At most all but one: an employee must be there for the decisions. A default the scenario leaves alone
    /// follows the clerks it set.
    static func parseContractors(_ v: YAMLValue?, into counters: inout [CounterConfiguration]) throws(ScenarioError) {
        var set = Set<Int>()
        if let v {
            for (name, value) in try v.entries() {
                let n = try value.int(0...1_000)
                for i in try counterIndices(name, value, counters) {
                    guard n < counters[i].clerks else {
                        throw value.error(
                            .range,
                            "\(counters[i].name) has \(counters[i].clerks) clerks: at most \(counters[i].clerks - 1) may be "
                                + "the contractor's staff (an employee makes the decisions and the second checks)")
                    }
                    counters[i].contractors = n
                    set.insert(i)
                }
            }
        }
        for i in counters.indices where !set.contains(i) {
            counters[i].contractors = min(counters[i].contractors, counters[i].clerks - 1)
        }
    }

    /// `counters.support`: `off`, `on`, or a mapping of the counter support system's settings.
    static func parseCounterSupport(_ v: YAMLValue, into s: inout CounterSupportService) throws(ScenarioError) {
        if let word = v.node.scalar?.string, word == "off" || word == "on" {
            s.enabled = word == "on"
            return
        }
        let k = try v.mapping(allowed: ["enabled", "deskSaving", "ocrFailureShare", "manualFallback", "ocrTime"])
        if let e = k["enabled"] { s.enabled = try e.bool() }
        if let d = k["deskSaving"] { s.deskSaving = try d.double(0...1) }
        if let f = k["ocrFailureShare"] { s.ocrFailureShare = try f.double(0...1) }
        if let m = k["manualFallback"] { s.manualFallback = try m.duration(0...3_600_000_000) }
        if let t = k["ocrTime"] { s.ocrTime = try t.duration(0...3_600_000_000) }
    }

    static func parseCounters(_ v: YAMLValue, into c: inout NetworkConfiguration) throws(ScenarioError) {
        let k = try v.mapping(allowed: [
            "clerks", "desk", "perExtraPerson", "cardFaceChange", "closing", "secondCheck", "saturdays", "support",
            "contractors", "contractorDeskFactor", "staffing", "procedures", "hours", "lunchBreaks", "visitors",
        ])
        if let f = k["contractorDeskFactor"] { c.service.contractorDeskFactor = try f.double(0.1...10) }
        if let support = k["support"] { try parseCounterSupport(support, into: &c.service.counterSupport) }
        if let saturdays = k["saturdays"] {
            // The counters that open on the 2nd and 4th Saturdays (the first listed takes the Saturday visits).
            for i in c.counters.indices { c.counters[i].opensSaturdays = false }
            for item in try saturdays.sequence() {
                let name = try item.string()
                guard let i = c.counters.firstIndex(where: { $0.name == name }) else {
                    throw item.error(
                        .unknownKey, "unknown counter '\(name)'\(counterList(name, c.counters.map(\.name)))")
                }
                c.counters[i].opensSaturdays = true
            }
        }
        if let face = k["cardFaceChange"] {
            let fields = try face.mapping(allowed: ["minimum", "meanExtra"])
            if let m = fields["minimum"] { c.service.cardFaceChange.minimum = try m.duration(0...86_400_000_000) }
            if let e = fields["meanExtra"] {
                c.service.cardFaceChange.meanExtra = Double(try e.duration(0...86_400_000_000))
            }
        }
        if let check = k["secondCheck"] {
            // `off` to see what the second-person check costs; otherwise its time.
            if check.node.scalar?.string == "off" {
                c.service.secondCheckOn = false
            } else {
                let fields = try check.mapping(allowed: ["minimum", "meanExtra"])
                if let m = fields["minimum"] { c.service.secondCheck.minimum = try m.duration(0...86_400_000_000) }
                if let e = fields["meanExtra"] {
                    c.service.secondCheck.meanExtra = Double(try e.duration(0...86_400_000_000))
                }
            }
        }
        if let p = k["closing"] {
            let text = try p.string()
            guard let policy = ClosingPolicy(rawValue: text) else {
                throw p.error(
                    .value,
                    "closing must be one of \(ClosingPolicy.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'"
                )
            }
            c.closingPolicy = policy
        }
        if let clerks = k["clerks"] {
            for (name, value) in try clerks.entries() {
                let targets = try counterIndices(name, value, c.counters)
                let n = try value.int(1...1_000)
                for i in targets { c.counters[i].clerks = n }
            }
        }
        try parseContractors(k["contractors"], into: &c.counters)
        if let staffing = k["staffing"] { try parseStaffing(staffing, into: &c.counters) }
        if let procedures = k["procedures"] { try parseProcedures(procedures, into: &c.counters) }
        if let hours = k["hours"] { try parseHours(hours, into: &c.counters) }
        if let breaks = k["lunchBreaks"] { c.lunchBreaks = try parseLunchBreaks(breaks) }
        if let visitors = k["visitors"] { try parseVisitors(visitors, into: &c.service.visitors) }
        if let desk = k["desk"] { try parseFlowTimes(desk, into: &c.service.desk, fallback: .minutes(5, plus: 5)) }
        if let extra = k["perExtraPerson"] {
            try parseFlowTimes(extra, into: &c.service.perExtraPerson, fallback: .minutes(0, plus: 0))
        }
    }

    /// A counter flow by name: rates and desk times are for the flows residents start (the flow table says which).
    static func flowNamed(_ name: String, _ value: YAMLValue) throws(ScenarioError) -> Flow {
        let names = Flow.counterFlows.map(\.descriptor.name)
        guard let flow = Flow(named: name), flow.descriptor.atCounter else {
            let hint = Suggestion.closest(to: name, in: names).map { "; did you mean '\($0)'?" } ?? ""
            let batch =
                Flow(named: name).map { _ in " ('\(name)' is a batch job with no counter journey: see 'batches')" }
                ?? ""
            throw value.error(
                .unknownKey,
                "unknown counter flow '\(name)'\(batch)\(hint); counter flows: \(names.joined(separator: ", "))")
        }
        return flow
    }

    /// The defaults follow the population: rates per resident (Fujisawa's per-day figures ÷ 445,283) times the
    /// residents, and for a municipality other than Fujisawa, counters by Fujisawa's ratios
    /// (``CounterConfiguration/derived(residents:towns:)``).
    static func followPopulation(_ c: inout NetworkConfiguration) {
        let residents = c.municipality.residentCount
        c.workload = c.workload.scaled(toResidents: residents)
        if c.municipality.municipality != .fujisawa {
            let name = MunicipalityDirectory.entry(c.municipality.municipality)?.name ?? ""
            c.counters = CounterConfiguration.derived(
                residents: residents, towns: TownCatalog.generic(districtName: name).towns.map(\.name))
        }
    }

    static func parseWorkload(_ v: YAMLValue, into c: inout NetworkConfiguration) throws(ScenarioError) {
        let k = try v.mapping(allowed: [
            "followPopulation", "scale", "perDay", "specialMoveInShare", "cardPresentationShare",
            "relocationReservationShare",
            "onlineMoveOutsPerDay", "kanagawaShare", "errors", "identitySearch", "jlisQuery", "seasonal",
            "oneStopShare",
            "certificateMoveShare", "numberOnCertificateShare", "mainCounterShare", "moverWithoutNumberDocumentShare",
            "convenienceStoreShare", "entryCertificateShare", "removedRecordCopyShare", "codeOnCertificateShare",
            "personsPerNotice", "cardApplicationsPerDay", "cardRenewalShare", "saturdayShare", "afterHolidayFactor",
            "oneStop", "wideAreaCardShare", "wideAreaRequestsPerDay",
        ])
        if let s = k["wideAreaCardShare"] { c.workload.wideAreaCardShare = try s.double(0...1) }
        if let s = k["wideAreaRequestsPerDay"] { c.workload.wideAreaRequestsPerDay = try s.double(0...1_000_000) }
        if let s = k["saturdayShare"] { c.workload.saturdayShare = try s.double(0...1) }
        if let s = k["afterHolidayFactor"] { c.workload.afterHolidayFactor = try s.double(0...10) }
        if let o = k["oneStop"] {
            let ok = try o.mapping(allowed: ["cancellationShare", "outsideWindowShare", "leadDays"])
            if let x = ok["cancellationShare"] { c.workload.oneStopCancellationShare = try x.double(0...1) }
            if let x = ok["outsideWindowShare"] { c.workload.oneStopOutsideWindowShare = try x.double(0...1) }
            if let x = ok["leadDays"] { c.workload.oneStopLeadDays = try x.double(0...60) }
            guard c.workload.oneStopCancellationShare + c.workload.oneStopOutsideWindowShare <= 0.9 else {
                throw o.error(.range, "cancellationShare + outsideWindowShare must be at most 0.9")
            }
        }
        if let s = k["cardApplicationsPerDay"] { c.workload.cardApplicationsPerDay = try s.double(0...1_000_000) }
        if let s = k["cardRenewalShare"] { c.workload.cardRenewalShare = try s.double(0...1) }
        if let persons = k["personsPerNotice"] {
            let pk = try persons.mapping(allowed: ["moves", "relocations"])
            if let m = pk["moves"] { c.workload.movePersons = try personShares(m) }
            if let r = pk["relocations"] { c.workload.relocationPersons = try personShares(r) }
        }
        if let f = k["followPopulation"], try !f.bool() {
            // Fujisawa's absolute figures, whatever the population (a stress test of a small register).
            c.workload.perDay = Workload.typicalWeekday.perDay
            c.workload.onlineMoveOutsPerDay = Workload.typicalWeekday.onlineMoveOutsPerDay
            c.workload.cardApplicationsPerDay = Workload.typicalWeekday.cardApplicationsPerDay
            c.workload.wideAreaRequestsPerDay = Workload.typicalWeekday.wideAreaRequestsPerDay
        }
        if let season = k["seasonal"] {
            let months = [
                "january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december",
            ]
            let sk = try season.mapping(allowed: months)
            for (i, m) in months.enumerated() {
                if let v = sk[m] { c.workload.seasonal[i] = try v.double(0...100) }
            }
        }
        if let p = k["perDay"] {
            for (name, value) in try p.entries() {
                let flow = try flowNamed(name, value)
                guard !Workload.derivedRates.contains(flow) else {
                    throw value.error(
                        .value, "\(name) has no rate of its own: it is moveIn × specialMoveInShare")
                }
                c.workload.perDay[flow] = try value.double(0...1_000_000)
            }
        }
        if let s = k["scale"] {
            let f = try s.double(0...1_000)
            c.workload.perDay = c.workload.perDay.mapValues { $0 * f }
            c.workload.onlineMoveOutsPerDay *= f
            c.workload.cardApplicationsPerDay *= f
            c.workload.wideAreaRequestsPerDay *= f
        }
        if let s = k["specialMoveInShare"] { c.workload.specialMoveInShare = try s.double(0...1) }
        if let s = k["cardPresentationShare"] { c.workload.cardPresentationShare = try s.double(0...1) }
        if let s = k["relocationReservationShare"] { c.workload.relocationReservationShare = try s.double(0...1) }
        if let s = k["onlineMoveOutsPerDay"] { c.workload.onlineMoveOutsPerDay = try s.double(0...1_000_000) }
        if let s = k["kanagawaShare"] { c.workload.kanagawaShare = try s.double(0...1) }
        if let s = k["certificateMoveShare"] { c.workload.certificateMoveShare = try s.double(0...1) }
        if let s = k["numberOnCertificateShare"] { c.workload.numberOnCertificateShare = try s.double(0...1) }
        if let s = k["convenienceStoreShare"] { c.workload.convenienceStoreShare = try s.double(0...1) }
        if let s = k["codeOnCertificateShare"] { c.workload.codeOnCertificateShare = try s.double(0...1) }
        if let s = k["entryCertificateShare"] { c.workload.entryCertificateShare = try s.double(0...1) }
        if let s = k["removedRecordCopyShare"] { c.workload.removedRecordCopyShare = try s.double(0...1) }
        guard c.workload.entryCertificateShare + c.workload.removedRecordCopyShare <= 1 else {
            throw v.error(.range, "workload.entryCertificateShare + removedRecordCopyShare must be at most 1")
        }
        if let s = k["moverWithoutNumberDocumentShare"] {
            c.workload.moverWithoutNumberDocumentShare = try s.double(0...1)
        }
        if let m = k["mainCounterShare"] {
            for (name, value) in try m.entries() {
                let flow = try flowNamed(name, value)
                c.workload.mainCounterShare[flow] = try value.double(0...1)
            }
        }
        // After the rates and the scale: the share redistributes movers between the counter and online.
        if let s = k["oneStopShare"] { c.workload.setOneStopShare(try s.double(0...1)) }
        if let e = k["errors"] {
            let ek = try e.mapping(allowed: [
                "cardNotBrought", "pinFailure", "cardExpired", "cardSuspended", "cardRevoked", "certificateDataMissing",
                "deadlinePassed",
            ])
            if let x = ek["cardNotBrought"] { c.workload.cardNotBrought = try x.double(0...1) }
            if let x = ek["pinFailure"] { c.workload.pinFailure = try x.double(0...1) }
            if let x = ek["cardExpired"] { c.workload.cardExpired = try x.double(0...1) }
            if let x = ek["cardSuspended"] { c.workload.cardSuspended = try x.double(0...1) }
            if let x = ek["cardRevoked"] { c.workload.cardRevoked = try x.double(0...1) }
            if let x = ek["certificateDataMissing"] { c.workload.certificateDataMissing = try x.double(0...1) }
            if let x = ek["deadlinePassed"] { c.workload.deadlinePassed = try x.double(0...1) }
            let cardShares = c.workload.cardExpired + c.workload.cardSuspended + c.workload.cardRevoked
            guard cardShares <= 1 else {
                throw e.error(.range, "cardExpired + cardSuspended + cardRevoked must be at most 1")
            }
        }
        if let s = k["identitySearch"] {
            let sk = try s.mapping(allowed: ["basicFactsShare", "insufficientFactsShare", "numberShare"])
            if let x = sk["numberShare"] { c.workload.numberSearchShare = try x.double(0...1) }
            if let x = sk["basicFactsShare"] { c.workload.basicFactsSearchShare = try x.double(0...1) }
            if let x = sk["insufficientFactsShare"] { c.workload.insufficientFactsShare = try x.double(0...1) }
        }
        if let q = k["jlisQuery"] {
            let qk = try q.mapping(allowed: ["basicFactsShare", "codeShare"])
            if let x = qk["basicFactsShare"] { c.workload.basicFactsQueryShare = try x.double(0...1) }
            if let x = qk["codeShare"] { c.workload.codeQueryShare = try x.double(0...1) }
            guard c.workload.basicFactsQueryShare + c.workload.codeQueryShare <= 1 else {
                throw q.error(.range, "basicFactsShare + codeShare must be at most 1")
            }
        }
    }

    /// Information sharing: `off` (no body asks), or the request rates (per resident per year, and per day for named
    /// rows of the permission list), the shares asking outside the list and needing review, and the reviewing clerks.
    static func parseInformationSharing(_ v: YAMLValue, into c: inout InformationSharingConfiguration)
        throws(ScenarioError)
    {
        if v.node.scalar?.string == "off" {
            c.requestsOn = false
            return
        }
        let k = try v.mapping(allowed: [
            "requestsPerResidentYear", "items", "offListShare", "reviewShare", "reviewClerks", "reviewTime",
        ])
        if let x = k["requestsPerResidentYear"] { c.requestsPerResidentYear = try x.double(0...1_000) }
        if let items = k["items"] {
            for (name, value) in try items.entries() {
                guard let n = UInt16(name), PermissionList.residentRegister.contains(ProvisionItem(n)) else {
                    throw value.error(
                        .value,
                        "'\(name)' is no row of the permission list: the rows giving 住民票関係情報 are "
                            + PermissionList.residentRegister.items.map { "\($0.number)" }.joined(separator: ", "))
                }
                c.itemRates[ProvisionItem(n)] = try value.double(0...1_000_000)
            }
        }
        if let x = k["offListShare"] { c.offListShare = try x.double(0...1) }
        if let x = k["reviewShare"] { c.reviewShare = try x.double(0...1) }
        if let x = k["reviewClerks"] { c.reviewClerks = try x.int(1...1_000) }
        if let t = k["reviewTime"] {
            let fields = try t.mapping(allowed: ["minimum", "meanExtra"])
            if let m = fields["minimum"] { c.reviewTime.minimum = try m.duration(0...86_400_000_000) }
            if let e = fields["meanExtra"] { c.reviewTime.meanExtra = Double(try e.duration(0...86_400_000_000)) }
        }
    }

    static func parseBatches(_ v: YAMLValue, into c: inout NetworkConfiguration) throws(ScenarioError) {
        let k = try v.mapping(allowed: ["bulkNumberAssignment", "consistencyCheck", "deliveryRecords", "exOfficio"])
        if let b = k["exOfficio"] {
            // `off`, or `at`, `removalsPerDay` and `entriesPerDay`.
            if b.node.scalar?.string == "off" {
                c.exOfficio.at = nil
            } else {
                let bk = try b.mapping(allowed: ["at", "removalsPerDay", "entriesPerDay"])
                if let at = bk["at"] { c.exOfficio.at = at.node.scalar?.string == "off" ? nil : try at.timeOfDay() }
                if let x = bk["removalsPerDay"] { c.exOfficio.removalsPerDay = try x.double(0...10_000) }
                if let x = bk["entriesPerDay"] { c.exOfficio.entriesPerDay = try x.double(0...10_000) }
            }
        }
        if let b = k["bulkNumberAssignment"] {
            let bk = try b.mapping(allowed: ["at", "batch"])
            c.bulkAssignmentAt = try bk["at"]?.timeOfDay() ?? 0
            if let n = bk["batch"] { c.bulkBatchSize = try n.int(1...10_000_000) }
        }
        if let b = k["consistencyCheck"] { try parseConsistencyCheck(b, into: &c.consistencyCheck) }
        if let b = k["deliveryRecords"] { try batchTime(b, into: &c.deliveryBatchAt) }
    }

    /// The consistency check: `off`, or `yearly: "MM-DD"` (or `off`), `onDemand: [YYYY-MM-DD, …]` and `at: "HH:MM"`
    /// (`at: off` also turns it off).
    static func parseConsistencyCheck(_ b: YAMLValue, into schedule: inout ConsistencyCheckSchedule)
        throws(ScenarioError)
    {
        if b.node.scalar?.string == "off" {
            schedule = .off
            return
        }
        let bk = try b.mapping(allowed: ["yearly", "onDemand", "at"])
        if let at = bk["at"] {
            if at.node.scalar?.string == "off" {
                schedule = .off
                return
            }
            schedule.at = try at.timeOfDay()
        }
        if let y = bk["yearly"] {
            let text = try y.string()
            if text == "off" {
                schedule.yearly = nil
            } else {
                let parts = text.split(separator: "-", omittingEmptySubsequences: false)
                // Checked against a leap year, so 02-29 is accepted (it then runs in leap years only).
                guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let m = Int(parts[0]),
                    let d = Int(parts[1]), (try? CivilDate(parsing: "2024-\(text)", field: y.path)) != nil
                else { throw y.error(.value, "'\(text)' is not a day of the year: write MM-DD, e.g. 11-01, or off") }
                schedule.yearly = (m, d)
            }
        }
        if let list = bk["onDemand"] {
            schedule.onDemand = try list.sequence().map { (v) throws(ScenarioError) in try v.date() }
        }
    }

    /// A nightly batch's time: `off` (as the batch's value or as its `at`) skips it, `at: "HH:MM"` moves it.
    static func batchTime(_ b: YAMLValue, into time: inout Int64?) throws(ScenarioError) {
        if b.node.scalar?.string == "off" {
            time = nil
            return
        }
        let bk = try b.mapping(allowed: ["at"])
        guard let at = bk["at"] else { return }
        time = at.node.scalar?.string == "off" ? nil : try at.timeOfDay()
    }

    static func parseCanary(_ v: YAMLValue, seed: UInt64) throws(ScenarioError) -> CanaryRun {
        let k = try v.mapping(allowed: [
            "points", "servers", "utilization", "meanService", "customersPerPoint", "window",
        ])
        var c = CanaryRun()
        c.seed = seed
        if let x = k["points"] { c.points = try x.int(1...1_000) }
        if let x = k["servers"] { c.servers = try x.int(1...1_000) }
        if let x = k["utilization"] {
            c.utilization = try x.double(0...1)
            guard c.utilization > 0, c.utilization < 1 else {
                throw x.error(.range, "utilization must be above 0 and below 1 (at 1 the queue grows without bound)")
            }
        }
        if let x = k["meanService"] { c.meanService = Double(try x.duration(1...86_400_000_000)) }
        if let x = k["customersPerPoint"] { c.customersPerPoint = try x.int(1...100_000_000) }
        if let x = k["window"] {
            c.windowInServiceTimes = try x.double(0...1_000_000)
            guard c.windowInServiceTimes > 0 else { throw x.error(.range, "window must be above 0 service times") }
        }
        return c
    }

    static func parseLoad(_ v: YAMLValue, into c: inout NetworkConfiguration) throws(ScenarioError) -> LoadProfile {
        let workload = c.workload
        let k = try v.mapping(allowed: [
            "rate", "scale", "duration", "stages", "delays", "maxLateness", "minimumAchieved", "quantum", "fanOut",
            "slowHandler",
        ])
        let start: Double
        switch (k["rate"], k["scale"]) {
        case (let r?, nil): start = try r.double(0.001...10_000_000)
        case (nil, let s?):
            // The scenario's own mix and rates (per office day), compressed into seconds by `scale`.
            let perSecond = workload.perDay.values.reduce(0, +) / 32_400
            start = perSecond * (try s.double(0.001...1_000_000_000))
            guard start <= 10_000_000 else {
                throw s.error(.range, "the scaled rate is \(Int(start)) journeys/s; at most 10,000,000")
            }
        case (_?, _?): throw v.error(.value, "give 'rate' or 'scale', not both")
        case (nil, nil): throw v.error(.missingKey, "'load' needs 'rate' (journeys per second) or 'scale'")
        }
        var stages: [LoadProfile.Stage] = []
        if let d = k["duration"] {
            let us = try d.duration(100_000...3_600_000_000)
            stages.append(LoadProfile.Stage(seconds: Double(us) / 1e6, target: start))
        }
        if let list = k["stages"] {
            for item in try list.sequence() {
                let sk = try item.mapping(allowed: ["duration", "target"])
                guard let d = sk["duration"], let t = sk["target"] else {
                    throw item.error(.missingKey, "a stage needs 'duration' and 'target' (journeys per second)")
                }
                stages.append(
                    LoadProfile.Stage(
                        seconds: Double(try d.duration(100_000...3_600_000_000)) / 1e6,
                        target: try t.double(0...10_000_000)))
            }
        }
        guard !stages.isEmpty else { throw v.error(.missingKey, "'load' needs 'duration' or 'stages'") }
        var profile = LoadProfile(startRate: start, stages: stages)
        guard profile.seconds <= 3_600 else { throw v.error(.range, "a load run lasts at most 1h") }
        if let d = k["delays"] {
            if d.node.scalar?.string == "skip" {
                profile.delayScale = 0
            } else {
                profile.delayScale = try d.double(0...1)
            }
        }
        if let m = k["maxLateness"] { profile.maxLateness = try m.duration(1_000...60_000_000) }
        if let m = k["minimumAchieved"] { profile.minimumAchieved = try m.double(0...1) }
        if let q = k["quantum"] { c.loadQuantum = try q.duration(1...100_000) }
        // Measured here: at 100,000 journeys/s, windows with fewer than 16 active nodes are cheaper on one thread
        // than spread over the pool (p99 0.3 ms against 0.5–3 ms with the virtual-time default of 2).
        c.fanOutThreshold = 16
        if let f = k["fanOut"] { c.fanOutThreshold = try f.int(2...100_000) }
        if let s = k["slowHandler"] {
            // A deliberately slowed register system, to see a stall in the corrected percentiles.
            let sk = try s.mapping(allowed: ["every", "for"])
            guard let every = sk["every"], let stall = sk["for"] else {
                throw s.error(.missingKey, "'slowHandler' needs 'every' (requests) and 'for' (a duration)")
            }
            c.service.slowEvery = try every.int(1...100_000_000)
            c.service.slowFor = try stall.duration(1...10_000_000)
        }
        return profile
    }

    /// Thresholds by metric; `counters` are the scenario's counter names, which `counters.<name>.*` must use.
    static func parseThresholds(_ v: YAMLValue, counters: [String]) throws(ScenarioError) -> [Threshold] {
        var result: [Threshold] = []
        for (metric, value) in try v.entries() {
            guard ThresholdMetrics.isKnown(metric) else {
                throw value.error(.unknownKey, "unknown metric '\(metric)' (\(ThresholdMetrics.grammar))")
            }
            if metric.hasPrefix("counters.") {
                let name = metric.dropFirst("counters.".count).split(separator: ".").dropLast().joined(separator: ".")
                guard name == "*" || counters.contains(name) else {
                    throw value.error(
                        .unknownKey, "unknown counter '\(name)' in '\(metric)'\(counterList(name, counters))")
                }
            }
            for item in try value.sequence() {
                switch Threshold.parse(try item.string(), metric: metric) {
                case .success(let t):
                    if let problem = ThresholdMetrics.check(t.statistic, on: metric) {
                        throw item.error(.value, "threshold '\(t.expression)': \(problem)")
                    }
                    result.append(t)
                case .failure(let e): throw item.error(.value, "threshold '\(e.expression)': \(e.reason)")
                }
            }
        }
        return result
    }

    /// "; did you mean …?; counters: …" for an unknown counter name.
    static func counterList(_ name: String, _ counters: [String]) -> String {
        (Suggestion.closest(to: name, in: counters).map { "; did you mean '\($0)'?" } ?? "")
            + "; counters: " + counters.joined(separator: ", ") + " (or * for every counter)"
    }
}
