import JukiCore
import JukiRegister
import Testing

@Suite("Individual number designation (個人番号指定)")
struct DesignationTests {
    @Test("designates one at a time and refuses a second designation or a used number")
    func single() throws {
        var f = Fixture()
        let a = try f.add(number: false)
        let b = try f.add(Fixture.name("鈴木", "一郎", "スズキ", "イチロウ"), number: false)
        let number = f.conversion.candidate(for: f.register.record(a).residentCode)
        try f.register.designate(a, number: number, context: f.context)
        #expect(f.register.row(individualNumber: number) == a)
        #expect(f.register.record(a).changeReason == .numberDesignation)
        let again = #expect(throws: RegisterError.self) {
            try f.register.designate(a, number: IndividualNumber(body: 1), context: f.context)
        }
        #expect(again?.code == .alreadyDesignated)
        let used = #expect(throws: RegisterError.self) {
            try f.register.designate(b, number: number, context: f.context)
        }
        #expect(used?.code == .individualNumberInUse)
        let change = #expect(throws: RegisterError.self) {
            try f.register.designate(b, number: IndividualNumber(body: 2), reason: .numberChange, context: f.context)
        }
        #expect(change?.code == .wrongReason)
    }

    @Test("changes a number (numberChange): the old number no longer finds the person")
    func change() throws {
        var f = Fixture()
        let a = try f.add()
        let old = try #require(f.register.record(a).individualNumber)
        let new = f.conversion.candidate(for: f.register.record(a).residentCode, generation: 1)
        try f.register.designate(a, number: new, reason: .numberChange, context: f.context)
        #expect(f.register.row(individualNumber: new) == a)
        #expect(f.register.row(individualNumber: old) == nil)
        #expect(f.register.unifiedAddresseeNumber(of: a) == 14_205_100_000_001)
    }

    @Test("bulk designation gives every active resident without a number a unique, valid one")
    func bulk() throws {
        var f = Fixture()
        for i in 0..<300 {
            try f.add(
                Fixture.name("山田", "花子", "ヤマダ", "ハナコ"), birth: CivilDate(daysSinceEpoch: Int32(i)),
                number: i % 3 == 0)
        }
        try f.register.remove(RowID(1), reason: .death, context: f.context)
        let logBefore = f.register.changeLog.count
        let result = f.register.designateAllMissing(using: f.conversion, context: f.context)
        #expect(result.designated == 199)
        #expect(result.collisions == 0)
        #expect(f.register.changeLog.count == logBefore + 199)
        var seen = Set<UInt64>()
        for r in 0..<f.register.count {
            let n = f.register.columns.individualNumber[r]
            if r == 1 {
                #expect(n == 0)
                continue
            }
            #expect(n != 0)
            #expect(seen.insert(n).inserted)
            #expect(try IndividualNumber(parsing: IndividualNumber(uncheckedRawValue: n).description).rawValue == n)
            #expect(f.register.row(individualNumber: IndividualNumber(uncheckedRawValue: n)) == RowID(UInt32(r)))
        }
        #expect(f.register.designateAllMissing(using: f.conversion, context: f.context).designated == 0)
    }
}

@Suite("Households (世帯)")
struct HouseholdTests {
    @Test("joins, creates and changes heads, logging each change")
    func operations() throws {
        var f = Fixture()
        let head = try f.add()
        let household = f.register.householdNumber(of: head)
        let wife = try f.add(
            Fixture.name("佐藤", "花子", "サトウ", "ハナコ"), sex: .female,
            household: .join(householdNumber: household, relationship: .wife))
        let child = try f.add(
            Fixture.name("佐藤", "一郎", "サトウ", "イチロウ"), birth: CivilDate(year: 2010, month: 6, day: 1),
            household: .join(householdNumber: household, relationship: .child), reason: .birth)
        #expect(f.register.members(ofHousehold: household) == [head, wife, child])

        let leave = #expect(throws: RegisterError.self) {
            try f.register.createHousehold(for: head, context: f.context)
        }
        #expect(leave?.code == .headMustStay)

        let newHousehold = try f.register.createHousehold(for: child, context: f.context)
        #expect(f.register.members(ofHousehold: newHousehold) == [child])
        #expect(f.register.members(ofHousehold: household) == [head, wife])
        #expect(f.register.record(child).relationship == .head)

        try f.register.changeHead(
            ofHousehold: household, to: wife, formerHeadRelationship: .husband, context: f.context)
        #expect(f.register.record(wife).relationship == .head)
        #expect(f.register.record(head).relationship == .husband)
        #expect(f.register.members(ofHousehold: household) == [wife, head])

        try f.register.join(child, household: household, relationship: .child, context: f.context)
        #expect(f.register.members(ofHousehold: household) == [wife, head, child])
        #expect(f.register.members(ofHousehold: newHousehold).isEmpty)
        #expect(f.register.history(of: child).map(\.reason) == [.birth, .householdChange, .householdChange])

        let notMember = #expect(throws: RegisterError.self) {
            try f.register.changeHead(
                ofHousehold: newHousehold, to: head, formerHeadRelationship: .child, context: f.context)
        }
        #expect(notMember?.code == .householdNotFound)
        let joinAsHead = #expect(throws: RegisterError.self) {
            try f.register.join(head, household: newHousehold, relationship: .head, context: f.context)
        }
        #expect(joinAsHead?.code == .wrongReason)
        let noHousehold = #expect(throws: RegisterError.self) {
            try f.register.join(child, household: 99, relationship: .child, context: f.context)
        }
        #expect(noHousehold?.code == .householdNotFound)
    }
}

@Suite("The change log")
struct ChangeLogTests {
    @Test("numbers changes from 1 without gaps and reads from any sequence number")
    func sequence() throws {
        var f = Fixture()
        let a = try f.add()
        let b = try f.add(Fixture.name("鈴木", "一郎", "スズキ", "イチロウ"))
        try f.register.relocate(a, to: f.address(1), context: f.context)
        try f.register.remove(b, reason: .moveOut, context: f.context)
        let all = f.register.changeLog.changes(from: 1)
        #expect(all.map(\.sequence) == [1, 2, 3, 4])
        #expect(all.map(\.reason) == [.moveIn, .moveIn, .relocation, .moveOut])
        #expect(f.register.changeLog.changes(from: 3).map(\.sequence) == [3, 4])
        #expect(f.register.changeLog.changes(from: 5).isEmpty)
        #expect(f.register.changeLog.change(sequence: 2)?.row == b)
        #expect(f.register.changeLog.change(sequence: 0) == nil)
        #expect(f.register.history(of: a).map(\.sequence) == [1, 3])
        #expect(all.allSatisfy { $0.time == f.context.time })
    }

    @Test("extracts identity records (本人確認情報) with the items sent to the prefecture")
    func identity() throws {
        var f = Fixture()
        let a = try f.add()
        let id = f.register.identityRecord(a)
        #expect(id.name == "佐藤\u{3000}太郎")
        #expect(id.kanaName == "サトウ\u{3000}タロウ")
        #expect(id.seionKana == "サトウタロウ")
        #expect(id.municipalityCode == .fujisawa)
        #expect(id.address == "藤沢市片瀬一丁目1番1号")
        #expect(id.changeReason == .moveIn)
        #expect(id.individualNumber != nil)
        #expect(f.register.identityExtract() == [id])
    }
}
