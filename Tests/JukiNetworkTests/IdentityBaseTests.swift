import JukiCore
import JukiNetwork
import JukiPopulation
import JukiRegister
import Testing

@Suite("Identity copies over one shared base")
struct IdentityBaseTests {
    static let tokyo = MunicipalityCode(uncheckedRawValue: 131_016)

    /// A file's answers to every question the network asks of it, for every person and key given.
    static func answers(_ file: IdentityFile, codes: [UInt64], numbers: [IndividualNumber], facts: [UInt64]) -> [String]
    {
        var out = ["count \(file.count)", "variants \(file.variantEntries)"]
        for c in codes {
            let code = ResidentCode(uncheckedRawValue: c)
            out.append("entry \(c) \(String(describing: file.entry(code)))")
            out.append("record \(c) \(String(describing: file.record(for: .code(code))))")
        }
        for n in numbers {
            out.append("number \(n.rawValue) \(String(describing: file.record(for: .number(n))))")
            out.append("finds \(n.rawValue) \(file.finds(.number(n)))")
        }
        for k in facts {
            out.append(
                "facts \(k) \(String(describing: file.record(for: .basicFacts(key: k, given: .nameAndBirthDate))))")
        }
        out += file.extract().map { "extract \($0)" }
        return out
    }

    @Test("a file over the shared base answers every lookup, search and extract as a file with its own copy")
    func sameAnswers() throws {
        let population = try PopulationGenerator.generate(PopulationOptions(residents: 600, seed: 5))
        var register = population.register
        let home = register.municipality.code
        let loaded = register.initialIdentityUpdates()
        // The second half lives in Tokyo, so the prefectures' scopes differ.
        let first = Array(loaded.prefix(300))
        let second = loaded.dropFirst(300).map { u -> IdentityUpdate in
            var u = u
            u.municipality = Self.tokyo
            return u
        }
        // The run's changes: removals (a move-out, a death), a number change, and a person moving to Tokyo.
        let context = ChangeContext(
            time: SimulatedTime(microseconds: 0), operatorID: OperatorID(101), terminalID: TerminalID(1))
        try register.remove(RowID(1), reason: .moveOut, context: context)
        try register.remove(RowID(2), reason: .death, context: context)
        try register.remove(RowID(400), reason: .death, context: context)
        var updates = register.changeLog.changes(from: 1).map {
            register.identityUpdate(row: $0.row, version: 1 << 60, reason: $0.reason)
        }
        var moved = first[7]
        moved.municipality = Self.tokyo
        moved.version = 1 << 61
        moved.status = .active
        updates.append(moved)
        var newcomer = first[8]
        newcomer.residentCode = ResidentCode(uncheckedRawValue: 99_999_999_990)
        newcomer.version = 1 << 61
        updates.append(newcomer)
        // A stale update: older than what the files hold.
        var stale = first[9]
        stale.version = 0
        updates.append(stale)

        let base = IdentityBase(parts: [first, second])
        let scopes: [(IdentityScope, [[IdentityUpdate]])] = [
            (.municipality(home), [first]), (.prefecture(home.prefectureCode), [first]), (.prefecture(13), [second]),
            (.nation, [first, second]),
        ]
        let codes = loaded.map(\.residentCode.rawValue) + [99_999_999_990, 12_345]
        let numbers = loaded.compactMap(\.individualNumber)
        let facts = loaded.map(\.facts.nameAndBirthDate) + updates.map(\.facts.nameAndBirthDate)
        for (scope, parts) in scopes {
            var own = IdentityFile(indexingNumbers: true, indexingFacts: true)
            own.load(parts: parts)
            var shared = IdentityFile(base: base, scope: scope, indexingNumbers: true, indexingFacts: true)
            #expect(shared.count == own.count, "\(scope)")
            for u in updates { #expect(shared.apply(u) == own.apply(u), "\(scope) \(u.residentCode)") }
            #expect(shared.applied == own.applied && shared.stale == own.stale)
            #expect(
                Self.answers(shared, codes: codes, numbers: numbers, facts: facts)
                    == Self.answers(own, codes: codes, numbers: numbers, facts: facts), "\(scope)")
            #expect(shared.entries.count <= updates.count, "a shared file keeps only what changed")
            for line in own.extract() { #expect(!shared.differs(line)) }
        }
    }

    @Test("the base holds each person once, in code order, and finds every code it holds and no other")
    func lookups() throws {
        let population = try PopulationGenerator.generate(PopulationOptions(residents: 2_000, seed: 9))
        let loaded = population.register.initialIdentityUpdates()
        let base = IdentityBase(parts: [Array(loaded.suffix(1_000)), Array(loaded.prefix(1_200))])
        #expect(base.count == 2_000)
        let file = IdentityFile(base: base, scope: .nation)
        for u in loaded { #expect(file.entry(u.residentCode)?.version == u.version) }
        for c: UInt64 in [0, 1, 10_000_000_000, 99_999_999_999] {
            #expect(file.entry(ResidentCode(uncheckedRawValue: c)) == nil)
        }
        #expect(base.storageBytes < 2_000 * 200)
    }
}
