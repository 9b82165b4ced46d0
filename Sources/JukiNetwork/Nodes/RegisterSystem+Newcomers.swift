import JukiCore
import JukiRegister
import JukiSimulation

extension RegisterSystem {
    /// Records `persons` people who hold no record in any Japanese register (a move-in from abroad, 国外転入, or an
    /// ex-officio entry, 職権記載): new resident codes from this municipality's block, one household at a random
    /// address, the first person its head. The register draws names and ages from its own residents [E: the model
    /// keeps no foreign name catalogue]: a head of 20–45, a spouse within five years, children under 16. Their
    /// individual numbers are designated afterwards from J-LIS candidates (``requestNumbers(_:rows:_:)``), as for
    /// births: "出生または国外からの転入等により、新規に個人番号を指定する場合は、機構から「個人番号とすべき番号」を
    /// 入手して、その者の個人番号に指定" (II(1)3⑧ 使用方法 1).
    mutating func recordNewcomers(
        persons: UInt8, reason: ChangeReason, change: ChangeContext, _ context: inout NodeContext<NetworkMessage>
    ) throws(RegisterError) -> [RowID] {
        guard register.count > 0 else { return [] }
        let year = 365
        let family = register.name(of: RowID(UInt32(context.random.next(below: UInt64(register.count)))))
        let address = RandomAddress.draw(in: register, &context.random)
        var rows: [RowID] = []
        var household: UInt32 = 0
        for k in 0..<max(Int(persons), 1) {
            let sex: Sex = context.random.chance(0.5) ? .male : .female
            let given = givenName(sex, &context.random) ?? family
            let age: Int
            switch k {
            case 0: age = 20 * year + Int(context.random.next(below: UInt64(25 * year)))
            case 1: age = 18 * year + Int(context.random.next(below: UInt64(32 * year)))
            default: age = Int(context.random.next(below: UInt64(16 * year)))
            }
            let code = allocator.code(forSequence: nextCodeSequence)
            nextCodeSequence += 1
            let relationship: Relationship =
                k == 1 ? (sex == .female ? .wife : .husband) : .child
            let row = try register.record(
                NewResident(
                    residentCode: code,
                    name: PersonName(
                        surname: family.surname, givenName: given.givenName, surnameKana: family.surnameKana,
                        givenNameKana: given.givenNameKana),
                    birthDate: date.adding(days: -age), sex: sex, address: address,
                    household: k == 0 ? .newHousehold : .join(householdNumber: household, relationship: relationship)),
                reason: reason, context: change)
            if k == 0 { household = register.householdNumber(of: row) }
            rows.append(row)
        }
        return rows
    }

    /// A given name of `sex` borrowed from a random resident: the name pool holds only real readings.
    func givenName(_ sex: Sex, _ random: inout RandomStream) -> PersonName? {
        for _ in 0..<8 {
            let other = RowID(UInt32(random.next(below: UInt64(max(register.count, 1)))))
            if other.index < register.count && register.columns.sex[other.index] == sex.rawValue {
                return register.name(of: other)
            }
        }
        return nil
    }
}
