public import JukiNetwork

/// What a resident asks for at the counter in a training case.
public enum CaseRequest: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// 転入届 with the paper 転出証明書.
    case moveIn
    /// 特例転入: a move-in with the My Number card, the certificate data through the Juki-net.
    case specialMoveIn
    /// The visit of a one-stop move (引越しワンストップサービス): the move-out filed online before.
    case oneStopMove
    /// 転居届: a move within the city (the card's address updated with it).
    case relocation
    /// 出生届.
    case birth
    /// 死亡届.
    case death
    /// 住民票の写し or 除票の写し.
    case certificate
    /// 個人番号カードの交付: collecting a manufactured card.
    case cardCollection
    /// 本人確認情報の検索: a search of the register by the facts a requester gives.
    case identitySearch

    public var description: String { rawValue }

    /// The simulation's flow that runs when the request is accepted.
    public var flow: Flow {
        switch self {
        case .moveIn: .moveIn
        case .specialMoveIn: .specialMoveIn
        case .oneStopMove: .oneStopMove
        case .relocation: .relocation
        case .birth: .birth
        case .death: .death
        case .certificate: .certificate
        case .cardCollection: .cardIssuance
        case .identitySearch: .identitySearch
        }
    }

    /// The Japanese name on case sheets.
    public var japanese: String { flow.japanese }

    /// The fields the clerk enters when accepting, in screen order.
    public var fields: [CaseField] {
        switch self {
        case .moveIn, .specialMoveIn, .oneStopMove, .relocation: [.name, .birthDate, .address, .movedIn]
        case .birth: [.name, .birthDate, .sex, .address]
        case .death: [.name, .dateOfDeath]
        case .certificate: [.name, .copies, .includeNumber]
        case .cardCollection: [.name, .birthDate]
        case .identitySearch: [.residentCode]
        }
    }
}

/// A field the clerk enters for an accepted case.
public enum CaseField: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// The name as the record holds it (surname, an ideographic or plain space, given name).
    case name
    /// YYYY-MM-DD.
    case birthDate
    /// 男 or 女 (male or female).
    case sex
    /// The address in this municipality: town, 丁目, 番地 and 号 as the register prints them.
    case address
    /// The day of moving (YYYY-MM-DD).
    case movedIn
    /// The day of death (YYYY-MM-DD).
    case dateOfDeath
    /// Copies issued (1–10).
    case copies
    /// Whether the copy shows the individual number: yes or no.
    case includeNumber
    /// The 住民票コード found (11 digits).
    case residentCode

    public var description: String { rawValue }

    /// The label on forms and sheets.
    public var label: String {
        switch self {
        case .name: "氏名 (name)"
        case .birthDate: "生年月日 (birth date)"
        case .sex: "性別 (sex)"
        case .address: "住所 (address)"
        case .movedIn: "異動日 (day of moving)"
        case .dateOfDeath: "死亡日 (day of death)"
        case .copies: "通数 (copies)"
        case .includeNumber: "個人番号の記載 (number on the copy)"
        case .residentCode: "住民票コード (resident code)"
        }
    }

    /// `value` in the form answers are compared in: spaces of every width removed, full-width digits and hyphens
    /// made plain, yes/no words folded, so "髙橋　一郎" equals "髙橋 一郎" but never "高橋 一郎".
    public func normalized(_ value: String) -> String {
        var out = String.UnicodeScalarView()
        for s in value.unicodeScalars {
            switch s.value {
            case 0x20, 0x3000, 0x09: continue
            case 0xFF10...0xFF19: out.append(Unicode.Scalar(s.value - 0xFF10 + 0x30) ?? s)
            case 0xFF0D, 0x2212: out.append("-")
            default: out.append(s)
            }
        }
        let text = String(out)
        switch self {
        case .includeNumber:
            switch text.lowercased() {
            case "yes", "y", "true", "あり", "有", "記載": return "yes"
            case "no", "n", "false", "なし", "無", "省略": return "no"
            default: return text.lowercased()
            }
        case .sex:
            switch text.lowercased() {
            case "男", "male", "m": return "男"
            case "女", "female", "f": return "女"
            default: return text
            }
        default: return text
        }
    }
}

/// A document the resident brings, as the clerk sees it: a title and labelled lines.
public struct CaseDocument: Sendable, Hashable, Codable {
    /// What kind of document it is.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case noticeForm, moveOutCertificate, myNumberCard, residenceCard, driverLicence, delegationLetter
        case cardNotice, birthFiling, deathFiling, certificateRequest, searchRequest, oneStopReservation

        /// The title on the sheet.
        public var title: String {
            switch self {
            case .noticeForm: "住民異動届 (notice form)"
            case .moveOutCertificate: "転出証明書 (move-out certificate)"
            case .myNumberCard: "個人番号カード (My Number card)"
            case .residenceCard: "在留カード (residence card)"
            case .driverLicence: "運転免許証 (driving licence)"
            case .delegationLetter: "委任状 (letter of delegation)"
            case .cardNotice: "交付通知書 (card collection notice)"
            case .birthFiling: "出生届 (birth filing, received by the family-register section)"
            case .deathFiling: "死亡届 (death filing, received by the family-register section)"
            case .certificateRequest: "交付請求書 (certificate request)"
            case .searchRequest: "照会 (search request)"
            case .oneStopReservation: "転入予約 (one-stop reservation, from Myna Portal)"
            }
        }
    }

    public var kind: Kind
    /// Label and value, in the document's order.
    public var lines: [Line]

    /// One labelled line of a document.
    public struct Line: Sendable, Hashable, Codable {
        public var label: String
        public var value: String

        public init(_ label: String, _ value: String) {
            self.label = label
            self.value = value
        }
    }

    public init(_ kind: Kind, _ lines: [Line]) {
        self.kind = kind
        self.lines = lines
    }

    /// The value of the line labelled `label`, if any.
    public func value(_ label: String) -> String? { lines.first { $0.label == label }?.value }
}

/// What a check on the register or the Juki-net shows the clerk (card verification, certificate data, a search).
public struct SystemCheck: Sendable, Hashable, Codable {
    /// What was checked, e.g. "個人番号カードの確認 (card verification, national server)".
    public var check: String
    /// What it answers.
    public var result: String

    public init(check: String, result: String) {
        self.check = check
        self.result = result
    }
}

/// The decision a case expects: accept (with the fields), or refuse citing one of the planted rules.
public struct ExpectedDecision: Sendable, Hashable, Codable {
    /// Accept or refuse.
    public enum Verdict: String, Sendable, Hashable, Codable {
        case accept, refuse
    }

    public var verdict: Verdict
    /// The rules that refuse the case (citing any one of them is right); empty when accepted.
    public var reasons: [TrainingRule]
    /// The fields and their right values, for an accepted case.
    public var fields: [ExpectedField]
    /// What happens next: the flow through the simulated network, or the resident's next step.
    public var followUp: String
}

/// One field of an accepted case and its right value.
public struct ExpectedField: Sendable, Hashable, Codable {
    public var field: CaseField
    public var value: String

    public init(_ field: CaseField, _ value: String) {
        self.field = field
        self.value = value
    }
}

/// Who comes to the desk for the case.
public enum Filer: String, Sendable, Hashable, Codable {
    /// The person themselves.
    case person
    /// A member of the person's household.
    case household
    /// Someone else, with a letter of delegation.
    case delegate
    /// Someone else, without one.
    case stranger
}

/// One training case: a resident (or household) with a request, the documents they bring, what the systems show,
/// the planted discrepancies and the decision expected.
public struct TrainingCase: Sendable, Hashable, Codable, Identifiable {
    /// The case's number in the drill (1, 2, …): the same for every trainee.
    public var id: Int
    public var request: CaseRequest
    /// The person the request is about: name as recorded (or as the certificate writes it), and resident code when
    /// the register here or elsewhere holds them.
    public var personName: String
    public var personCode: String?
    /// Who files.
    public var filer: Filer
    public var filerName: String
    /// The visitor's words at the desk.
    public var story: String
    public var documents: [CaseDocument]
    public var checks: [SystemCheck]
    /// The discrepancies planted, in the order drawn.
    public var planted: [TrainingRule]
    public var expected: ExpectedDecision
    /// The resident codes the case may open in the register (the person, the filer and their household); opening
    /// any other is a privacy violation.
    public var related: [String]
    /// Whether the work needs the individual number shown (number-use work of the case itself).
    public var numberNeeded: Bool
    /// The standard desk time for the request, seconds (the scenario's mean desk time for the flow).
    public var standardSeconds: Int
}
