import Foundation
import JukiCore
import JukiNetwork
import JukiScenario
import Testing

@testable import JukiTraining

/// Cases drawn from a small synthetic population: determinism, and every rule planted where the case shows it, with
/// the decision the simulation's own rule gives.
@Suite struct CaseGeneratorTests {
    /// One small population for every test (generated once).
    static let world: (Scenario, NetworkPopulations)? = {
        guard var s = try? Scenario.parse("name: drill") else { return nil }
        s.configuration.municipality.residents = 4_000
        s.configuration.otherResidents = 400
        return (try? NetworkPopulations(s.configuration)).map { (s, $0) }
    }()

    static func drill(_ text: String) throws -> Drill { try Drill.parse("name: t\n" + text) }

    static func book(_ drill: Drill) throws -> CaseBook {
        let w = try #require(world)
        return CaseGenerator.book(drill, scenario: w.0, populations: w.1)
    }

    @Test func theSameSeedGivesTheSameCasesInTheSameOrder() throws {
        let d = try Self.drill("seed: 9\ncases: 30")
        let a = try Self.book(d).cases
        let b = try Self.book(d).cases
        #expect(a == b)
        var other = d
        other.seed = 10
        #expect(try Self.book(other).cases != a)
        // Case i depends on i alone: a longer drill starts with the shorter one's cases.
        var longer = d
        longer.cases = 40
        #expect(Array(try Self.book(longer).cases.prefix(30)) == a)
    }

    @Test func theGenerationIsIndependentOfThreads() throws {
        // Two trainees' sessions draw the same drill at once: the cases do not depend on who draws first.
        let d = try Self.drill("seed: 3\ncases: 12")
        let reference = try Self.book(d).cases
        let results = ParallelDraw.run(4) { _ in (try? Self.book(d))?.cases ?? [] }
        for r in results { #expect(r == reference) }
    }

    @Test func difficultyZeroGivesCleanAcceptedCases() throws {
        let book = try Self.book(try Self.drill("cases: 20\ndifficulty: 0"))
        for c in book.cases {
            #expect(c.planted.isEmpty)
            #expect(c.expected.verdict == .accept)
            #expect(c.expected.fields.map(\.field) == c.request.fields, "case \(c.id)")
            #expect(c.expected.fields.allSatisfy { !$0.value.isEmpty })
        }
    }

    @Test func theMixDecidesTheRequests() throws {
        let book = try Self.book(try Self.drill("cases: 20\nmix: { death: 1, birth: 1 }"))
        #expect(Set(book.cases.map(\.request)).isSubset(of: [.death, .birth]))
        #expect(Set(book.cases.map(\.request)).count == 2)
    }

    @Test func noTwoRulesOfOneGroupInACase() throws {
        let book = try Self.book(try Self.drill("cases: 60\ndifficulty: 3\nmix: { specialMoveIn: 1 }"))
        for c in book.cases {
            #expect(Set(c.planted.map(\.group)).count == c.planted.count, "case \(c.id): \(c.planted)")
            #expect(c.planted.count >= 2, "case \(c.id): \(c.planted)")
        }
    }

    /// Every rule, planted alone: the case holds it, the decision follows its effect, and the document or check
    /// that shows it says so.
    @Test(arguments: TrainingRule.allCases)
    func everyRuleIsPlantedAndDecided(rule: TrainingRule) throws {
        let mix = rule.requests.map { "\($0.rawValue): 1" }.joined(separator: ", ")
        let rights = rule == .numberUseRequired ? "" : "\nrights: { numberUse: true }"
        let book = try Self.book(
            try Self.drill("cases: 8\ndifficulty: 1\nrules: [\(rule.rawValue)]\nmix: { \(mix) }\(rights)"))
        let planted = book.cases.filter { $0.planted == [rule] }
        #expect(planted.count >= 6, "\(rule): \(book.cases.map(\.planted))")
        for c in planted {
            #expect(c.expected.verdict == (rule.effect == .refuse ? .refuse : .accept))
            #expect(c.expected.reasons == (rule.effect == .refuse ? [rule] : []))
            Self.shows(rule, c, date: book.date)
        }
    }

    /// The evidence of `rule` in case `c`.
    static func shows(_ rule: TrainingRule, _ c: TrainingCase, date: CivilDate) {
        func line(_ kind: CaseDocument.Kind, _ label: String) -> String? {
            c.documents.first { $0.kind == kind }?.lines.first { $0.label.hasPrefix(label) }?.value
        }
        func check(_ prefix: String) -> String? { c.checks.first { $0.check.hasPrefix(prefix) }?.result }
        switch rule {
        case .deadlinePassed:
            let moved = line(.noticeForm, "異動日").flatMap { try? CivilDate(parsing: $0) }
            #expect(moved.map { date > $0.adding(days: 14) } == true, "\(c.documents)")
        case .cardNotBrought:
            #expect(!c.documents.contains { $0.kind == .myNumberCard })
        case .cardExpired:
            let expiry = line(.myNumberCard, "有効期限").flatMap { try? CivilDate(parsing: $0) }
            #expect(expiry.map { $0 < date } == true)
            #expect(check("個人番号カードの確認")?.contains("expired") == true)
        case .cardSuspended: #expect(check("個人番号カードの確認")?.contains("suspended") == true)
        case .cardRevoked: #expect(check("個人番号カードの確認")?.contains("revoked") == true)
        case .pinFailure: #expect(check("暗証番号")?.contains("locked") == true)
        case .certificateDataNotFound: #expect(check("転出証明書情報")?.contains("none") == true)
        case .alreadyResident: #expect(check("既存住基")?.contains("active record") == true)
        case .notResident: #expect(check("既存住基")?.contains("no record") == true)
        case .recordNotRemoved:
            #expect(line(.certificateRequest, "種類")?.hasPrefix("除票") == true)
            #expect(check("既存住基")?.contains("active record") == true)
        case .periodOfStayExpired:
            let end = line(.residenceCard, "在留期間満了日").flatMap { try? CivilDate(parsing: $0) }
            #expect(end.map { $0 < date } == true)
        case .proxyWithoutAuthority:
            #expect(c.filer == .stranger)
            #expect(!c.documents.contains { $0.kind == .delegationLetter })
        case .identityMismatch:
            let id = c.documents.first { $0.kind == .driverLicence }
            #expect(id != nil)
        case .tooFewFacts:
            let facts = c.documents.first { $0.kind == .searchRequest }?.lines.map(\.label) ?? []
            #expect(facts.contains { $0.hasPrefix("性別") })
            #expect(!facts.contains { $0.hasPrefix("生年月日") || $0.hasPrefix("住所") })
        case .numberUseRequired:
            #expect(line(.searchRequest, "個人番号") != nil)
        case .variantName:
            let name = c.expected.fields.first { $0.field == .name }?.value ?? ""
            #expect(VariantCharacters.containsVariant(name))
            #expect(line(.noticeForm, "異動者").map(VariantCharacters.containsVariant) == false)
        case .numberNotRequested:
            #expect(c.filer == .delegate)
            #expect(line(.certificateRequest, "個人番号の記載")?.hasPrefix("希望する") == true)
            #expect(c.expected.fields.contains(ExpectedField(.includeNumber, "no")))
        }
    }

    @Test func theDeadlineRuleIsTheSimulationsOwn() throws {
        // Whatever the dates drawn, a special move-in is refused for the deadline exactly when the model's rule says.
        let book = try Self.book(
            try Self.drill(
                "cases: 40\ndifficulty: { 0: 50%, 1: 50% }\nmix: { specialMoveIn: 1 }\nrules: [deadlinePassed]"))
        for c in book.cases {
            guard let moved = c.documents.first?.value("異動日 (moved in on)").flatMap({ try? CivilDate(parsing: $0) })
            else {
                Issue.record("case \(c.id) has no moving day")
                continue
            }
            let data = c.checks.first { $0.check.hasPrefix("転出証明書情報") }?.result ?? ""
            let planned = data.split(separator: " ").last.flatMap { try? CivilDate(parsing: String($0)) }
            let passed = SpecialMoveInRule.deadlinePassed(
                today: book.date, movedIn: moved, plannedMoveOut: planned ?? moved)
            #expect(c.planted.contains(.deadlinePassed) == passed, "case \(c.id)")
        }
    }

    @Test func theIdentityMismatchIsInTheDocument() throws {
        let book = try Self.book(
            try Self.drill("cases: 10\ndifficulty: 1\nrules: [identityMismatch]\nmix: { relocation: 1 }"))
        for c in book.cases where c.filer == .person {
            let form = c.documents.first { $0.kind == .noticeForm }?.value("生年月日 (birth date)")
            let licence = c.documents.first { $0.kind == .driverLicence }?.value("生年月日 (birth date)")
            #expect(form != nil && licence != nil && form != licence, "case \(c.id)")
        }
    }

    @Test func numberSearchesNeedRightsTheDrillDecides() throws {
        let without = try Self.book(
            try Self.drill("cases: 10\ndifficulty: 1\nmix: { identitySearch: 1 }\nrules: [numberUseRequired]"))
        #expect(without.cases.allSatisfy { $0.planted == [.numberUseRequired] && !$0.numberNeeded })
        let with = try Self.book(
            try Self.drill(
                "cases: 10\ndifficulty: 1\nmix: { identitySearch: 1 }\nrules: [numberUseRequired]\nrights: { numberUse: true }"
            ))
        #expect(with.cases.allSatisfy { $0.planted.isEmpty })
    }

    @Test func relatedPeopleIncludeThePersonAndTheFiler() throws {
        let book = try Self.book(try Self.drill("cases: 30"))
        for c in book.cases where c.request != .birth {
            if let code = c.personCode { #expect(c.related.contains(code)) }
        }
    }
}

/// Runs `body` on `n` threads at once and returns the results in index order.
enum ParallelDraw {
    static func run<T: Sendable>(_ n: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        let results = Results<T>(count: n)
        DispatchQueue.concurrentPerform(iterations: n) { i in results.set(i, body(i)) }
        return results.values()
    }

    final class Results<T: Sendable>: @unchecked Sendable {
        private var storage: [T?]
        private let lock = NSLock()
        init(count: Int) { storage = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ value: T) { lock.withLock { storage[i] = value } }
        func values() -> [T] { lock.withLock { storage.compactMap { $0 } } }
    }
}
