import JukiCore
import JukiPopulation
import JukiRegister
import Testing

@Suite("Variant surnames (外字) in the generated population")
struct PopulationVariantCharacterTests {
    static let population = Result {
        try PopulationGenerator.generate(PopulationOptions(residents: 20_000, seed: 11, jobs: 2))
    }

    /// Whether row `r` lives in a household the foreign-resident pass named.
    static func isForeign(_ p: Population, _ r: Int) -> Bool {
        p.register.columns.flags[r] & RowFlags.foreign.rawValue != 0
    }

    @Test("the default share gives about 1.5 % of residents a 外字 in the name (1-2 % in municipal systems)")
    func defaultShare() throws {
        let p = try Self.population.get()
        let flagged = p.register.columns.flags.filter { $0 & RowFlags.variantCharacters.rawValue != 0 }.count
        let share = Double(flagged) / Double(p.register.count)
        #expect(share > 0.01 && share < 0.02, "\(share)")
        let v = p.variantSurnames
        #expect(v.eligibleHouseholds > 500)
        // Exact to one household: an even spacing, not a noisy draw.
        let expected = Double(v.eligibleHouseholds) * PopulationOptions.defaultVariantNameShare
        #expect(abs(Double(v.households) - expected) <= 1)
    }

    @Test("the share is an option, kept to one household whatever its value", arguments: [0.0, 0.3, 1.0])
    func optionShare(share: Double) throws {
        let p = try PopulationGenerator.generate(
            PopulationOptions(residents: 8_000, seed: 3, jobs: 2, variantNameShare: share))
        let v = p.variantSurnames
        #expect(v.eligibleHouseholds > 100)
        #expect(abs(Double(v.households) - Double(v.eligibleHouseholds) * share) <= 1)
        let line = PopulationStats.compute(p).lines.first { $0.key == "share.variantSurnames" }
        #expect(line?.target == share)
        #expect(line?.estimated == true)
        if share == 1 {
            // Every Japanese household's surname that has a variant form is written in it.
            let c = p.register.columns
            for r in 0..<p.register.count where !Self.isForeign(p, r) {
                #expect(!VariantCharacters.hasVariantForm(p.register.names[c.surname[r]].kanji))
            }
        }
    }

    @Test("members share the household's surname form, and every row's 外字数 and flag match its name")
    func consistency() throws {
        let p = try Self.population.get()
        let reg = p.register
        let c = reg.columns
        #expect(c.isConsistent)
        for r in 0..<reg.count {
            let row = RowID(UInt32(r))
            let name = reg.name(of: row)
            let count = VariantCharacters.count(in: name.surname) + VariantCharacters.count(in: name.givenName)
            #expect(reg.variantCount(of: row) == count)
            #expect(reg.hasVariantCharacters(row) == (count > 0))
            let head = Int(reg.households.head[Int(c.household[r])])
            #expect(c.surname[r] == c.surname[head] || Self.isForeign(p, r))
            if count > 0 { #expect(VariantCharacters.count(in: reg.substitutedName(of: row).fullName) == 0) }
        }
    }

    @Test("same seed ⇒ same names; the variant pass moves no other draw")
    func determinism() throws {
        let a = try PopulationGenerator.generate(PopulationOptions(residents: 6_000, seed: 21, jobs: 1))
        let b = try PopulationGenerator.generate(PopulationOptions(residents: 6_000, seed: 21, jobs: 2))
        #expect(a.register.columns.surname == b.register.columns.surname)
        #expect(a.register.columns.variantCount == b.register.columns.variantCount)
        #expect(a.register.columns.flags == b.register.columns.flags)
        let none = try PopulationGenerator.generate(
            PopulationOptions(residents: 6_000, seed: 21, jobs: 2, variantNameShare: 0))
        let x = a.register
        let y = none.register
        var changed = 0
        for r in 0..<x.count {
            let row = RowID(UInt32(r))
            if x.columns.surname[r] != y.columns.surname[r] { changed += 1 }
            #expect(x.substitutedName(of: row).surname == VariantCharacters.substituted(y.name(of: row).surname))
            #expect(x.columns.givenName[r] == y.columns.givenName[r])
            #expect(x.columns.birthDate[r] == y.columns.birthDate[r])
            #expect(x.columns.residentCode[r] == y.columns.residentCode[r])
        }
        #expect(changed > 0)
    }

    @Test("a kanji search by the substitute finds a generated variant-named resident")
    func search() throws {
        let p = try Self.population.get()
        let reg = p.register
        let c = reg.columns
        let r = try #require(
            (0..<reg.count).first { c.flags[$0] & RowFlags.variantCharacters.rawValue != 0 && c.status[$0] == 0 })
        let row = RowID(UInt32(r))
        let plain = reg.substitutedName(of: row)
        #expect(plain != reg.name(of: row))
        let found = try reg.search(
            BasicFactsQuery(
                name: .kanji(surname: plain.surname, givenName: plain.givenName),
                birthDate: CivilDate(daysSinceEpoch: c.birthDate[r])))
        #expect(found.contains(row))
    }

    @Test("refuses a share outside 0 to 1, naming the option")
    func refusesBadShare() {
        let error = #expect(throws: PopulationError.self) {
            try PopulationGenerator.generate(PopulationOptions(residents: 100, variantNameShare: 1.5))
        }
        #expect(error?.field == "variantNameShare")
    }
}
