import JukiCore
import JukiRegister
import Testing

@Suite("Recording (記載) and the already-resident logical check")
struct RecordTests {
    @Test("records a move-in and finds it by every key")
    func recordAndLookup() throws {
        var f = Fixture()
        let row = try f.add()
        let record = f.register.record(row)
        #expect(f.register.row(residentCode: record.residentCode) == row)
        #expect(f.register.row(individualNumber: try #require(record.individualNumber)) == row)
        #expect(f.register.row(addresseeNumber: record.addresseeNumber) == row)
        #expect(f.register.members(ofHousehold: record.householdNumber) == [row])
        #expect(record.relationship == .head)
        #expect(record.address.description == "藤沢市片瀬一丁目1番1号")
        #expect(record.changeReason == .moveIn)
        #expect(record.changeDate == CivilDate(year: 2026, month: 4, day: 1))
        #expect(f.register.row(addresseeNumber: 0) == nil)
        #expect(f.register.row(residentCode: ResidentCode(body: 42)) == nil)
    }

    @Test("refuses a move-in for a person who is already a resident")
    func alreadyResident() throws {
        var f = Fixture()
        let row = try f.add()
        let code = f.register.record(row).residentCode
        let error = #expect(throws: RegisterError.self) {
            try f.register.record(
                NewResident(
                    residentCode: code, name: Fixture.name("佐藤", "太郎", "サトウ", "タロウ"),
                    birthDate: CivilDate(year: 1980, month: 1, day: 2), sex: .male, address: f.address()),
                reason: .moveIn, context: f.context)
        }
        #expect(error?.code == .alreadyResident)
        #expect(error?.field == "residentCode")
        #expect(f.register.count == 1)
    }

    @Test("records a returning resident again after removal; the code finds the active record")
    func returning() throws {
        var f = Fixture()
        let first = try f.add()
        let record = f.register.record(first)
        try f.register.remove(first, reason: .moveOut, context: f.context)
        let second = try f.register.record(
            NewResident(
                residentCode: record.residentCode, name: record.name, birthDate: record.birthDate, sex: record.sex,
                address: f.address(1, chome: 2)),
            reason: .moveIn, context: f.context)
        #expect(second != first)
        #expect(f.register.row(residentCode: record.residentCode) == second)
        #expect(f.register.record(first).status == .removed)
    }

    @Test("a returning resident is matched by individual number and keeps their addressee numbers [II(1)3⑧ 突合]")
    func returnerKeepsAddresseeNumber() throws {
        var f = Fixture()
        let first = try f.add()
        _ = try f.add()
        let record = f.register.record(first)
        let number = try #require(record.individualNumber)
        try f.register.remove(first, reason: .moveOut, context: f.context)
        // Back with the number on their move-out certificate (and a resident code another municipality may have
        // changed: the number alone finds the removed record).
        let second = try f.register.record(
            NewResident(
                residentCode: f.newCode(), individualNumber: number, name: record.name, birthDate: record.birthDate,
                sex: record.sex, address: f.address(1, chome: 2)),
            reason: .moveIn, context: f.context)
        #expect(second != first)
        #expect(f.register.addresseeNumber(of: second) == record.addresseeNumber)
        #expect(f.register.unifiedAddresseeNumber(of: second) == record.unifiedAddresseeNumber)
        #expect(f.register.row(addresseeNumber: record.addresseeNumber) == second)
        #expect(f.register.row(individualNumber: number) == second)
        #expect(f.register.carriedAddresseeNumbers == 1)
        // A newcomer gets a number of their own, and a dead person's number cannot come back.
        let newcomer = try f.add()
        #expect(f.register.addresseeNumber(of: newcomer) == newcomer.rawValue + 1)
        let dead = f.register.record(newcomer)
        try f.register.remove(newcomer, reason: .death, context: f.context)
        let ghost = #expect(throws: RegisterError.self) {
            try f.register.record(
                NewResident(
                    residentCode: f.newCode(), individualNumber: dead.individualNumber, name: dead.name,
                    birthDate: dead.birthDate, sex: dead.sex, address: f.address()),
                reason: .moveIn, context: f.context)
        }
        #expect(ghost?.code == .individualNumberInUse)
    }

    @Test("refuses an individual number already in use, a non-entry reason and bad addresses")
    func refusals() throws {
        var f = Fixture()
        let row = try f.add()
        let number = try #require(f.register.record(row).individualNumber)
        let newCode = f.newCode()
        let dup = #expect(throws: RegisterError.self) {
            try f.register.record(
                NewResident(
                    residentCode: newCode, individualNumber: number, name: Fixture.name("鈴木", "花子", "スズキ", "ハナコ"),
                    birthDate: CivilDate(year: 1990, month: 3, day: 3), sex: .female, address: f.address()),
                reason: .birth, context: f.context)
        }
        #expect(dup?.code == .individualNumberInUse)
        let reason = #expect(throws: RegisterError.self) { try f.add(reason: .relocation) }
        #expect(reason?.code == .wrongReason)
        let chome = #expect(throws: RegisterError.self) { try f.add(address: f.address(2, chome: 1)) }
        #expect(chome?.code == .invalidAddress)
        let town = #expect(throws: RegisterError.self) {
            try f.register.address(town: "横浜", chome: 1, banchi: 1, go: 1)
        }
        #expect(town?.code == .unknownTown)
        #expect(try f.register.address(town: "大庭", chome: 0, banchi: 1234, go: 5).banchi == 1234)
    }

    @Test("refuses duplicate resident codes in a bulk load")
    func bulkDuplicates() {
        var columns = ResidentColumns(zeroed: 2)
        columns.residentCode = [ResidentCode(body: 5).rawValue, ResidentCode(body: 5).rawValue]
        var households = HouseholdColumns()
        households.head = [0, 1]
        households.firstMember = [0, 1]
        columns.household = [0, 1]
        let error = #expect(throws: RegisterError.self) {
            var names = NamePool()
            names.intern(kanji: "佐藤", kana: "サトウ")
            _ = try ResidentRegister(
                municipality: MunicipalityInfo(code: .fujisawa, name: "藤沢市", prefecture: "神奈川県"),
                towns: [Town(name: "片瀬", kana: "カタセ", postalCode: "", district: "片瀬", chomeCount: 0)], names: names,
                columns: columns, households: households)
        }
        #expect(error?.code == .duplicateResidentCode)
    }
}

@Suite("Relocation (転居), amendment (修正) and removal (消除)")
struct ChangeTests {
    @Test("relocates and logs the address before and after")
    func relocate() throws {
        var f = Fixture()
        let row = try f.add()
        let before = f.register.record(row).address
        try f.register.relocate(row, to: f.address(1, chome: 2, banchi: 3, go: 4), context: f.context)
        let record = f.register.record(row)
        #expect(record.address.description == "藤沢市江の島二丁目3番4号")
        #expect(record.changeReason == .relocation)
        let change = try #require(f.register.history(of: row).last)
        #expect(change.reason == .relocation)
        #expect(change.fields.map(\.field) == [.address])
        #expect(RegisterAddress(packed: change.fields[0].before).banchi == UInt16(before.banchi))
        #expect(change.fields[0].after == f.address(1, chome: 2, banchi: 3, go: 4).packed)
        #expect(change.operatorID == OperatorID(17) && change.terminalID == TerminalID(3))
    }

    @Test("refuses a relocation that changes anything but the address, naming the fields")
    func relocationLogicalCheck() throws {
        var f = Fixture()
        let row = try f.add()
        let error = #expect(throws: RegisterError.self) {
            try f.register.amend(
                row,
                RecordAmendment(
                    birthDate: CivilDate(year: 1981, month: 1, day: 1), sex: .female, address: f.address(1)),
                reason: .relocation, context: f.context)
        }
        #expect(error?.code == .relocationChangesOtherFields)
        #expect(error?.field == "birthDate, sex")
        #expect(f.register.record(row).address.town == "片瀬")
        let same = #expect(throws: RegisterError.self) {
            try f.register.relocate(row, to: f.address(), context: f.context)
        }
        #expect(same?.code == .noChange)
        try f.register.amend(
            row, RecordAmendment(address: f.address(2, chome: 0)), reason: .relocation, context: f.context)
        #expect(f.register.record(row).address.town == "大庭")
    }

    @Test("amends the name and re-keys the basic-facts indexes")
    func amendName() throws {
        var f = Fixture()
        let row = try f.add()
        try f.register.amend(
            row, RecordAmendment(name: Fixture.name("佐藤", "次郎", "サトウ", "ジロウ")), reason: .amendment,
            context: f.context)
        let birth = CivilDate(year: 1980, month: 1, day: 2)
        #expect(
            try f.register.search(BasicFactsQuery(name: .kanji(surname: "佐藤", givenName: "太郎"), birthDate: birth))
                .isEmpty)
        #expect(
            try f.register.search(BasicFactsQuery(name: .kanji(surname: "佐藤", givenName: "次郎"), birthDate: birth)) == [
                row
            ])
        let wrong = #expect(throws: RegisterError.self) {
            try f.register.amend(row, RecordAmendment(sex: .female), reason: .death, context: f.context)
        }
        #expect(wrong?.code == .wrongReason)
        let nothing = #expect(throws: RegisterError.self) {
            try f.register.amend(row, RecordAmendment(sex: .male), reason: .amendment, context: f.context)
        }
        #expect(nothing?.code == .noChange)
    }

    @Test("a removed record is kept 150 years, then expunged: fields cleared, code and number never reissued")
    func retention() throws {
        var f = Fixture()
        let row = try f.add()
        let kept = try f.add(Fixture.name("鈴木", "花子", "スズキ", "ハナコ"), sex: .female)
        let record = f.register.record(row)
        try f.register.remove(row, reason: .death, context: f.context)
        let removedAt = f.context.time.microseconds
        // Not yet: the cutoff is the removal itself (strictly older records go).
        #expect(f.register.expungeRemoved(before: SimulatedTime(microseconds: removedAt)) == 0)
        #expect(f.register.record(row).status == .removed)
        let later = SimulatedTime(microseconds: removedAt + ResidentRegister.removedRecordRetention + 1)
        #expect(f.register.expungeRemoved(before: later) == 1)
        #expect(f.register.expungeRemoved(before: later) == 0)  // once
        #expect(f.register.expungedCount == 1)
        let after = f.register.record(row)
        #expect(after.status == .expunged)
        #expect(after.birthDate != record.birthDate && after.name != record.name)
        // The active resident is untouched.
        #expect(f.register.record(kept).status == .active && f.register.record(kept).name.surname == "鈴木")
        // Not found by basic facts any more, even among removed records.
        var q = BasicFactsQuery(name: .kana(surname: "サトウ", givenName: "タロウ"), birthDate: record.birthDate)
        q.includeRemoved = true
        #expect(try f.register.search(q).isEmpty)
        // The number stays taken: designating it to someone else is refused.
        let number = try #require(record.individualNumber)
        let other = try f.add(Fixture.name("田中", "一郎", "タナカ", "イチロウ"), number: false)
        let reuse = #expect(throws: RegisterError.self) {
            try f.register.designate(other, number: number, context: f.context)
        }
        #expect(reuse?.code == .individualNumberInUse)
    }

    @Test("removes to 除票: still findable by code, excluded from searches, not removable twice")
    func remove() throws {
        var f = Fixture()
        let row = try f.add()
        let code = f.register.record(row).residentCode
        try f.register.remove(row, reason: .death, context: f.context)
        #expect(f.register.row(residentCode: code) == row)
        #expect(f.register.record(row).status == .removed)
        #expect(f.register.record(row).changeReason == .death)
        #expect(f.register.activeCount == 0)
        let q = BasicFactsQuery(
            name: .kana(surname: "サトウ", givenName: "タロウ"), birthDate: CivilDate(year: 1980, month: 1, day: 2))
        #expect(try f.register.search(q).isEmpty)
        var withRemoved = q
        withRemoved.includeRemoved = true
        #expect(try f.register.search(withRemoved) == [row])
        let twice = #expect(throws: RegisterError.self) {
            try f.register.remove(row, reason: .moveOut, context: f.context)
        }
        #expect(twice?.code == .alreadyRemoved)
        let relocate = #expect(throws: RegisterError.self) {
            try f.register.relocate(row, to: f.address(1), context: f.context)
        }
        #expect(relocate?.code == .notActive)
        let reason = #expect(throws: RegisterError.self) {
            try f.register.remove(RowID(0), reason: .birth, context: f.context)
        }
        #expect(reason?.code == .wrongReason)
        let missing = #expect(throws: RegisterError.self) {
            try f.register.remove(RowID(9), reason: .death, context: f.context)
        }
        #expect(missing?.code == .notFound)
    }
}
