import JukiAudit
import JukiCore
import JukiRegister
import JukiSimulation

/// What the card-expiry job did over a run.
public struct CardExpiryReport: Sendable, Hashable {
    /// Cards whose validity ended during the run (marked expired in the register and at the card system).
    public var expired = 0
    /// 有効期限通知書 J-LIS mailed three months before a card's expiry, and before a 10-year card's e-certificates
    /// expire at its 5th birthday.
    public var cardNotices = 0
    public var certificateNotices = 0

    public init() {}
}

/// The run's days of card expiries and expiry notices, planned once from the register's card expiry dates.
struct CardExpiryPlan: Sendable {
    /// Rows whose card expires on each day of the run.
    var expiring: [[RowID]] = []
    /// Notices mailed on each day: for cards, and for the e-certificates of 10-year cards.
    var cardNotices: [Int] = []
    var certificateNotices: [Int] = []
}

extension RegisterSystem {
    /// How long before an expiry J-LIS mails the 有効期限通知書 (藤沢市「電子証明書の更新」: 「有効期限が3か月前になると
    /// J-LISから有効期限通知書が郵送されます」).
    static let expiryNoticeDays = 90

    /// Finds the card expiries and notices of the run's days in one pass over the register (cards are valid until
    /// the 10th birthday after issue, 5th when issued under 18; e-certificates until the 5th: 個人番号カード省令 and
    /// 公的個人認証法施行規則, as the city states them): only holders whose expiry year can fall in the window are dated.
    func planCardExpiry(days: Int) -> CardExpiryPlan {
        let first = Int(date.daysSinceEpoch)
        let n = max(days, 1)
        var plan = CardExpiryPlan(
            expiring: Array(repeating: [], count: n), cardNotices: Array(repeating: 0, count: n),
            certificateNotices: Array(repeating: 0, count: n))
        let firstYear = date.components.year
        let lastYear = date.adding(days: n + Self.expiryNoticeDays).components.year
        let c = register.columns
        for i in 0..<c.count
        where c.cardStatus[i] == CardStatus.issued.rawValue && c.status[i] == RecordStatus.active.rawValue
            && c.cardExpiryYear[i] != 0
        {
            let year = 2000 + Int(c.cardExpiryYear[i])
            let birth = CivilDate(daysSinceEpoch: c.birthDate[i])
            let birthYear = birth.components.year
            // A 10-year card (issued at 18 or over) has e-certificates expiring five years before it.
            let tenYear = year - 10 - birthYear >= 18
            let certificateYear = tenYear ? year - 5 : year
            guard (firstYear...lastYear).contains(year) || (firstYear...lastYear).contains(certificateYear) else {
                continue
            }
            func offset(_ y: Int) -> Int { Int(birth.sameDay(inYear: y).daysSinceEpoch) - first }
            let expiry = offset(year)
            if (0..<n).contains(expiry) { plan.expiring[expiry].append(RowID(UInt32(i))) }
            if (0..<n).contains(expiry - Self.expiryNoticeDays) {
                plan.cardNotices[expiry - Self.expiryNoticeDays] += 1
            }
            if tenYear {
                let certificate = offset(certificateYear) - Self.expiryNoticeDays
                if (0..<n).contains(certificate) { plan.certificateNotices[certificate] += 1 }
            }
        }
        return plan
    }

    /// The nightly card-expiry job (with the retention job, at the end of each day): cards whose last valid day
    /// this was are marked expired in the register (交付状況, 別添2【1】33) and at the card management system, which
    /// tells the national server (a card presented later fails verification with `cardExpired`); the notices J-LIS
    /// mailed that day are counted. One audited batch line.
    mutating func cardExpiryWork(_ context: inout NodeContext<NetworkMessage>) {
        let day = Int((context.now - SimulatedTime(date: date).microseconds) / SimulatedTime.microsecondsPerDay)
        guard day >= 0, day < cardExpiryPlan.expiring.count else { return }
        var expired = 0
        for row in cardExpiryPlan.expiring[day]
        where isActive(row) && register.columns.cardStatus[row.index] == CardStatus.issued.rawValue {
            guard
                (try? register.amend(
                    row, RecordAmendment(cardStatus: .expired), reason: .cardChange, context: .batch(context))) != nil
            else { continue }
            expired += 1
            notifyCardSystem(
                .event(code(row), .expiry),
                Ticket(journey: code(row).rawValue, slot: nil, flow: .cardLinkage, hop: .cardContinuation), &context)
        }
        forwardChanges(&context)
        cardExpiry.expired += expired
        cardExpiry.cardNotices += cardExpiryPlan.cardNotices[day]
        cardExpiry.certificateNotices += cardExpiryPlan.certificateNotices[day]
        audit.append(
            AuditRecord(
                time: context.now, operatorID: 0, terminal: 0, action: .batch, operation: AuditKind.cardExpiry,
                subject: 0, count: UInt32(clamping: expired)))
    }
}
