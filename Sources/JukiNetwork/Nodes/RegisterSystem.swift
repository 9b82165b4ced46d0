import JukiAudit
import JukiCore
import JukiRegister
import JukiSimulation

/// The CS connector (CSコネクタ): feeds the municipal CS from the register's change log, store-and-forward.
///
/// Only changes of the identity information (本人確認情報) go up: the seed obtains them "本人確認情報に係る変更又は
/// 新規作成が発生した都度" (II(2)3③) and provides the eight listed items (II(2)5 提供先1 ③). Card events travel to the
/// card management system on their own path (CS function 8, 別添1 2.8-①); household and relationship changes stay
/// in the register.
public struct CSConnector: Sendable {
    /// The last change-log sequence number looked at (handed to the CS or skipped as not an identity change).
    public private(set) var forwarded: UInt64 = 0
    public private(set) var updatesSent = 0
    /// Register changes that touched no identity item and were not sent (card, household, relationship).
    public private(set) var skipped = 0

    /// Identity updates for every identity change since the last call (handed to the outbox, which keeps them
    /// until the CS acknowledges them).
    mutating func take(_ register: ResidentRegister) -> [IdentityUpdate] {
        var updates: [IdentityUpdate] = []
        let from = forwarded + 1
        register.changeLog.forEachIdentityChange(from: from) { sequence, row, time, reason in
            if reason == .residentCodeChange, let old = register.changeLog.residentCode(ofChange: sequence) {
                // The old code leaves the files (住基法第30条の4): its entry is retired, the new one recorded.
                var retired = register.identityUpdate(row: row, version: time, reason: reason)
                retired.residentCode = ResidentCode(uncheckedRawValue: old)
                retired.status = .removed
                updates.append(retired)
            }
            updates.append(register.identityUpdate(row: row, version: time, reason: reason))
        }
        let last = UInt64(register.changeLog.count)
        if last >= from { skipped += Int(last - from + 1) - updates.count }
        forwarded = max(forwarded, last)
        updatesSent += updates.count
        return updates
    }
}

/// When the register system's nightly retention job runs and how long removed records (除票) are kept.
public struct RetentionSchedule: Sendable, Hashable {
    /// µs after midnight, each simulated day; nil: never (the load mode).
    public var at: Int64? = 23 * 3_600_000_000 + 30 * 60_000_000
    public var days = 1
    /// 150 years, as the law has required since 2019.
    public var removedRecords = ResidentRegister.removedRecordRetention

    public init() {}
}

/// What bulk number assignment did.
public struct BulkAssignmentReport: Sendable, Hashable {
    public var residents: Int
    public var batches: Int
    public var designated: Int
    public var refused: Int
    /// Simulated start and end (µs).
    public var start: Int64
    public var end: Int64?
}

/// The register system (既存住基) with its CS connector: owns the register and performs notices.
public struct RegisterSystem: NodeBehavior {
    public internal(set) var register: ResidentRegister
    let layout: NetworkLayout
    let service: ServiceModel
    let date: CivilDate
    var pool: WorkerPool
    public private(set) var connector = CSConnector()
    /// The CS connector's store-and-forward outbox to the CS.
    public private(set) var outbox: Outbox
    public internal(set) var wire: Wire
    let allocator: ResidentCodeAllocator
    var nextCodeSequence: UInt64
    /// Counter requests waiting for a chain (birth, death) to finish, by journey.
    var pending: [UInt64: Request] = [:]
    var slowCount = 0
    /// User-authentication certificate serials linked from the Juki-net (別添2【1】45), by resident code, and how
    /// many links arrived; card face changes (券面記載事項変更) sent to the card management system.
    public private(set) var certificateSerials: [UInt64: UInt32] = [:]
    public private(set) var serialsLinked = 0
    /// Number changes that revoked a card and applied for a new one, and written notices of a new resident code
    /// (住民票コード変更通知).
    public internal(set) var numberChangeCards = 0
    public internal(set) var codeChangeNotices = 0
    public private(set) var faceChanges = 0
    /// Certificates issued with the individual number (the person asked for it) and without it (the default).
    public private(set) var certificatesWithNumber = 0
    /// Certificates printed with 外字 in the name.
    public private(set) var certificatesWithVariants = 0
    public private(set) var numberOmitted = 0
    /// 広域交付住民票情報 notified to other municipalities for our residents (別添1 ⑬), and requests refused (the
    /// person not, or no longer, on the register).
    public private(set) var wideAreaNotified = 0
    public private(set) var wideAreaRefused = 0
    /// Who looked at or changed which person, and the batch jobs: the register system's 操作ログ, hash-chained.
    public internal(set) var audit: AuditTrail
    public private(set) var spans = SpanLog()
    var bulkBatches: [[RowID]] = []
    var bulkNext = 0
    var bulkOutstanding = 0
    public private(set) var bulk: BulkAssignmentReport?
    let bulkAt: Int64?
    /// The nightly retention job (µs after midnight, each simulated day), and how long removed records are kept.
    var retention = RetentionSchedule()
    /// The ex-officio work (職権記載・消除) each business day, and what it did.
    public var exOfficioSchedule = ExOfficioSchedule()
    public internal(set) var exOfficio = ExOfficioReport()
    /// The run's card expiries and notices (planned at the start), and what the nightly job did.
    var cardExpiryPlan = CardExpiryPlan()
    public internal(set) var cardExpiry = CardExpiryReport()
    let bulkBatchSize: Int
    static let bulkWindow = 4
    /// The last change sent to the unified addressee system, and the LAN's delay to it (its minimum, drawing
    /// nothing from the random stream, so the register's other draws are as they were).
    var addresseeForwarded: UInt64 = 0
    /// The departments the register's information is transferred to (庁内連携, 別添5), with whether their work is
    /// number-use work (the transfer then carries the number: 特定個人情報); set by the network.
    var departments: [(node: NodeID, numberUse: Bool)] = []
    /// The records of every transfer (移転の記録: "提供及び移転の記録は7年分保存している", III(1)5 リスク1, L497): one per
    /// department and batch, with the count, the destination and whether it carried the number.
    public internal(set) var transfers = AuditTrail()
    /// The Minister of Justice's notices applied (別添1 ⑥): periods of stay extended, records removed on a lapse,
    /// and notices for nobody on the register; reports of foreign residents' changes sent (⑤).
    public private(set) var foreign = ForeignResidentFigures()
    /// 附票 notices sent (別添1 ⑩) and the 本籍地's corrections applied (⑦).
    public private(set) var familyRegister = RegisterFamilyFigures()
    /// Changed persons waiting for the next transfer run, and whether one is scheduled.
    var pendingTransfers: [AddresseeRecord] = []
    var transferRunScheduled = false
    /// Persons transferred, with the number and without it.
    public private(set) var transferredWithNumber = 0
    public private(set) var transferredWithoutNumber = 0
    /// The change log's length at the start: the changes after it are the run's.
    let addresseeStart: UInt64
    let addresseeDelay: Int64
    public private(set) var addresseeRecordsSent = 0

    public init(
        register: ResidentRegister, layout: NetworkLayout, links: LinkTable, service: ServiceModel, date: CivilDate,
        allocator: ResidentCodeAllocator, nextCodeSequence: UInt64, bulkAt: Int64?, bulkBatchSize: Int,
        faults: FaultPlan = .none
    ) {
        wire = Wire(links: links, plan: faults)
        outbox = Outbox(destination: layout.municipalCS, link: .registerToCS, perItem: 0)
        self.register = register
        self.layout = layout
        self.service = service
        spans = SpanLog(service)
        audit = AuditTrail(retain: service.recordSpans)
        self.date = date
        pool = WorkerPool(workers: service.registerWorkers)
        self.allocator = allocator
        self.nextCodeSequence = nextCodeSequence
        self.bulkAt = bulkAt
        self.bulkBatchSize = max(1, bulkBatchSize)
        addresseeDelay = links.latency(.registerToCS).minimum
        addresseeForwarded = UInt64(register.changeLog.count)
        addresseeStart = addresseeForwarded
    }

    public var serverStatistics: WorkerPool { pool }

    /// Busy-waits `microseconds` of real time: the deliberately slowed handler of ``ServiceModel/slowEvery``.
    static func spin(_ microseconds: Int64) {
        let clock = WallClock()
        while clock.seconds * 1e6 < Double(microseconds) {}
    }

    /// The register system's timers.
    public enum Timer: Sendable, Hashable {
        /// Bulk number assignment (一括付番) starts.
        case bulkAssignment
        /// The nightly retention job for removed records (除票).
        case removedRecordExpiry
        /// The day's ex-officio entries and removals (職権記載・消除).
        case exOfficio
        /// The nightly card-expiry job.
        case cardExpiry
        /// The 庁内連携システム's transfer run: the changes gathered since the last go to the departments.
        case transfers
    }

    public mutating func start(_ context: inout NodeContext<NetworkMessage>) {
        if let at = bulkAt {
            context.schedule(
                .timer(.registerSystem(.bulkAssignment)), at: SimulatedTime(date: date).microseconds + at)
        }
        if let at = exOfficioSchedule.at {
            for day in 0..<max(exOfficioSchedule.days, 1)
            where BusinessCalendar.standard.isBusinessDay(date.adding(days: day)) {
                context.schedule(
                    .timer(.registerSystem(.exOfficio)),
                    at: SimulatedTime(date: date).microseconds + Int64(day) * SimulatedTime.microsecondsPerDay + at)
            }
        }
        if let at = retention.at {
            cardExpiryPlan = planCardExpiry(days: retention.days)
            for day in 0..<max(retention.days, 1) {
                let time = SimulatedTime(date: date).microseconds + Int64(day) * SimulatedTime.microsecondsPerDay + at
                context.schedule(.timer(.registerSystem(.removedRecordExpiry)), at: time)
                context.schedule(.timer(.registerSystem(.cardExpiry)), at: time)
            }
        }
    }

    /// The nightly retention job: removed records (除票) past their retention are expunged, as one audited batch.
    mutating func expireRemovedRecords(_ context: inout NodeContext<NetworkMessage>) {
        // The same nightly job keeps the transfer records 7 years (III(1)5 リスク1).
        transfers.expire(before: context.now - Self.transferRetention)
        let n = register.expungeRemoved(before: SimulatedTime(microseconds: context.now - retention.removedRecords))
        audit.append(
            AuditRecord(
                time: context.now, operatorID: 0, terminal: 0, action: .batch, operation: AuditKind.removedRecordExpiry,
                subject: 0, count: UInt32(n)))
    }

    /// A worker finished `request`: the register work is done and the next queued request starts.
    mutating func served(_ request: Request, _ context: inout NodeContext<NetworkMessage>) {
        perform(request, &context)
        pool.done(request, &context)
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        switch event.message {
        case .request(let request):
            if service.slowEvery > 0 {
                slowCount += 1
                if slowCount % service.slowEvery == 0 { Self.spin(service.slowFor) }
            }
            if let now = pool.arrive(request, service.registerOperation, wire: &wire, &context) {
                served(now, &context)
            }
        case .served(let request):
            served(request, &context)
        case .response(let response):
            // The card management system acknowledged a revocation (death), or answered a continuation notice
            // (nobody waits for that one).
            if response.operation == .cardRevocation,
                let original = pending.removeValue(forKey: response.ticket.journey)
            {
                reply(original, failure: .none, &context)
            }
        case .numberReply(let batch):
            numberReply(batch, &context)
        case .deliveryAck(let batch):
            deliveryAck(batch, &context)
        case .timer(.registerSystem(.bulkAssignment)):
            startBulkAssignment(&context)
        case .timer(.registerSystem(.exOfficio)):
            exOfficioWork(&context)
        case .timer(.registerSystem(.removedRecordExpiry)):
            expireRemovedRecords(&context)
        case .timer(.registerSystem(.cardExpiry)):
            cardExpiryWork(&context)
        case .timer(.registerSystem(.transfers)):
            runTransfers(&context)
        case .immigration(.notices(let notices)):
            applyImmigration(notices, &context)
        case .familyRegister(.corrections(let corrections)):
            applyCorrections(corrections, &context)
        case .timer(.outboxRetry):
            outbox.retry(source: context.id, &context, wire: &wire)
        case .updateAck(let ack):
            outbox.acknowledge(ack.sequence, source: context.id, &context, wire: &wire)
        case .timer(.residents), .timer(.counter), .timer(.municipalCS), .timer(.applicationManager),
            .timer(.informationSharing), .timer(.department), .timer(.immigration),
            .timer(.otherMunicipality), .timer(.cardSystem), .visit, .deskDone, .identityUpdates, .numberRequest,
            .deliveryRecords, .consistency, .addressees, .sharing, .immigration(.reports), .timer(.familyRegister),
            .familyRegister(.attachmentNotices):
            context.unhandled(event, over: .counterLAN, wire: &wire)
        }
    }

    /// Whether `row` holds an active resident.
    func isActive(_ row: RowID) -> Bool { row.index < register.count && register.columns.status[row.index] == 0 }

    /// The resident code of `row`.
    func code(_ row: RowID) -> ResidentCode {
        ResidentCode(uncheckedRawValue: register.columns.residentCode[row.index])
    }

    /// Records who did what to whom, and how it ended.
    mutating func audit(_ request: Request, failure: FailureReason, _ context: NodeContext<NetworkMessage>) {
        let subject: UInt64
        switch request.payload {
        case .register(.recordMoveIn): subject = request.person?.residentCode.rawValue ?? 0
        case .register(.issueCertificate(let row, _, _)), .register(.relocate(let row, _, _)),
            .register(.recordBirth(let row, _)), .register(.remove(let row, _, _, _)),
            .register(.recordCardEvent(let row, _)), .register(.readForForm(let row)):
            subject = row.index < register.count ? code(row).rawValue : UInt64(row.rawValue)
        case .register(.linkCertificateSerial), .register(.recordFromAbroad), .register(.changeNumber),
            .register(.changeResidentCode), .search, .national, .municipality, .cardSystem, .application,
            .certificate, .counterSupport, .addressee, .familyRegister:
            subject = request.payload.words.subject
        }
        let refused = failure == .notAuthorized || failure == .numberUseRequired
        audit.append(
            AuditRecord(
                time: context.now, operatorID: UInt32(request.operatorID), terminal: UInt32(request.terminal),
                action: refused ? .refusal : request.payload.isRead ? .view : .change,
                operation: request.operation.rawValue,
                subject: subject, outcome: failure.rawValue))
    }

    mutating func reply(
        _ request: Request, failure: FailureReason, result: ResponseResult = .none,
        _ context: inout NodeContext<NetworkMessage>
    ) {
        audit(request, failure: failure, context)
        context.sendReliably(
            .response(Response(to: request, failure: failure, result: result)), to: request.replyTo,
            over: .counterLAN, wire: &wire)
    }

    mutating func forwardChanges(_ context: inout NodeContext<NetworkMessage>, extra: Int64 = 0) {
        outbox.send(connector.take(register), source: context.id, extra: extra, &context, wire: &wire)
        forwardAddressees(&context)
    }

    /// Sends the unified addressee system the persons whose identity items, household or relationship changed since
    /// the last time (the 既存住基 → 団体内統合宛名 link of I 2 システム4 ③), in one batch.
    ///
    /// The same pass reports every 記載, 修正 and 消除 of a foreign resident's record to the Minister of Justice
    /// (別添1 ⑤, 入管法第61条の8の2), and of a Japanese resident's to the family-register system for the 附票 (別添1 ⑩,
    /// 住基法第19条第1項: 記載, 消除, and changes of the name, birth date, sex or address), in one batch each per change.
    mutating func forwardAddressees(_ context: inout NodeContext<NetworkMessage>) {
        let wanted = layout.unifiedAddressee != nil || !departments.isEmpty
        var records: [AddresseeRecord] = []
        var reports: [ForeignResidentReport] = []
        var attachments: [AttachmentNotice] = []
        let register = register
        register.changeLog.forEachChange(from: addresseeForwarded + 1, touching: UnifiedAddresseeSystem.isForwarded) {
            sequence, row, _, reason in
            if wanted { records.append(UnifiedAddresseeSystem.record(of: row, in: register)) }
            let code = ResidentCode(uncheckedRawValue: register.columns.residentCode[row.index])
            if let data = register.foreignData(row) {
                reports.append(
                    ForeignResidentReport(
                        residentCode: code, active: register.columns.status[row.index] == 0, expiry: data.expiry))
            } else if Self.changesAttachment(reason) {
                attachments.append(
                    AttachmentNotice(
                        residentCode: code, reason: reason, sequence: sequence, name: register.name(of: row)))
            }
        }
        addresseeForwarded = UInt64(register.changeLog.count)
        if !records.isEmpty {
            if let system = layout.unifiedAddressee {
                addresseeRecordsSent += records.count
                context.send(
                    .addressees(AddresseeBatch(records: records)), to: system,
                    delay: max(addresseeDelay, context.lookahead))
            }
            transfer(records, &context)
        }
        if !reports.isEmpty {
            foreign.reportsSent += reports.count
            context.send(
                .immigration(.reports(reports)), to: layout.immigration, delay: max(addresseeDelay, context.lookahead))
        }
        if !attachments.isEmpty {
            familyRegister.attachmentNoticesSent += attachments.count
            context.send(
                .familyRegister(.attachmentNotices(attachments)), to: layout.familyRegister,
                delay: max(addresseeDelay, context.lookahead))
        }
    }

    /// Whether a change of `reason` is one the 附票 follows (住基法第19条第1項): a record written or removed, a move
    /// within the municipality, or an amendment.
    public static func changesAttachment(_ reason: ChangeReason) -> Bool {
        reason.isEntry || reason.isRemoval || reason == .relocation || reason == .amendment
            || reason == .exOfficioAmendment
    }

    /// 別添1 ⑦ (住基法第19条第2項): the 本籍地 found the name the register holds does not match the 戸籍; the register
    /// takes the 戸籍's form ex officio (職権修正). One audited batch.
    mutating func applyCorrections(
        _ corrections: [FamilyRegisterCorrection], _ context: inout NodeContext<NetworkMessage>
    ) {
        for c in corrections {
            guard let row = register.row(residentCode: c.residentCode), isActive(row),
                (try? register.amend(
                    row, RecordAmendment(name: c.name), reason: .exOfficioAmendment, context: .batch(context))) != nil
            else {
                familyRegister.correctionsUnmatched += 1
                continue
            }
            familyRegister.correctionsApplied += 1
        }
        forwardChanges(&context)
        audit.append(
            AuditRecord(
                time: context.now, operatorID: 0, terminal: 0, action: .batch,
                operation: AuditKind.familyRegisterCorrections, subject: 0, count: UInt32(clamping: corrections.count)))
    }

    /// 別添1 ⑥ (住基法第30条の50): the Minister's notices: an extended period of stay amends the record (a new period,
    /// its end and a new residence card); a lapsed one removes it ex officio (its card revoked). One audited batch.
    mutating func applyImmigration(_ notices: [ImmigrationNotice], _ context: inout NodeContext<NetworkMessage>) {
        for n in notices {
            guard let row = register.row(residentCode: n.residentCode), isActive(row) else {
                foreign.unmatched += 1
                continue
            }
            switch n.kind {
            case .renewal(let data):
                if register.setForeignData(row, data) { foreign.extended += 1 } else { foreign.unmatched += 1 }
            case .lapse:
                let card = register.columns.cardStatus[row.index] == CardStatus.issued.rawValue
                guard (try? register.remove(row, reason: .exOfficioRemoval, context: .batch(context))) != nil else {
                    foreign.unmatched += 1
                    continue
                }
                foreign.removed += 1
                if card { revokeCard(of: row, &context) }
            }
        }
        forwardChanges(&context)
        audit.append(
            AuditRecord(
                time: context.now, operatorID: 0, terminal: 0, action: .batch, operation: AuditKind.immigrationNotices,
                subject: 0, count: UInt32(clamping: notices.count)))
    }

    /// How long transfer records are kept: 7 years (III(1)5 リスク1, L497).
    static let transferRetention: Int64 = 7 * 365 * SimulatedTime.microsecondsPerDay

    /// How often the 庁内連携システム runs a transfer: every 15 minutes [E: such systems link in batches, from minutes
    /// to nightly; 別添5's 時期・頻度 is not in the seed text].
    static let transferInterval: Int64 = 15 * 60_000_000

    /// Gathers changed persons for the next transfer run, scheduling it (at the next quarter hour) when none is.
    mutating func transfer(_ records: [AddresseeRecord], _ context: inout NodeContext<NetworkMessage>) {
        guard !departments.isEmpty else { return }
        pendingTransfers += records
        guard !transferRunScheduled else { return }
        transferRunScheduled = true
        let next = (context.now / Self.transferInterval + 1) * Self.transferInterval
        context.schedule(.timer(.registerSystem(.transfers)), at: next)
    }

    /// A transfer run: the persons changed since the last go to every department (住民票に関する情報を他業務に移転する,
    /// 別添1 ⑫) through the 庁内連携システム (II 5 ⑥), with the number to number-use work and without it elsewhere
    /// ("特定個人情報に該当するかどうかを区別する", 別添1 ⑫ 注), each transfer recorded.
    mutating func runTransfers(_ context: inout NodeContext<NetworkMessage>) {
        transferRunScheduled = false
        let records = pendingTransfers
        pendingTransfers = []
        guard !records.isEmpty else { return }
        let masked = records.map { r in
            var m = r
            m.individualNumber = nil
            return m
        }
        let carrying = records.reduce(0) { $0 + ($1.individualNumber == nil ? 0 : 1) }
        for d in departments {
            let batch = d.numberUse ? records : masked
            if d.numberUse {
                transferredWithNumber += carrying
                transferredWithoutNumber += records.count - carrying
            } else {
                transferredWithoutNumber += records.count
            }
            transfers.append(
                AuditRecord(
                    time: context.now, operatorID: 0, terminal: 0, action: .provision,
                    operation: d.numberUse && carrying > 0 ? AuditKind.transferWithNumber : AuditKind.transfer,
                    subject: 0, count: UInt32(clamping: batch.count), destination: UInt32(d.node)))
            context.send(
                .addressees(AddresseeBatch(records: batch)), to: d.node, delay: max(addresseeDelay, context.lookahead))
        }
    }

    static func failure(_ error: RegisterError) -> FailureReason {
        switch error.code {
        case .alreadyResident: .alreadyResident
        case .notActive, .notFound, .alreadyRemoved: .notResident
        default: .registerRefused
        }
    }

    mutating func perform(_ request: Request, _ context: inout NodeContext<NetworkMessage>) {
        let rights = OperatorRights.of(request.operatorID)
        if !rights.update && !request.payload.isRead {
            reply(request, failure: .notAuthorized, &context)
            return
        }
        do {
            switch request.payload {
            case .register(let operation):
                try perform(operation, request, rights: rights, &context)
            case .municipality(.wideAreaCopy(let row, _)):
                // 広域住民票の交付要求を受領し、請求のあった広域住民票情報を交付地に通知する (別添1 ⑬, 住基法第12条の4第3項): only a
                // person on the register has one.
                let active = isActive(row)
                if active { wideAreaNotified += 1 } else { wideAreaRefused += 1 }
                reply(request, failure: active ? .none : .notResident, &context)
            case .search, .national, .municipality, .cardSystem, .application, .certificate, .counterSupport,
                .addressee, .familyRegister:
                // Identity searches are the CS's (function 4), certificates the certificate system's: nothing
                // routes one here.
                context.countUnhandled(kind: MessageKind.request.rawValue)
                reply(request, failure: .unhandledRequest, &context)
            }
        } catch let error as RegisterError {
            reply(request, failure: Self.failure(error), &context)
        } catch {
            reply(request, failure: .registerRefused, &context)
        }
    }

    mutating func perform(
        _ operation: RegisterRequest, _ request: Request, rights: OperatorRights,
        _ context: inout NodeContext<NetworkMessage>
    ) throws {
        switch operation {
        case .issueCertificate(let row, let withNumber, let kind):
            // The number is omitted unless the person asks for it; printing it is number-use work, which a clerk
            // without the right is refused (and the refusal audited), not silently masked.
            if withNumber && !rights.numberUse {
                reply(request, failure: .numberUseRequired, &context)
                return
            }
            // A 住民票の写し or 記載事項証明書 is of a person on the register; a 除票の写し of a removed record (住基法第15条の
            // 4), which shows no number.
            let active = isActive(row)
            let removed =
                row.index < register.count && register.columns.status[row.index] == RecordStatus.removed.rawValue
            // A 広域交付 copy comes from another municipality's register: nothing of this one's to read.
            if kind == .wideAreaCopy {
                reply(request, failure: .registerRefused, &context)
                return
            }
            if kind == .removedRecordCopy {
                reply(request, failure: removed ? .none : active ? .recordNotRemoved : .notResident, &context)
                return
            }
            let number = active && withNumber ? register.columns.individualNumber[row.index] : 0
            // The copy prints the name as registered, 外字 included (from the 外字 font, not substitutes).
            if active && register.hasVariantCharacters(row) { certificatesWithVariants += 1 }
            if active && withNumber { certificatesWithNumber += 1 }
            if active && !withNumber { numberOmitted += 1 }
            reply(
                request, failure: active ? .none : .notResident,
                result: .certificate(number == 0 ? nil : IndividualNumber(uncheckedRawValue: number)), &context)
        case .readForForm(let row):
            // The counter support system fills in a notice from the record: only an active resident has one to
            // read (a move-out or relocation of someone not on the register is refused at the register anyway).
            reply(request, failure: isActive(row) ? .none : .notResident, &context)
        case .relocate(let row, let address, let persons):
            // The members on the same notice move with the resident (住基法第23条: the household's notice); one
            // already at the new address changes nothing.
            let companions = register.companions(of: row, persons: persons)
            try register.relocate(row, to: address, context: .clerk(request, context))
            for member in companions { try? register.relocate(member, to: address, context: .clerk(request, context)) }
            forwardChanges(&context)
            updateCardFaces([row] + companions, request.ticket, &context)
            reply(request, failure: .none, &context)
        case .recordBirth(let parent, let sex):
            guard isActive(parent) else {
                reply(request, failure: .notResident, &context)
                return
            }
            let child = try recordChild(of: parent, sex: sex, request, &context)
            forwardChanges(&context)
            pending[request.ticket.journey] = request
            requestNumbers(
                Ticket(journey: request.ticket.journey, slot: nil, flow: .birth, hop: .numberCandidate),
                rows: [child], &context)
        case .remove(let row, let reason, let destination, let persons):
            try remove(row, reason: reason, destination: destination, persons: persons, request, &context)
        case .recordMoveIn(let reason):
            let household = request.household
            guard !household.isEmpty else {
                reply(request, failure: .certificateDataNotFound, &context)
                return
            }
            // Everyone the certificate names is recorded in one household at one address (one notice).
            let rows = try register.recordHousehold(
                household, reason: reason, context: .clerk(request, context), &context.random)
            forwardChanges(&context)
            // On the special route the cards are continued at this visit, and their faces updated with them.
            if reason == .specialMoveIn { updateCardFaces(rows, request.ticket, &context) }
            if reason == .moveIn {
                // No special route: each card must be continued within the window or it lapses.
                for person in household where person.cardStatus == .issued {
                    notifyCardSystem(.continuationDue(person.residentCode, lapse: false), request.ticket, &context)
                }
            }
            reply(request, failure: .none, result: .recorded(rows[0]), &context)
        case .recordFromAbroad(let persons):
            let rows = try recordNewcomers(
                persons: persons, reason: .moveIn, change: .clerk(request, context), &context)
            forwardChanges(&context)
            pending[request.ticket.journey] = request
            requestNumbers(
                Ticket(journey: request.ticket.journey, slot: nil, flow: .moveInFromAbroad, hop: .numberCandidate),
                rows: rows, &context)
        case .changeNumber(let row):
            try changeNumber(row, request, &context)
        case .changeResidentCode(let row):
            try changeResidentCode(row, request, &context)
        case .linkCertificateSerial(let code, let serial):
            // 利用者証明用電子証明書シリアル番号 (別添2【1】45), kept by resident code for the person's record.
            if register.row(residentCode: code) != nil {
                certificateSerials[code.rawValue] = serial
                serialsLinked += 1
                reply(request, failure: .none, &context)
            } else {
                reply(request, failure: .notResident, &context)
            }
        case .recordCardEvent(let row, let event):
            let active = isActive(row)
            if active && register.columns.cardStatus[row.index] != event.status.rawValue {
                try register.amend(
                    row, RecordAmendment(cardStatus: event.status), reason: .cardChange,
                    context: .clerk(request, context))
                forwardChanges(&context)
            }
            reply(request, failure: active ? .none : .notResident, &context)
        }
    }

    /// Removal for a move-out (the certificate data kept for the destination, and sent ahead when the destination
    /// is known) or a death (the card revoked first, when there is one).
    mutating func remove(
        _ row: RowID, reason: ChangeReason, destination: NodeID?, persons: UInt8, _ request: Request,
        _ context: inout NodeContext<NetworkMessage>
    ) throws {
        let active = isActive(row)
        let hadCard = active && register.columns.cardStatus[row.index] == CardStatus.issued.rawValue
        if reason == .moveOut && active {
            // The household members the notice names leave with the resident: each gets a removal, certificate
            // data and, with a card, the lapse of its continuation.
            let leaving = [row] + register.companions(of: row, persons: persons)
            var household: [MoveOutCertificate] = []
            for member in leaving {
                let card = register.columns.cardStatus[member.index] == CardStatus.issued.rawValue
                // The certificate's data as the record stood before the removal, sent ahead with the household.
                let held = register.moveOutCertificate(member, plannedMoveOut: date)
                try register.remove(member, reason: reason, context: .clerk(request, context))
                let code = code(member)
                household.append(held)
                // Moving again before continuing the card makes it lapse.
                if card { notifyCardSystem(.continuationDue(code, lapse: true), request.ticket, &context) }
            }
            forwardChanges(&context)
            if let destination, !household.isEmpty {
                sendAhead(household, to: destination, ticket: request.ticket, &context)
            }
            audit(request, failure: .none, context)
            var response = Response(to: request)
            response.household = household
            context.sendReliably(.response(response), to: request.replyTo, over: .counterLAN, wire: &wire)
            return
        }
        try register.remove(row, reason: reason, context: .clerk(request, context))
        // A move-out of a resident no longer active was refused above, by the register.
        forwardChanges(&context)
        if reason == .death && hadCard {
            pending[request.ticket.journey] = request
            let revoke = Request(
                .cardSystem(.revocation(code(row))),
                ticket: Ticket(
                    journey: request.ticket.journey, slot: request.ticket.slot, flow: .death, hop: .cardRevocation),
                replyTo: context.id, sentAt: context.now)
            context.sendReliably(.request(revoke), to: layout.municipalCS, over: .registerToCS, wire: &wire)
        } else {
            reply(request, failure: .none, &context)
        }
    }

    /// The card faces of `rows`' holders updated after their address changed (券面記載事項変更, 住基法施行令 / 番号法
    /// 第17条第4項: the holder has the new address written on the card): the card management system lets their
    /// signature certificates lapse, and issues a new one to those who ask at the desk.
    mutating func updateCardFaces(_ rows: [RowID], _ ticket: Ticket, _ context: inout NodeContext<NetworkMessage>) {
        for row in rows where isActive(row) && register.columns.cardStatus[row.index] == CardStatus.issued.rawValue {
            faceChanges += 1
            let renew = context.random.chance(service.newSignatureShare)
            notifyCardSystem(.faceChange(code(row), newSignature: renew), ticket, &context)
        }
    }

    /// Tells the card management system (through the CS) about a card's continuation deadline.
    mutating func notifyCardSystem(
        _ operation: CardSystemRequest, _ ticket: Ticket, _ context: inout NodeContext<NetworkMessage>
    ) {
        let request = Request(
            .cardSystem(operation),
            ticket: Ticket(journey: ticket.journey, slot: nil, flow: ticket.flow, hop: .cardContinuation),
            replyTo: context.id, sentAt: context.now)
        context.sendReliably(.request(request), to: layout.municipalCS, over: .registerToCS, wire: &wire)
    }

    /// Hands the move-out certificate data to the destination (through the CS), which records the resident
    /// when they move in there. A modelling device, not a seed flow: the destination's counters are not modelled,
    /// so this stands for the mover arriving there and the destination asking for the data (別添1 ④, a pull).
    mutating func sendAhead(
        _ household: [MoveOutCertificate], to destination: NodeID, ticket: Ticket,
        _ context: inout NodeContext<NetworkMessage>
    ) {
        guard let person = household.first else { return }
        var ahead = Request(
            .municipality(.certificateAhead(person.residentCode, to: destination)),
            ticket: Ticket(journey: ticket.journey, slot: nil, flow: ticket.flow, hop: .certificateData),
            replyTo: context.id, sentAt: context.now)
        ahead.household = household
        context.sendReliably(.request(ahead), to: layout.municipalCS, over: .registerToCS, wire: &wire)
    }

    /// Records a newborn in `parent`'s household with a resident code from this municipality's block.
    mutating func recordChild(
        of parent: RowID, sex: Sex, _ request: Request, _ context: inout NodeContext<NetworkMessage>
    ) throws(RegisterError) -> RowID {
        let p = register.record(parent)
        let given = givenName(sex, &context.random) ?? p.name
        let code = allocator.code(forSequence: nextCodeSequence)
        nextCodeSequence += 1
        let name = PersonName(
            surname: p.name.surname, givenName: given.givenName, surnameKana: p.name.surnameKana,
            givenNameKana: given.givenNameKana)
        return try register.record(
            NewResident(
                residentCode: code, name: name, birthDate: date, sex: sex,
                address: register.address(of: parent),
                household: .join(householdNumber: p.householdNumber, relationship: .child)),
            reason: .birth, context: .clerk(request, context))
    }

    /// Asks the national server (through the CS) for number candidates for `rows`.
    mutating func requestNumbers(_ ticket: Ticket, rows: [RowID], _ context: inout NodeContext<NetworkMessage>) {
        let codes = rows.map { code($0) }
        let batch = NumberBatch(
            ticket: ticket, rows: rows, codes: codes, candidates: [], replyTo: context.id, relayFor: nil,
            sentAt: context.now)
        context.sendReliably(
            .numberRequest(batch), to: layout.municipalCS, over: .registerToCS,
            extra: service.perBatchItem * Int64(rows.count), wire: &wire)
    }

    mutating func numberReply(_ batch: NumberBatch, _ context: inout NodeContext<NetworkMessage>) {
        spans.append(
            Span(
                journey: batch.ticket.journey, flow: batch.ticket.flow, hop: .numberCandidate, start: batch.sentAt,
                end: context.now))
        let designationStart = context.now
        var refused = 0
        for (k, row) in batch.rows.enumerated() where k < batch.candidates.count {
            do {
                try register.designate(
                    row, number: batch.candidates[k],
                    reason: batch.ticket.flow == .numberChange ? .numberChange : .numberDesignation,
                    context: .batch(context))
            } catch {
                refused += 1
            }
        }
        let cost = service.perBatchItem * Int64(batch.rows.count)
        spans.append(
            Span(
                journey: batch.ticket.journey, flow: batch.ticket.flow, hop: .designation, start: designationStart,
                end: context.now + cost))
        if batch.ticket.flow == .bulkNumberAssignment {
            bulk?.designated += batch.rows.count - refused
            bulk?.refused += refused
            // A batch job is recorded as one line: what, how many, and how many were refused.
            audit.append(
                AuditRecord(
                    time: context.now, operatorID: 0, terminal: 0, action: .batch,
                    operation: Flow.bulkNumberAssignment.rawValue, subject: 0, count: UInt32(batch.rows.count),
                    outcome: refused > 0 ? FailureReason.registerRefused.rawValue : 0))
        }
        forwardChanges(&context, extra: cost)
        if refused > 0 && batch.ticket.flow != .bulkNumberAssignment {
            // A counter's designation the register refused (the candidate is in use): the journey fails with the
            // reason and no letter is sent for it.
            if let original = pending.removeValue(forKey: batch.ticket.journey) {
                reply(original, failure: .registerRefused, &context)
            }
            return
        }
        var ticket = batch.ticket
        ticket.hop = .deliveryRecord
        var delivery = DeliveryBatch(
            ticket: ticket, codes: batch.codes, replyTo: context.id, relayFor: nil, sentAt: context.now + cost)
        delivery.substituted = batch.rows.reduce(0) { $0 + (register.hasVariantCharacters($1) ? 1 : 0) }
        context.sendReliably(
            .deliveryRecords(delivery), to: layout.municipalCS, over: .registerToCS, extra: cost, wire: &wire)
    }

    mutating func deliveryAck(_ batch: DeliveryBatch, _ context: inout NodeContext<NetworkMessage>) {
        spans.append(
            Span(
                journey: batch.ticket.journey, flow: batch.ticket.flow, hop: .deliveryRecord, start: batch.sentAt,
                end: context.now))
        if batch.ticket.flow == .bulkNumberAssignment {
            bulkOutstanding -= 1
            sendBulkBatches(&context)
            if bulkOutstanding == 0 && bulkNext >= bulkBatches.count { bulk?.end = context.now }
        } else if let original = pending.removeValue(forKey: batch.ticket.journey) {
            reply(original, failure: .none, &context)
        }
    }

    /// Bulk number assignment (一括付番): every active resident without a number, in batches.
    mutating func startBulkAssignment(_ context: inout NodeContext<NetworkMessage>) {
        var rows: [RowID] = []
        for r in 0..<register.count where register.columns.individualNumber[r] == 0 && register.columns.status[r] == 0 {
            rows.append(RowID(UInt32(r)))
        }
        bulkBatches = stride(from: 0, to: rows.count, by: bulkBatchSize).map {
            Array(rows[$0..<min($0 + bulkBatchSize, rows.count)])
        }
        bulkNext = 0
        bulk = BulkAssignmentReport(
            residents: rows.count, batches: bulkBatches.count, designated: 0, refused: 0, start: context.now,
            end: rows.isEmpty ? context.now : nil)
        register.reserveChangeLog(rows.count)
        sendBulkBatches(&context)
    }

    mutating func sendBulkBatches(_ context: inout NodeContext<NetworkMessage>) {
        while bulkOutstanding < Self.bulkWindow && bulkNext < bulkBatches.count {
            let ticket = Ticket(
                journey: UInt64(context.id) << 40 | 0xB0_0000 | UInt64(bulkNext), slot: nil,
                flow: .bulkNumberAssignment, hop: .numberCandidate)
            requestNumbers(ticket, rows: bulkBatches[bulkNext], &context)
            bulkNext += 1
            bulkOutstanding += 1
        }
    }
}

extension RegisterSystem: ReportingBehavior {
    /// The register system's figures after a run.
    public struct Report: Sendable {
        public var municipality: MunicipalityCode
        /// Spans of the chains it drives (number candidates, designation, delivery records) and their durations.
        public var spans: [Span]
        public var hops: HopLatencies
        /// Counter arrivals and completions by hour of the day, from every span (kept or not).
        public var hourly: HourlyCounts
        public var bulk: BulkAssignmentReport?
        /// The CS connector's outbox to the CS.
        public var outbox: OutboxStatistics
        public var wire: WireStatistics
        public var audit: AuditTrail
        /// Certificates issued with the individual number (asked for) and without it (omitted by default).
        public var certificatesWithNumber: Int
        public var numberOmitted: Int
        /// 広域交付住民票情報 notified to other municipalities, and requests refused.
        public var wideAreaNotified: Int
        public var wideAreaRefused: Int
        /// Transfers to the departments: records kept (after the 7-year expiry), persons with and without the number.
        public var transferRecords: Int
        public var transferredWithNumber: Int
        public var transferredWithoutNumber: Int
        /// Foreign residents: the Minister's notices applied, and the reports sent.
        public var foreign: ForeignResidentFigures
        public var familyRegister: RegisterFamilyFigures
        /// Active residents whose name holds 外字 (外字フラグ) at the end, and certificates printed with 外字.
        public var residentsWithVariants: Int
        public var certificatesWithVariants: Int
        /// The ex-officio work (職権記載・消除).
        public var exOfficio: ExOfficioReport
        /// Cards that expired during the run, and the expiry notices J-LIS mailed.
        public var cardExpiry: CardExpiryReport
        /// Cards revoked and applied for again by a number change; notices of a new resident code mailed.
        public var numberChangeCards: Int
        public var codeChangeNotices: Int
        /// Certificate serials linked from the Juki-net, and card faces updated after a move.
        public var serialsLinked: Int
        public var faceChanges: Int
        /// Register changes the CS connector has not handed to the CS yet.
        public var unforwardedChanges: Int
        /// Removed records (除票) expunged by the retention job, and those still kept.
        public var removedRecordsExpunged: Int
        public var removedRecordsKept: Int
        /// Records sent to the unified addressee system, and the digest of what it should hold now (nil without one).
        public var addresseeRecordsSent: Int
        public var addresseeFingerprint: UInt64?
        public var utilization: Double
        /// For the nation-wide duplicate check.
        public var identifiers: ActiveIdentifiers
    }

    public func report(_ period: ReportPeriod) -> Report {
        Report(
            municipality: register.municipality.code, spans: spans.spans, hops: spans.hops, hourly: spans.hourly,
            bulk: bulk,
            outbox: outbox.finalStatistics, wire: wire.statistics, audit: audit,
            certificatesWithNumber: certificatesWithNumber, numberOmitted: numberOmitted,
            wideAreaNotified: wideAreaNotified, wideAreaRefused: wideAreaRefused, transferRecords: transfers.count,
            transferredWithNumber: transferredWithNumber, transferredWithoutNumber: transferredWithoutNumber,
            foreign: foreign, familyRegister: familyRegister,
            residentsWithVariants: (0..<register.count).reduce(0) { n, i in
                n + (isActive(RowID(UInt32(i))) && register.hasVariantCharacters(RowID(UInt32(i))) ? 1 : 0)
            },
            certificatesWithVariants: certificatesWithVariants, exOfficio: exOfficio,
            cardExpiry: cardExpiry, numberChangeCards: numberChangeCards,
            codeChangeNotices: codeChangeNotices,
            serialsLinked: serialsLinked, faceChanges: faceChanges,
            unforwardedChanges: register.changeLog.count - Int(connector.forwarded),
            removedRecordsExpunged: register.expungedCount,
            removedRecordsKept: register.columns.status.reduce(0) {
                $0 + ($1 == RecordStatus.removed.rawValue ? 1 : 0)
            },
            addresseeRecordsSent: addresseeRecordsSent,
            addresseeFingerprint: layout.unifiedAddressee == nil
                ? nil : UnifiedAddresseeSystem.fingerprint(of: register, changesFrom: addresseeStart + 1),
            utilization: pool.utilization(over: period.runSeconds), identifiers: register.activeIdentifiers())
    }
}

/// Foreign residents at the register system: the Minister of Justice's notices applied (periods extended, records
/// removed on a lapse, notices for nobody on the register) and the reports sent to the Minister.
public struct ForeignResidentFigures: Sendable, Hashable {
    public var extended = 0
    public var removed = 0
    public var unmatched = 0
    public var reportsSent = 0

    public init() {}
}

/// The register's side of the 戸籍 work: 附票 notices sent (別添1 ⑩) and the 本籍地's corrections (⑦) applied or
/// for nobody on the register.
public struct RegisterFamilyFigures: Sendable, Hashable {
    public var attachmentNoticesSent = 0
    public var correctionsApplied = 0
    public var correctionsUnmatched = 0

    public init() {}
}
