import JukiAudit
import JukiCore
import JukiRegister
import JukiSimulation

/// The intermediate server (中間サーバ, I 2 システム5): Fujisawa's part of the 中間サーバ・プラットフォーム, between the
/// unified addressee system and the information-sharing network.
///
/// - It keeps the copy (副本) of the resident-register information to provide (情報提供用のデータ登録, ②3), registered
///   only by the unified addressee system ("中間サーバへの提供元を団体内統合宛名システムに限定", III(1)6 リスク5/6).
/// - It obtains a person's code (情報提供用個人識別符号) from the network with the unified addressee number
///   (符号取得, ②2) when the copy gets a new person; a request for a person whose code it has not obtained finds
///   nobody.
/// - It answers provision requests (情報提供機能, ②5) only with a permit (提供許可証) the network issued for that
///   request, and only for a row on its own copy of the permission list (照会許可照会リスト, III(1)6 リスク5 ①, リスク7).
/// - A person whose copy carries the 自動応答不可フラグ is not answered automatically: a clerk confirms what goes
///   out, in office hours, with its own queue and time (III(1)6 リスク5 ③).
/// - Every request, answered or refused, leaves a record of provision (情報提供等記録, 番号法第23条), kept 7 years and
///   hash-chained like the other audit trails.
///
/// The codes of persons numbered before the run stand in a keyed permutation of their addressee numbers (the same
/// one the network issues by), a compact form of the table the server would hold; codes obtained in the run are
/// kept as they arrive.
public struct IntermediateServer: NodeBehavior {
    typealias Entry = UnifiedAddresseeSystem.Entry

    let municipality: MunicipalityCode
    /// The copy as generated (persons registered before the run; shared, never written) and the run's changes.
    let initial: ResidentRegister
    var changed: [UInt32: Entry] = [:]
    /// Codes obtained in the run, code → addressee number, and addressees waiting for theirs.
    var obtained: [UInt64: UInt32] = [:]
    var awaitingCode: Set<UInt32> = []
    let codes: KeyedPermutation
    let permits: SipHash24
    let sharing: InformationSharingConfiguration
    let unifiedAddressee: NodeID?
    let network: NodeID?
    let networkLatency: Latency
    /// The server's copy of the permission list (nil until the network sends it).
    public private(set) var permissionList: PermissionList?
    /// The automatic worker (busy until, µs) and the reviewing clerks (each busy until).
    var busyUntil: Int64 = 0
    var clerksFreeAt: [Int64]
    public private(set) var busyTime: Int64 = 0
    public private(set) var clerkTime: Int64 = 0
    public private(set) var reviewWaits = LatencyHistogram()
    public private(set) var copyBatches = 0
    public private(set) var copyRecords = 0
    public private(set) var copiesRefused = 0
    public private(set) var codesRequested = 0
    public private(set) var codesObtained = 0
    public private(set) var outcomes = [Int](repeating: 0, count: ProvisionOutcome.allCases.count)
    /// The records of provision (情報提供等記録).
    public private(set) var records: AuditTrail
    var lastExpiry: Int64 = 0

    /// A server whose copy starts as `register`, registered with by `unifiedAddressee`, talking to `network`.
    public init(
        register: ResidentRegister, sharing: InformationSharingConfiguration, key: UInt64,
        unifiedAddressee: NodeID?, network: NodeID?, networkLatency: Latency
    ) {
        municipality = register.municipality.code
        initial = register
        self.sharing = sharing
        codes = InformationSharingNetwork.codePermutation(key: key)
        permits = InformationSharingNetwork.permitKey(key)
        self.unifiedAddressee = unifiedAddressee
        self.network = network
        self.networkLatency = networkLatency
        clerksFreeAt = Array(repeating: 0, count: max(1, sharing.reviewClerks))
        records = AuditTrail()
    }

    func entry(_ addressee: UInt32) -> Entry? {
        if let e = changed[addressee] { return e }
        guard let row = initial.row(addresseeNumber: addressee) else { return nil }
        return Entry(UnifiedAddresseeSystem.record(of: row, in: initial))
    }

    /// The addressee number a code stands for, if the server holds that code.
    func addressee(code: UInt64) -> UInt32? {
        if let a = obtained[code] { return a }
        guard code < codes.domainSize else { return nil }
        let a = codes.inverse(code)
        return a >= 1 && a <= UInt64(initial.count) ? UInt32(a) : nil
    }

    /// Whether a person's copy carries the 自動応答不可フラグ: a fixed share of persons, by a hash of the unified
    /// number (the flag belongs to the person, so every request about them is reviewed).
    func needsReview(_ addressee: UInt32) -> Bool {
        let u = ResidentRegister.unifiedAddresseeNumber(municipality: municipality, addressee: addressee)
        return Mixing.unit(u ^ 0x5EED_F1A6) < sharing.reviewShare
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        guard case .sharing(let message) = event.message else {
            context.countUnhandled(kind: event.message.kind.rawValue)
            return
        }
        switch message {
        case .copies(let batch): register(batch, from: event.source, &context)
        case .codeReply(let batch):
            for (a, c) in zip(batch.addressees, batch.codes) where awaitingCode.remove(a) != nil {
                obtained[c] = a
                codesObtained += 1
            }
        case .permissionList(let list): permissionList = list
        case .request(let request): answer(request, &context)
        case .codeRequest, .answer:
            context.countUnhandled(kind: event.message.kind.rawValue)
        }
    }

    /// 副本登録: records from the unified addressee system update the copy; other senders are refused.
    mutating func register(
        _ batch: AddresseeBatch, from source: NodeID, _ context: inout NodeContext<NetworkMessage>
    ) {
        guard source == unifiedAddressee else {
            copiesRefused += batch.records.count
            records.append(
                AuditRecord(
                    time: context.now, operatorID: 0, terminal: 0, action: .refusal,
                    operation: AuditKind.copyRegistration, subject: 0, count: UInt32(clamping: batch.records.count),
                    outcome: 1, destination: UInt32(source)))
            return
        }
        copyBatches += 1
        let work = SimulatedDuration.saturating(Double(sharing.copyRecordTime) * Double(batch.records.count))
        busyUntil = SimulatedDuration.adding(max(context.now, busyUntil), work)
        busyTime = SimulatedDuration.adding(busyTime, work)
        var needCodes: [UInt32] = []
        for r in batch.records {
            copyRecords += 1
            let isNew = changed[r.addressee] == nil && initial.row(addresseeNumber: r.addressee) == nil
            changed[r.addressee] = Entry(r)
            if isNew, awaitingCode.insert(r.addressee).inserted { needCodes.append(r.addressee) }
        }
        guard let network, !needCodes.isEmpty else { return }
        codesRequested += needCodes.count
        context.send(
            .sharing(.codeRequest(CodeBatch(municipality: municipality, addressees: needCodes))), to: network,
            delay: SimulatedDuration.adding(busyUntil - context.now, networkLatency.sample(&context.random)))
    }

    /// 情報提供: checks the permit and the list, then answers from the copy (at once, or after a clerk's review).
    mutating func answer(_ request: ProvisionRequest, _ context: inout NodeContext<NetworkMessage>) {
        expireRecords(context.now)
        let start = max(context.now, busyUntil)
        busyUntil = SimulatedDuration.adding(start, sharing.answerTime)
        busyTime = SimulatedDuration.adding(busyTime, sharing.answerTime)
        var outcome: ProvisionOutcome
        var information: ProvidedInformation?
        var done = busyUntil
        var subject: UInt64 = 0
        if request.permit == 0 || request.permit != InformationSharingNetwork.permit(for: request, key: permits) {
            outcome = .refusedInvalidPermit
        } else if !(permissionList?.permits(item: request.item, requester: request.requester) ?? false) {
            outcome = .refusedNotOnServerList
        } else if let a = addressee(code: request.code), let e = entry(a) {
            subject = e.residentCode
            information = ProvidedInformation(
                household: e.household, relationship: e.relationship, active: e.active, facts: e.facts)
            outcome = .provided
            if needsReview(a) {
                outcome = .providedAfterReview
                done = review(after: busyUntil, &context)
            }
        } else {
            outcome = .notFound
        }
        outcomes[Int(outcome.rawValue)] += 1
        records.append(
            AuditRecord(
                time: context.now, operatorID: 0, terminal: 0, action: outcome.isProvision ? .provision : .refusal,
                operation: UInt8(truncatingIfNeeded: request.item.number), subject: subject, count: 1,
                outcome: outcome.rawValue, destination: UInt32(request.requester.number)))
        guard let network else { return }
        context.send(
            .sharing(.answer(ProvisionAnswer(request: request, outcome: outcome, information: information))),
            to: network, delay: SimulatedDuration.adding(done - context.now, networkLatency.sample(&context.random)))
    }

    /// A clerk confirms a flagged request: the first clerk free, in office hours. Returns when it is done.
    mutating func review(after ready: Int64, _ context: inout NodeContext<NetworkMessage>) -> Int64 {
        var clerk = 0
        for i in clerksFreeAt.indices where clerksFreeAt[i] < clerksFreeAt[clerk] { clerk = i }
        var start = max(ready, clerksFreeAt[clerk])
        let calendar = BusinessCalendar.standard
        if !calendar.isOpen(at: SimulatedTime(microseconds: start)) {
            start = calendar.nextOpening(atOrAfter: SimulatedTime(microseconds: start)).microseconds
        }
        let time = sharing.reviewTime.sample(&context.random)
        clerksFreeAt[clerk] = SimulatedDuration.adding(start, time)
        clerkTime = SimulatedDuration.adding(clerkTime, time)
        reviewWaits.record(start - ready)
        return clerksFreeAt[clerk]
    }

    /// Records older than the retention go, checked at most once a simulated day.
    mutating func expireRecords(_ now: Int64) {
        guard now - lastExpiry >= SimulatedTime.microsecondsPerDay else { return }
        lastExpiry = now
        records.expire(before: now - sharing.recordRetention)
    }

    /// A digest of the copy's entries the run changed, comparable with the register's
    /// (``UnifiedAddresseeSystem/fingerprint(of:changesFrom:)``).
    public var fingerprint: UInt64 { UnifiedAddresseeSystem.fingerprint(changed.map { ($0.key, $0.value) }) }

    /// Provisions whose row is not on the permission list: must be 0 (checked from the records themselves).
    public func provisionsOffList(_ list: PermissionList) -> Int {
        var n = 0
        let read = records.forEachKept { r in
            let item = ProvisionItem(UInt16(r.operation))
            let requester = ProvisionItem(UInt16(truncatingIfNeeded: r.destination))
            n += r.action == .provision && !(list.contains(item) && item == requester) ? 1 : 0
        }
        // A trail that cannot be read back cannot show the rule held: count that as a breach.
        return read ? n : max(n, 1)
    }
}

extension AuditKind {
    static let copyRegistration: UInt8 = 110
}

extension IntermediateServer: ReportingBehavior {
    /// The intermediate server's figures after a run.
    public struct Report: Sendable, Hashable {
        public var copyBatches: Int
        public var copyRecords: Int
        public var copiesRefused: Int
        public var codesRequested: Int
        public var codesObtained: Int
        /// Requests that reached the server, by outcome (``ProvisionOutcome`` raw values).
        public var outcomes: [Int]
        /// Provisions whose row is not on the network's permission list (must be 0).
        public var provisionsOffList: Int
        /// Records of provision kept, expired, and the chain's head.
        public var recordsKept: Int
        public var recordsExpired: Int
        public var recordsHead: String
        public var utilization: Double
        public var clerkUtilization: Double
        public var reviewWaits: LatencyHistogram
        public var fingerprint: UInt64
    }

    public func report(_ period: ReportPeriod) -> Report {
        Report(
            copyBatches: copyBatches, copyRecords: copyRecords, copiesRefused: copiesRefused,
            codesRequested: codesRequested, codesObtained: codesObtained, outcomes: outcomes,
            provisionsOffList: provisionsOffList(.residentRegister), recordsKept: records.kept,
            recordsExpired: records.expired, recordsHead: records.headHex,
            utilization: Double(busyTime) / 1e6 / max(period.runSeconds, 1e-9),
            clerkUtilization: Double(clerkTime) / 1e6 / max(period.openSeconds * Double(clerksFreeAt.count), 1e-9),
            reviewWaits: reviewWaits, fingerprint: fingerprint)
    }
}
