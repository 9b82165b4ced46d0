public import JukiCore
public import JukiNetwork
import JukiPopulation
import JukiRegister
public import JukiScenario

/// A drill's cases and what they were drawn from.
public struct CaseBook: Sendable {
    public var drill: Drill
    /// The counter's day.
    public var date: CivilDate
    /// The home municipality's name.
    public var municipality: String
    /// Residents of the home register the cases were drawn from.
    public var residents: Int
    public var cases: [TrainingCase]
}

/// Draws a drill's cases from the synthetic population: each case a resident (or household) with a request, the
/// documents, what the systems show, 0–3 planted discrepancies and the decision the rules give.
///
/// Case `i` has its own random stream (the drill's seed mixed with `i`), so the same drill gives the same cases in
/// the same order, and a longer drill begins with the cases of a shorter one.
public enum CaseGenerator {
    /// The scenario a drill's cases come from, with the drill's population sizes.
    public static func scenario(for drill: Drill) throws(ScenarioError) -> Scenario {
        var s: Scenario
        if let path = drill.scenarioPath {
            s = try Scenario.load(path: path)
        } else {
            s = try Scenario.parse("name: drill", file: drill.file)
        }
        if let r = drill.residents { s.configuration.municipality.residents = r }
        if let r = drill.otherResidents { s.configuration.otherResidents = r }
        return s
    }

    /// The drill's populations (generated from its scenario).
    public static func populations(for scenario: Scenario) throws(ScenarioError) -> NetworkPopulations {
        do {
            return try NetworkPopulations(scenario.configuration)
        } catch {
            throw ScenarioError(.value, file: scenario.file, line: 0, column: 0, path: error.field, error.message)
        }
    }

    /// Reads the drill's scenario, generates its population and draws the cases.
    public static func generate(_ drill: Drill) throws(ScenarioError) -> CaseBook {
        let s = try scenario(for: drill)
        return book(drill, scenario: s, populations: try populations(for: s))
    }

    /// The drill's cases drawn from `populations`, on the drill's day (default: the scenario's first).
    public static func book(_ drill: Drill, scenario: Scenario, populations: NetworkPopulations) -> CaseBook {
        let date = drill.date ?? scenario.configuration.date
        let world = World(
            home: populations.home.register, others: populations.others.map(\.register), date: date,
            desk: scenario.configuration.service.desk, rights: drill.rights)
        let cases = (0..<drill.cases).map { i in
            var random = RandomStream(seed: Mixing.combine(drill.seed, UInt64(i)), stream: 0x5452_4149)
            return world.draw(id: i + 1, drill: drill, &random)
        }
        return CaseBook(
            drill: drill, date: date, municipality: populations.home.register.municipality.name,
            residents: populations.home.register.columns.count, cases: cases)
    }
}

/// A person of some register: which register (nil: home) and row.
struct DrawnPerson {
    var register: Int?
    var row: RowID
    var record: ResidentRecord
}

/// What the cases are drawn from.
struct World {
    let home: ResidentRegister
    let others: [ResidentRegister]
    let date: CivilDate
    let desk: [Flow: ServiceTime]
    let rights: Drill.Rights

    func register(_ index: Int?) -> ResidentRegister { index.map { others[$0] } ?? home }

    /// An active person of `register` (home when nil) meeting `accept`, from a random row on; nil if none.
    func person(
        in index: Int?, _ random: inout RandomStream, where accept: (ResidentRecord) -> Bool = { _ in true }
    ) -> DrawnPerson? {
        let r = register(index)
        let n = r.columns.count
        guard n > 0 else { return nil }
        let start = Int(random.next(below: UInt64(n)))
        for step in 0..<n {
            let i = (start + step) % n
            guard r.columns.status[i] == RecordStatus.active.rawValue else { continue }
            let row = RowID(UInt32(i))
            let record = r.record(row)
            if accept(record) { return DrawnPerson(register: index, row: row, record: record) }
        }
        return nil
    }

    /// A person who lives elsewhere (a light municipality's register), or at home when there is none.
    func outsider(_ random: inout RandomStream, where accept: (ResidentRecord) -> Bool = { _ in true }) -> DrawnPerson?
    {
        guard !others.isEmpty else { return person(in: nil, &random, where: accept) }
        let first = Int(random.next(below: UInt64(others.count)))
        for step in 0..<others.count {
            if let p = person(in: (first + step) % others.count, &random, where: accept) { return p }
        }
        return nil
    }

    /// Another member of `p`'s household, if any.
    func householdMember(of p: DrawnPerson, adult: Bool) -> DrawnPerson? {
        let r = register(p.register)
        for m in r.members(ofHousehold: r.householdNumber(of: p.row)) where m != p.row {
            let record = r.record(m)
            if record.status == .active, !adult || record.birthDate.age(on: date) >= 18 {
                return DrawnPerson(register: p.register, row: m, record: record)
            }
        }
        return nil
    }

    /// A random address in the home municipality.
    func newAddress(_ random: inout RandomStream) -> String {
        guard !home.towns.isEmpty else { return home.municipality.name }
        let t = home.towns[Int(random.next(below: UInt64(home.towns.count)))]
        let chome = t.chomeCount > 0 ? 1 + Int(random.next(below: UInt64(t.chomeCount))) : 0
        return ResidentAddress(
            municipalityCode: home.municipality.code, municipalityName: home.municipality.name, town: t.name,
            townKana: t.kana, postalCode: t.postalCode, chome: chome, banchi: 1 + Int(random.next(below: 40)),
            go: 1 + Int(random.next(below: 30))
        ).description
    }

    func standardSeconds(_ request: CaseRequest) -> Int {
        Int(((desk[request.flow]?.mean ?? 600_000_000) / 1_000_000).rounded())
    }

    /// The discrepancies of one case: a count from the drill's difficulty, then rules that may be planted in the
    /// request, none two of one group.
    func discrepancies(for request: CaseRequest, drill: Drill, _ random: inout RandomStream) -> [TrainingRule] {
        var u = random.nextUnit()
        var count = 3
        for (n, share) in drill.difficulty.enumerated() {
            if u < share {
                count = n
                break
            }
            u -= share
        }
        var candidates = drill.rules.filter { rule in
            rule.requests.contains(request) && (rule != .numberUseRequired || !rights.numberUse)
        }
        var chosen: [TrainingRule] = []
        while chosen.count < count, !candidates.isEmpty {
            let rule = candidates.remove(at: Int(random.next(below: UInt64(candidates.count))))
            if !chosen.contains(where: { $0.group == rule.group }) { chosen.append(rule) }
        }
        return chosen
    }

    func draw(id: Int, drill: Drill, _ random: inout RandomStream) -> TrainingCase {
        let requests = CaseRequest.allCases.filter { (drill.mix[$0] ?? 0) > 0 }
        let total = requests.reduce(0) { $0 + (drill.mix[$1] ?? 0) }
        var u = random.nextUnit() * total
        var request = requests.last ?? .certificate
        for r in requests {
            let w = drill.mix[r] ?? 0
            if u < w {
                request = r
                break
            }
            u -= w
        }
        let planted = discrepancies(for: request, drill: drill, &random)
        var builder = CaseBuilder(world: self, id: id, request: request, planted: planted)
        builder.build(&random)
        return builder.finished()
    }
}
