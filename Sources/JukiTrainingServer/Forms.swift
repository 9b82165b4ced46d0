import JukiCore
import JukiRegister
public import JukiTraining

/// The register search form as posted (every field optional text).
public struct SearchForm: Sendable, Hashable, Decodable {
    public var residentCode: String?
    public var individualNumber: String?
    public var surname: String?
    public var givenName: String?
    public var birthDate: String?
    public var sex: String?
    public var town: String?
    public var chome: String?
    public var banchi: String?
    public var go: String?

    public init(
        residentCode: String? = nil, individualNumber: String? = nil, surname: String? = nil,
        givenName: String? = nil, birthDate: String? = nil, sex: String? = nil, town: String? = nil,
        chome: String? = nil, banchi: String? = nil, go: String? = nil
    ) {
        self.residentCode = residentCode
        self.individualNumber = individualNumber
        self.surname = surname
        self.givenName = givenName
        self.birthDate = birthDate
        self.sex = sex
        self.town = town
        self.chome = chome
        self.banchi = banchi
        self.go = go
    }

    /// What the search asks, checked for form: each bad value names its field and the rule.
    enum Query {
        case code(ResidentCode)
        case number(IndividualNumber)
        case facts(BasicFactsQuery)

        /// The log's name for the search: `code`, `number`, or the facts given joined by `+`.
        var kind: String {
            switch self {
            case .code: return "code"
            case .number: return "number"
            case .facts(let q):
                return (q.factsOtherThanSex + (q.sex != nil ? ["sex"] : [])).joined(separator: "+")
            }
        }
    }

    static func text(_ value: String?) -> String? {
        guard let v = value?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        return v
    }

    func validated() throws(TrainingError) -> Query {
        if let code = Self.text(residentCode) {
            do {
                return .code(try ResidentCode(parsing: code))
            } catch {
                throw TrainingError(.badRequest, field: "residentCode", "\(error)")
            }
        }
        if let number = Self.text(individualNumber) {
            do {
                return .number(try IndividualNumber(parsing: number))
            } catch {
                throw TrainingError(.badRequest, field: "individualNumber", "\(error)")
            }
        }
        var q = BasicFactsQuery()
        let s = Self.text(surname)
        let g = Self.text(givenName)
        if s != nil || g != nil {
            let surname = s ?? ""
            let given = g ?? ""
            let kana = (surname + given).unicodeScalars.allSatisfy { (0x3040...0x30FF).contains($0.value) }
            q.name =
                kana ? .kana(surname: surname, givenName: given) : .kanji(surname: surname, givenName: given)
        }
        if let b = Self.text(birthDate) {
            do {
                q.birthDate = try CivilDate(parsing: b, field: "birthDate")
            } catch {
                throw TrainingError(
                    .badRequest, field: "birthDate", "write YYYY-MM-DD (a date that exists), got '\(b)'")
            }
        }
        if let x = Self.text(sex) {
            switch CaseField.sex.normalized(x) {
            case "男": q.sex = .male
            case "女": q.sex = .female
            default: throw TrainingError(.badRequest, field: "sex", "must be 男 or 女 (male or female), got '\(x)'")
            }
        }
        if let town = Self.text(town) {
            q.address = AddressQuery(
                town: town, chome: try Self.number(chome, "chome", 0...99, default: 0),
                banchi: try Self.number(banchi, "banchi", 1...9999, default: nil),
                go: try Self.number(go, "go", 0...9999, default: 0))
        }
        return .facts(q)
    }

    static func number(
        _ value: String?, _ field: String, _ range: ClosedRange<Int>, default fallback: Int?
    ) throws(TrainingError) -> Int {
        guard let text = text(value) else {
            guard let fallback else {
                throw TrainingError(
                    .badRequest, field: field, "required with a town (\(range.lowerBound)–\(range.upperBound))")
            }
            return fallback
        }
        guard let n = Int(CaseField.copies.normalized(text)), range.contains(n) else {
            throw TrainingError(
                .badRequest, field: field,
                "must be a whole number \(range.lowerBound)–\(range.upperBound), got '\(text)'")
        }
        return n
    }
}

/// The decision form as posted.
public struct DecisionForm: Sendable, Hashable, Decodable {
    public var verdict: String?
    public var reason: String?
    public var name: String?
    public var birthDate: String?
    public var sex: String?
    public var address: String?
    public var movedIn: String?
    public var dateOfDeath: String?
    public var copies: String?
    public var includeNumber: String?
    public var residentCode: String?

    public init(
        verdict: String? = nil, reason: String? = nil, fields: [CaseField: String] = [:]
    ) {
        self.verdict = verdict
        self.reason = reason
        name = fields[.name]
        birthDate = fields[.birthDate]
        sex = fields[.sex]
        address = fields[.address]
        movedIn = fields[.movedIn]
        dateOfDeath = fields[.dateOfDeath]
        copies = fields[.copies]
        includeNumber = fields[.includeNumber]
        residentCode = fields[.residentCode]
    }

    func value(_ field: CaseField) -> String? {
        switch field {
        case .name: name
        case .birthDate: birthDate
        case .sex: sex
        case .address: address
        case .movedIn: movedIn
        case .dateOfDeath: dateOfDeath
        case .copies: copies
        case .includeNumber: includeNumber
        case .residentCode: residentCode
        }
    }

    /// A decision checked for form.
    struct Decision {
        var verdict: ExpectedDecision.Verdict
        var reason: TrainingRule?
        var fields: [String: String]
    }

    /// Checks the form for a case of `request`: the verdict, a known rule when refusing, and every field of an
    /// acceptance present and well formed (a wrong value is the trainee's to make; a malformed one is refused).
    func validated(for request: CaseRequest) throws(TrainingError) -> Decision {
        guard let v = SearchForm.text(verdict), let verdict = ExpectedDecision.Verdict(rawValue: v) else {
            throw TrainingError(.badRequest, field: "verdict", "must be accept or refuse")
        }
        if verdict == .refuse {
            guard let r = SearchForm.text(reason) else {
                throw TrainingError(.badRequest, field: "reason", "name the rule the case breaks to refuse it")
            }
            guard let rule = TrainingRule(rawValue: r) else {
                throw TrainingError(.badRequest, field: "reason", "unknown rule '\(r)'")
            }
            return Decision(verdict: .refuse, reason: rule, fields: [:])
        }
        var fields: [String: String] = [:]
        for f in request.fields {
            guard let text = SearchForm.text(value(f)), text.count <= 200 else {
                throw TrainingError(
                    .badRequest, field: f.rawValue,
                    "required to accept this \(request.rawValue) (at most 200 characters)")
            }
            try Self.check(f, text)
            fields[f.rawValue] = text
        }
        return Decision(verdict: .accept, reason: nil, fields: fields)
    }

    static func check(_ field: CaseField, _ text: String) throws(TrainingError) {
        let n = field.normalized(text)
        switch field {
        case .birthDate, .movedIn, .dateOfDeath:
            guard (try? CivilDate(parsing: n, field: field.rawValue)) != nil else {
                throw TrainingError(
                    .badRequest, field: field.rawValue, "write YYYY-MM-DD (a date that exists), got '\(text)'")
            }
        case .copies:
            guard let c = Int(n), (1...10).contains(c) else {
                throw TrainingError(.badRequest, field: "copies", "must be a whole number 1–10, got '\(text)'")
            }
        case .includeNumber:
            guard n == "yes" || n == "no" else {
                throw TrainingError(.badRequest, field: "includeNumber", "must be yes or no, got '\(text)'")
            }
        case .sex:
            guard n == "男" || n == "女" else {
                throw TrainingError(.badRequest, field: "sex", "must be 男 or 女 (male or female), got '\(text)'")
            }
        case .residentCode:
            do {
                _ = try ResidentCode(parsing: n)
            } catch {
                throw TrainingError(.badRequest, field: "residentCode", "\(error)")
            }
        case .name, .address: break
        }
    }
}
