import JukiCore
import JukiRegister
import Testing

@Suite("Variant characters (外字) in the register: 外字数, 外字フラグ, 代替文字 and folded kanji search")
struct RegisterVariantCharacterTests {
    static let birth = CivilDate(year: 1968, month: 3, day: 4)
    static let takahashi = Fixture.name("高橋", "学", "タカハシ", "マナブ")
    static let variantTakahashi = Fixture.name("髙橋", "学", "タカハシ", "マナブ")

    @Test("a record with a variant in the name gets the count and the flag; one without gets neither")
    func setOnRecord() throws {
        var f = Fixture()
        let plain = try f.add(Self.takahashi, birth: Self.birth)
        let variant = try f.add(Self.variantTakahashi, birth: Self.birth)
        let two = try f.add(Fixture.name("髙﨑", "德子", "タカサキ", "ノリコ"), birth: Self.birth, sex: .female)
        #expect(f.register.variantCount(of: plain) == 0)
        #expect(!f.register.hasVariantCharacters(plain))
        #expect(f.register.variantCount(of: variant) == 1)
        #expect(f.register.hasVariantCharacters(variant))
        #expect(f.register.variantCount(of: two) == 3)
        #expect(f.register.columns.isConsistent)
        #expect(f.register.name(of: variant).surname == "髙橋")
        #expect(f.register.substitutedName(of: variant) == Self.takahashi)
        #expect(f.register.substitutedName(of: two).fullName == "高崎\u{3000}徳子")
        #expect(f.register.substitutedName(of: plain) == Self.takahashi)
    }

    @Test("the resident record and the identity record carry the count, the flag and the substituted name")
    func records() throws {
        var f = Fixture()
        let row = try f.add(Self.variantTakahashi, birth: Self.birth)
        let record = f.register.record(row)
        #expect(record.variantCount == 1)
        #expect(record.hasVariantCharacters)
        #expect(record.name.substituted.surname == "高橋")
        let identity = f.register.identityRecord(row)
        #expect(identity.variantCount == 1)
        #expect(identity.hasVariantCharacters)
        #expect(identity.substitutedName == "高橋\u{3000}学")
        #expect(identity.name == "髙橋\u{3000}学")
    }

    @Test("a name amendment sets the count and flag, and an amendment back to the standard form clears them")
    func amend() throws {
        var f = Fixture()
        let row = try f.add(Self.takahashi, birth: Self.birth)
        try f.register.amend(row, RecordAmendment(name: Self.variantTakahashi), reason: .amendment, context: f.context)
        #expect(f.register.variantCount(of: row) == 1)
        #expect(f.register.hasVariantCharacters(row))
        try f.register.amend(row, RecordAmendment(name: Self.takahashi), reason: .amendment, context: f.context)
        #expect(f.register.variantCount(of: row) == 0)
        #expect(!f.register.hasVariantCharacters(row))
        // Other bits survive the name's flag changing.
        try f.register.amend(
            row, RecordAmendment(name: Fixture.name("山﨑", "学", "ヤマザキ", "マナブ")), reason: .amendment,
            context: f.context)
        #expect(f.register.record(row).changeReason == .amendment)
        #expect(RowFlags(rawValue: f.register.columns.flags[row.index]) == [.variantCharacters])
    }

    @Test("a kanji search for 高橋 finds 髙橋 and the other way round; kana and other names unaffected")
    func foldedSearch() throws {
        var f = Fixture()
        let plain = try f.add(Self.takahashi, birth: Self.birth)
        let variant = try f.add(Self.variantTakahashi, birth: Self.birth, address: f.address(1, chome: 2))
        let other = try f.add(Fixture.name("高田", "学", "タカダ", "マナブ"), birth: Self.birth)
        for surname in ["高橋", "髙橋"] {
            let found = try f.register.search(
                BasicFactsQuery(name: .kanji(surname: surname, givenName: "学"), birthDate: Self.birth))
            #expect(found == [plain, variant], "\(surname)")
        }
        // Without folding, a search by the substitute would miss the variant-named person at their address.
        let byAddress = try f.register.search(
            BasicFactsQuery(
                name: .kanji(surname: "高橋", givenName: "学"),
                address: AddressQuery(town: "江の島", chome: 2, banchi: 1, go: 1)))
        #expect(byAddress == [variant])
        let bySubstitute = try f.register.search(
            BasicFactsQuery(name: .kanji(surname: "高田", givenName: "学"), birthDate: Self.birth))
        #expect(bySubstitute == [other])
        #expect(f.register.names.ids(kanji: "髙橋") == f.register.names.ids(kanji: "高橋"))
        #expect(f.register.names.ids(kanji: "高橋").count == 2)
    }

    @Test("bulk-loaded columns must carry the 外字数 column like every other")
    func bulkConsistency() {
        var columns = ResidentColumns(zeroed: 3)
        #expect(columns.isConsistent)
        #expect(columns.variantCount == [0, 0, 0])
        columns.variantCount = [0, 1]
        #expect(!columns.isConsistent)
    }

    @Test("a removed record keeps its 外字 data until it is expunged, which clears it")
    func expunge() throws {
        var f = Fixture()
        let row = try f.add(Self.variantTakahashi, birth: Self.birth)
        try f.register.remove(row, reason: .moveOut, context: f.context)
        #expect(f.register.variantCount(of: row) == 1)
        let later = SimulatedTime(
            microseconds: f.context.time.microseconds + ResidentRegister.removedRecordRetention + 1)
        #expect(f.register.expungeRemoved(before: later) == 1)
        #expect(f.register.variantCount(of: row) == 0)
        #expect(!f.register.hasVariantCharacters(row))
    }
}
