import JukiCore
import JukiRegister
import Testing

@Suite("Basic-facts search (4情報検索) and its two-facts rule")
struct SearchTests {
    static let birth = CivilDate(year: 1975, month: 7, day: 7)

    static func populated() throws -> (Fixture, [RowID]) {
        var f = Fixture()
        let a = try f.add(Fixture.name("山崎", "学", "ヤマザキ", "マナブ"), birth: birth)
        // A namesake: same name and birth date, another address.
        let b = try f.add(Fixture.name("山崎", "学", "ヤマザキ", "マナブ"), birth: birth, address: f.address(1, chome: 2))
        // Same kanji, other reading.
        let c = try f.add(Fixture.name("山崎", "学", "ヤマサキ", "マナブ"), birth: birth, address: f.address(2, chome: 0))
        // A gaiji variant spelling with the common reading.
        let d = try f.add(Fixture.name("山﨑", "学", "ヤマザキ", "マナブ"), birth: birth, address: f.address(0, chome: 3))
        let e = try f.add(Fixture.name("山崎", "花子", "ヤマザキ", "ハナコ"), birth: birth, sex: .female)
        return (f, [a, b, c, d, e])
    }

    @Test(
        "refuses queries with fewer than two facts other than sex",
        arguments: [
            BasicFactsQuery(name: .kanji(surname: "山崎", givenName: "学")),
            BasicFactsQuery(name: .kanji(surname: "山崎", givenName: "学"), sex: .male),
            BasicFactsQuery(birthDate: birth, sex: .male),
            BasicFactsQuery(sex: .male, address: AddressQuery(town: "片瀬", chome: 1, banchi: 1, go: 1)),
            BasicFactsQuery(sex: .female),
            BasicFactsQuery(),
        ])
    func insufficient(query: BasicFactsQuery) throws {
        let (f, _) = try Self.populated()
        let error = #expect(throws: SearchError.self) { try f.register.search(query) }
        #expect(error?.code == .insufficientFacts)
        #expect(error?.message.contains("needs the name and the birth date or the address") == true)
    }

    @Test("name + birth date returns every namesake, kanji exact up to variants (山崎 finds the gaiji 山﨑)")
    func nameAndBirth() throws {
        let (f, rows) = try Self.populated()
        let found = try f.register.search(
            BasicFactsQuery(name: .kanji(surname: "山崎", givenName: "学"), birthDate: Self.birth))
        #expect(found == [rows[0], rows[1], rows[2], rows[3]])
    }

    @Test("kana matches loosely through 清音化: ヤマザキ finds ヤマサキ and the gaiji 山﨑 too")
    func kanaLoose() throws {
        let (f, rows) = try Self.populated()
        let found = try f.register.search(
            BasicFactsQuery(name: .kana(surname: "やまさき", givenName: "まなぶ"), birthDate: Self.birth))
        #expect(found == [rows[0], rows[1], rows[2], rows[3]])
    }

    @Test("name + address, with sex as an extra filter")
    func nameAndAddress() throws {
        let (f, rows) = try Self.populated()
        let address = AddressQuery(town: "片瀬", chome: 1, banchi: 1, go: 1)
        #expect(
            try f.register.search(BasicFactsQuery(name: .kanji(surname: "山崎", givenName: "学"), address: address)) == [
                rows[0]
            ])
        #expect(
            try f.register.search(
                BasicFactsQuery(name: .kanji(surname: "山崎", givenName: "学"), sex: .female, address: address)
            )
            .isEmpty)
        #expect(
            try f.register.search(
                BasicFactsQuery(name: .kanji(surname: "山崎", givenName: "花子"), sex: .female, address: address))
                == [rows[4]])
    }

    @Test("birth date + address without a name is refused: the seed's pairs both hold the name [III(2)2 リスク1]")
    func birthAndAddressRefused() throws {
        let (f, _) = try Self.populated()
        let error = #expect(throws: SearchError.self) {
            try f.register.search(
                BasicFactsQuery(birthDate: Self.birth, address: AddressQuery(town: "片瀬", chome: 1, banchi: 1, go: 1)))
        }
        #expect(error?.code == .insufficientFacts)
        #expect(error?.message.contains("氏名と生年月日、氏名と住所") == true)
    }

    @Test("unknown names and towns find nobody; empty names are refused")
    func unknown() throws {
        let (f, _) = try Self.populated()
        #expect(
            try f.register.search(BasicFactsQuery(name: .kanji(surname: "存在", givenName: "無"), birthDate: Self.birth))
                .isEmpty)
        #expect(
            try f.register.search(
                BasicFactsQuery(
                    name: .kanji(surname: "山崎", givenName: "学"),
                    address: AddressQuery(town: "横浜", chome: 1, banchi: 1, go: 1))
            ).isEmpty)
        let empty = #expect(throws: SearchError.self) {
            try f.register.search(BasicFactsQuery(name: .kana(surname: "", givenName: "マナブ"), birthDate: Self.birth))
        }
        #expect(empty?.code == .invalidValue)
    }

    @Test("resolved queries reuse their result buffer")
    func resolvedQueries() throws {
        let (f, rows) = try Self.populated()
        var out: [RowID] = []
        f.register.search(f.register.nameAndBirthDateQuery(of: rows[4]), into: &out)
        #expect(out == [rows[4]])
        f.register.search(f.register.nameAndAddressQuery(of: rows[0]), into: &out)
        #expect(out == [rows[0]])
    }
}

@Suite("Index consistency under change")
struct IndexConsistencyTests {
    @Test("after thousands of random relocations and renames, index searches equal a full scan")
    func randomChanges() throws {
        var f = Fixture()
        var random = RandomStream(seed: 2024)
        let names = [
            Fixture.name("佐藤", "一郎", "サトウ", "イチロウ"), Fixture.name("鈴木", "花子", "スズキ", "ハナコ"),
            Fixture.name("高橋", "学", "タカハシ", "マナブ"), Fixture.name("髙橋", "学", "タカハシ", "マナブ"),
        ]
        func randomAddress(_ r: inout RandomStream) -> RegisterAddress {
            let town = UInt16(r.next(below: 3))
            let chome: UInt8 = town == 2 ? 0 : UInt8(1 + r.next(below: town == 0 ? 5 : 2))
            return RegisterAddress(town: town, chome: chome, banchi: UInt16(1 + r.next(below: 3)), go: 1)
        }
        for i in 0..<1500 {
            try f.add(names[i % 4], birth: CivilDate(daysSinceEpoch: Int32(i % 7)), address: randomAddress(&random))
        }
        for _ in 0..<6000 {
            let row = RowID(UInt32(random.next(below: 1500)))
            if random.chance(0.7) {
                let to = randomAddress(&random)
                do {
                    try f.register.relocate(row, to: to, context: f.context)
                } catch {
                    #expect(error.code == .noChange)
                }
            } else {
                let name = names[Int(random.next(below: 4))]
                do {
                    try f.register.amend(row, RecordAmendment(name: name), reason: .amendment, context: f.context)
                } catch {
                    #expect(error.code == .noChange)
                }
            }
        }
        var out: [RowID] = []
        let records = (0..<1500).map { f.register.record(RowID(UInt32($0))) }
        let seion = records.map(\.name.seionKana)
        for r in 0..<1500 {
            let row = RowID(UInt32(r))
            let record = records[r]
            f.register.search(f.register.nameAndAddressQuery(of: row), into: &out)
            let expected = (0..<1500).filter {
                seion[$0] == seion[r] && records[$0].address == record.address
            }.map { RowID(UInt32($0)) }
            #expect(out == expected)
            f.register.search(f.register.nameAndBirthDateQuery(of: row), into: &out)
            let expectedBirth = (0..<1500).filter {
                seion[$0] == seion[r] && records[$0].birthDate == record.birthDate
            }.map { RowID(UInt32($0)) }
            #expect(out == expectedBirth)
        }
    }
}
