public import JukiNetwork

/// A rule a case can break: the discrepancies drills plant and the reasons a trainee cites when refusing.
///
/// Each rule is one the simulation enforces (``failure`` names the journey's `FailureReason` and ``modelledBy`` the
/// code), or one the counter applies before the simulation sees the notice (identity documents, proxies, a foreign
/// resident's period of stay), with the seed's section or the law it cites. `docs/training.md` lists them.
public enum TrainingRule: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// A special move-in or one-stop visit more than 14 days after moving in, or 30 days after the planned move-out.
    case deadlinePassed
    /// A special move-in or one-stop visit without the My Number card.
    case cardNotBrought
    /// The card's validity ended.
    case cardExpired
    /// The card is suspended (一時停止: reported lost).
    case cardSuspended
    /// The card is revoked (廃止).
    case cardRevoked
    /// The holder does not know the card's PIN (locked after three failures).
    case pinFailure
    /// The origin has recorded no move-out: no 転出証明書情報 comes through the Juki-net.
    case certificateDataNotFound
    /// A "move-in" of a person already on this register: a move within the city is a relocation.
    case alreadyResident
    /// A relocation or certificate for a person not on this register.
    case notResident
    /// A 除票の写し for a person still on the register.
    case recordNotRemoved
    /// A foreign resident whose period of stay has passed is not a resident the register records.
    case periodOfStayExpired
    /// A filer or applicant who is neither the person, a member of their household, nor holds a letter of
    /// delegation (委任状).
    case proxyWithoutAuthority
    /// The identity document does not match the notice (another birth date or name).
    case identityMismatch
    /// A search by basic facts with the name only (and sex): the name needs the birth date or the address.
    case tooFewFacts
    /// A search by individual number by a clerk without number-use rights.
    case numberUseRequired
    /// The name is written with a variant character (外字) on the certificate or 戸籍: the record keeps it.
    case variantName
    /// A copy asked with the individual number by someone other than the person: the number is left out.
    case numberNotRequested

    public var description: String { rawValue }

    /// What breaking the rule means for the decision.
    public enum Effect: String, Sendable, Hashable, Codable {
        /// The request is refused; the trainee cites the rule.
        case refuse
        /// The request is accepted, with a field entered as the rule says.
        case correct
    }

    /// Whether the case is refused or a field corrected.
    public var effect: Effect {
        switch self {
        case .variantName, .numberNotRequested: .correct
        default: .refuse
        }
    }

    /// The journey's failure reason where the simulation enforces the rule; nil for the counter's own checks.
    public var failure: FailureReason? {
        switch self {
        case .deadlinePassed: .deadlinePassed
        case .cardNotBrought: .cardNotBrought
        case .cardExpired: .cardExpired
        case .cardSuspended: .cardSuspended
        case .cardRevoked: .cardRevoked
        case .pinFailure: .pinFailure
        case .certificateDataNotFound: .certificateDataNotFound
        case .alreadyResident: .alreadyResident
        case .notResident: .notResident
        case .recordNotRemoved: .recordNotRemoved
        case .tooFewFacts: .searchRefused
        case .numberUseRequired: .numberUseRequired
        case .periodOfStayExpired, .proxyWithoutAuthority, .identityMismatch, .variantName, .numberNotRequested: nil
        }
    }

    /// Where the simulation applies the rule (or the counter check it stands for).
    public var modelledBy: String {
        switch self {
        case .deadlinePassed: "SpecialMoveInRule.deadlinePassed (special move-in and one-stop journeys)"
        case .cardNotBrought, .pinFailure: "the special move-in's card verification (BranchCounter)"
        case .cardExpired, .cardSuspended, .cardRevoked: "NationalServer.verify with the card system's card states"
        case .certificateDataNotFound: "OtherMunicipality's certificateData answer"
        case .alreadyResident, .notResident: "RegisterSystem's record checks"
        case .recordNotRemoved: "RegisterSystem's certificate kinds (除票)"
        case .tooFewFacts, .numberUseRequired: "SearchTarget.refusal(for:) at every scope"
        case .variantName: "VariantCharacters and the register's 外字数 (ResidentColumns.variantCount)"
        case .numberNotRequested: "workload.numberOnCertificateShare (the number only on the person's request)"
        case .periodOfStayExpired: "the counter's check of the residence card (ForeignResidentData.expiry)"
        case .proxyWithoutAuthority, .identityMismatch: "the counter's identity check, before the notice is entered"
        }
    }

    /// The seed's section and item (with its line in `../shared/seed/`), and the law, that the rule rests on.
    public var citation: String {
        switch self {
        case .deadlinePassed:
            "seed 別添1 1.④ and CS function 3-①–⑥ (L102–103, L138–144); 住基法第24条の2 (14 days after moving in, "
                + "30 days after the planned move-out)"
        case .cardNotBrought:
            "seed 別添1 CS function 3-① (L139: 提示された個人番号カードを利用して本人確認); 住基法第24条の2第1項"
        case .cardExpired:
            "seed 別添1 CS function 2-②③ (L135); 番号法第17条 and 個人番号カード省令 (valid to the 10th birthday after "
                + "issue, the 5th under 18)"
        case .cardSuspended:
            "seed 別添1 CS function 2-②③ (L135) with the card system's state (別添1 2.8-①); 番号法第17条 "
                + "(一時停止 after a loss report)"
        case .cardRevoked: "seed 別添1 CS function 2-②③ (L135) and 2.8-① (失効・廃止); 番号法第17条"
        case .pinFailure:
            "seed 別添1 CS function 3-①, 3-⑥ (L139, L144: 継続利用処理); 住基法第24条の2 with 番号法第17条 "
                + "(the holder's PIN)"
        case .certificateDataNotFound:
            "seed 別添1 1.④ (L102–103: 転出証明書情報を住基ネットにより通知); 住基法第24条の2第7項"
        case .alreadyResident:
            "seed II(1)3⑧ 情報の突合 (L194); 住基法第22条 (転入届) against 第23条 (転居届)"
        case .notResident: "seed II(1)3⑧ 情報の突合 (L194); 住基法第23条 and 第12条 (a person of this register)"
        case .recordNotRemoved: "seed 別添1 ② (L99: 証明書の交付); 住基法第15条の4 (除票の写し)"
        case .periodOfStayExpired:
            "seed 別添1 ⑤⑥ (L1010: 外国人住民); 住基法第30条の45 (a foreign resident in a status of residence)"
        case .proxyWithoutAuthority:
            "seed III(1)2 リスク2 (L401: 本人あるいは代理人による届出のみを受領…本人確認を行う, 住基法第27条); "
                + "住基法第12条, 第12条の3 (who may ask for a copy)"
        case .identityMismatch:
            "seed III(1)2 リスク1 (L396: 本人確認書類の確認を厳格に行い), リスク3 (L405: 運転免許証等の提示); 住基法第27条"
        case .tooFewFacts: "seed III(2)2 リスク1 (4情報: the name with the birth date or the address)"
        case .numberUseRequired: "seed III(1)3 リスク1 (L418: number searches for number-use work only); 番号法第9条"
        case .variantName:
            "seed 別添2【2】 items 3 外字数(氏名), 34 外字フラグ (L384); the name as the 戸籍 writes it (住基法第7条)"
        case .numberNotRequested:
            "seed III(1)2 リスク2 (L401: 本人からの特別な請求がない限り、省略して出力); 番号整備法第16条 (住基法第12条)"
        }
    }

    /// One line for the answer key: what is wrong.
    public var summary: String {
        switch self {
        case .deadlinePassed:
            "the special route's deadline has passed (14 days after moving in / 30 after the planned move-out)"
        case .cardNotBrought: "no My Number card: the special route needs the card"
        case .cardExpired: "the card has expired"
        case .cardSuspended: "the card is suspended (reported lost)"
        case .cardRevoked: "the card is revoked"
        case .pinFailure: "the holder does not know the PIN: the card cannot be continued"
        case .certificateDataNotFound: "the origin has no move-out recorded: no certificate data comes"
        case .alreadyResident: "the person is already on this register: it is a relocation, not a move-in"
        case .notResident: "the person is not on this register"
        case .recordNotRemoved: "a 除票の写し asked for a person still on the register"
        case .periodOfStayExpired: "the residence card's period of stay has passed"
        case .proxyWithoutAuthority:
            "the filer is not the person or of the household, and brings no letter of delegation"
        case .identityMismatch: "the identity document does not match the notice"
        case .tooFewFacts: "a search by name alone (with sex): it needs the birth date or the address"
        case .numberUseRequired: "a search by individual number without number-use rights"
        case .variantName: "the name is written with a variant character: enter it as the certificate writes it"
        case .numberNotRequested: "the number was asked by someone other than the person: leave it off the copy"
        }
    }

    /// What the resident does next after a refusal (or what the clerk does for a correction).
    public var nextStep: String {
        switch self {
        case .deadlinePassed, .cardNotBrought, .cardExpired, .cardSuspended, .cardRevoked, .pinFailure:
            "obtain a paper 転出証明書 from the origin and file an ordinary move-in (transfer of address follows)"
        case .certificateDataNotFound: "file the move-out at the origin first, then come back"
        case .alreadyResident: "file a relocation (転居届) instead"
        case .notResident: "apply at the municipality where the person lives (or ask for a 広域交付)"
        case .recordNotRemoved: "ask for a 住民票の写し instead"
        case .periodOfStayExpired: "refer the person to the Immigration Services Agency"
        case .proxyWithoutAuthority: "come with a letter of delegation, or the person comes"
        case .identityMismatch: "come back with a matching identity document"
        case .tooFewFacts: "search with the name and the birth date or the address"
        case .numberUseRequired: "ask a clerk with number-use rights"
        case .variantName: "record the name with the variant character (外字), as the certificate writes it"
        case .numberNotRequested: "issue the copy without the number"
        }
    }

    /// Rules of one group exclude each other in a case (a card cannot be both absent and expired).
    var group: Int {
        switch self {
        case .cardNotBrought, .cardExpired, .cardSuspended, .cardRevoked, .pinFailure: 1
        case .alreadyResident, .notResident, .certificateDataNotFound, .recordNotRemoved: 2
        case .tooFewFacts, .numberUseRequired: 3
        case .deadlinePassed: 4
        case .periodOfStayExpired: 5
        case .proxyWithoutAuthority, .numberNotRequested: 6
        case .identityMismatch: 7
        case .variantName: 8
        }
    }

    /// The requests a drill may plant the rule in.
    public var requests: [CaseRequest] {
        switch self {
        case .deadlinePassed, .cardNotBrought, .cardExpired, .cardSuspended, .cardRevoked, .pinFailure:
            [.specialMoveIn, .oneStopMove]
        case .certificateDataNotFound: [.specialMoveIn]
        case .alreadyResident: [.moveIn, .specialMoveIn]
        case .notResident: [.relocation, .certificate]
        case .recordNotRemoved: [.certificate]
        case .periodOfStayExpired: [.moveIn, .specialMoveIn]
        case .proxyWithoutAuthority: [.moveIn, .relocation, .certificate, .death, .cardCollection]
        case .identityMismatch: [.moveIn, .relocation, .certificate, .cardCollection]
        case .tooFewFacts: [.identitySearch]
        case .numberUseRequired: [.identitySearch]
        case .variantName: [.moveIn, .specialMoveIn, .oneStopMove]
        case .numberNotRequested: [.certificate]
        }
    }
}
