import JukiCore
import JukiRegister
import JukiSimulation

/// Identifies a journey and where it waits: the counter slot that drives it.
public struct Ticket: Sendable, Hashable {
    /// Unique in the run: the starting node in the high bits, a sequence below.
    public var journey: UInt64
    /// The journey's slot at its counter, or nil when nobody waits at a counter (batch and system journeys).
    public var slot: UInt32?
    public var flow: Flow
    public var hop: Hop

    @inlinable
    public init(journey: UInt64, slot: UInt32?, flow: Flow, hop: Hop) {
        self.journey = journey
        self.slot = slot
        self.flow = flow
        self.hop = hop
    }
}

/// The kind of operation a request asks for: the code audit trails record (below 100; batches use 100 and up).
public enum Operation: UInt8, Sendable, Hashable, CaseIterable {
    case issueCertificate
    case relocate
    case recordBirth
    case remove
    case recordMoveIn
    case verifyCard
    case certificateData
    case moveInNotice
    case cardContinuation
    case cardRevocation
    /// 本人確認情報検索.
    case search
    /// 機構への照会 by resident code, individual number or basic facts.
    case query
    /// A card event for the card management system (issue, return, suspension lift, collection).
    case cardEvent
    /// A one-stop visitor's reservation (転入予約) at the application manager.
    case reservation
    /// An online move-out notice (転出届, via Myna Portal) for the municipality to process.
    case onlineMoveOut
    /// Certificate data sent ahead to the destination of a move (one-stop, or the destination of a move-out).
    case certificateAhead
    /// A move-in notice (転入通知) arriving from the municipality a resident moved to.
    case incomingMoveInNotice
    /// A relocation reservation (転居予約) looked up at the application manager.
    case relocationReservation
    /// A card holder moved in without the special route: card continuation falls due (継続利用期限).
    case continuationDue
    /// 個人番号カードの交付: the card handed over at the counter, its e-certificates activated.
    case cardIssuance
    /// 個人番号カードの交付申請 to J-LIS (online or by mail).
    case cardApplication
    /// 券面記載事項変更: the card's face updated after a change of address (the signature certificate lapses).
    case cardFaceChange
    /// The user-authentication certificate's serial number linked to the register (CS connector function 4).
    case certificateSerial
    /// 個人番号の変更.
    case numberChange
    /// 住民票コードの変更.
    case residentCodeChange
    /// 電子証明書の更新.
    case certificateRenewal
    /// 住民異動届等作成 at the counter support system, and its read of the existing record (既存住基との連携).
    case formDrafting
    /// 届出書検索 at the counter support system.
    case formSearch
    /// 広域交付住民票情報: asked by the municipality of issue, answered by the person's own (住基法第12条の4).
    case wideAreaCopy
    /// A department's look-up of a person in the unified addressee system (他課照会).
    case addresseeLookup
    /// A 戸籍 notice (birth, death) filed at a counter and entered in the family-register system.
    case familyRegisterFiling
}

/// Who presents a My Number card at a counter, by the resident code the card's chip holds: a resident of this
/// municipality, or a mover whose record is at the previous municipality (moved out there, so not active).
public enum CardHolder: Sendable, Hashable {
    case resident(ResidentCode)
    case mover(ResidentCode)

    /// The resident code read from the card.
    public var code: ResidentCode {
        switch self {
        case .resident(let code), .mover(let code): code
        }
    }

    /// The subject audit trails record.
    var auditSubject: UInt64 { code.rawValue }
}

/// A card presented for verification (本人確認 with the card's certificate): brought or not, the PIN entered
/// right or wrong, and the card's state.
public struct CardPresentation: Sendable, Hashable {
    public var holder: CardHolder
    public var brought: Bool
    public var pinCorrect: Bool
    public var status: CardStatus

    public init(holder: CardHolder, brought: Bool, pinCorrect: Bool, status: CardStatus) {
        self.holder = holder
        self.brought = brought
        self.pinCorrect = pinCorrect
        self.status = status
    }

    /// Why verification fails, or `.none`: the card must be brought, issued (not expired, suspended, revoked,
    /// lapsed or given back) and its PIN entered correctly. A person holding no card has none to bring. The
    /// national server judges a card by its own records (``NationalServer``): `status` is the card's state as the
    /// holder's record stood before the run.
    public var failure: FailureReason {
        guard brought else { return .cardNotBrought }
        switch status {
        case .expired: return .cardExpired
        case .suspended: return .cardSuspended
        case .revoked: return .cardRevoked
        case .lapsed: return .cardLapsed
        case .returned: return .cardReturned
        case .none: return .cardNotBrought
        case .issued: break
        }
        return pinCorrect ? .none : .pinFailure
    }
}

/// A request for a mover's move-out certificate data (転出証明書情報) at the previous municipality.
public struct CertificateDataRequest: Sendable, Hashable {
    /// The mover's row in the previous municipality's register.
    public var originRow: RowID
    /// The previous municipality's node.
    public var origin: NodeID
    /// The planned move-out date the mover gives.
    public var plannedMoveOut: CivilDate

    public init(originRow: RowID, origin: NodeID, plannedMoveOut: CivilDate) {
        self.originRow = originRow
        self.origin = origin
        self.plannedMoveOut = plannedMoveOut
    }
}

/// Whom an identity search (本人確認情報検索) or a query to J-LIS (機構への照会) looks for: a resident code, an
/// individual number or basic facts (4情報): "住民票コード、個人番号又は4情報の組み合わせ" (別添1 2.4-①; the query:
/// I 2 システム3 ②5, 別添1 2.5-①).
public enum SearchTarget: Sendable, Hashable {
    case code(ResidentCode)
    /// Number-use work only (III(1)3 リスク1): refused for an operator without number-use rights.
    case number(IndividualNumber)
    /// Basic facts, by their key (``BasicFactsKeys``) and which facts the clerk gave.
    case basicFacts(key: UInt64, given: GivenFacts)

    /// What the target is, without its key.
    public var kind: SearchKind {
        switch self {
        case .code: .code
        case .number: .number
        case .basicFacts: .basicFacts
        }
    }

    /// Why a search or query for this target by `operatorID` is refused wherever it is answered, or `.none`: basic
    /// facts need the name with the birth date or the address (III(2)2 リスク1: `searchRefused`), and an individual
    /// number is a key for number-use work only (III(1)3 リスク1: `numberUseRequired`).
    public func refusal(for operatorID: UInt16) -> FailureReason {
        switch self {
        case .basicFacts(_, .tooFew): .searchRefused
        case .number where !OperatorRights.of(operatorID).numberUse: .numberUseRequired
        case .code, .number, .basicFacts: .none
        }
    }

    /// The two words MACs and audit subjects record: the key, and its kind with the facts given.
    var words: (subject: UInt64, argument: UInt64) {
        switch self {
        case .code(let code): (code.rawValue, 0)
        case .number(let number): (number.rawValue, 2)
        case .basicFacts(let key, let given): (key, 4 | UInt64(given.rawValue) << 8)
        }
    }
}

/// The kinds of ``SearchTarget``, for counts.
public enum SearchKind: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case code, number, basicFacts

    public var description: String {
        switch self {
        case .code: "code"
        case .number: "number"
        case .basicFacts: "basicFacts"
        }
    }
}

/// Which basic facts a search gives: the seed's two pairs (III(2)2 リスク1), or too few (name and sex only), which
/// is refused.
public enum GivenFacts: UInt8, Sendable, Hashable {
    case nameAndBirthDate
    case nameAndAddress
    case tooFew
}

/// Where an identity search is answered: the local file, a prefecture server, or the national server.
public enum SearchScope: Sendable, Hashable {
    case own
    /// Another municipality of the prefecture with this code (1–47).
    case prefecture(UInt8)
    case nation
}

/// An identity search: whom, and where.
public struct SearchRequest: Sendable, Hashable {
    public var target: SearchTarget
    public var scope: SearchScope

    public init(target: SearchTarget, scope: SearchScope) {
        self.target = target
        self.scope = scope
    }
}

/// The card events of card linkage.
public enum CardEvent: UInt8, Sendable, Hashable, CaseIterable {
    case issue = 0
    case returned
    case suspensionLift
    case collection
    /// The card's validity ended (its holder's 10th birthday after issue, 5th when issued under 18).
    case expiry

    /// The card state after the event.
    public var status: CardStatus {
        switch self {
        case .issue, .suspensionLift: .issued
        case .returned, .collection: .returned
        case .expiry: .expired
        }
    }
}

/// What a request asks for, with typed arguments: one case per operation, grouped by the kind of node that
/// performs it (the municipal CS routes by that group).
public enum RequestPayload: Sendable, Hashable {
    /// Work of the register system (既存住基).
    case register(RegisterRequest)
    /// An identity search, answered where its scope says.
    case search(SearchRequest)
    /// Work of the national server, through the CS and the prefecture server.
    case national(NationalRequest)
    /// Messages between municipalities, through their CSs.
    case municipality(MunicipalityRequest)
    /// Work of the card management system, through the CS.
    case cardSystem(CardSystemRequest)
    /// Online filings and reservations at Myna Portal and the application manager.
    case application(ApplicationRequest)
    /// Certificates printed by the certificate system (証明交付システム), at a counter or a convenience store's kiosk.
    case certificate(CertificateRequest)
    /// Notices drafted and looked up by the counter support system (窓口業務支援システム).
    case counterSupport(CounterSupportRequest)
    /// A department's look-up in the unified addressee system (他課照会).
    case addressee(AddresseeLookup)
    /// A birth or death filed at a counter, for the family-register system (戸籍情報システム).
    case familyRegister(FamilyRegisterRequest)
}

/// A look-up of a person by unified addressee number (団体内統合宛名番号) in the unified addressee system: the number is
/// shown to number-use work only, masked for everyone else (I 2 システム4 措置, L419).
public struct AddresseeLookup: Sendable, Hashable {
    public var unified: UInt64

    public init(unified: UInt64) { self.unified = unified }
}

/// What the counter support system (窓口業務支援システム, I 2 システム7 ②) is asked.
public enum CounterSupportRequest: Sendable, Hashable {
    /// 住民異動届等作成機能: a notice drafted for the clerk from the filer's answers and, at a move-in, from the paper
    /// move-out certificate read by OCR; the filer's existing record read from the register when they have one.
    case draft(FormDraft)
    /// 届出書検索機能: a drafted notice looked up by its reception day and its filer.
    case search(FormSearch)
}

/// A notice to draft: the filer's record (nil for a newcomer), the notice, how many persons it names, and whether
/// the filer brought a paper move-out certificate for OCR.
public struct FormDraft: Sendable, Hashable {
    public var row: RowID?
    public var notice: Flow
    public var persons: UInt8
    public var paperCertificate: Bool

    public init(row: RowID?, notice: Flow, persons: UInt8, paperCertificate: Bool) {
        self.row = row
        self.notice = notice
        self.persons = persons
        self.paperCertificate = paperCertificate
    }
}

/// A 届出書検索: the reception day and the filer's notice (its journey: the name and birth date the form carries
/// stand behind it).
public struct FormSearch: Sendable, Hashable {
    public var received: CivilDate
    /// The journey in two halves: a request's payload stays within 4-byte alignment (and the request within its size).
    var formHigh: UInt32
    var formLow: UInt32

    public init(received: CivilDate, form: UInt64) {
        self.received = received
        formHigh = UInt32(truncatingIfNeeded: form >> 32)
        formLow = UInt32(truncatingIfNeeded: form)
    }

    /// The drafted notice looked for (its journey).
    public var form: UInt64 { UInt64(formHigh) << 32 | UInt64(formLow) }
}

/// What a certificate shows (別添1 ②; 住基法第12条, 第15条の4).
public enum CertificateKind: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// 住民票の写し: a copy of an active resident's record.
    case residentRecordCopy = 0
    /// 住民票記載事項証明書: the items the requester names, certified.
    case entryCertificate
    /// 除票の写し: a copy of a removed record (moved out, died), kept 150 years.
    case removedRecordCopy
    /// 広域交付住民票: a 住民票の写し of another municipality's resident, from the information their municipality sent
    /// (住基法第12条の4; no 本籍 or 筆頭者 on it), printed without a read of this register.
    case wideAreaCopy

    public var description: String {
        switch self {
        case .residentRecordCopy: "residentRecordCopy"
        case .entryCertificate: "entryCertificate"
        case .removedRecordCopy: "removedRecordCopy"
        case .wideAreaCopy: "wideAreaCopy"
        }
    }
}

/// Where a certificate is issued.
public enum CertificateChannel: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// At a counter, by a clerk (窓口交付).
    case counter = 0
    /// At a convenience store's kiosk, by the card holder with the card and its PIN (コンビニ交付).
    case convenienceStore

    public var description: String { self == .counter ? "counter" : "convenienceStore" }
}

/// One certificate order: whose record, which kind, and the entries printed only on request (住民票コード, 個人番号:
/// omitted unless the person asks, III(1)2 リスク2).
public struct CertificateOrder: Sendable, Hashable {
    public var row: RowID
    public var kind: CertificateKind
    public var withNumber: Bool
    public var withCode: Bool

    public init(row: RowID, kind: CertificateKind, withNumber: Bool, withCode: Bool) {
        self.row = row
        self.kind = kind
        self.withNumber = withNumber
        self.withCode = withCode
    }
}

/// The certificate system's operations.
public enum CertificateRequest: Sendable, Hashable {
    /// A clerk's order at a counter: the system reads the record from the register and prints.
    case issue(CertificateOrder)
    /// A card holder's order at a kiosk: the card and PIN are verified with J-LIS first (利用者証明用電子証明書).
    case kiosk(KioskOrder)
}

/// A kiosk order: the card holder (the card's code and their row), the certificate, and whether the PIN was right
/// (15 bytes: requests stay within their size bound).
public struct KioskOrder: Sendable, Hashable {
    public var code: ResidentCode
    public var row: RowID
    public var kind: CertificateKind
    public var withNumber: Bool
    public var pinCorrect: Bool

    public init(code: ResidentCode, row: RowID, kind: CertificateKind, withNumber: Bool, pinCorrect: Bool) {
        self.code = code
        self.row = row
        self.kind = kind
        self.withNumber = withNumber
        self.pinCorrect = pinCorrect
    }

    /// The order as the certificate system prints it (no resident code at kiosks).
    public var order: CertificateOrder {
        CertificateOrder(row: row, kind: kind, withNumber: withNumber, withCode: false)
    }

    /// The card as the kiosk reads it: in the holder's hands, its state for J-LIS to check.
    public var card: CardPresentation {
        CardPresentation(holder: .resident(code), brought: true, pinCorrect: pinCorrect, status: .issued)
    }
}

/// The register system's operations.
public enum RegisterRequest: Sendable, Hashable {
    /// 住民票の写し等の交付 for the resident in `row`; `withNumber` when the person asks for the individual number
    /// on it (本人からの特別な請求: otherwise it is omitted, III(1)2 リスク2).
    case issueCertificate(row: RowID, withNumber: Bool, kind: CertificateKind = .residentRecordCopy)
    /// A relocation of the resident in `row` and, when the notice names more than one person, as many other
    /// members of their household (`persons` in all).
    case relocate(row: RowID, to: RegisterAddress, persons: UInt8 = 1)
    /// A newborn recorded in the household of the parent in `row`.
    case recordBirth(parent: RowID, sex: Sex)
    /// Removal for a move-out or a death; a move-out's certificate data goes ahead to `destination`, if known. A
    /// move-out notice names `persons` of the household (the resident in `row` and as many other members).
    case remove(row: RowID, reason: ChangeReason, destination: NodeID?, persons: UInt8 = 1)
    /// A mover recorded from the move-out certificate the request carries.
    case recordMoveIn(reason: ChangeReason)
    /// 国外転入: the `persons` on the notice recorded with new resident codes, their numbers designated.
    case recordFromAbroad(persons: UInt8)
    /// 個人番号の変更 (番号法第7条第2項) of the resident in `row`: a new candidate from J-LIS designated, a new
    /// notification letter, the card revoked and a new one applied for.
    case changeNumber(row: RowID)
    /// 住民票コードの変更 (住基法第30条の4) of the resident in `row`: a new code from the municipality's block.
    case changeResidentCode(row: RowID)
    case recordCardEvent(row: RowID, event: CardEvent)
    /// The serial number of a card's user-authentication certificate (利用者証明用電子証明書シリアル番号, record item
    /// 45 of 別添2【1】), linked from the Juki-net through the CS connector (I 2 システム2 ④).
    case linkCertificateSerial(ResidentCode, serial: UInt32)
    /// 既存住基システムとの連携機能 (I 2 システム7 ②3): the record of the resident in `row` read by the counter support
    /// system to fill in a notice it drafts.
    case readForForm(row: RowID)
}

/// The national server's operations.
public enum NationalRequest: Sendable, Hashable {
    case verifyCard(CardPresentation)
    /// The card management system tells the national server a card's new state (both are J-LIS's): what
    /// verification checks a card against. No answer.
    case cardState(ResidentCode, CardStatus)
    /// 機構への照会 (CS function 5): "住民票コード、個人番号又は4情報の組み合わせをキーとした本人確認情報照会要求" (I 2
    /// システム3 ②5; 別添1 2.5-①), answered with the person's record (``ResponseResult/record(_:)``).
    case query(SearchTarget)
}

/// What one municipality asks of another (and the answer's counterpart, the move-in notice).
public enum MunicipalityRequest: Sendable, Hashable {
    case certificateData(CertificateDataRequest)
    /// 転入通知 to the previous municipality `to`.
    case moveInNotice(ResidentCode, to: NodeID)
    /// The move-out certificate of the mover with this code (carried by the request), sent ahead to `to`.
    case certificateAhead(ResidentCode, to: NodeID)
    /// A move-in notice arriving at the home CS from where a former resident moved in.
    case incomingMoveInNotice(ResidentCode)
    /// 広域交付: the municipality of issue asks `origin` (the person's own, through its CS) for the 広域交付住民票情報
    /// of the resident in `originRow` there (住基法第12条の4第3項; 別添1 ⑬ on the answering side).
    case wideAreaCopy(originRow: RowID, origin: NodeID)
}

/// The card management system's operations.
public enum CardSystemRequest: Sendable, Hashable {
    case continuation(ResidentCode)
    case revocation(ResidentCode)
    case event(ResidentCode, CardEvent)
    /// A card holder moved in without the special route (`lapse` false: the continuation window opens), or
    /// moved again before continuing (`lapse` true: the card lapses).
    case continuationDue(ResidentCode, lapse: Bool)
    /// 交付: the manufactured card handed over at the counter; its e-certificates are activated and the
    /// user-authentication certificate's serial number goes back to the register.
    case issuance(ResidentCode)
    /// 交付申請 filed with J-LIS by the resident (a renewal when their card or its certificates expire): J-LIS
    /// manufactures the card and the municipality mails the 交付通知書. No answer.
    case application(ResidentCode, renewal: Bool)
    /// 券面記載事項変更 after the holder's address changed: the signature certificate (署名用電子証明書) lapses with
    /// the change of the basic facts (公的個人認証法第15条); `newSignature` when the holder has a new one issued.
    case faceChange(ResidentCode, newSignature: Bool)
    /// 電子証明書の更新 at the counter: both e-certificates issued anew on the card (公的個人認証法第3条, 第22条);
    /// the new user-authentication certificate's serial goes back to the register, as at a hand-over.
    case certificateRenewal(ResidentCode)
}

/// Online filings and reservations.
public enum ApplicationRequest: Sendable, Hashable {
    /// A one-stop visitor's reservation: the certificate data that came ahead.
    case reservation(CertificateDataRequest)
    case relocationReservation(row: RowID)
    /// 転出届 filed online by the resident in `row`, moving to `destination` with `persons` of the household in all
    /// (a whole-household filing names them on one notice), planning to move out on `plannedMoveOut`; `cancelled`
    /// when the resident withdraws it before it is processed. (Declared narrowest last: 14 bytes, as `remove`.)
    case onlineMoveOut(
        row: RowID, destination: NodeID, plannedMoveOut: CivilDate, persons: UInt8 = 1, cancelled: Bool = false)
    /// 転出届 and 来庁予定の連絡 (転入予約) filed together through Myna Portal by a mover to this municipality, for
    /// `persons` of the household: the move-out goes to the origin (`CertificateDataRequest`), the reservation to
    /// the application manager; `cancelled` when the mover withdraws both before processing (see `OneStopRules`).
    case moveInReservation(CertificateDataRequest, persons: UInt8, cancelled: Bool)
}

extension RequestPayload {
    /// The operation's code, as audit trails record it.
    public var operation: Operation {
        switch self {
        case .register(let r):
            switch r {
            case .issueCertificate: .issueCertificate
            case .relocate: .relocate
            case .recordBirth: .recordBirth
            case .remove: .remove
            case .recordMoveIn: .recordMoveIn
            case .recordFromAbroad: .recordMoveIn
            case .changeNumber: .numberChange
            case .changeResidentCode: .residentCodeChange
            case .recordCardEvent: .cardEvent
            case .linkCertificateSerial: .certificateSerial
            case .readForForm: .formDrafting
            }
        case .search: .search
        case .national(.verifyCard): .verifyCard
        case .national(.query): .query
        case .national(.cardState): .cardEvent
        case .municipality(let m):
            switch m {
            case .certificateData: .certificateData
            case .moveInNotice: .moveInNotice
            case .certificateAhead: .certificateAhead
            case .incomingMoveInNotice: .incomingMoveInNotice
            case .wideAreaCopy: .wideAreaCopy
            }
        case .cardSystem(let c):
            switch c {
            case .continuation: .cardContinuation
            case .revocation: .cardRevocation
            case .event: .cardEvent
            case .continuationDue: .continuationDue
            case .issuance: .cardIssuance
            case .application: .cardApplication
            case .faceChange: .cardFaceChange
            case .certificateRenewal: .certificateRenewal
            }
        case .application(let a):
            switch a {
            case .reservation, .moveInReservation: .reservation
            case .relocationReservation: .relocationReservation
            case .onlineMoveOut: .onlineMoveOut
            }
        case .certificate: .issueCertificate
        case .counterSupport(.draft): .formDrafting
        case .counterSupport(.search): .formSearch
        case .addressee: .addresseeLookup
        case .familyRegister: .familyRegisterFiling
        }
    }

    /// Whether the operation only reads records (any operator may); every other one changes something.
    public var isRead: Bool {
        switch self {
        case .register(.issueCertificate), .register(.readForForm), .search, .municipality(.certificateData),
            .certificate, .counterSupport, .municipality(.wideAreaCopy), .addressee:
            true
        case .national(.query): true
        case .register, .national, .municipality, .cardSystem, .application, .familyRegister: false
        }
    }

    /// Two words that identify what the request is about, for MACs and audit subjects: the row, code or number
    /// it names, and its arguments.
    var words: (subject: UInt64, argument: UInt64) {
        switch self {
        case .register(let r):
            switch r {
            case .issueCertificate(let row, let withNumber, let kind):
                (UInt64(row.rawValue), (withNumber ? 1 : 0) | UInt64(kind.rawValue) << 8)
            case .relocate(let row, let to, let persons): (UInt64(row.rawValue), to.packed ^ UInt64(persons) << 56)
            case .recordBirth(let parent, let sex): (UInt64(parent.rawValue), UInt64(sex.rawValue))
            case .remove(let row, let reason, let destination, let persons):
                (
                    UInt64(row.rawValue),
                    UInt64(reason.rawValue) | UInt64(destination ?? 0) << 8 | UInt64(persons) << 48
                )
            case .recordMoveIn(let reason): (0, UInt64(reason.rawValue))
            case .recordFromAbroad(let persons): (0, 1 << 8 | UInt64(persons))
            case .changeNumber(let row): (UInt64(row.rawValue), 1)
            case .changeResidentCode(let row): (UInt64(row.rawValue), 2)
            case .recordCardEvent(let row, let event): (UInt64(row.rawValue), UInt64(event.rawValue))
            case .linkCertificateSerial(let code, let serial): (code.rawValue, UInt64(serial))
            case .readForForm(let row): (UInt64(row.rawValue), 3)
            }
        case .search(let s): s.target.words
        case .national(.verifyCard(let card)):
            (
                card.holder.auditSubject,
                (card.brought ? 1 : 0) | (card.pinCorrect ? 2 : 0) | UInt64(card.status.rawValue) << 8
            )
        case .national(.query(let target)): target.words
        case .national(.cardState(let code, let status)): (code.rawValue, UInt64(status.rawValue))
        case .municipality(let m):
            switch m {
            case .certificateData(let c):
                (UInt64(c.originRow.rawValue), UInt64(c.origin))
            case .moveInNotice(let code, let to): (code.rawValue, UInt64(to))
            case .certificateAhead(let code, let to): (code.rawValue, UInt64(to))
            case .incomingMoveInNotice(let code): (code.rawValue, 0)
            case .wideAreaCopy(let row, let origin): (UInt64(row.rawValue), UInt64(origin) | 1 << 40)
            }
        case .cardSystem(let c):
            switch c {
            case .continuation(let code), .revocation(let code): (code.rawValue, 0)
            case .event(let code, let event): (code.rawValue, UInt64(event.rawValue))
            case .continuationDue(let code, let lapse): (code.rawValue, lapse ? 1 : 0)
            case .issuance(let code): (code.rawValue, 0)
            case .application(let code, let renewal): (code.rawValue, renewal ? 1 : 0)
            case .faceChange(let code, let newSignature): (code.rawValue, newSignature ? 1 : 0)
            case .certificateRenewal(let code): (code.rawValue, 2)
            }
        case .application(let a):
            switch a {
            case .reservation(let c): (UInt64(c.originRow.rawValue), UInt64(c.origin))
            case .relocationReservation(let row): (UInt64(row.rawValue), 0)
            case .onlineMoveOut(let row, let destination, let planned, let persons, let cancelled):
                (
                    UInt64(row.rawValue) | UInt64(UInt32(bitPattern: planned.daysSinceEpoch)) << 32,
                    UInt64(destination) | UInt64(persons) << 48 | (cancelled ? 1 << 56 : 0)
                )
            case .moveInReservation(let c, let persons, let cancelled):
                (
                    UInt64(c.originRow.rawValue) | UInt64(UInt32(bitPattern: c.plannedMoveOut.daysSinceEpoch)) << 32,
                    UInt64(c.origin) | UInt64(persons) << 48 | (cancelled ? 1 << 56 : 0)
                )
            }
        case .certificate(let c):
            switch c {
            case .issue(let o): (UInt64(o.row.rawValue), o.words)
            case .kiosk(let k): (k.code.rawValue, k.order.words | 1 << 32 | (k.pinCorrect ? 1 << 33 : 0))
            }
        case .counterSupport(.draft(let d)):
            (
                UInt64(d.row?.rawValue ?? 0),
                UInt64(d.notice.rawValue) | UInt64(d.persons) << 8
                    | (d.paperCertificate ? 1 << 16 : 0) | (d.row == nil ? 1 << 17 : 0)
            )
        case .counterSupport(.search(let f)): (f.form, UInt64(UInt32(bitPattern: f.received.daysSinceEpoch)))
        case .addressee(let l): (l.unified, 4)
        case .familyRegister(.birth(let parent, let sex)): (UInt64(parent.rawValue), UInt64(sex.rawValue))
        case .familyRegister(.death(let row)): (UInt64(row.rawValue), 1 << 8)
        }
    }
}

extension CertificateOrder {
    /// The order's choices as one word.
    var words: UInt64 { UInt64(kind.rawValue) | (withNumber ? 1 << 8 : 0) | (withCode ? 1 << 9 : 0) }
}

/// A person's data as it travels between municipalities (転出証明書情報).
public struct MoveOutCertificate: Sendable, Hashable {
    public var residentCode: ResidentCode
    public var individualNumber: IndividualNumber?
    public var name: PersonName
    public var birthDate: CivilDate
    public var sex: Sex
    public var cardStatus: CardStatus
    public var cardExpiry: CivilDate?
    public var origin: MunicipalityCode
    public var plannedMoveOut: CivilDate
    /// A foreign resident's items (国籍・地域, 在留資格, 在留期間と満了日, 在留カード番号, 住基法第30条の45): they move with the
    /// person (nil for a Japanese resident).
    public var foreign: ForeignResidentData?

    public init(
        residentCode: ResidentCode, individualNumber: IndividualNumber?, name: PersonName, birthDate: CivilDate,
        sex: Sex, cardStatus: CardStatus, cardExpiry: CivilDate?, origin: MunicipalityCode, plannedMoveOut: CivilDate,
        foreign: ForeignResidentData? = nil
    ) {
        self.foreign = foreign
        self.residentCode = residentCode
        self.individualNumber = individualNumber
        self.name = name
        self.birthDate = birthDate
        self.sex = sex
        self.cardStatus = cardStatus
        self.cardExpiry = cardExpiry
        self.origin = origin
        self.plannedMoveOut = plannedMoveOut
    }
}

/// A request to a server. `relayFor` names the original requester when a CS relays it onwards.
public struct Request: Sendable {
    public var payload: RequestPayload
    public var ticket: Ticket
    public var replyTo: NodeID
    public var relayFor: NodeID?
    /// When the request was sent (for spans).
    public var sentAt: Int64 = 0
    /// The service time the worker drew for it (for utilisation).
    public var serviceTime: Int64 = 0
    /// Who asked, from where: the clerk's operator ID and terminal (0 for systems and batches).
    public var operatorID: UInt16 = 0
    public var terminal: UInt16 = 0
    /// The truncated HMAC between Juki-net nodes (0 elsewhere).
    public var mac: UInt64 = 0
    var personBox: CertificateBox?
    /// The move-out certificate carried (move-ins and certificate data sent ahead).
    public var person: MoveOutCertificate? {
        get { personBox?.value }
        set { personBox = newValue.map { CertificateBox($0) } }
    }
    /// The whole household the request carries certificates for: the person first, then the members on the same
    /// notice (empty when it carries none).
    public var household: [MoveOutCertificate] {
        get { personBox?.household ?? [] }
        set { personBox = CertificateBox(household: newValue) }
    }

    public init(
        _ payload: RequestPayload, ticket: Ticket, replyTo: NodeID, sentAt: Int64 = 0,
        person: MoveOutCertificate? = nil, companions: [MoveOutCertificate] = []
    ) {
        self.payload = payload
        self.ticket = ticket
        self.replyTo = replyTo
        self.sentAt = sentAt
        personBox = person.map { CertificateBox($0, companions: companions) }
    }

    /// The operation's code.
    public var operation: Operation { payload.operation }
}

/// What an answer carries besides success or failure.
public enum ResponseResult: Sendable, Hashable {
    case none
    /// A certificate issued: with the individual number when the person asked for it, or without (nil).
    case certificate(IndividualNumber?)
    /// A mover recorded, in this row.
    case recorded(RowID)
    /// A card handed over: its user-authentication certificate's serial number.
    case certificateSerial(UInt32)
    /// The identity record a query to J-LIS found (別添1 2.5-②).
    case record(IdentityRecord)

    /// The words MACs cover.
    var words: (UInt64, UInt64) {
        switch self {
        case .none: (0, 0)
        case .certificate(let number): (number?.rawValue ?? 0, 0)
        case .recorded(let row): (UInt64(row.rawValue) | 1 << 40, 0)
        case .record(let r):
            (
                r.residentCode.rawValue,
                (r.individualNumber?.rawValue ?? 0) | UInt64(r.municipality.rawValue) << 40
                    | UInt64(r.status.rawValue) << 60 | (r.removedByDeath ? 1 << 63 : 0)
            )
        case .certificateSerial(let serial): (UInt64(serial), 2)
        }
    }
}

/// The items of a person's identity record (本人確認情報) a query to J-LIS returns: 別添2【2】 1 住民票コード,
/// 13 個人番号, 8 市町村コード and 35 レコード状況フラグ (active or removed, and whether by death: 21 異動事由). The name,
/// birth date and address stand behind the basic-facts keys and are not carried. Masked number for an operator
/// without number-use rights (III(1)3 リスク1).
public struct IdentityRecord: Sendable, Hashable {
    public var residentCode: ResidentCode
    /// Nil when none is designated, or masked for the operator.
    public var individualNumber: IndividualNumber?
    public var municipality: MunicipalityCode
    public var status: RecordStatus
    public var removedByDeath: Bool

    public init(
        residentCode: ResidentCode, individualNumber: IndividualNumber?, municipality: MunicipalityCode,
        status: RecordStatus, removedByDeath: Bool
    ) {
        self.residentCode = residentCode
        self.individualNumber = individualNumber
        self.municipality = municipality
        self.status = status
        self.removedByDeath = removedByDeath
    }
}

/// A server's answer.
public struct Response: Sendable {
    /// What it answers.
    public var operation: Operation
    public var ticket: Ticket
    public var relayFor: NodeID?
    public var failure: FailureReason
    public var result: ResponseResult
    public var mac: UInt64 = 0
    var personBox: CertificateBox?
    /// The move-out certificate carried back (certificate data, removals for a move-out).
    public var person: MoveOutCertificate? {
        get { personBox?.value }
        set { personBox = newValue.map { CertificateBox($0) } }
    }
    /// The whole household carried back: the person first, then the members on the same notice.
    public var household: [MoveOutCertificate] {
        get { personBox?.household ?? [] }
        set { personBox = CertificateBox(household: newValue) }
    }

    public init(
        to request: Request, failure: FailureReason = .none, result: ResponseResult = .none,
        person: MoveOutCertificate? = nil, companions: [MoveOutCertificate] = []
    ) {
        operation = request.operation
        ticket = request.ticket
        relayFor = request.relayFor
        self.failure = failure
        self.result = result
        personBox = person.map { CertificateBox($0, companions: companions) }
    }
}

/// A move-out certificate behind a reference, with the household members on the same notice: most requests carry
/// none, and every message is copied a few times on its way, so keeping the 112 bytes out of line halves a
/// message's size.
final class CertificateBox: Sendable {
    let value: MoveOutCertificate
    /// The other persons the notice names (世帯員), in the order the register lists them.
    let companions: [MoveOutCertificate]

    init(_ value: MoveOutCertificate, companions: [MoveOutCertificate] = []) {
        self.value = value
        self.companions = companions
    }

    /// A box for a whole household, the person filing first; nil for none.
    convenience init?(household: [MoveOutCertificate]) {
        guard let first = household.first else { return nil }
        self.init(first, companions: Array(household.dropFirst()))
    }

    /// The person filing, then the companions.
    var household: [MoveOutCertificate] { [value] + companions }
}

/// One identity record update (本人確認情報の更新), idempotent by version.
public struct IdentityUpdate: Sendable, Hashable {
    // Declared widest first: the optional number's tag then shares a word with the status, the reason and the
    // municipality code (56 bytes with the two facts keys; the raw fields in their old order took 41 without).
    public var residentCode: ResidentCode
    /// Simulated time of the change (µs): later versions win, so replays and reordering are harmless.
    public var version: Int64
    /// A digest of the record's basic facts, compared by the consistency check.
    public var fingerprint: UInt64
    /// The keys the person's basic facts are found by (name with birth date, name with address): what an identity
    /// search by 4情報 needs at the CS.
    public var facts: BasicFactsKeys
    /// Nil until a number is designated.
    public var individualNumber: IndividualNumber?
    public var status: RecordStatus
    /// Why the record changed; nil in extracts and the initial load.
    public var reason: ChangeReason?
    /// 外字数 of the name (別添2【2】 item 3; the 外字フラグ, item 34, is its being above 0): the CS's copy carries the
    /// count, and what leaves the municipality for J-LIS carries 代替文字 for the characters it counts. Before the
    /// municipality code, so it takes the byte of padding before it.
    public var variantCount: UInt8 = 0
    public var municipality: MunicipalityCode

    public init(
        residentCode: ResidentCode, individualNumber: IndividualNumber?, municipality: MunicipalityCode,
        status: RecordStatus, version: Int64, fingerprint: UInt64, reason: ChangeReason?,
        facts: BasicFactsKeys = BasicFactsKeys(nameAndBirthDate: 0, nameAndAddress: 0), variantCount: UInt8 = 0
    ) {
        self.variantCount = variantCount
        self.facts = facts
        self.residentCode = residentCode
        self.individualNumber = individualNumber
        self.municipality = municipality
        self.status = status
        self.version = version
        self.fingerprint = fingerprint
        self.reason = reason
    }
}

/// A batch of identity updates travelling CS → prefecture → national.
public struct IdentityBatch: Sendable {
    public var updates: [IdentityUpdate]
    /// The municipality CS that sent it.
    public var source: NodeID
    /// The sender's batch number: the receiver applies each batch once and acknowledges it (store-and-forward).
    public var sequence: UInt64 = 0
    public var mac: UInt64 = 0

    public init(updates: [IdentityUpdate], source: NodeID, sequence: UInt64 = 0) {
        self.updates = updates
        self.source = source
        self.sequence = sequence
    }
}

/// A batch of resident codes for number candidates, or the candidates coming back.
public struct NumberBatch: Sendable {
    public var ticket: Ticket
    public var rows: [RowID]
    public var codes: [ResidentCode]
    /// Filled in by the national server.
    public var candidates: [IndividualNumber]
    public var replyTo: NodeID
    public var relayFor: NodeID?
    public var sentAt: Int64
    public var mac: UInt64 = 0

    public init(
        ticket: Ticket, rows: [RowID], codes: [ResidentCode], candidates: [IndividualNumber], replyTo: NodeID,
        relayFor: NodeID?, sentAt: Int64
    ) {
        self.ticket = ticket
        self.rows = rows
        self.codes = codes
        self.candidates = candidates
        self.replyTo = replyTo
        self.relayFor = relayFor
        self.sentAt = sentAt
    }
}

/// Delivery records (送付先情報) for notification letters, sent to the card management system.
public struct DeliveryBatch: Sendable {
    public var ticket: Ticket
    public var codes: [ResidentCode]
    /// Of the records, those whose name holds 外字 and goes with 代替文字 (別添2【3】 items 53 代替文字変換結果, 55
    /// 代替文字氏名, 60 外字フラグ): the letter prints the substitutes.
    public var substituted = 0
    public var replyTo: NodeID
    public var relayFor: NodeID?
    public var sentAt: Int64
    public var mac: UInt64 = 0
}

/// What a visitor asks for beyond their flow: whom to search for, whom to query J-LIS for, which card event.
public enum VisitPurpose: Sendable, Hashable {
    case none
    case search(SearchRequest)
    case query(SearchTarget)
    case cardEvent(CardEvent)
}

/// A resident arriving at a counter with a notice.
public struct Visit: Sendable {
    // Widest first, so the one-byte fields share the last words (88 bytes, the bound ContractTests holds).
    public var journey: UInt64
    /// The resident code on the card the resident presents (local flows).
    public var code: ResidentCode
    /// When the journey counts from: arrival at the counter, or in the load mode the intended start.
    public var arrivedAt: Int64
    /// In the load mode: when the generator actually issued the journey (for the uncorrected latency).
    public var issuedAt: Int64 = 0
    var personBox: CertificateBox?
    public var purpose = VisitPurpose.none
    /// The resident's row in the local register (local flows), or the previous municipality's row (move-ins).
    public var row: RowID
    /// For move-ins: the previous municipality's node; for move-outs: the destination's, when it is modelled.
    public var origin: NodeID?
    public var plannedMoveOut: CivilDate
    public var movedIn: CivilDate
    public var flow: Flow
    /// The state of that card, as the resident brings it.
    public var cardStatus: CardStatus
    /// For special move-ins: the mover did not file a move-out at the origin, which holds no certificate data
    /// (an error path).
    public var certificateDataMissing: Bool
    /// The resident reserved the visit online (one-stop move-in, or a relocation reservation, 転居予約).
    public var reserved = false
    /// For certificates: the person asks for the individual number on it (本人からの特別な請求), or the resident
    /// code; and which certificate.
    public var numberRequested = false
    public var codeRequested = false
    public var certificateKind = CertificateKind.residentRecordCopy
    /// Whether the resident brings a My Number card, and whether the PIN is entered correctly.
    public var cardBrought: Bool
    public var pinCorrect: Bool
    /// For move-ins: the mover brings a card or notification letter showing their individual number; without one
    /// the clerk checks the number on the Juki-net (III(1)2 リスク3).
    public var numberDocument = true
    /// For move-ins: the counter (index in the layout) the mover goes to, as the origin forwards them there.
    public var counterIndex: UInt8 = 0
    /// How many persons the notice names (a household moving together files one notice): 1 for everything but
    /// moves and relocations.
    public var persons: UInt8 = 1
    /// The visitor balked at a queue once already (they join the next one).
    public var balkedBefore = false

    /// For ordinary move-ins: the paper move-out certificate (転出証明書) the mover brings from the origin.
    public var person: MoveOutCertificate? {
        get { personBox?.value }
        set { personBox = newValue.map { CertificateBox($0) } }
    }
    /// For ordinary move-ins: every person the paper certificate lists (one certificate names the whole household
    /// moving together), the mover first.
    public var household: [MoveOutCertificate] {
        get { personBox?.household ?? [] }
        set { personBox = CertificateBox(household: newValue) }
    }

    public init(
        flow: Flow, journey: UInt64, row: RowID, code: ResidentCode, cardStatus: CardStatus,
        certificateDataMissing: Bool, purpose: VisitPurpose = .none, reserved: Bool = false, origin: NodeID?,
        plannedMoveOut: CivilDate, movedIn: CivilDate, cardBrought: Bool, pinCorrect: Bool, arrivedAt: Int64,
        issuedAt: Int64 = 0
    ) {
        self.flow = flow
        self.journey = journey
        self.row = row
        self.code = code
        self.cardStatus = cardStatus
        self.certificateDataMissing = certificateDataMissing
        self.purpose = purpose
        self.reserved = reserved
        self.origin = origin
        self.plannedMoveOut = plannedMoveOut
        self.movedIn = movedIn
        self.cardBrought = cardBrought
        self.pinCorrect = pinCorrect
        self.arrivedAt = arrivedAt
        self.issuedAt = issuedAt
    }

    /// The card as the resident presents it.
    func card(_ holder: CardHolder) -> CardPresentation {
        CardPresentation(holder: holder, brought: cardBrought, pinCorrect: pinCorrect, status: cardStatus)
    }

    /// What a certificate-data request for this mover asks the previous municipality.
    var certificateDataRequest: CertificateDataRequest? {
        origin.map { CertificateDataRequest(originRow: row, origin: $0, plannedMoveOut: plannedMoveOut) }
    }
}

/// A node's own timers, grouped by the node that sets them: each node's timer kinds are declared beside it
/// (`RegisterSystem.Timer`, …), so a new timer touches only its node's file.
public enum NodeTimer: Sendable, Hashable {
    case residents(Residents.Timer)
    case counter(BranchCounter.Timer)
    case registerSystem(RegisterSystem.Timer)
    case municipalCS(MunicipalCS.Timer)
    case applicationManager(ApplicationManager.Timer)
    case otherMunicipality(OtherMunicipality.Timer)
    case cardSystem(CardManagementSystem.Timer)
    case informationSharing(InformationSharingNetwork.Timer)
    case department(Department.Timer)
    case immigration(ImmigrationServicesAgency.Timer)
    case familyRegister(FamilyRegisterSystem.Timer)
    /// Any node with an outbox: store-and-forward's retry.
    case outboxRetry
}

/// Every message of the network.
public enum NetworkMessage: Sendable {
    /// A resident arrives at a counter.
    case visit(Visit)
    /// A clerk's desk work for a journey slot is done (the counter's own event).
    case deskDone(slot: UInt32)
    case request(Request)
    case response(Response)
    /// A server's worker finished a request (the server's own event).
    case served(Request)
    case identityUpdates(IdentityBatch)
    /// The receiver applied an identity-update batch (store-and-forward's acknowledgement).
    case updateAck(UpdateAck)
    case numberRequest(NumberBatch)
    case numberReply(NumberBatch)
    case deliveryRecords(DeliveryBatch)
    case deliveryAck(DeliveryBatch)
    case timer(NodeTimer)
    /// A consistency-check extract travelling CS → prefecture → national, and the differences coming back.
    case consistency(ConsistencyBatch)
    /// Persons whose identity items changed, register system → unified addressee system.
    case addressees(AddresseeBatch)
    /// Information sharing: copies, codes, the permission list, provision requests and answers (unified addressee
    /// system, intermediate server, information-sharing network).
    case sharing(SharingMessage)
    /// Foreign residents: the Minister of Justice's notices and the municipality's reports (別添1 ⑤⑥).
    case immigration(ImmigrationMessage)
    /// The 戸籍 side: the register's 附票 notices and the 本籍地's answers (別添1 ⑦⑩).
    case familyRegister(FamilyRegisterMessage)

    /// The message's kind, for counts of messages a node could not handle.
    public var kind: MessageKind {
        switch self {
        case .visit: .visit
        case .deskDone: .deskDone
        case .request: .request
        case .response: .response
        case .served: .served
        case .identityUpdates: .identityUpdates
        case .updateAck: .updateAck
        case .numberRequest: .numberRequest
        case .numberReply: .numberReply
        case .deliveryRecords: .deliveryRecords
        case .deliveryAck: .deliveryAck
        case .timer: .timer
        case .consistency: .consistency
        case .addressees: .addressees
        case .sharing: .sharing
        case .immigration: .immigration
        case .familyRegister: .familyRegister
        }
    }
}

/// The kinds of ``NetworkMessage``, by name.
public enum MessageKind: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case visit, deskDone, request, response, served, identityUpdates, updateAck, numberRequest, numberReply
    case deliveryRecords, deliveryAck, timer, consistency, addressees, sharing, immigration, familyRegister

    public var description: String {
        switch self {
        case .visit: "visit"
        case .deskDone: "deskDone"
        case .request: "request"
        case .response: "response"
        case .served: "served"
        case .identityUpdates: "identityUpdates"
        case .updateAck: "updateAck"
        case .numberRequest: "numberRequest"
        case .numberReply: "numberReply"
        case .deliveryRecords: "deliveryRecords"
        case .deliveryAck: "deliveryAck"
        case .timer: "timer"
        case .consistency: "consistency"
        case .addressees: "addressees"
        case .sharing: "sharing"
        case .immigration: "immigration"
        case .familyRegister: "familyRegister"
        }
    }
}

/// A consistency check (整合性確認): the CS's extract, and the differences each server found.
public struct ConsistencyBatch: Sendable {
    public var ticket: Ticket
    public var extract: [IdentityUpdate]
    public var source: NodeID
    public var prefectureDifferences: Int
    public var nationalDifferences: Int
    /// Differences left after each server reconciled.
    public var prefectureRemaining = 0
    public var nationalRemaining = 0
    public var sentAt: Int64
    public var mac: UInt64 = 0
}
