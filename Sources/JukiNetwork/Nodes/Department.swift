import JukiAudit
import JukiCore
import JukiRegister
import JukiSimulation

/// One department the register's information is transferred to (庁内連携, 移転先 of 別添5), with whether its work is
/// number-use work (its transfers then carry the individual number: 特定個人情報) and how often its staff look a
/// person up in the unified addressee system.
public struct DepartmentSpec: Sendable, Hashable {
    /// The name reports use, and the Japanese name.
    public var name: String
    public var japanese: String
    /// Whether its work is 個人番号利用事務: transfers to it carry the number, and its look-ups see it.
    public var numberUse: Bool
    /// Look-ups of a person in the unified addressee system per business day, in office hours [E].
    public var lookupsPerDay: Double

    public init(name: String, japanese: String, numberUse: Bool, lookupsPerDay: Double) {
        self.name = name
        self.japanese = japanese
        self.numberUse = numberUse
        self.lookupsPerDay = lookupsPerDay
    }

    /// The departments the seed names as transfer destinations (別添5 移転先一覧, renamed on 令和3年6月9日, seed L911–917),
    /// every one doing number-use work (別添5 lists the 特定個人情報's destinations), and the other departments
    /// together (他課: work outside number use, whose look-ups see no number, I 2 システム4 措置 L419) [E: look-ups,
    /// 100 a day for each number-use department and 300 for the others together; no count is published].
    public static let fujisawa: [DepartmentSpec] = [
        DepartmentSpec(name: "insuranceAndPension", japanese: "保険年金課", numberUse: true, lookupsPerDay: 100),
        DepartmentSpec(name: "longTermCare", japanese: "介護保険課", numberUse: true, lookupsPerDay: 100),
        DepartmentSpec(name: "disabilitySupport", japanese: "障がい者支援課", numberUse: true, lookupsPerDay: 100),
        DepartmentSpec(name: "publicAssistance", japanese: "生活援護課", numberUse: true, lookupsPerDay: 100),
        DepartmentSpec(name: "elderlySupport", japanese: "高齢者支援課", numberUse: true, lookupsPerDay: 100),
        DepartmentSpec(name: "healthPromotion", japanese: "健康づくり課", numberUse: true, lookupsPerDay: 100),
        DepartmentSpec(name: "preventiveHealth", japanese: "保健予防課", numberUse: true, lookupsPerDay: 100),
        DepartmentSpec(name: "otherDepartments", japanese: "他課（個人番号利用事務以外）", numberUse: false, lookupsPerDay: 300),
    ]

    /// The operator id its staff sign in with: number-use staff, or staff without number-use rights
    /// (``OperatorRights``: 8000 + n), so every node judges the right the same way.
    public func operatorID(index: Int) -> UInt16 {
        UInt16(clamping: numberUse ? 5_000 + index : 8_500 + index)
    }
}

/// A department of the city (庁内の移転先, 別添5): it takes the register's transfers (住民票に関する情報を他業務に移転する,
/// 別添1 ⑫; 庁内連携システム, II 5 ⑥) one record at a time, and its staff look persons up in the unified addressee
/// system (他課照会), which shows the number only to number-use work (L419).
///
/// Light on purpose: what it does with the information is its own business; the model keeps its receive load
/// (one FIFO worker, ``ServiceModel/departmentRecord`` a record [E]), what it received (and whether with the number)
/// and its look-ups' answers.
public struct Department: NodeBehavior {
    public let spec: DepartmentSpec
    let index: Int
    let layout: NetworkLayout
    /// The home register as generated, shared and never written: the persons staff look up.
    let initial: ResidentRegister
    let perRecord: Int64
    let lan: Latency
    let begin: Int64
    let days: Int
    var busyUntil: Int64 = 0
    public private(set) var busyTime: Int64 = 0
    public private(set) var batches = 0
    public private(set) var records = 0
    /// Records that carried the individual number (特定個人情報), and those of them that reached a department
    /// outside number use (must stay 0).
    public private(set) var withNumber = 0
    public private(set) var numbersOutsideNumberUse = 0
    public private(set) var lookups = 0
    public private(set) var lookupsAnswered = 0
    public private(set) var lookupsNotFound = 0
    /// Answers that showed the number, and answers whose number was masked.
    public private(set) var numbersShown = 0
    public private(set) var numbersMasked = 0
    var sent: [UInt64: Int64] = [:]
    var sequence: UInt64 = 0
    public private(set) var lookupTime = LatencyHistogram()

    /// The department's timers.
    public enum Timer: Sendable, Hashable {
        /// A member of staff looks a person up.
        case lookup
    }

    public init(
        spec: DepartmentSpec, index: Int, layout: NetworkLayout, register: ResidentRegister, service: ServiceModel,
        links: LinkTable, begin: Int64, days: Int
    ) {
        self.spec = spec
        self.index = index
        self.layout = layout
        initial = register
        perRecord = service.departmentRecord
        lan = links.latency(.counterLAN)
        self.begin = begin
        self.days = max(days, 1)
    }

    public mutating func start(_ context: inout NodeContext<NetworkMessage>) {
        scheduleLookup(after: begin, &context)
    }

    /// The next look-up: Poisson over the office hours (08:30–17:15) of business days.
    mutating func scheduleLookup(after time: Int64, _ context: inout NodeContext<NetworkMessage>) {
        guard layout.unifiedAddressee != nil, initial.count > 0,
            let at = OfficeArrivals.next(
                after: time, perDay: spec.lookupsPerDay, end: begin + Int64(days) * SimulatedTime.microsecondsPerDay,
                &context.random)
        else { return }
        context.schedule(.timer(.department(.lookup)), at: at)
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        switch event.message {
        case .addressees(let batch):
            // A transfer (移転) from the register system: the department's worker takes it record by record.
            batches += 1
            records += batch.records.count
            let carried = batch.records.reduce(0) { $0 + ($1.individualNumber == nil ? 0 : 1) }
            withNumber += carried
            if !spec.numberUse { numbersOutsideNumberUse += carried }
            let work = perRecord * Int64(batch.records.count)
            busyUntil = SimulatedDuration.adding(max(context.now, busyUntil), work)
            busyTime = SimulatedDuration.adding(busyTime, work)
        case .timer(.department(.lookup)):
            lookUp(&context)
            scheduleLookup(after: context.now, &context)
        case .response(let response):
            guard let at = sent.removeValue(forKey: response.ticket.journey) else { return }
            lookupTime.record(context.now - at)
            guard response.failure == .none, case .record(let r) = response.result else {
                lookupsNotFound += 1
                return
            }
            lookupsAnswered += 1
            // Masked: no number shown to work outside number use (a person without one shows none anywhere).
            if r.individualNumber != nil {
                numbersShown += 1
            } else if !spec.numberUse {
                numbersMasked += 1
            }
        case .visit, .deskDone, .request, .served, .identityUpdates, .updateAck, .numberRequest, .numberReply,
            .deliveryRecords, .deliveryAck, .timer, .consistency, .sharing, .immigration, .familyRegister:
            context.countUnhandled(kind: event.message.kind.rawValue)
        }
    }

    /// One look-up of a random person by unified addressee number (他課照会).
    mutating func lookUp(_ context: inout NodeContext<NetworkMessage>) {
        guard let system = layout.unifiedAddressee else { return }
        let row = RowID(UInt32(context.random.next(below: UInt64(initial.count))))
        sequence += 1
        let journey = UInt64(context.id) << 40 | 0xD0_0000 | sequence
        lookups += 1
        sent[journey] = context.now
        var request = Request(
            .addressee(AddresseeLookup(unified: initial.unifiedAddresseeNumber(of: row))),
            ticket: Ticket(journey: journey, slot: nil, flow: .identitySearch, hop: .addresseeLookup),
            replyTo: context.id, sentAt: context.now)
        request.operatorID = spec.operatorID(index: index)
        context.send(.request(request), to: system, delay: max(lan.sample(&context.random), context.lookahead))
    }
}

extension Department: ReportingBehavior {
    /// A department's figures after a run.
    public struct Report: Sendable, Hashable {
        public var spec: DepartmentSpec
        public var batches: Int
        public var records: Int
        public var withNumber: Int
        public var numbersOutsideNumberUse: Int
        public var lookups: Int
        public var lookupsAnswered: Int
        public var lookupsNotFound: Int
        public var numbersShown: Int
        public var numbersMasked: Int
        public var lookupTime: LatencyHistogram
        public var utilization: Double
    }

    public func report(_ period: ReportPeriod) -> Report {
        Report(
            spec: spec, batches: batches, records: records, withNumber: withNumber,
            numbersOutsideNumberUse: numbersOutsideNumberUse, lookups: lookups, lookupsAnswered: lookupsAnswered,
            lookupsNotFound: lookupsNotFound, numbersShown: numbersShown, numbersMasked: numbersMasked,
            lookupTime: lookupTime, utilization: Double(busyTime) / 1e6 / max(period.runSeconds, 1e-9))
    }
}
