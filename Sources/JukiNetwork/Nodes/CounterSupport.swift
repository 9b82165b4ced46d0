import JukiAudit
import JukiCore
import JukiRegister
import JukiSimulation

/// What counter support does and saves, and how long its work takes [E] (`docs/calibration.md`, counter support).
public struct CounterSupportService: Sendable, Hashable {
    /// Whether the counters use it. Fujisawa does since March 2024 (I 2 システム7, "令和6年3月に予定している窓口業務
    /// 支援システムの導入", seed L965): on by default; off to see what it saves.
    public var enabled = true
    /// The share of a notice's desk time (the base time and each further person's part) saved when the notice is
    /// drafted by the system [E: 都城市's 書かないワンストップ窓口 「手続き時間を平均3割削減」 (2023)].
    public var deskSaving = 0.3
    /// Of paper move-out certificates, the share OCR cannot read (handwritten corrections, faint prints, another
    /// municipality's layout): the clerk enters the notice by hand [E: no published rate].
    public var ocrFailureShare = 0.05
    /// The clerk's extra time when OCR fails: the scan looked at, then the notice keyed in, µs [E: 1 min].
    public var manualFallback: Int64 = 60_000_000
    /// Reading one paper certificate by OCR (scan and recognition of one A4 page), µs [E: 5 s].
    public var ocrTime: Int64 = 5_000_000
    /// Composing the drafted notice from the answers and the record, µs [E: 200 ms, one form from a database].
    public var draftTime: Int64 = 200_000
    /// Answering a 届出書検索, µs [E: 100 ms, an indexed look-up].
    public var searchTime: Int64 = 100_000

    public init() {}

    public static let standard = CounterSupportService()

    /// Whether a counter journey of `flow` has its notice drafted by the system: the 住民異動届 (move-in, special
    /// move-in, move-in from abroad, move-out, relocation; システム7 ②1 "住民異動届等作成機能"). A one-stop move-in and a
    /// reserved relocation already come with their forms prepared from the online filing (their shorter desk
    /// time); births and deaths are family-register notices, not 住民異動届.
    public static func drafts(_ flow: Flow, reserved: Bool) -> Bool {
        switch flow {
        case .moveIn, .specialMoveIn, .moveInFromAbroad, .moveOut: true
        case .relocation: !reserved
        case .certificate, .birth, .death, .oneStopMove, .identitySearch, .jlisQuery, .cardLinkage, .cardIssuance,
            .bulkNumberAssignment, .consistencyCheck, .deliveryRecords, .exOfficio, .oneStopMoveOut,
            .certificateRenewal, .numberChange, .residentCodeChange, .convenienceStore, .wideAreaCertificate:
            false
        }
    }

    /// The system's working times multiplied by `factor` (the load mode's delay scale).
    public mutating func scale(by factor: Double) {
        let f = max(factor, 0)
        manualFallback = SimulatedDuration.saturating(Double(manualFallback) * f)
        ocrTime = SimulatedDuration.saturating(Double(ocrTime) * f)
        draftTime = SimulatedDuration.saturating(Double(draftTime) * f)
        searchTime = SimulatedDuration.saturating(Double(searchTime) * f)
    }

    /// Whether OCR fails on the paper certificate of `journey`: a fixed draw from the journey's hash, so the answer
    /// does not depend on the order requests reach the system.
    func ocrFails(_ journey: UInt64) -> Bool {
        Mixing.unit(Mixing.combine(journey, 0x4F43_5221)) < ocrFailureShare
    }
}

/// The counter support system (窓口業務支援システム, I 2 システム7, added 令和6年3月; 別添1; seed L965): at the counter it
/// drafts the 住民異動届 for the clerk (住民異動届等作成機能: the paper move-out certificate read by OCR, the filer's
/// answers, the existing record from the register through 既存住基システムとの連携機能), and finds drafted notices again
/// (届出書検索機能, by reception day and filer) for the second clerk's check.
///
/// - A notice it drafts saves a share of the clerk's desk time (``CounterSupportService/deskSaving``); one whose
///   paper certificate OCR cannot read (``CounterSupportService/ocrFailureShare``) is entered by hand, and so is
///   every notice while the system is out of reach: counters never wait for it.
/// - Its own work is one FIFO worker: OCR and drafting per notice, searches.
/// - An audit record of every drafted notice and search, with the operator and the person (III(1)3, L431:
///   "<窓口業務支援システムにおける措置> 操作者がどの個人に対して照会・異動・証明発行を行ったかを記録").
public struct CounterSupport: NodeBehavior {
    let layout: NetworkLayout
    let service: CounterSupportService
    let lan: Latency
    /// Drafts waiting for the register's record.
    var pending: [UInt64: Request] = [:]
    /// Drafted notices by journey: the day they were received (days since the epoch), for 届出書検索.
    var forms: [UInt64: Int32] = [:]
    var busyUntil: Int64 = 0
    public private(set) var busyTime: Int64 = 0
    /// Notices drafted, by flow raw value; notices OCR could not read; searches and the ones that found nothing.
    public private(set) var drafted = [Int](repeating: 0, count: Flow.allCases.count)
    public private(set) var ocrReads = 0
    public private(set) var ocrFailures = 0
    public private(set) var registerReads = 0
    public private(set) var searches = 0
    public private(set) var searchMisses = 0
    /// From a draft's arrival to its answer (the clerk waits for it at the desk).
    public private(set) var answerTime = LatencyHistogram()
    public private(set) var audit = AuditTrail()

    public init(layout: NetworkLayout, links: LinkTable, service: CounterSupportService = .standard) {
        self.layout = layout
        self.service = service
        lan = links.latency(.counterLAN)
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        switch event.message {
        case .request(let request):
            guard case .counterSupport(let c) = request.payload else {
                context.countUnhandled(kind: event.message.kind.rawValue)
                return
            }
            switch c {
            case .draft(let d):
                if let row = d.row {
                    // 既存住基連携: the filer's record fills in the notice.
                    pending[request.ticket.journey] = request
                    registerReads += 1
                    var read = Request(
                        .register(.readForForm(row: row)),
                        ticket: Ticket(
                            journey: request.ticket.journey, slot: request.ticket.slot, flow: request.ticket.flow,
                            hop: .formDrafting),
                        replyTo: context.id, sentAt: context.now)
                    read.operatorID = request.operatorID
                    read.terminal = request.terminal
                    context.send(
                        .request(read), to: layout.registerSystem,
                        delay: max(lan.sample(&context.random), context.lookahead))
                } else {
                    draft(request, d, recordFailure: .none, &context)
                }
            case .search(let f):
                searches += 1
                let found = forms[f.form] == f.received.daysSinceEpoch
                if !found { searchMisses += 1 }
                let done = work(service.searchTime, context.now)
                answer(request, failure: found ? .none : .formNotFound, at: done, &context)
            }
        case .response(let response):
            guard let request = pending.removeValue(forKey: response.ticket.journey),
                case .counterSupport(.draft(let d)) = request.payload
            else { return }
            draft(request, d, recordFailure: response.failure, &context)
        case .visit, .deskDone, .served, .identityUpdates, .updateAck, .numberRequest, .numberReply,
            .deliveryRecords, .deliveryAck, .timer, .consistency, .addressees, .sharing, .immigration, .familyRegister:
            context.countUnhandled(kind: event.message.kind.rawValue)
        }
    }

    /// Drafts the notice of `request` (the register's record read, or refused with `recordFailure`): OCR of the
    /// paper certificate first, when there is one.
    mutating func draft(
        _ request: Request, _ d: FormDraft, recordFailure: FailureReason, _ context: inout NodeContext<NetworkMessage>
    ) {
        var failure = recordFailure
        var time = service.draftTime
        if d.paperCertificate {
            ocrReads += 1
            time = SimulatedDuration.adding(time, service.ocrTime)
            if failure == .none && service.ocrFails(request.ticket.journey) {
                ocrFailures += 1
                failure = .ocrUnreadable
            }
        }
        let done = work(time, context.now)
        if failure == .none {
            drafted[Int(d.notice.rawValue)] += 1
            forms[request.ticket.journey] = SimulatedTime(microseconds: request.sentAt).date.daysSinceEpoch
        }
        answerTime.record(done - request.sentAt)
        answer(request, failure: failure, at: done, &context)
    }

    /// The FIFO worker takes `time` of work arriving at `now`; returns when it is done.
    mutating func work(_ time: Int64, _ now: Int64) -> Int64 {
        busyUntil = SimulatedDuration.adding(max(now, busyUntil), time)
        busyTime = SimulatedDuration.adding(busyTime, time)
        return busyUntil
    }

    /// Answers `request` when the work is done (`at`), and records who looked at whom.
    mutating func answer(
        _ request: Request, failure: FailureReason, at done: Int64, _ context: inout NodeContext<NetworkMessage>
    ) {
        audit.append(
            AuditRecord(
                time: context.now, operatorID: UInt32(request.operatorID), terminal: UInt32(request.terminal),
                action: .view, operation: request.operation.rawValue, subject: request.payload.words.subject,
                outcome: failure.rawValue))
        context.send(
            .response(Response(to: request, failure: failure)), to: request.replyTo,
            delay: SimulatedDuration.adding(done - context.now, max(lan.sample(&context.random), context.lookahead)))
    }
}

extension CounterSupport: ReportingBehavior {
    /// The counter support system's figures after a run.
    public struct Report: Sendable, Hashable {
        public var drafted: [Int]
        public var ocrReads: Int
        public var ocrFailures: Int
        public var registerReads: Int
        public var searches: Int
        public var searchMisses: Int
        public var answerTime: LatencyHistogram
        public var utilization: Double
        public var auditRecords: Int
        public var auditHead: String
        /// Filled in from the counters: notices drafted and entered by hand there, and the desk time saved (s).
        public var counterDrafted = 0
        public var counterManual = 0
        public var deskSecondsSaved = 0.0
    }

    public func report(_ period: ReportPeriod) -> Report {
        Report(
            drafted: drafted, ocrReads: ocrReads, ocrFailures: ocrFailures, registerReads: registerReads,
            searches: searches, searchMisses: searchMisses, answerTime: answerTime,
            utilization: Double(busyTime) / 1e6 / max(period.runSeconds, 1e-9), auditRecords: audit.count,
            auditHead: audit.headHex)
    }
}
