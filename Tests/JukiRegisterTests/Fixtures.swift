import JukiCore
import JukiRegister

/// A small register with three towns, filled through the register's own operations.
struct Fixture {
    var register: ResidentRegister
    var nextSequence: UInt64 = 0
    let allocator = ResidentCodeAllocator(key: 7)
    let conversion = NumberConversion(key: 7)
    let context = ChangeContext(
        time: SimulatedTime(date: CivilDate(year: 2026, month: 4, day: 1), hour: 9), operatorID: OperatorID(17),
        terminalID: TerminalID(3))

    init() {
        register = ResidentRegister(
            municipality: MunicipalityInfo(code: .fujisawa, name: "藤沢市", prefecture: "神奈川県"),
            towns: [
                Town(name: "片瀬", kana: "カタセ", postalCode: "2510032", district: "片瀬", chomeCount: 5),
                Town(name: "江の島", kana: "エノシマ", postalCode: "2510036", district: "片瀬", chomeCount: 2),
                Town(name: "大庭", kana: "オオバ", postalCode: "2510861", district: "湘南大庭", chomeCount: 0),
            ])
    }

    mutating func newCode() -> ResidentCode {
        defer { nextSequence += 1 }
        return allocator.code(forSequence: nextSequence)
    }

    func address(_ town: UInt16 = 0, chome: UInt8 = 1, banchi: UInt16 = 1, go: UInt16 = 1) -> RegisterAddress {
        RegisterAddress(town: town, chome: chome, banchi: banchi, go: go)
    }

    static func name(_ surname: String, _ given: String, _ sk: String, _ gk: String) -> PersonName {
        PersonName(surname: surname, givenName: given, surnameKana: sk, givenNameKana: gk)
    }

    /// Records a person and returns the row.
    @discardableResult
    mutating func add(
        _ name: PersonName = Fixture.name("佐藤", "太郎", "サトウ", "タロウ"),
        birth: CivilDate = CivilDate(year: 1980, month: 1, day: 2), sex: Sex = .male, address: RegisterAddress? = nil,
        household: HouseholdPlacement = .newHousehold, number: Bool = true, reason: ChangeReason = .moveIn
    ) throws(RegisterError) -> RowID {
        let code = newCode()
        return try register.record(
            NewResident(
                residentCode: code, individualNumber: number ? conversion.candidate(for: code) : nil, name: name,
                birthDate: birth, sex: sex, address: address ?? self.address(), household: household),
            reason: reason, context: context)
    }
}
