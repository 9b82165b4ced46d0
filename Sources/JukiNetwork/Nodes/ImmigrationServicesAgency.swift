import JukiCore
import JukiRegister
import JukiSimulation

/// What the Minister of Justice tells the municipality about one foreign resident (法務省通知, 住基法第30条の50).
public struct ImmigrationNotice: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The period of stay was extended (在留期間更新): new items and a new residence card.
        case renewal(ForeignResidentData)
        /// The period of stay ran out with no extension or change: the record is removed ex officio.
        case lapse
    }

    public var residentCode: ResidentCode
    public var kind: Kind

    public init(residentCode: ResidentCode, kind: Kind) {
        self.residentCode = residentCode
        self.kind = kind
    }
}

/// What the municipality tells the Minister about one foreign resident's record (入管法第61条の8の2).
public struct ForeignResidentReport: Sendable, Hashable {
    public var residentCode: ResidentCode
    /// Whether the record is active after the change (recorded or amended), or removed.
    public var active: Bool
    /// The end of the period of stay the record shows (nil for permanent statuses).
    public var expiry: CivilDate?

    public init(residentCode: ResidentCode, active: Bool, expiry: CivilDate?) {
        self.residentCode = residentCode
        self.active = active
        self.expiry = expiry
    }
}

/// Messages between the municipality and the Immigration Services Agency (for the Minister of Justice).
public enum ImmigrationMessage: Sendable {
    /// 別添1 ⑥: the Minister's notices, which the register applies (修正, 消除).
    case notices([ImmigrationNotice])
    /// 別添1 ⑤: the municipality's notices of every 記載, 修正 and 消除 of a foreign resident's record.
    case reports([ForeignResidentReport])
}

/// How the periods of stay of the municipality's foreign residents end [E].
public struct ImmigrationConfiguration: Sendable, Hashable {
    /// Of periods of stay that come to an end, the share extended (在留期間更新) rather than left to lapse [E: 0.9;
    /// most residents who stay renew; no municipal count is published].
    public var renewalShare = 0.9
    /// When the Minister's daily notices arrive, µs after midnight on business days [E: 06:00, before opening].
    public var noticesAt: Int64 = 6 * 3_600_000_000

    public init() {}
}

/// The Immigration Services Agency (出入国在留管理庁, for the Minister of Justice): it tells the municipality about
/// its foreign residents' periods of stay (別添1 ⑥, 住基法第30条の50: the register amends or removes the record) and
/// takes the municipality's notices of every change to a foreign resident's record (別添1 ⑤, 入管法第61条の8の2).
///
/// It keeps the end of each foreign resident's period of stay, by resident code (the generated register's, rolled
/// forward past the run's start as if renewed before it, then what the municipality reports). Each business day it
/// sends the notices of the periods that ended since the last: an extension (``ImmigrationConfiguration/renewalShare``,
/// a fixed draw from the person's code and the day) with a new residence card, or a lapse.
public struct ImmigrationServicesAgency: NodeBehavior {
    let configuration: ImmigrationConfiguration
    let registerSystem: NodeID
    let latency: Latency
    let begin: Int64
    let days: Int
    /// Residents by the day their period of stay ends (days since the epoch), and each one's items.
    var byExpiry: [Int32: [UInt64]] = [:]
    var items: [UInt64: ForeignResidentData] = [:]
    /// The last day whose expiries were notified.
    var notifiedThrough: Int32
    public private(set) var renewals = 0
    public private(set) var lapses = 0
    public private(set) var reportsReceived = 0
    public private(set) var removalsReported = 0
    public private(set) var batches = 0

    /// The agency's timers.
    public enum Timer: Sendable, Hashable {
        /// The day's notices go out.
        case notices
    }

    public init(
        register: ResidentRegister, registerSystem: NodeID, links: LinkTable, date: CivilDate, days: Int,
        configuration: ImmigrationConfiguration = ImmigrationConfiguration()
    ) {
        self.configuration = configuration
        self.registerSystem = registerSystem
        latency = links.latency(.registerToCS)
        begin = SimulatedTime(date: date).microseconds
        self.days = max(days, 1)
        notifiedThrough = date.daysSinceEpoch - 1
        for (row, data) in register.foreignResidents where register.columns.status[row.index] == 0 {
            guard let expiry = data.expiry else { continue }
            var end = expiry
            // Periods that ended before the run were extended before it (or the person would not be here).
            let months = max(data.periodOfStayMonths, 1)
            for _ in 0..<200 where end.daysSinceEpoch < date.daysSinceEpoch { end = end.adding(months: months) }
            let code = register.columns.residentCode[row.index]
            var kept = data
            kept.expiry = end
            items[code] = kept
            byExpiry[end.daysSinceEpoch, default: []].append(code)
        }
    }

    public mutating func start(_ context: inout NodeContext<NetworkMessage>) {
        for d in 0..<days {
            let day = SimulatedTime(microseconds: begin).date.adding(days: d)
            guard BusinessCalendar.standard.isBusinessDay(day) else { continue }
            context.schedule(
                .timer(.immigration(.notices)), at: SimulatedTime(date: day).microseconds + configuration.noticesAt)
        }
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        switch event.message {
        case .timer(.immigration(.notices)):
            sendNotices(&context)
        case .immigration(.reports(let reports)):
            reportsReceived += reports.count
            for r in reports {
                let code = r.residentCode.rawValue
                guard r.active else {
                    removalsReported += 1
                    items[code] = nil
                    continue
                }
                // A foreign resident recorded here (a move-in keeps their items) is followed from now on.
                if items[code] == nil, let end = r.expiry {
                    items[code] = ForeignResidentData(
                        nationality: "", residenceStatus: "", periodOfStayMonths: 12, expiry: end, residenceCard: "")
                    byExpiry[end.daysSinceEpoch, default: []].append(code)
                }
            }
        case .immigration(.notices), .visit, .deskDone, .request, .response, .served, .identityUpdates, .updateAck,
            .numberRequest, .numberReply, .deliveryRecords, .deliveryAck, .timer, .consistency, .addressees, .sharing,
            .immigration, .familyRegister:
            context.countUnhandled(kind: event.message.kind.rawValue)
        }
    }

    /// The notices of every period of stay that ended since the last business day's, in one batch.
    mutating func sendNotices(_ context: inout NodeContext<NetworkMessage>) {
        let today = SimulatedTime(microseconds: context.now).date.daysSinceEpoch
        var notices: [ImmigrationNotice] = []
        while notifiedThrough < today {
            notifiedThrough += 1
            for code in byExpiry.removeValue(forKey: notifiedThrough) ?? [] {
                guard var data = items[code], data.expiry?.daysSinceEpoch == notifiedThrough else { continue }
                let renew = Mixing.unit(Mixing.combine(code, UInt64(UInt32(bitPattern: notifiedThrough))))
                if renew < configuration.renewalShare {
                    let end = CivilDate(daysSinceEpoch: notifiedThrough).adding(
                        months: max(data.periodOfStayMonths, 12))
                    data.expiry = end
                    data.residenceCard = Self.nextCard(data.residenceCard, code: code, day: notifiedThrough)
                    items[code] = data
                    byExpiry[end.daysSinceEpoch, default: []].append(code)
                    renewals += 1
                    notices.append(
                        ImmigrationNotice(residentCode: ResidentCode(uncheckedRawValue: code), kind: .renewal(data)))
                } else {
                    items[code] = nil
                    lapses += 1
                    notices.append(ImmigrationNotice(residentCode: ResidentCode(uncheckedRawValue: code), kind: .lapse))
                }
            }
        }
        guard !notices.isEmpty else { return }
        batches += 1
        context.send(
            .immigration(.notices(notices)), to: registerSystem,
            delay: max(latency.sample(&context.random), context.lookahead))
    }

    /// A new residence card's number (在留カード番号: two letters, eight digits, two letters) for an extension.
    static func nextCard(_ old: String, code: UInt64, day: Int32) -> String {
        let h = Mixing.combine(code, UInt64(UInt32(bitPattern: day)) | 1 << 40)
        let letters = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
        func letter(_ k: UInt64) -> Character { letters[Int(k % UInt64(letters.count))] }
        let digits = String(h % 100_000_000).leftPadded(to: 8)
        return String([letter(h >> 40), letter(h >> 45)]) + digits + String([letter(h >> 50), letter(h >> 55)])
    }
}

extension String {
    /// The string with zeros in front up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension ImmigrationServicesAgency: ReportingBehavior {
    /// The agency's figures after a run.
    public struct Report: Sendable, Hashable {
        public var renewals: Int
        public var lapses: Int
        public var batches: Int
        public var reportsReceived: Int
        public var removalsReported: Int
        public var followed: Int
    }

    public func report(_ period: ReportPeriod) -> Report {
        Report(
            renewals: renewals, lapses: lapses, batches: batches, reportsReceived: reportsReceived,
            removalsReported: removalsReported, followed: items.count)
    }
}
