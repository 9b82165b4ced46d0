import Foundation
public import JukiCore
import JukiPopulation
public import JukiScenario

/// A training drill as a trainer writes it (YAML): where the cases come from, how many, which requests and
/// discrepancies, how fast residents arrive and what the trainee may see. `docs/training.md` describes every key.
public struct Drill: Sendable, Hashable {
    public var name: String
    public var description = ""
    /// The cases' seed: the same seed gives the same cases in the same order.
    public var seed: UInt64 = 1
    /// The scenario whose population, office and desk times the cases come from (a path as written, resolved
    /// beside the drill file); nil: the built-in defaults (Fujisawa, 445,283 residents).
    public var scenario: String?
    /// The population's size instead of the scenario's (small drills start faster).
    public var residents: Int?
    /// Residents of each other municipality instead of the scenario's (where movers come from).
    public var otherResidents: Int?
    /// The day the counter is open (default: the scenario's first day).
    public var date: CivilDate?
    /// The trainee's counter (default: the scenario's first).
    public var counter: String?
    /// How many cases.
    public var cases = 10
    /// The requests' relative weights, by request (a request left out never comes).
    public var mix: [CaseRequest: Double] = Drill.defaultMix
    /// Shares of cases with 0, 1, 2 and 3 discrepancies.
    public var difficulty: [Double] = [0.4, 0.4, 0.15, 0.05]
    /// The discrepancies the drill may plant.
    public var rules: [TrainingRule] = TrainingRule.allCases
    public var pace = Pace()
    public var rights = Rights()
    /// The file the drill was read from (for errors and relative paths).
    public var file = "drill.yaml"

    /// How residents arrive at the trainee's counter.
    public struct Pace: Sendable, Hashable {
        /// `paused`: the next resident comes when the trainee calls them; `wall`: residents arrive at the rate in
        /// wall time and queue.
        public enum Mode: String, Sendable, Hashable, CaseIterable {
            case paused, wall
        }

        public var mode = Mode.paused
        /// Arrivals per hour at the trainee's counter in `wall` mode.
        public var arrivalsPerHour = 12.0

        public init() {}
    }

    /// What the trainee's operator account may do (the register's operator rights).
    public struct Rights: Sendable, Hashable {
        /// Number-use work: searches by individual number and seeing the number (III(1)3 リスク1).
        public var numberUse = false
        /// An inquiry-only operator can read records but accept no notice.
        public var inquiryOnly = false

        public init() {}
    }

    /// The default mix: roughly the counters' shares of the requests [E: the flows' per-day defaults, with the
    /// rare ones raised so a short drill meets them].
    public static let defaultMix: [CaseRequest: Double] = [
        .moveIn: 3, .specialMoveIn: 2, .oneStopMove: 1, .relocation: 2, .birth: 1, .death: 1, .certificate: 3,
        .cardCollection: 2, .identitySearch: 1,
    ]

    public init(name: String) { self.name = name }

    /// Every key a drill accepts.
    static let keys = [
        "name", "description", "seed", "scenario", "residents", "otherResidents", "date", "counter", "cases", "mix",
        "difficulty",
        "rules", "pace", "rights",
    ]

    /// Reads and validates a drill file.
    public static func load(path: String) throws(ScenarioError) -> Drill {
        try parse(try YAMLValue.text(path: path, limit: 1_000_000), file: path)
    }

    /// Parses and validates drill text; `file` names it in errors.
    public static func parse(_ text: String, file: String = "drill.yaml") throws(ScenarioError) -> Drill {
        let top = try YAMLValue.root(text, file: file)
        let k = try top.mapping(allowed: keys)
        guard let name = k["name"] else { throw top.error(.missingKey, "'name' is required (it names the drill)") }
        var d = Drill(name: try name.string())
        d.file = file
        guard !d.name.isEmpty, d.name.count <= 80 else { throw name.error(.value, "must be 1 to 80 characters") }
        if let v = k["description"] { d.description = try v.string() }
        if let v = k["seed"] { d.seed = try v.uint64() }
        if let v = k["scenario"] { d.scenario = try v.string() }
        if let v = k["residents"] { d.residents = try v.int(1_000...PopulationOptions.maximumResidents) }
        if let v = k["otherResidents"] { d.otherResidents = try v.int(10...1_000_000) }
        if let v = k["date"] { d.date = try v.date() }
        if let v = k["counter"] { d.counter = try v.string() }
        if let v = k["cases"] { d.cases = try v.int(1...500) }
        if let v = k["mix"] { d.mix = try parseMix(v) }
        if let v = k["difficulty"] { d.difficulty = try parseDifficulty(v) }
        if let v = k["rules"] { d.rules = try parseRules(v) }
        if let v = k["pace"] { d.pace = try parsePace(v) }
        if let v = k["rights"] { d.rights = try parseRights(v) }
        return d
    }

    static func parseMix(_ v: YAMLValue) throws(ScenarioError) -> [CaseRequest: Double] {
        var mix: [CaseRequest: Double] = [:]
        for (key, value) in try v.entries() {
            guard let request = CaseRequest(rawValue: key) else {
                throw value.error(
                    .unknownKey,
                    "unknown request '\(key)' (allowed: \(CaseRequest.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            mix[request] = try value.double(0...1_000_000)
        }
        guard mix.values.contains(where: { $0 > 0 }) else {
            throw v.error(.value, "at least one request needs a weight above 0")
        }
        return mix
    }

    /// A whole number 0–3 (every case has that many) or shares by count (`0: 40%`, `1: 40%`, …) summing to 1.
    static func parseDifficulty(_ v: YAMLValue) throws(ScenarioError) -> [Double] {
        if v.node.scalar != nil {
            let n = try v.int(0...3)
            return (0...3).map { $0 == n ? 1 : 0 }
        }
        var shares = [0.0, 0, 0, 0]
        for (key, value) in try v.entries() {
            guard let n = Int(key), (0...3).contains(n) else {
                throw value.error(.unknownKey, "keys are discrepancies per case, 0 to 3; found '\(key)'")
            }
            shares[n] = try value.double(0...1)
        }
        let total = shares.reduce(0, +)
        guard abs(total - 1) < 1e-6 else {
            throw v.error(.value, "the shares must add up to 100%, found \(Int((total * 100).rounded()))%")
        }
        return shares
    }

    static func parseRules(_ v: YAMLValue) throws(ScenarioError) -> [TrainingRule] {
        var rules: [TrainingRule] = []
        for item in try v.sequence() {
            let text = try item.string()
            guard let rule = TrainingRule(rawValue: text) else {
                throw item.error(
                    .value,
                    "unknown rule '\(text)' (allowed: \(TrainingRule.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            guard !rules.contains(rule) else { throw item.error(.value, "'\(text)' is listed twice") }
            rules.append(rule)
        }
        return rules
    }

    static func parsePace(_ v: YAMLValue) throws(ScenarioError) -> Pace {
        let k = try v.mapping(allowed: ["mode", "arrivalsPerHour"])
        var p = Pace()
        if let m = k["mode"] {
            let text = try m.string()
            guard let mode = Pace.Mode(rawValue: text) else {
                throw m.error(.value, "must be paused or wall, found '\(text)'")
            }
            p.mode = mode
        }
        if let r = k["arrivalsPerHour"] { p.arrivalsPerHour = try r.double(0.5...120) }
        return p
    }

    static func parseRights(_ v: YAMLValue) throws(ScenarioError) -> Rights {
        let k = try v.mapping(allowed: ["numberUse", "inquiryOnly"])
        var r = Rights()
        if let x = k["numberUse"] { r.numberUse = try x.bool() }
        if let x = k["inquiryOnly"] { r.inquiryOnly = try x.bool() }
        return r
    }

    /// The scenario path resolved beside the drill file.
    public var scenarioPath: String? {
        guard let scenario else { return nil }
        if scenario.hasPrefix("/") { return scenario }
        let folder = (file as NSString).deletingLastPathComponent
        return folder.isEmpty ? scenario : (folder as NSString).appendingPathComponent(scenario)
    }
}
