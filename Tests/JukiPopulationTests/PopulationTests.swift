import Crypto
import Foundation
import JukiCore
import JukiPopulation
import JukiRegister
import Testing

/// SHA-256 of a population's export.
func exportDigest(_ population: Population, format: ExportFormat = .jsonl, jobs: Int) -> String {
    var hasher = SHA256()
    PopulationExporter(register: population.register, format: format).write(jobs: jobs) { hasher.update(data: $0) }
    return hasher.finalize().map { String(format: "%02x", $0) }.joined()
}

@Suite("Determinism")
struct DeterminismTests {
    @Test("same seed ⇒ same SHA-256 of the export, for --jobs 1 and --jobs 2")
    func jobsDoNotChangeOutput() throws {
        let one = try PopulationGenerator.generate(PopulationOptions(residents: 20_000, seed: 99, jobs: 1))
        let two = try PopulationGenerator.generate(PopulationOptions(residents: 20_000, seed: 99, jobs: 2))
        #expect(exportDigest(one, jobs: 1) == exportDigest(two, jobs: 2))
        #expect(exportDigest(one, format: .csv, jobs: 2) == exportDigest(two, format: .csv, jobs: 1))
    }

    @Test("another seed gives another population")
    func seedMatters() throws {
        let a = try PopulationGenerator.generate(PopulationOptions(residents: 5_000, seed: 1, jobs: 2))
        let b = try PopulationGenerator.generate(PopulationOptions(residents: 5_000, seed: 2, jobs: 2))
        #expect(exportDigest(a, jobs: 2) != exportDigest(b, jobs: 2))
    }
}

@Suite("Generated register")
struct GeneratedRegisterTests {
    static let population = Result {
        try PopulationGenerator.generate(PopulationOptions(residents: 30_000, seed: 5, jobs: 2))
    }

    @Test("has the requested size, unique valid codes and numbers")
    func uniqueness() throws {
        let p = try Self.population.get()
        let c = p.register.columns
        #expect(p.register.count == 30_000)
        #expect(Set(c.residentCode).count == 30_000)
        let numbers = c.individualNumber.filter { $0 != 0 }
        #expect(Set(numbers).count == numbers.count)
        #expect(numbers.count == 30_000 - 60)  // 0.2 % left for bulk assignment
        for r in stride(from: 0, to: 30_000, by: 97) {
            let code = ResidentCode(uncheckedRawValue: c.residentCode[r])
            #expect(try ResidentCode(parsing: code.description) == code)
            #expect(p.register.row(residentCode: code) == RowID(UInt32(r)))
            if c.individualNumber[r] != 0 {
                let n = IndividualNumber(uncheckedRawValue: c.individualNumber[r])
                #expect(try IndividualNumber(parsing: n.description) == n)
                #expect(p.register.row(individualNumber: n) == RowID(UInt32(r)))
            }
        }
    }

    @Test("households have one head, share a surname and address, and children are younger than parents")
    func households() throws {
        let p = try Self.population.get()
        let reg = p.register
        let reference = p.calibration.referenceDate
        for h in stride(from: UInt32(1), through: UInt32(reg.households.count), by: 7) {
            let members = reg.members(ofHousehold: h)
            #expect(!members.isEmpty)
            let records = members.map(reg.record)
            #expect(records.filter { $0.relationship == .head }.count == 1)
            #expect(records.first?.relationship == .head)
            #expect(Set(records.map(\.address)).count == 1)
            guard let head = records.first else { continue }
            let headAge = head.birthDate.age(on: reference)
            for m in records.dropFirst() {
                let age = m.birthDate.age(on: reference)
                switch m.relationship {
                case .child where head.foreign == nil:
                    #expect(age <= headAge - 15 || records.contains { $0.relationship == .grandchild })
                case .grandchild: #expect(age < headAge - 30)
                case .father, .mother: #expect(age >= headAge + 18)
                default: break
                }
                if head.foreign == nil && m.relationship != .childsSpouse && m.formerSurname == nil {
                    #expect(m.name.surname == head.name.surname)
                }
            }
        }
    }

    @Test("foreign residents carry nationality, status, expiry and a residence-card number")
    func foreign() throws {
        let p = try Self.population.get()
        let reg = p.register
        var count = 0
        for r in 0..<reg.count {
            guard let f = reg.foreignData(RowID(UInt32(r))) else { continue }
            count += 1
            #expect(!f.nationality.isEmpty)
            #expect((f.expiry == nil) == (f.periodOfStayMonths == 0))
            #expect(f.residenceCard.utf8.count == 12)
            #expect(f.residenceCard.prefix(2).allSatisfy { $0.isUppercase })
        }
        #expect(abs(Double(count) / 30_000 - 0.02) < 0.001)
    }

    @Test("exports one JSON object per resident, and CSV with a header")
    func exports() throws {
        let p = try Self.population.get()
        var json: [UInt8] = []
        PopulationExporter(register: p.register, format: .jsonl).write(jobs: 2) { json += $0 }
        let lines = json.split(separator: 0x0A)
        #expect(lines.count == 30_000)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0])) as? [String: Any])
        #expect(
            first["residentCode"] as? String
                == ResidentCode(uncheckedRawValue: p.register.columns.residentCode[0]).description)
        #expect(first["addresseeNumber"] as? Int == 1)
        #expect((first["address"] as? String)?.hasPrefix("藤沢市") == true)
        for line in lines.prefix(2_000) { #expect(try JSONSerialization.jsonObject(with: Data(line)) is [String: Any]) }
        var csv: [UInt8] = []
        PopulationExporter(register: p.register, format: .csv).write(jobs: 1) { csv += $0 }
        let rows = String(decoding: csv, as: UTF8.self).split(separator: "\n")
        #expect(rows.count == 30_001)
        #expect(rows[0].split(separator: ",", omittingEmptySubsequences: false).count == 19)
        #expect(rows[1].split(separator: ",", omittingEmptySubsequences: false).count == 19)
    }
}

@Suite("Calibration")
struct CalibrationTests {
    @Test("the Fujisawa default lands within 1 % of every target")
    func fujisawa() throws {
        let p = try PopulationGenerator.generate(PopulationOptions(jobs: 2))
        let stats = PopulationStats.compute(p)
        #expect(stats.residents == 445_283)
        #expect(stats.lines.count >= 12 + 13)
        for line in stats.lines {
            let deviation = try #require(line.deviation, "\(line.key) has no deviation")
            #expect(abs(deviation) <= 0.01, "\(line.key): generated \(line.generated), target \(line.target ?? 0)")
        }
        #expect(stats.bytesPerResident <= 96)
    }

    @Test("the age pyramid's exact counts sum to the total and keep the published shares")
    func pyramid() {
        let counts = AgePyramid.counts(total: 445_283)
        let total = counts.reduce(0) { $0 + $1.reduce(0, +) }
        #expect(total == 445_283)
        let young = (0...14).reduce(0) { $0 + counts[0][$1] + counts[1][$1] }
        #expect(abs(Double(young) / 445_283 - 0.129) < 0.0005)
    }

    @Test("scaled calibrations keep shares and scale counts")
    func scaled() {
        let c = Calibration.fujisawa.scaled(to: 44_528)
        #expect(c.households == 21_532)
        #expect(c.shareAged65Plus == Calibration.fujisawa.shareAged65Plus)
        #expect(c.districts.count == 13)
    }
}

@Suite("Data files")
struct DataTests {
    @Test("the national list has 1,741 municipalities with valid check digits, Kanagawa's 33 among them")
    func municipalities() throws {
        let all = MunicipalityDirectory.all
        #expect(all.count == 1_741)
        for m in all { #expect(try MunicipalityCode(parsing: m.code.description) == m.code) }
        #expect(MunicipalityDirectory.entry(.fujisawa)?.name == "藤沢市")
        #expect(MunicipalityDirectory.prefecture(14).count == 33)
        #expect(
            Dictionary(grouping: all, by: \.kind).mapValues(\.count) == [
                "city": 792, "town": 743, "village": 183, "ward": 23,
            ])
    }

    @Test("every municipality has its 2026-01-01 population and a position in Japan; the nation sums to 123,767,642")
    func populations() {
        let all = MunicipalityDirectory.all
        #expect(MunicipalityDirectory.nationalPopulation == 123_767_642)
        #expect(MunicipalityDirectory.entry(.fujisawa)?.population == 444_628)
        // 神奈川県 as the sum of its 33 municipalities in the same table.
        #expect(MunicipalityDirectory.prefecture(14).reduce(0) { $0 + $1.population } == 9_194_723)
        for m in all {
            #expect(m.population > 0, "\(m.name)")
            // Japan lies within 20–46° N and 122–154° E.
            #expect((20.0...46.0).contains(m.latitude) && (122.0...154.0).contains(m.longitude), "\(m.name)")
        }
        // The smallest and the largest: 青ヶ島村 and 横浜市.
        #expect(all.min { $0.population < $1.population }?.name == "青ヶ島村")
        #expect(all.max { $0.population < $1.population }?.name == "横浜市")
    }

    @Test("Fujisawa has 70 towns over 13 districts, each with a postal code and kana")
    func towns() {
        let catalog = TownCatalog.fujisawa
        #expect(catalog.towns.count == 70)
        #expect(catalog.districts.count == 13)
        for d in catalog.districts { #expect(catalog.towns.contains { $0.district == d }) }
        for t in catalog.towns {
            #expect(t.postalCode.count == 7)
            #expect(Kana.isKatakana(t.kana))
        }
        #expect(catalog.towns.filter { $0.chomeCount > 0 }.count == 42)
    }

    @Test("another municipality gets generic towns and the light generator")
    func otherMunicipality() throws {
        let p = try PopulationGenerator.generate(
            PopulationOptions(municipality: MunicipalityCode(parsing: "141003"), residents: 2_000, jobs: 2))
        #expect(p.register.municipality.name == "横浜市")
        #expect(p.register.count == 2_000)
        #expect(p.register.record(RowID(0)).address.description.hasPrefix("横浜市"))
    }
}

@Suite("Options validation")
struct OptionsTests {
    @Test(
        "refuses options out of range, naming the option",
        arguments: [
            (PopulationOptions(residents: 0), "residents"),
            (PopulationOptions(residents: 60_000_000), "residents"),
            (PopulationOptions(jobs: 0), "jobs"),
            (PopulationOptions(undesignatedShare: 1.5), "undesignatedShare"),
            (PopulationOptions(municipality: MunicipalityCode(body: 99_999)), "municipality"),
            (PopulationOptions(residents: 10, codeSequenceBase: 9_999_999_995), "codeSequenceBase"),
        ])
    func refusals(options: PopulationOptions, field: String) {
        let error = #expect(throws: PopulationError.self) { try PopulationGenerator.generate(options) }
        #expect(error?.field == field)
    }
}

@Suite("Small and odd sizes")
struct SmallSizeTests {
    @Test("generates every size from 1 to 120 without error", arguments: [1, 2, 3, 4, 5, 7, 11, 17, 31, 64, 97, 120])
    func tiny(residents: Int) throws {
        for seed in UInt64(1)...5 {
            let p = try PopulationGenerator.generate(PopulationOptions(residents: residents, seed: seed, jobs: 2))
            #expect(p.register.count == residents)
            #expect(Set(p.register.columns.residentCode).count == residents)
        }
    }
}

@Suite("The nation's population")
struct NationalPopulationTests {
    @Test("two prefectures at 1 %: every municipality at its scaled size, codes and numbers unique, any thread count")
    func smallNation() throws {
        let members = try NationalPopulation.plan(prefectures: [31, 32], scale: 0.01)
        let expected = MunicipalityDirectory.all.filter { [31, 32].contains($0.prefectureCode) }
        #expect(members.map(\.municipality.code) == expected.map(\.code))
        #expect(members.map(\.residents) == expected.map { max(1, Int((Double($0.population) * 0.01).rounded())) })
        // Blocks follow one another, each with room to grow.
        for (a, b) in zip(members, members.dropFirst()) {
            #expect(a.codeSequenceBase + a.blockSize == b.codeSequenceBase && a.blockSize > UInt64(a.residents))
        }
        let one = try NationalPopulation.generate(members, seed: 5, jobs: 1)
        let two = try NationalPopulation.generate(members, seed: 5, jobs: 2)
        #expect(one.populations.map(\.register.count) == members.map(\.residents))
        var codes = Set<UInt64>()
        var numbers = Set<UInt64>()
        var total = 0
        for (p, q) in zip(one.populations, two.populations) {
            #expect(p.register.columns.residentCode == q.register.columns.residentCode)
            #expect(p.register.columns.individualNumber == q.register.columns.individualNumber)
            codes.formUnion(p.register.columns.residentCode)
            numbers.formUnion(p.register.columns.individualNumber.filter { $0 != 0 })
            total += p.register.count
        }
        #expect(codes.count == total)
        #expect(
            numbers.count
                == one.populations.reduce(0) { $0 + $1.register.columns.individualNumber.filter { $0 != 0 }.count })
        // Another seed, another nation.
        let other = try NationalPopulation.generate(members, seed: 6, jobs: 2)
        #expect(other.populations[0].register.columns.residentCode != one.populations[0].register.columns.residentCode)
    }

    @Test("refuses a scale outside (0, 1], a prefecture outside 1–47 and a thread count outside 1–256")
    func refusals() {
        #expect(throws: PopulationError.self) { try NationalPopulation.plan(scale: 0) }
        #expect(throws: PopulationError.self) { try NationalPopulation.plan(scale: 1.5) }
        #expect(throws: PopulationError.self) { try NationalPopulation.plan(prefectures: [48]) }
        #expect(throws: PopulationError.self) {
            try NationalPopulation.generate(
                try NationalPopulation.plan(prefectures: [31], scale: 0.001), seed: 1, jobs: 0)
        }
        // The whole nation at full size fits the 10^10 code space with room to spare.
        #expect((try? NationalPopulation.plan())?.last.map { $0.codeSequenceBase + $0.blockSize } ?? 0 < 200_000_000)
    }
}
