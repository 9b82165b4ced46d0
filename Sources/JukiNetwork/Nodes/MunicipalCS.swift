import JukiAudit
import JukiCore
import JukiSimulation

/// The municipal CS (市町村CS): the municipality's Juki-net node. It keeps the identity file, relays card
/// verification and number candidates to the national server, certificate data and move-in notices to other
/// municipalities, card events and delivery records to the card management system, and forwards identity
/// updates to the prefecture server.
public struct MunicipalCS: NodeBehavior {
    public private(set) var identityFile: IdentityFile
    let layout: NetworkLayout
    let service: ServiceModel
    let prefecture: NodeID
    var pool: WorkerPool
    public private(set) var wire: Wire
    /// Store-and-forward: batches from the CS connector seen, and the outbox to the prefecture server.
    public private(set) var inbox = Inbox()
    public private(set) var outbox: Outbox
    public private(set) var updatesForwarded = 0
    public private(set) var relayed = 0
    /// Provisions to the prefecture, the card system and other municipalities (refused ones included) and the
    /// batch jobs: the CS's 提供記録 and 操作ログ, hash-chained.
    public private(set) var audit: AuditTrail
    public private(set) var moveInNoticesReceived = 0
    /// Identity searches answered from the CS's own file, and searches at any scope refused here, by kind and
    /// outcome; queries to J-LIS refused here (the national server counts the rest).
    public private(set) var searchCounts = SearchCounts()
    public private(set) var queryCounts = SearchCounts()
    /// Identity searches the CS decided (answered from its own file, or refused).
    public var searches: Int { searchCounts.total }
    /// Delivery records relayed to the card system and not yet deleted: (resident code, sent at).
    var sentDeliveryRecords: [(code: ResidentCode, sentAt: Int64)] = []
    public private(set) var deliveryRecordsSent = 0
    public private(set) var deliveryRecordsDeleted = 0
    public private(set) var consistency: ConsistencyReport?
    public private(set) var batchStats = [Flow: JourneyStats]()
    var schedule = BatchSchedule()

    public init(
        identityFile: IdentityFile, layout: NetworkLayout, links: LinkTable, service: ServiceModel, prefecture: NodeID,
        schedule: BatchSchedule = BatchSchedule(), faults: FaultPlan = .none,
        trust: TrustStore = .none
    ) {
        wire = Wire(links: links, plan: faults, trust: trust)
        outbox = Outbox(destination: prefecture, link: .csToPrefecture, perItem: service.perBatchItem)
        self.schedule = schedule
        self.identityFile = identityFile
        self.layout = layout
        self.service = service
        self.prefecture = prefecture
        pool = WorkerPool(workers: service.csWorkers)
        audit = AuditTrail(retain: service.recordSpans)
    }

    public var serverStatistics: WorkerPool { pool }

    /// The CS's timers: its batches.
    public enum Timer: Sendable, Hashable {
        /// The consistency check (整合性確認), yearly and on demand.
        case consistencyCheck
        /// The delivery-record batch.
        case deliveryBatch
    }

    public mutating func start(_ context: inout NodeContext<NetworkMessage>) {
        for time in schedule.consistencyChecks {
            context.schedule(.timer(.municipalCS(.consistencyCheck)), at: time)
        }
        for day in 0..<max(schedule.days, 1) {
            let midnight = schedule.dayStart + Int64(day) * SimulatedTime.microsecondsPerDay
            if let at = schedule.deliveryBatchAt {
                context.schedule(.timer(.municipalCS(.deliveryBatch)), at: midnight + at)
            }
        }
    }

    /// Consistency check (整合性確認): the CS's whole identity file goes to the prefecture and national
    /// servers, which compare it with their copies.
    mutating func startConsistencyCheck(_ context: inout NodeContext<NetworkMessage>) {
        batchStats[.consistencyCheck, default: JourneyStats()].started += 1
        // Found by the model fuzzer: with the prefecture or national server unreachable for days, each night
        // started another check over the one still waiting, and the report lost count of the earlier ones. The
        // CS runs one check at a time: a night whose check would overlap the last one's fails instead.
        if let consistency, consistency.end == nil {
            batchStats[.consistencyCheck, default: JourneyStats()].failed[.serviceUnavailable, default: 0] += 1
            return
        }
        let extract = identityFile.extract()
        let batch = ConsistencyBatch(
            ticket: Ticket(
                journey: UInt64(context.id) << 40 | 0xC0_0000, slot: nil, flow: .consistencyCheck, hop: .query),
            extract: extract, source: context.id, prefectureDifferences: 0, nationalDifferences: 0, sentAt: context.now)
        consistency = ConsistencyReport(
            records: extract.count, prefectureDifferences: 0, nationalDifferences: 0, start: context.now, end: nil)
        audit.append(
            AuditRecord(
                time: context.now, operatorID: 0, terminal: 0, action: .batch, operation: AuditKind.consistencyCheck,
                subject: 0, count: UInt32(extract.count), destination: UInt32(prefecture)))
        context.sendReliably(
            .consistency(batch), to: prefecture, over: .csToPrefecture,
            extra: service.perBatchItem * Int64(extract.count), wire: &wire)
    }

    /// The delivery-record batch (送付先情報通知): records sent to the card system are deleted once their
    /// retention has passed.
    mutating func deliveryBatch(_ context: inout NodeContext<NetworkMessage>) {
        batchStats[.deliveryRecords, default: JourneyStats()].started += 1
        let cutoff = context.now - schedule.deliveryRetention
        let before = sentDeliveryRecords.count
        sentDeliveryRecords.removeAll { $0.sentAt <= cutoff }
        deliveryRecordsDeleted += before - sentDeliveryRecords.count
        // The same nightly job enforces the provision records' retention on the CS's trail.
        audit.expire(before: context.now - schedule.provisionRetention)
        audit.append(
            AuditRecord(
                time: context.now, operatorID: 0, terminal: 0, action: .batch, operation: AuditKind.deliveryDeletion,
                subject: 0, count: UInt32(before - sentDeliveryRecords.count)))
        batchStats[.deliveryRecords, default: JourneyStats()].completed += 1
        batchStats[.deliveryRecords, default: JourneyStats()].latency.record(0)
    }

    /// Delivery records still held (sent, retention not yet passed).
    public var deliveryRecordsHeld: Int { sentDeliveryRecords.count }

    /// A worker finished `request`: it goes on to its server and the next queued request starts.
    mutating func served(_ request: Request, _ context: inout NodeContext<NetworkMessage>) {
        relay(request, &context)
        pool.done(request, &context)
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        guard context.admit(event, over: .csToCS, wire: &wire) else {
            auditAuthenticationRefusal(peer: event.source, context)
            return
        }
        switch event.message {
        case .request(let request) where request.operation == .incomingMoveInNotice:
            // 転入通知 from where a former resident moved in: the move has both ends now.
            moveInNoticesReceived += 1
        case .request(let request):
            if let now = pool.arrive(request, service.csOperation, wire: &wire, &context) { served(now, &context) }
        case .served(let request):
            served(request, &context)
        case .response(var response):
            guard let to = response.relayFor else { return }
            if response.failure == .notAuthenticated {
                // The peer refused our session (it could not verify us): recorded here, where the trail is kept.
                auditAuthenticationRefusal(peer: event.source, context)
            }
            response.relayFor = nil
            // Another municipality asked (広域交付 of one of ours): the answer goes back between the CSs.
            let other = !layout.others.isEmpty && to >= layout.others[0] && to <= layout.others[layout.others.count - 1]
            let link: LinkKind =
                other
                ? .csToCS
                : to == layout.registerSystem || to == layout.applicationManager ? .registerToCS : .counterLAN
            context.sendReliably(.response(response), to: to, over: link, wire: &wire)
        case .identityUpdates(let batch):
            // Store-and-forward: a batch sent again is acknowledged again but applied and forwarded once.
            if inbox.accept(batch.sequence, from: event.source) {
                for u in batch.updates { identityFile.apply(u) }
                updatesForwarded += batch.updates.count
                provision(AuditKind.identityUpdates, count: batch.updates.count, to: prefecture, context)
                outbox.send(batch.updates, source: context.id, &context, wire: &wire)
            }
            context.sendReliably(
                .updateAck(UpdateAck(sequence: batch.sequence)), to: event.source, over: .registerToCS, wire: &wire)
        case .updateAck(let ack):
            outbox.acknowledge(ack.sequence, source: context.id, &context, wire: &wire)
        case .timer(.outboxRetry):
            outbox.retry(source: context.id, &context, wire: &wire)
        case .numberRequest(var batch):
            batch.relayFor = batch.replyTo
            batch.replyTo = context.id
            context.sendReliably(
                .numberRequest(batch), to: layout.nationalServer, over: .csToPrefecture, then: .prefectureToNational,
                via: prefecture, wire: &wire)
        case .numberReply(var batch):
            guard let to = batch.relayFor else { return context.unhandled(event, over: .registerToCS, wire: &wire) }
            batch.relayFor = nil
            context.sendReliably(.numberReply(batch), to: to, over: .registerToCS, wire: &wire)
        case .timer(.municipalCS(.consistencyCheck)):
            startConsistencyCheck(&context)
        case .timer(.municipalCS(.deliveryBatch)):
            deliveryBatch(&context)
        case .consistency(let batch):
            consistency?.prefectureDifferences = batch.prefectureDifferences
            consistency?.nationalDifferences = batch.nationalDifferences
            consistency?.prefectureRemaining = batch.prefectureRemaining
            consistency?.nationalRemaining = batch.nationalRemaining
            consistency?.end = context.now
            batchStats[.consistencyCheck, default: JourneyStats()].completed += 1
            batchStats[.consistencyCheck, default: JourneyStats()].latency.record(context.now - batch.sentAt)
        case .deliveryRecords(var batch):
            for code in batch.codes { sentDeliveryRecords.append((code, context.now)) }
            deliveryRecordsSent += batch.codes.count
            provision(AuditKind.deliveryRecords, count: batch.codes.count, to: layout.cardSystem, context)
            batch.relayFor = batch.replyTo
            batch.replyTo = context.id
            context.sendReliably(.deliveryRecords(batch), to: layout.cardSystem, over: .csToCardSystem, wire: &wire)
        case .deliveryAck(var batch):
            guard let to = batch.relayFor else { return context.unhandled(event, over: .registerToCS, wire: &wire) }
            batch.relayFor = nil
            context.sendReliably(.deliveryAck(batch), to: to, over: .registerToCS, wire: &wire)
        case .timer(.residents), .timer(.counter), .timer(.registerSystem), .timer(.applicationManager),
            .timer(.informationSharing), .timer(.department), .timer(.immigration), .timer(.familyRegister),
            .timer(.otherMunicipality), .timer(.cardSystem), .visit, .deskDone, .addressees, .sharing, .immigration,
            .familyRegister:
            context.unhandled(event, over: .registerToCS, wire: &wire)
        }
    }

    /// Records a failed mutual authentication with `peer`, like any refused provision.
    mutating func auditAuthenticationRefusal(peer: NodeID, _ context: NodeContext<NetworkMessage>) {
        audit.append(
            AuditRecord(
                time: context.now, operatorID: 0, terminal: 0, action: .refusal, operation: AuditKind.authentication,
                subject: UInt64(peer), count: 1, outcome: FailureReason.notAuthenticated.rawValue))
    }

    /// Records a provision of `count` items of `kind` to `node`.
    mutating func provision(
        _ kind: UInt8, count: Int, to node: NodeID?, subject: UInt64 = 0, request: Request? = nil,
        refused: FailureReason? = nil, _ context: NodeContext<NetworkMessage>
    ) {
        audit.append(
            AuditRecord(
                time: context.now, operatorID: UInt32(request?.operatorID ?? 0),
                terminal: UInt32(request?.terminal ?? 0),
                action: refused == nil ? .provision : .refusal, operation: kind, subject: subject,
                count: UInt32(count), outcome: refused?.rawValue ?? 0,
                destination: refused == nil ? UInt32(node ?? 0) : 0))
    }

    /// Answers `request` at once with `failure` (`.none` for a search that found the person).
    mutating func refuse(_ request: Request, _ failure: FailureReason, _ context: inout NodeContext<NetworkMessage>) {
        let link: LinkKind = request.replyTo == layout.registerSystem ? .registerToCS : .counterLAN
        context.sendReliably(
            .response(Response(to: request, failure: failure)), to: request.replyTo, over: link, wire: &wire)
    }

    /// Where the CS sends a request on: the node, the link (and the second link through `via`).
    func route(_ payload: RequestPayload) -> (node: NodeID, link: LinkKind, second: LinkKind?, via: NodeID?)? {
        let national = (
            layout.nationalServer, LinkKind.csToPrefecture, LinkKind?.some(.prefectureToNational), prefecture
        )
        switch payload {
        case .national: return national
        case .search(let search):
            switch search.scope {
            // Answered here, from the CS's own identity file (``search(_:_:)``).
            case .own: return nil
            case .prefecture(let code):
                return (layout.prefectures[Int(min(max(code, 1), 47)) - 1], .csToPrefecture, nil, nil)
            case .nation: return national
            }
        case .municipality(.certificateData(let c)): return (c.origin, .csToCS, nil, nil)
        // 広域交付: to the person's own municipality; for one of ours, on to the register system, which notifies the
        // 広域交付住民票情報 (別添1 ⑬).
        case .municipality(.wideAreaCopy(_, let origin)):
            return origin == layout.municipalCS
                ? (layout.registerSystem, .registerToCS, nil, nil) : (origin, .csToCS, nil, nil)
        case .municipality(.moveInNotice(_, let to)), .municipality(.certificateAhead(_, let to)):
            // A mover's certificate data sent ahead to this municipality goes on to the application manager (the
            // CS connector's link to 申請管理システム, I 2 システム2 ③).
            return (to, to == layout.applicationManager ? .registerToCS : .csToCS, nil, nil)
        case .cardSystem: return (layout.cardSystem, .csToCardSystem, nil, nil)
        // The CS connector's link of a card's certificate serial to the register (I 2 システム2 ④).
        case .register(.linkCertificateSerial): return (layout.registerSystem, .registerToCS, nil, nil)
        case .municipality(.incomingMoveInNotice), .register, .application, .certificate, .counterSupport, .addressee,
            .familyRegister:
            return nil
        }
    }

    /// An identity search in the municipality (CS function 4, 別添1 2.4-①): "住民票コード、個人番号又は4情報の組み合わせを
    /// キーワードとして、市町村CSの本人確認情報を検索する", from the CS's identity file, which keeps people removed by a
    /// move-out but not by death (II(2)2③). A search by basic facts needs the name with the birth date or the
    /// address (III(2)2 リスク1), and a search by individual number is number-use work only (III(1)3 リスク1). Every
    /// search is in the CS's trail, with its operator and terminal.
    mutating func search(_ request: Request, _ search: SearchRequest, _ context: inout NodeContext<NetworkMessage>) {
        let failure = identityFile.searchOutcome(search.target, operatorID: request.operatorID)
        searchCounts.count(search.target, failure)
        let refused = failure == .searchRefused || failure == .numberUseRequired
        audit.append(
            AuditRecord(
                time: context.now, operatorID: UInt32(request.operatorID), terminal: UInt32(request.terminal),
                action: refused ? .refusal : .view, operation: request.operation.rawValue,
                subject: request.payload.words.subject, outcome: failure.rawValue))
        refuse(request, failure, &context)
    }

    /// Why a search at another scope or a query to J-LIS is refused at the CS (too few facts, a number without
    /// number-use rights), counted; nil for everything else.
    mutating func refusalBeforeRelay(_ request: Request) -> FailureReason? {
        switch request.payload {
        case .search(let search):
            let refusal = search.target.refusal(for: request.operatorID)
            guard refusal != .none else { return nil }
            searchCounts.count(search.target, refusal)
            return refusal
        case .national(.query(let target)):
            let refusal = target.refusal(for: request.operatorID)
            guard refusal != .none else { return nil }
            queryCounts.count(target, refusal)
            return refusal
        case .register, .national, .municipality, .cardSystem, .application, .certificate, .counterSupport, .addressee,
            .familyRegister:
            return nil
        }
    }

    mutating func relay(_ request: Request, _ context: inout NodeContext<NetworkMessage>) {
        if case .search(let s) = request.payload, s.scope == .own {
            search(request, s, &context)
            return
        }
        // The rules of every search hold at every scope, and for queries to J-LIS (III(2)2 リスク1, III(1)3 リスク1):
        // the terminal's request is refused here, before it leaves the municipality.
        if let refusal = refusalBeforeRelay(request) {
            provision(
                request.operation.rawValue, count: 1, to: nil, subject: request.payload.words.subject,
                request: request, refused: refusal, context)
            refuse(request, refusal, &context)
            return
        }
        guard let (destination, link, second, via) = route(request.payload) else {
            // Nothing the CS relays: a model error, counted, and refused so the journey ends.
            context.countUnhandled(kind: MessageKind.request.rawValue)
            provision(
                request.operation.rawValue, count: 1, to: nil, subject: request.payload.words.subject,
                request: request, refused: .unhandledRequest, context)
            refuse(request, .unhandledRequest, &context)
            return
        }
        var onward = request
        onward.relayFor = request.replyTo
        onward.replyTo = context.id
        if request.ticket.slot == nil {
            // The systems' own messages (card notices, certificate data sent ahead, revocations) are held and sent
            // again until they get through: nobody is waiting at a counter for them.
            context.sendReliably(.request(onward), to: destination, over: link, then: second, via: via, wire: &wire)
        } else {
            let failure: FailureReason
            switch context.deliver(.request(onward), to: destination, over: link, then: second, via: via, wire: &wire) {
            case .sent: failure = .none
            case .unreachable:
                // A clerk is waiting: the terminal reports the node unreachable at once, and the clerk decides.
                wire.refuseUnavailable()
                failure = .serviceUnavailable
            case .refused:
                // The destination is revoked: no session, and the refusal is recorded.
                failure = .notAuthenticated
            }
            if failure != .none {
                provision(
                    request.operation.rawValue, count: 1, to: nil, subject: request.payload.words.subject,
                    request: request, refused: failure, context)
                refuse(request, failure, &context)
                return
            }
        }
        relayed += 1
        provision(
            request.operation.rawValue, count: 1, to: destination, subject: request.payload.words.subject,
            request: request, context)
    }
}

/// What the consistency check found.
public struct ConsistencyReport: Sendable, Hashable {
    public var records: Int
    public var prefectureDifferences: Int
    public var nationalDifferences: Int
    /// Differences left after each server applied the CS's newer lines (reconciliation): must be 0.
    public var prefectureRemaining = 0
    public var nationalRemaining = 0
    public var start: Int64
    public var end: Int64?
}

/// When the CS's nightly batches run (µs after midnight of ``dayStart``), and how long delivery records stay.
public struct BatchSchedule: Sendable, Hashable {
    public var dayStart: Int64 = 0
    /// When the consistency check runs (simulated µs): once a year and on demand
    /// (``ConsistencyCheckSchedule/times(from:days:)``).
    public var consistencyChecks: [Int64] = []
    public var deliveryBatchAt: Int64?
    /// How long a sent delivery record is kept before deletion, µs [E: "shortly after sending"].
    public var deliveryRetention: Int64 = 3_600_000_000
    /// How long provision records (提供記録) are kept: 7 years, as the assessment states.
    public var provisionRetention: Int64 = 7 * 36_525 * 864_000_000
    /// Nights to run the batches on.
    public var days = 1

    public init(dayStart: Int64 = 0, consistencyChecks: [Int64] = [], deliveryBatchAt: Int64? = nil, days: Int = 1) {
        self.days = days
        self.dayStart = dayStart
        self.consistencyChecks = consistencyChecks
        self.deliveryBatchAt = deliveryBatchAt
    }
}

/// Audit codes of what is not a single request: batches of updates and records (request operations use their own
/// `Operation` codes, which stay below 100).
enum AuditKind {
    static let identityUpdates: UInt8 = 100
    static let deliveryRecords: UInt8 = 101
    static let consistencyCheck: UInt8 = 102
    static let deliveryDeletion: UInt8 = 103
    static let authentication: UInt8 = 104
    static let removedRecordExpiry: UInt8 = 105
    static let cardExpiry: UInt8 = 106
    /// A transfer to a department (庁内連携), without the number and with it (特定個人情報).
    static let transfer: UInt8 = 107
    static let transferWithNumber: UInt8 = 108
    /// The Minister of Justice's notices on foreign residents, applied by the register system.
    static let immigrationNotices: UInt8 = 109
    /// The 本籍地's corrections (別添1 ⑦), applied by the register system.
    static let familyRegisterCorrections: UInt8 = 110
}

extension MunicipalCS: ReportingBehavior {
    /// The CS's figures after a run.
    public struct Report: Sendable {
        /// The nightly batches' journeys (consistency check, delivery records).
        public var batchStats: [Flow: JourneyStats]
        public var consistency: ConsistencyReport?
        /// The outbox to the prefecture server.
        public var outbox: OutboxStatistics
        public var wire: WireStatistics
        public var authentication: AuthenticationStatistics?
        /// Identity-update batches from the CS connector that arrived twice and were applied once.
        public var duplicatesIgnored: Int
        public var deliveryRecordsSent: Int
        public var deliveryRecordsDeleted: Int
        public var deliveryRecordsHeld: Int
        /// Entries of the CS's identity file whose name holds 外字 (外字フラグ, 別添2【2】 item 34).
        public var variantEntries = 0
        public var moveInNoticesReceived: Int
        /// Identity searches answered from the CS's file or refused at the CS, and queries refused at the CS.
        public var searches: SearchCounts
        public var queriesRefused: SearchCounts
        public var audit: AuditTrail
        public var utilization: Double
    }

    public func report(_ period: ReportPeriod) -> Report {
        Report(
            batchStats: batchStats, consistency: consistency, outbox: outbox.finalStatistics, wire: wire.statistics,
            authentication: wire.authenticator?.statistics, duplicatesIgnored: inbox.duplicates,
            deliveryRecordsSent: deliveryRecordsSent, deliveryRecordsDeleted: deliveryRecordsDeleted,
            deliveryRecordsHeld: deliveryRecordsHeld, variantEntries: identityFile.variantEntries,
            moveInNoticesReceived: moveInNoticesReceived,
            searches: searchCounts, queriesRefused: queryCounts, audit: audit,
            utilization: pool.utilization(over: period.runSeconds))
    }
}
