import Foundation
import JukiCore
import JukiNetwork
import JukiPopulation
import JukiSimulation

/// A random but valid scenario drawn from fuzz input bytes, and its run: the model fuzzer (Fuzz/README.md).
///
/// The bytes are read as a stream of choices and written out as scenario YAML, so every scenario goes through the
/// validator users meet; choices reach the extremes the validator accepts (zero and huge rates, one clerk or a
/// thousand, every fault kind with its smallest and largest parameters). Rates and the run's length are then fitted
/// to `journeyBudget`, so one input stays cheap however extreme its rates.
public struct RandomScenario: Sendable {
    /// The scenario file, as a user would write it.
    public let yaml: String
    /// At most this many journeys are expected: rates and the office hours the run covers were fitted to it.
    public let journeyBudget: Int
    /// Whether the generated file turns store-and-forward off (updates may then be lost by design).
    public let storeAndForward: Bool
    /// Whether `run()` also renders every report: one input in eight, as rendering costs about as much as the run.
    public let rendersReports: Bool
    /// A seed `run()` puts in place of the file's, as `jukisim run --seed` does (the storm is drawn again).
    public let reseed: UInt64?

    /// Builds the scenario the bytes describe; past the end of the bytes every choice is the plainest one.
    public init(bytes: some Sequence<UInt8>, journeyBudget: Int = 2_000) {
        var c = Choices(Array(bytes))
        var w = ScenarioWriter()
        self.journeyBudget = journeyBudget
        w.line("name: fuzz-model")
        w.line("seed: \(c.below(65_536))")
        let date = c.pick(Self.dates)
        w.line("start: \(date.text)")

        // The workload first: the run's length is fitted to its rates.
        var workload = WorkloadChoices()
        workload.choose(&c)

        let plan = Self.runLength(&c, workload: workload, date: date.date, budget: journeyBudget)
        workload.scale = plan.scale
        w.line("duration: \(plan.duration)")
        let runEnd = plan.microseconds
        let days = Int((runEnd + SimulatedTime.microsecondsPerDay - 1) / SimulatedTime.microsecondsPerDay)

        let counterNames = Self.population(&c, &w)
        if c.chance(1, in: 4) { Self.network(&c, &w) }
        if c.chance(1, in: 2) { Self.counters(&c, &w, names: counterNames) }
        workload.write(&w)
        if c.chance(1, in: 2) { Self.batches(&c, &w, start: date.date, days: days) }
        if c.chance(1, in: 2) { Self.security(&c, &w) }
        var storeAndForward = true
        if c.chance(2, in: 3) { storeAndForward = Self.faults(&c, &w, runEnd: runEnd, days: days) }
        self.storeAndForward = storeAndForward
        if c.chance(1, in: 2) { Self.thresholds(&c, &w) }
        yaml = w.text
        rendersReports = c.chance(1, in: 8)
        reseed = c.chance(1, in: 8) ? UInt64(c.below(65_536)) : nil
    }

    /// The scenario through the validator (a refusal is the generator's miss, not a model bug).
    public func scenario() throws(ScenarioError) -> Scenario { try Scenario.parse(yaml, file: "fuzz-model.yaml") }

    // MARK: - Choices

    static let dates: [(text: String, date: CivilDate)] = [
        ("2026-03-02", CivilDate(year: 2026, month: 3, day: 2)),  // a Monday in the moving season
        ("2026-03-06", CivilDate(year: 2026, month: 3, day: 6)),  // a Friday: longer runs meet a weekend
        ("2026-03-07", CivilDate(year: 2026, month: 3, day: 7)),  // a Saturday: counters closed
        ("2026-03-31", CivilDate(year: 2026, month: 3, day: 31)),  // the season changes at midnight
        ("2026-04-28", CivilDate(year: 2026, month: 4, day: 28)),  // Golden Week follows
        ("2026-12-28", CivilDate(year: 2026, month: 12, day: 28)),  // the year-end closure follows
        ("2027-01-04", CivilDate(year: 2027, month: 1, day: 4)),
        ("2026-06-15", CivilDate(year: 2026, month: 6, day: 15)),
        ("2000-02-28", CivilDate(year: 2000, month: 2, day: 28)),  // a leap day, outside the holiday table
        ("2099-12-30", CivilDate(year: 2099, month: 12, day: 30)),
    ]

    /// Office hours of the standard calendar, µs after midnight.
    static let opening = BusinessCalendar.standard.opening
    static let closing = BusinessCalendar.standard.closing

    /// How long to run and the scale that keeps the expected journeys within `budget`.
    static func runLength(
        _ c: inout Choices, workload: WorkloadChoices, date: CivilDate, budget: Int
    ) -> (duration: String, microseconds: Int64, scale: Double?) {
        let hour: Int64 = 3_600_000_000
        let day = SimulatedTime.microsecondsPerDay
        var scale = workload.scale
        let shape = c.below(8)
        // Counters are open 08:30–17:00; most runs reach into office hours, some stop before, some last days.
        var length: Int64
        switch shape {
        case 0: length = hour + Int64(c.below(7 * 60)) * 60_000_000
        case 1, 2, 3: length = opening + Int64(c.below(3_600)) * 1_000_000 + 1_000_000
        case 4: length = opening + Int64(c.below(9 * 60)) * 60_000_000
        case 5, 6: length = day
        default: length = day * Int64(2 + c.below(c.chance(1, in: 8) ? 30 : 6))
        }
        // Fit: shorten the run to where the counters have seen `budget` journeys, then lower the scale if even
        // the shortest run through the opening is too much.
        func journeys(_ end: Int64, _ s: Double?) -> Double {
            workload.expectedJourneys(date: date, until: end, scale: s)
        }
        if journeys(length, scale) > Double(budget) {
            if length > day { length = day }
            if journeys(length, scale) > Double(budget) {
                // Binary search on whole seconds after the opening.
                var low: Int64 = 1
                var high = (closing - opening) / 1_000_000
                while low < high {
                    let mid = (low + high + 1) / 2
                    if journeys(opening + mid * 1_000_000, scale) <= Double(budget) {
                        low = mid
                    } else {
                        high = mid - 1
                    }
                }
                length = max(opening + low * 1_000_000, hour)
            }
            // An explicit onlineMoveOutsPerDay is not scaled: at most 500 a day, so give up after a few tries.
            for _ in 0..<12 where journeys(length, scale) > Double(budget) { scale = (scale ?? 1) / 10 }
        }
        let text =
            length % day == 0
            ? "\(length / day)d" : length % 60_000_000 == 0 ? "\(length / 60_000_000)m" : "\(length / 1_000_000)s"
        return (text, length, scale)
    }

    /// Writes the population; returns the home municipality's counter names (Fujisawa's, or those derived from
    /// another home's size).
    static func population(_ c: inout Choices, _ w: inout ScenarioWriter) -> [String] {
        w.line("population:")
        let residents = c.chance(1, in: 8) ? c.pick([1, 2, 3, 10, 50]) : 100 + c.below(2_900)
        w.line("  residents: \(residents)")
        if c.chance(1, in: 2) { w.line("  undesignatedShare: \(c.share())") }
        var names = CounterConfiguration.fujisawa.map(\.name)
        if c.chance(1, in: 8) {
            // Fujisawa's neighbours, a home that is also one of the light municipalities, and far-away ones.
            let code = c.pick(["142042", "141003", "011002", "131016", "472018", "473821"])
            w.line("  municipality: \"\(code)\"")
            names = CounterConfiguration.derived(
                residents: residents, towns: TownCatalog.generic(districtName: "").towns.map(\.name)
            ).map(\.name)
        }
        // 78 light municipalities: their populations are most of the setup, so they stay small.
        let others = c.chance(1, in: 8) ? c.pick([10, 300]) : 10 + c.below(90)
        w.line("  others: {residents: \(others), ownEvents: \(c.chance(3, in: 4))}")
        return names
    }

    static let durations = ["0ms", "1us", "1ms", "20ms", "500ms", "5s", "90s", "10m", "1h"]

    static func network(_ c: inout Choices, _ w: inout ScenarioWriter) {
        var links: [String] = []
        if c.chance(1, in: 2) {
            let names = [
                "counterLAN", "registerToCS", "csToPrefecture", "prefectureToNational", "csToCardSystem", "csToCS",
                "portal", "residentToCounter",
            ]
            for link in names where c.chance(1, in: 3) {
                let minimum = c.pick(["1us", "50us", "1ms", "5ms", "100ms", "2s", "60s"])
                links.append("\(link): {minimum: \(minimum), meanExtra: \(c.pick(["0ms", "1us", "2ms", "1s", "60s"]))}")
            }
        }
        var servers: [String] = []
        if c.chance(1, in: 2) {
            for server in [
                "registerSystem", "municipalCS", "prefectureServer", "nationalServer", "cardManagementSystem",
            ]
            where c.chance(1, in: 3) {
                servers.append(
                    "\(server): {workers: \(c.pick([1, 2, 4, 100, 10_000])), "
                        + "serviceMinimum: \(c.pick(durations)), serviceMeanExtra: \(c.pick(durations))}")
            }
        }
        w.mapping("network", [("links", links), ("servers", servers)])
    }

    static func counters(_ c: inout Choices, _ w: inout ScenarioWriter, names: [String]) {
        var clerks: [String] = []
        if c.chance(1, in: 2) { clerks.append("\"*\": \(c.pick([1, 2, 3, 10, 1_000]))") }
        for name in names where c.chance(1, in: 6) {
            clerks.append("\(name): \(c.pick([1, 2, 5, 1_000]))")
        }
        var desk: [String] = []
        if c.chance(1, in: 2) {
            for flow in Flow.counterFlows where c.chance(1, in: 4) {
                let times = ["0s", "1s", "30s", "5m", "1h", "1d"]
                desk.append("\(flow.descriptor.name): {minimum: \(c.pick(times)), meanExtra: \(c.pick(times))}")
            }
        }
        // The closing policies: the queue served after hours, sent home, or carried to the next opening.
        var closing = c.chance(1, in: 2) ? ["closing: \(c.pick(ClosingPolicy.allCases).rawValue)"] : []
        // Counter support off, or with extreme savings, failure shares and times.
        switch c.below(4) {
        case 1: closing.append("support: off")
        case 2:
            closing.append(
                "support: {deskSaving: \(c.pick([0, 0.3, 1])), ocrFailureShare: \(c.pick([0, 0.05, 1])), "
                    + "manualFallback: \(c.pick(["0s", "1m", "1h"])), ocrTime: \(c.pick(["0s", "5s", "10m"]))}")
        default: break
        }
        w.mapping("counters", [("clerks", clerks), ("desk", desk), ("", closing)])
    }

    static func batches(_ c: inout Choices, _ w: inout ScenarioWriter, start: CivilDate, days: Int) {
        var lines: [String] = []
        if c.chance(1, in: 2) {
            lines.append(
                "bulkNumberAssignment: {at: \"\(c.timeOfDay())\", batch: \(c.pick([1, 7, 1_000, 10_000_000]))}")
        }
        switch c.below(4) {
        case 1: lines.append("consistencyCheck: off")
        case 2:
            let on = start.adding(days: c.below(max(days, 1)))
            lines.append("consistencyCheck: {at: \"\(c.timeOfDay())\", onDemand: [\(on.description)]}")
        case 3: lines.append("consistencyCheck: {yearly: \"\(c.pick(["03-02", "06-15", "11-01", "02-29"]))\"}")
        default: break
        }
        switch c.below(3) {
        case 1: lines.append("deliveryRecords: off")
        case 2: lines.append("deliveryRecords: {at: \"\(c.timeOfDay())\"}")
        default: break
        }
        w.mapping("batches", [("", lines)])
    }

    /// Nodes a revocation or a wrong key can name: the home CS, the national systems, prefecture servers (the
    /// home one among them) and light municipalities.
    static let securityNodes = [
        "municipalCS", "nationalServer", "cardManagementSystem", "prefectureServer.14", "prefectureServer.13",
        "prefectureServer.1", "municipality.141003", "municipality.142042", "municipality.011002",
    ]

    static func security(_ c: inout Choices, _ w: inout ScenarioWriter) {
        w.line("security:")
        let inquiry = c.share()
        // The two shares together at most 1, often exactly 1; rounding must not push the sum past it.
        let rest = 1 - inquiry
        let most = inquiry + rest > 1 ? rest.nextDown : rest
        w.line("  inquiryOnlyShare: \(inquiry)")
        w.line("  nonNumberUseShare: \(c.pick([0, most, most / 2]))")
        w.line("  mutualAuthentication: \(c.chance(3, in: 4) ? "on" : "off")")
        for key in ["revokedNodes", "misconfiguredNodes"] where c.chance(1, in: 3) {
            let nodes = securityNodes.filter { _ in c.chance(1, in: 5) }
            w.line("  \(key): [\(nodes.joined(separator: ", "))]")
        }
    }

    static let nodes = [
        "registerSystem", "municipalCS", "cardManagementSystem", "nationalServer", "prefectureServer",
        "prefectureServer.14", "prefectureServer.1", "prefectureServer.47",
    ]
    static let faultLinks = Scenario.faultLinks.map(\.description)

    /// `faults`; returns whether store-and-forward stays on.
    static func faults(_ c: inout Choices, _ w: inout ScenarioWriter, runEnd: Int64, days: Int) -> Bool {
        w.line("faults:")
        let storeAndForward = !c.chance(1, in: 4)
        let count = c.below(7)
        let storm = c.chance(1, in: 2)
        // `faults:` needs at least one key.
        if !storeAndForward || c.chance(1, in: 4) || (count == 0 && !storm) {
            w.line("  storeAndForward: \(storeAndForward)")
        }
        if count > 0 {
            w.line("  scheduled:")
            for _ in 0..<count {
                let kind = c.pick(FaultKind.allCases)
                var fields = ["kind: \(kind)"]
                // Counter support takes outages only.
                let node = kind == .outage && c.chance(1, in: 6) ? "counterSupport" : c.pick(nodes)
                fields.append(kind.targetsNode ? "node: \(node)" : "link: \(c.pick(faultLinks))")
                // Mostly from half an hour before the opening to the end of the run, when journeys meet it;
                // sometimes anywhere in the run, or anywhere in the day.
                let day = 1 + c.below(days)
                let minutesLeft = Int(
                    min(runEnd - Int64(day - 1) * SimulatedTime.microsecondsPerDay, SimulatedTime.microsecondsPerDay)
                        / 60_000_000)
                let early = Int(opening / 60_000_000) - 30
                let minute: Int
                switch c.below(4) {
                case 0, 1: minute = minutesLeft > early ? early + c.below(minutesLeft - early) : c.below(minutesLeft)
                case 2: minute = c.below(minutesLeft)
                default: minute = c.below(24 * 60 + 1)
                }
                let at = Int64(minute) * 60_000_000
                fields.append("at: \"\(ScenarioWriter.clock(at))\"")
                if days > 1 || c.chance(1, in: 4) { fields.append("day: \(day)") }
                fields.append("duration: \(c.pick(["1ms", "1s", "1m", "15m", "2h", "1d", "7d"]))")
                switch kind {
                case .loss: fields.append("rate: \(c.pick([0, 0.01, 0.3, 0.99, 1]))")
                case .latencySpike: fields.append("extra: \(c.pick(["1us", "50ms", "2s", "10m", "1h"]))")
                case .slowdown: fields.append("factor: \(c.pick([1, 1.5, 10, 1_000]))")
                case .outage, .partition: break
                }
                w.line("    - {\(fields.joined(separator: ", "))}")
            }
        }
        if storm {
            var fields = ["count: \(c.pick([1, 3, 20, 120, 2_000]))"]
            if c.chance(1, in: 2) {
                let from = Int64(c.below(24 * 60)) * 60_000_000
                let until = from + Int64(1 + c.below(24 * 60 - Int(from / 60_000_000))) * 60_000_000
                fields.append("from: \"\(ScenarioWriter.clock(from))\"")
                fields.append("until: \"\(ScenarioWriter.clock(until))\"")
            }
            if c.chance(1, in: 2) {
                let kinds = FaultKind.allCases.filter { _ in c.chance(1, in: 2) }
                fields.append(
                    "kinds: [\((kinds.isEmpty ? [.outage] : kinds).map(\.description).joined(separator: ", "))]")
            }
            if c.chance(1, in: 2) { fields.append("maxDuration: \(c.pick(["1s", "1m", "10m", "2h", "1d"]))") }
            w.line("  random: {\(fields.joined(separator: ", "))}")
        }
        return storeAndForward
    }

    static func thresholds(_ c: inout Choices, _ w: inout ScenarioWriter) {
        let all = [
            ("journeys.certificate.latency", "\"p(95)<2h\""), ("journeys.moveIn.failed", "\"rate<0.5\""),
            ("counters.*.wait", "\"p(99)<1d\""), ("counters.*.utilization", "\"value<=1\""),
            ("invariants.lostUpdates", "\"count==0\""), ("invariants.pendingUpdates", "\"count>=0\""),
            ("consistency.differences", "\"count==0\""), ("consistency.remaining", "\"count==0\""),
            ("faults.injected", "\"count>=0\""), ("faults.maxBacklog", "\"value<100\""),
            ("faults.timeToDrain", "\"max<1h\""), ("faults.divergence", "\"count==0\""),
            ("faults.lostUpdates", "\"count==0\""), ("journeys.oneStopMove.latency", "\"avg<1d\""),
        ]
        w.mapping("thresholds", [("", all.filter { _ in c.chance(1, in: 3) }.map { "\($0.0): [\($0.1)]" })])
    }
}

/// The workload's choices, kept so the generator can predict how many journeys a run of a given length sees.
struct WorkloadChoices {
    var perDay: [(Flow, Double)] = []
    var scale: Double?
    var seasonal: [(Int, Double)] = []
    var shares: [(String, Double)] = []
    var onlineMoveOutsPerDay: Double?
    var oneStopShare: Double?
    var errors: [(String, Double)] = []
    var identitySearch: [(String, Double)] = []

    static let months = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]

    mutating func choose(_ c: inout Choices) {
        let rates: [Double] = [0, 0.5, 1, 10, 100, 1_200, 10_000, 1_000_000]
        for flow in Flow.counterFlows where !Workload.derivedRates.contains(flow) && c.chance(1, in: 4) {
            perDay.append((flow, c.pick(rates)))
        }
        if c.chance(1, in: 2) { scale = c.pick([0, 0.01, 0.1, 0.25, 0.5, 1, 3, 1_000]) }
        if c.chance(1, in: 6) {
            for m in 0..<12 where c.chance(1, in: 3) { seasonal.append((m, c.pick([0, 0.5, 2, 100]))) }
        }
        for key in ["specialMoveInShare", "cardPresentationShare", "relocationReservationShare", "kanagawaShare"]
        where c.chance(1, in: 4) {
            shares.append((key, c.share()))
        }
        if c.chance(1, in: 5) { onlineMoveOutsPerDay = c.pick([0, 1, 12, 500]) }
        if c.chance(1, in: 3) { oneStopShare = c.share() }
        if c.chance(1, in: 4) {
            for key in ["cardNotBrought", "pinFailure", "certificateDataMissing", "deadlinePassed"]
            where c.chance(1, in: 2) {
                errors.append((key, c.share()))
            }
            // The three card states together at most 1: all three are written, as a default could tip the sum.
            var sum = 0.0
            for key in ["cardExpired", "cardSuspended", "cardRevoked"] {
                let left = 1 - sum
                var x = c.pick([0, left, left / 2, left / 10])
                while sum + x > 1 { x = x.nextDown }
                errors.append((key, x))
                sum += x
            }
        }
        if c.chance(1, in: 4) {
            identitySearch = [("basicFactsShare", c.share()), ("insufficientFactsShare", c.share())]
        }
    }

    /// The workload the validator will build from these choices, with `scale` in place of the chosen one.
    func workload(scale s: Double?) -> Workload {
        var w = NetworkConfiguration().workload
        for (m, x) in seasonal { w.seasonal[m] = x }
        for (flow, x) in perDay { w.perDay[flow] = x }
        if let s {
            w.perDay = w.perDay.mapValues { $0 * s }
            w.onlineMoveOutsPerDay *= s
        }
        if let x = onlineMoveOutsPerDay { w.onlineMoveOutsPerDay = x }
        for (key, x) in shares where key == "specialMoveInShare" { w.specialMoveInShare = x }
        if let x = oneStopShare { w.setOneStopShare(x) }
        return w
    }

    /// Journeys expected from midnight of `date` until `end` µs later: counter arrivals in office hours of
    /// business days, and online filings around the clock.
    func expectedJourneys(date: CivilDate, until end: Int64, scale s: Double?) -> Double {
        let w = workload(scale: s)
        // The first weekday back brings more (the after-holiday factor): counted on every day, an upper bound.
        let dayFactor = max(w.afterHolidayFactor, 1)
        func perOfficeDay(month: Int) -> Double {
            Flow.counterFlows.reduce(0) { $0 + w.counterRate($1) * w.seasonalFactor($1, month: month) } * dayFactor
        }
        let dayLength = SimulatedTime.microsecondsPerDay
        let office = Double(RandomScenario.closing - RandomScenario.opening)
        var total = 0.0
        var day: Int64 = 0
        while day * dayLength < end {
            let d = date.adding(days: Int(day))
            let today = min(end - day * dayLength, dayLength)
            total +=
                w.onlineMoveOutsPerDay * w.seasonalFactor(.moveOut, month: d.components.month) * Double(today)
                / Double(dayLength)
            if BusinessCalendar.standard.isBusinessDay(d) {
                let from = day * dayLength + RandomScenario.opening
                let open = min(end, day * dayLength + RandomScenario.closing) - from
                if open > 0 { total += perOfficeDay(month: d.components.month) * Double(open) / office }
            }
            total += w.cardApplicationsPerDay * Double(today) / Double(dayLength)
            day += 1
        }
        // One-stop movers are planned (and their filings drawn) for the business days after the run too, up to the
        // filing lead and the readiness days: bounded here like the run's own visits.
        let lead = min(max(w.oneStopLeadDays, 0), 365).rounded(.up) + 10
        total += w.counterRate(.oneStopMove) * dayFactor * lead / 0.1
        return total
    }

    func write(_ w: inout ScenarioWriter) {
        var lines: [String] = []
        if !seasonal.isEmpty {
            lines.append("  seasonal: {\(seasonal.map { "\(Self.months[$0.0]): \($0.1)" }.joined(separator: ", "))}")
        }
        if !perDay.isEmpty {
            lines.append("  perDay: {\(perDay.map { "\($0.0.descriptor.name): \($0.1)" }.joined(separator: ", "))}")
        }
        if let scale { lines.append("  scale: \(scale)") }
        for (key, x) in shares { lines.append("  \(key): \(x)") }
        if let x = onlineMoveOutsPerDay { lines.append("  onlineMoveOutsPerDay: \(x)") }
        if let x = oneStopShare { lines.append("  oneStopShare: \(x)") }
        if !errors.isEmpty { lines.append("  errors: {\(errors.map { "\($0.0): \($0.1)" }.joined(separator: ", "))}") }
        if !identitySearch.isEmpty {
            lines.append("  identitySearch: {\(identitySearch.map { "\($0.0): \($0.1)" }.joined(separator: ", "))}")
        }
        guard !lines.isEmpty else { return }
        w.line("workload:")
        for l in lines { w.line(l) }
    }
}

/// Fuzz input read as choices: each takes the next byte (two for wide ranges); past the end every choice is the
/// first option and every chance false, so a short input still makes a small, plain scenario and libFuzzer's mutations change one choice at a time.
struct Choices {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func byte() -> Int {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return Int(bytes[index])
    }

    /// A number in `0 ..< n` (n ≥ 1).
    mutating func below(_ n: Int) -> Int {
        guard n > 1 else { return 0 }
        let raw = n <= 256 ? byte() : byte() << 8 | byte()
        return raw % n
    }

    /// True `k` times in `n`; false past the end of the bytes.
    mutating func chance(_ k: Int, in n: Int) -> Bool { below(n) >= n - k }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// A share from 0 to 1, the ends included more often than chance would.
    mutating func share() -> Double {
        switch below(8) {
        case 0: 0
        case 1: 1
        default: Double(byte()) / 255
        }
    }

    /// A time of day, "HH:MM" (24:00 included).
    mutating func timeOfDay() -> String { ScenarioWriter.clock(Int64(below(24 * 60 + 1)) * 60_000_000) }
}

/// Collects the scenario's lines.
struct ScenarioWriter {
    var text = ""

    mutating func line(_ s: String) { text += s + "\n" }

    /// `key:` and its children's lines, leaving out empty children (an empty mapping is no mapping); nothing when
    /// every child is empty. A child named "" puts its lines directly under `key`.
    mutating func mapping(_ key: String, _ children: [(String, [String])]) {
        let present = children.filter { !$0.1.isEmpty }
        guard !present.isEmpty else { return }
        line("\(key):")
        for (child, lines) in present {
            if child.isEmpty {
                for l in lines { line("  " + l) }
            } else {
                line("  \(child):")
                for l in lines { line("    " + l) }
            }
        }
    }

    /// µs after midnight as "HH:MM".
    static func clock(_ us: Int64) -> String { Durations.clock(us) }
}
