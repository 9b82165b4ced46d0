/// A person's name in kanji (or Latin letters) with its katakana reading (ふりがな).
public struct PersonName: Sendable, Hashable, CustomStringConvertible {
    public var surname: String
    public var givenName: String
    public var surnameKana: String
    public var givenNameKana: String

    public init(surname: String, givenName: String, surnameKana: String, givenNameKana: String) {
        self.surname = surname
        self.givenName = givenName
        self.surnameKana = surnameKana
        self.givenNameKana = givenNameKana
    }

    /// Surname and given name with an ideographic space, as the register prints them.
    public var fullName: String { surname + "\u{3000}" + givenName }
    /// The full reading.
    public var fullKana: String { surnameKana + "\u{3000}" + givenNameKana }
    /// The 清音化 reading of the full name, used for loose matching.
    public var seionKana: String { Kana.seion(surnameKana) + Kana.seion(givenNameKana) }

    public var description: String { fullName }

    /// The number of variant characters (外字数(氏名), 別添2【2】 item 3) in the surname and given name.
    public var variantCount: Int { VariantCharacters.count(in: surname) + VariantCharacters.count(in: givenName) }

    /// The name with each variant replaced by its substitute (代替文字氏名, 別添2【3】 item 55); readings unchanged.
    public var substituted: PersonName {
        PersonName(
            surname: VariantCharacters.substituted(surname), givenName: VariantCharacters.substituted(givenName),
            surnameKana: surnameKana, givenNameKana: givenNameKana)
    }
}

/// A resident's address inside a municipality: town (町域), 丁目, 番地 and 号.
public struct ResidentAddress: Sendable, Hashable, CustomStringConvertible {
    public var municipalityCode: MunicipalityCode
    public var municipalityName: String
    public var town: String
    public var townKana: String
    public var postalCode: String
    /// 丁目 (0 when the town has none).
    public var chome: Int
    public var banchi: Int
    public var go: Int

    public init(
        municipalityCode: MunicipalityCode, municipalityName: String, town: String, townKana: String,
        postalCode: String, chome: Int, banchi: Int, go: Int
    ) {
        self.municipalityCode = municipalityCode
        self.municipalityName = municipalityName
        self.town = town
        self.townKana = townKana
        self.postalCode = postalCode
        self.chome = chome
        self.banchi = banchi
        self.go = go
    }

    /// The address as the register writes it, e.g. `藤沢市鵠沼海岸三丁目5番12号`.
    public var description: String {
        municipalityName + town + (chome > 0 ? KanjiNumerals.format(chome) + "丁目" : "") + "\(banchi)番" + "\(go)号"
    }
}

/// Kanji numerals for 丁目 (一 … 九十九).
public enum KanjiNumerals {
    static let digits = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"]

    /// `value` (1 ... 99) in kanji numerals, as used for 丁目.
    public static func format(_ value: Int) -> String {
        guard value > 0 && value < 100 else { return String(value) }
        let tens = value / 10
        let ones = value % 10
        let t = tens == 0 ? "" : (tens == 1 ? "十" : digits[tens] + "十")
        return t + digits[ones]
    }
}

/// What the register keeps for a foreign resident (外国人住民).
public struct ForeignResidentData: Sendable, Hashable {
    /// Nationality or region, e.g. `中国`.
    public var nationality: String
    /// Residence status (在留資格), e.g. `永住者`.
    public var residenceStatus: String
    /// Period of stay (在留期間) in months; 0 for statuses without expiry.
    public var periodOfStayMonths: Int
    /// Expiry of the period of stay; `nil` for permanent statuses.
    public var expiry: CivilDate?
    /// Residence-card number (在留カード番号), e.g. `AB12345678CD`.
    public var residenceCard: String
    /// Alias (通称), if registered.
    public var alias: String?

    public init(
        nationality: String, residenceStatus: String, periodOfStayMonths: Int, expiry: CivilDate?,
        residenceCard: String, alias: String? = nil
    ) {
        self.nationality = nationality
        self.residenceStatus = residenceStatus
        self.periodOfStayMonths = periodOfStayMonths
        self.expiry = expiry
        self.residenceCard = residenceCard
        self.alias = alias
    }
}

/// One person's entry in the register (住民票), materialised from the register's columns.
public struct ResidentRecord: Sendable, Hashable {
    public var residentCode: ResidentCode
    public var individualNumber: IndividualNumber?
    public var addresseeNumber: UInt32
    public var unifiedAddresseeNumber: UInt64
    public var householdNumber: UInt32
    public var relationship: Relationship
    public var name: PersonName
    public var birthDate: CivilDate
    public var sex: Sex
    public var address: ResidentAddress
    public var status: RecordStatus
    public var cardStatus: CardStatus
    /// The card's expiry (its holder's birthday in the expiry year), when a card exists.
    public var cardExpiry: CivilDate?
    public var changeReason: ChangeReason?
    public var changeDate: CivilDate
    public var residentSince: CivilDate
    public var foreign: ForeignResidentData?
    /// 旧氏: a former surname recorded beside the current one.
    public var formerSurname: PersonName?

    public init(
        residentCode: ResidentCode, individualNumber: IndividualNumber?, addresseeNumber: UInt32,
        unifiedAddresseeNumber: UInt64, householdNumber: UInt32, relationship: Relationship, name: PersonName,
        birthDate: CivilDate, sex: Sex, address: ResidentAddress, status: RecordStatus, cardStatus: CardStatus,
        cardExpiry: CivilDate?, changeReason: ChangeReason?, changeDate: CivilDate, residentSince: CivilDate,
        foreign: ForeignResidentData?, formerSurname: PersonName?
    ) {
        self.residentCode = residentCode
        self.individualNumber = individualNumber
        self.addresseeNumber = addresseeNumber
        self.unifiedAddresseeNumber = unifiedAddresseeNumber
        self.householdNumber = householdNumber
        self.relationship = relationship
        self.name = name
        self.birthDate = birthDate
        self.sex = sex
        self.address = address
        self.status = status
        self.cardStatus = cardStatus
        self.cardExpiry = cardExpiry
        self.changeReason = changeReason
        self.changeDate = changeDate
        self.residentSince = residentSince
        self.foreign = foreign
        self.formerSurname = formerSurname
    }

    /// The number of variant characters in the name (外字数(氏名), 別添2【2】 item 3); addresses hold none here.
    public var variantCount: Int { name.variantCount }

    /// Whether the name holds a variant character (外字フラグ, 別添2【2】 item 34).
    public var hasVariantCharacters: Bool { variantCount > 0 }

    /// The four basic facts (4情報).
    public var basicFacts: BasicFacts { BasicFacts(name: name, birthDate: birthDate, sex: sex, address: address) }
}

/// The four basic facts (4情報): name, birth date, sex, address.
public struct BasicFacts: Sendable, Hashable {
    public var name: PersonName
    public var birthDate: CivilDate
    public var sex: Sex
    public var address: ResidentAddress

    public init(name: PersonName, birthDate: CivilDate, sex: Sex, address: ResidentAddress) {
        self.name = name
        self.birthDate = birthDate
        self.sex = sex
        self.address = address
    }
}

/// The identity record (本人確認情報) a municipality sends to the prefecture: the seed's 提供先1 items.
public struct IdentityRecord: Sendable, Hashable {
    public var residentCode: ResidentCode
    public var name: String
    public var kanaName: String
    public var seionKana: String
    public var birthDate: CivilDate
    public var sex: Sex
    public var municipalityCode: MunicipalityCode
    public var postalCode: String
    public var address: String
    public var individualNumber: IndividualNumber?
    public var changeReason: ChangeReason?
    public var changeDate: CivilDate
    public var status: RecordStatus

    /// The number of variant characters in the name (外字数(氏名), 別添2【2】 item 3); the address's count (item 12)
    /// is 0, since no town of the model's catalogs is written with one.
    public var variantCount: Int { VariantCharacters.count(in: name) }

    /// Whether the record holds a variant character (外字フラグ, 別添2【2】 item 34).
    public var hasVariantCharacters: Bool { variantCount > 0 }

    /// The name in substitutes (代替文字氏名, 別添2【3】 item 55), as delivery records carry it.
    public var substitutedName: String { VariantCharacters.substituted(name) }

    public init(
        residentCode: ResidentCode, name: String, kanaName: String, seionKana: String, birthDate: CivilDate, sex: Sex,
        municipalityCode: MunicipalityCode, postalCode: String, address: String, individualNumber: IndividualNumber?,
        changeReason: ChangeReason?, changeDate: CivilDate, status: RecordStatus
    ) {
        self.residentCode = residentCode
        self.name = name
        self.kanaName = kanaName
        self.seionKana = seionKana
        self.birthDate = birthDate
        self.sex = sex
        self.municipalityCode = municipalityCode
        self.postalCode = postalCode
        self.address = address
        self.individualNumber = individualNumber
        self.changeReason = changeReason
        self.changeDate = changeDate
        self.status = status
    }
}
