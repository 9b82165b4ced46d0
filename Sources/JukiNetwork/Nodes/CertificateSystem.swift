import JukiAudit
import JukiCore
import JukiSimulation

/// What certificates cost and how long printing takes [E], and the kiosks' hours.
public struct CertificateService: Sendable, Hashable {
    /// Fee per certificate at a counter, yen (住民票の写し, 記載事項証明書, 除票の写し alike: 300 円 in the cities that
    /// publish their tables, e.g. 南房総市, 豊前市, 栃木市, 成田市).
    public var counterFee = 300
    /// Fee per certificate at a kiosk, yen (many cities charge 100 円 less there: 八幡市, 成田市, みやこ町 200 円) [E for
    /// Fujisawa].
    public var kioskFee = 200
    /// The system's own work for one certificate (the form composed from the record, the fee and the audit
    /// record), one at a time, µs [E: 50 ms].
    public var composeTime: Int64 = 50_000
    /// Printing one certificate on the counter's printer, µs [E: 20 s: security paper, sealed]; each counter has its
    /// own printer, so printing does not queue across counters.
    public var printTime: Int64 = 20_000_000
    /// The kiosk's own printing and payment, µs [E: 60 s, the multifunction copier's job], part of the card holder's
    /// time at the store.
    public var kioskPrintTime: Int64 = 60_000_000
    /// Kiosk hours each day: 06:30–23:00, except 29 December to 3 January (the hours every municipality publishes
    /// for コンビニ交付: 府中市, 徳島市, みやこ町).
    public var kioskOpens: Int64 = 6 * 3_600_000_000 + 30 * 60_000_000
    public var kioskCloses: Int64 = 23 * 3_600_000_000

    public init() {}

    public static let standard = CertificateService()

    /// The printing times multiplied by `factor` (the load mode's delay scale).
    public mutating func scale(by factor: Double) {
        composeTime = SimulatedDuration.saturating(Double(composeTime) * factor)
        printTime = SimulatedDuration.saturating(Double(printTime) * factor)
        kioskPrintTime = SimulatedDuration.saturating(Double(kioskPrintTime) * factor)
    }

    /// Whether kiosks issue at `time` (µs, JST).
    public func kioskOpen(at time: Int64) -> Bool {
        let t = SimulatedTime(microseconds: time)
        let d = t.date.components
        let yearEnd = (d.month == 12 && d.day >= 29) || (d.month == 1 && d.day <= 3)
        return !yearEnd && t.timeOfDay >= kioskOpens && t.timeOfDay < kioskCloses
    }
}

/// The certificate system (証明交付システム, connected through the CS connector, I 2 システム2 ③; 別添1 ②): it prints
/// every certificate, at the counters for the clerks (窓口交付) and for the convenience stores' kiosks (コンビニ交付, its
/// 証明発行サーバ), reading the record from the register system each time.
///
/// - Kinds: 住民票の写し and 記載事項証明書 of residents, 除票の写し of removed records (the register refuses the wrong
///   one); 住民票コード and 個人番号 are printed only on request (III(1)2 リスク2; the register refuses the number to a
///   clerk without number-use rights).
/// - Kiosks: the card holder's card and PIN are verified with J-LIS first (the 利用者証明用電子証明書, through the CS);
///   only in the kiosks' hours; no 除票 at a kiosk.
/// - Fees by channel, and an audit record of every certificate, with the operator (or the kiosk user) and the
///   person (III(1)3, L431: "操作者がどの個人に対して照会・証明発行を行ったか", and at kiosks "利用者による認証から取引終了
///   まで").
///
/// A counter's order is a request it answers when printed; a kiosk order is a journey of its own (flow
/// `convenienceStore`), which it completes.
public struct CertificateSystem: NodeBehavior {
    struct Pending: Sendable {
        /// The counter's request (nil for a kiosk order).
        var origin: Request?
        var order: CertificateOrder
        var card: CardPresentation?
        var startedAt: Int64
    }

    let layout: NetworkLayout
    let service: CertificateService
    let lan: Latency
    let internet: Latency
    var pending: [UInt64: Pending] = [:]
    var busyUntil: Int64 = 0
    public private(set) var busyTime: Int64 = 0
    /// Certificates issued, by channel then kind (``CertificateChannel``, ``CertificateKind`` raw values).
    public private(set) var issued = [[Int]](
        repeating: [Int](repeating: 0, count: CertificateKind.allCases.count), count: CertificateChannel.allCases.count)
    public private(set) var withNumber = 0
    public private(set) var withCode = 0
    public private(set) var fees = [Int](repeating: 0, count: CertificateChannel.allCases.count)
    public private(set) var refused: [FailureReason: Int] = [:]
    /// The kiosk orders as journeys.
    public private(set) var kiosk = JourneyStats()
    public private(set) var audit = AuditTrail()

    public init(layout: NetworkLayout, links: LinkTable, service: CertificateService = .standard) {
        self.layout = layout
        self.service = service
        lan = links.latency(.counterLAN)
        internet = links.latency(.portal)
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        switch event.message {
        case .request(let request):
            guard case .certificate(let c) = request.payload else {
                context.countUnhandled(kind: event.message.kind.rawValue)
                return
            }
            switch c {
            case .issue(let order) where order.kind == .wideAreaCopy:
                // 広域交付: printed from the information the person's own municipality sent, with no read here.
                printed(
                    Pending(origin: request, order: order, card: nil, startedAt: context.now),
                    Response(to: request, failure: .none), &context)
            case .issue(let order):
                pending[request.ticket.journey] = Pending(
                    origin: request, order: order, card: nil, startedAt: context.now)
                read(order, request.ticket, operatorID: request.operatorID, terminal: request.terminal, &context)
            case .kiosk(let k):
                let order = k.order
                let card = k.card
                kiosk.started += 1
                let ticket = request.ticket
                // The hours apply when the holder stands at the kiosk, not when the order reaches the system.
                guard service.kioskOpen(at: request.sentAt) else {
                    finishKiosk(ticket.journey, failure: .kioskClosed, startedAt: request.sentAt, &context)
                    return
                }
                guard order.kind != .removedRecordCopy else {
                    finishKiosk(ticket.journey, failure: .notAtKiosk, startedAt: request.sentAt, &context)
                    return
                }
                pending[ticket.journey] = Pending(origin: nil, order: order, card: card, startedAt: request.sentAt)
                var verify = Request(
                    .national(.verifyCard(card)),
                    ticket: Ticket(
                        journey: ticket.journey, slot: nil, flow: .convenienceStore, hop: .identityVerification),
                    replyTo: context.id, sentAt: context.now)
                verify.operatorID = Self.kioskOperator
                context.send(
                    .request(verify), to: layout.municipalCS, delay: max(lan.sample(&context.random), context.lookahead)
                )
            }
        case .response(let response):
            guard let p = pending[response.ticket.journey] else { return }
            if response.operation == .verifyCard {
                guard response.failure == .none else {
                    pending[response.ticket.journey] = nil
                    finishKiosk(response.ticket.journey, failure: response.failure, startedAt: p.startedAt, &context)
                    return
                }
                read(p.order, response.ticket, operatorID: Self.kioskOperator, terminal: 0, &context)
                return
            }
            pending[response.ticket.journey] = nil
            printed(p, response, &context)
        case .visit, .deskDone, .served, .identityUpdates, .updateAck, .numberRequest, .numberReply,
            .deliveryRecords, .deliveryAck, .timer, .consistency, .addressees, .sharing, .immigration, .familyRegister:
            context.countUnhandled(kind: event.message.kind.rawValue)
        }
    }

    /// The operator id kiosk orders run under: the system's own (the card holder authenticated with the card).
    static let kioskOperator: UInt16 = 0

    /// Reads the record from the register system for `order`.
    mutating func read(
        _ order: CertificateOrder, _ ticket: Ticket, operatorID: UInt16, terminal: UInt16,
        _ context: inout NodeContext<NetworkMessage>
    ) {
        var read = Request(
            .register(.issueCertificate(row: order.row, withNumber: order.withNumber, kind: order.kind)),
            ticket: Ticket(journey: ticket.journey, slot: ticket.slot, flow: ticket.flow, hop: .issueCertificate),
            replyTo: context.id, sentAt: context.now)
        read.operatorID = operatorID
        read.terminal = terminal
        context.send(
            .request(read), to: layout.registerSystem, delay: max(lan.sample(&context.random), context.lookahead))
    }

    /// The register answered: print (or pass the refusal on), charge and record.
    mutating func printed(_ p: Pending, _ response: Response, _ context: inout NodeContext<NetworkMessage>) {
        let channel: CertificateChannel = p.origin == nil ? .convenienceStore : .counter
        let ok = response.failure == .none
        if ok {
            issued[Int(channel.rawValue)][Int(p.order.kind.rawValue)] += 1
            fees[Int(channel.rawValue)] += channel == .counter ? service.counterFee : service.kioskFee
            if p.order.withNumber, case .certificate(.some) = response.result { withNumber += 1 }
            if p.order.withCode { withCode += 1 }
        } else {
            refused[response.failure, default: 0] += 1
        }
        audit.append(
            AuditRecord(
                time: context.now, operatorID: UInt32(p.origin?.operatorID ?? Self.kioskOperator),
                terminal: UInt32(p.origin?.terminal ?? 0), action: ok ? .view : .refusal,
                operation: Operation.issueCertificate.rawValue, subject: UInt64(p.order.row.rawValue),
                outcome: response.failure.rawValue, destination: UInt32(channel.rawValue)))
        guard let origin = p.origin else {
            // The kiosk prints at the store and the holder pays there; the system composes the certificate first.
            if ok { compose(context.now) }
            finishKiosk(
                response.ticket.journey, failure: response.failure, startedAt: p.startedAt, &context,
                extra: ok
                    ? SimulatedDuration.adding(
                        busyUntil - context.now, service.kioskPrintTime + internet.sample(&context.random)) : 0)
            return
        }
        var done = context.now
        if ok { done = SimulatedDuration.adding(compose(context.now), service.printTime) }
        context.send(
            .response(Response(to: origin, failure: response.failure, result: response.result)), to: origin.replyTo,
            delay: SimulatedDuration.adding(done - context.now, max(lan.sample(&context.random), context.lookahead)))
    }

    /// The system composes one certificate when its worker is free; returns when it is done.
    @discardableResult
    mutating func compose(_ now: Int64) -> Int64 {
        busyUntil = SimulatedDuration.adding(max(now, busyUntil), service.composeTime)
        busyTime = SimulatedDuration.adding(busyTime, service.composeTime)
        return busyUntil
    }

    mutating func finishKiosk(
        _ journey: UInt64, failure: FailureReason, startedAt: Int64, _ context: inout NodeContext<NetworkMessage>,
        extra: Int64 = 0
    ) {
        if failure == .none {
            kiosk.completed += 1
            kiosk.persons += 1
            kiosk.latency.record(SimulatedDuration.adding(context.now - startedAt, extra))
        } else {
            kiosk.failed[failure, default: 0] += 1
        }
    }
}

extension CertificateSystem: ReportingBehavior {
    /// The certificate system's figures after a run.
    public struct Report: Sendable, Hashable {
        public var issued: [[Int]]
        public var withNumber: Int
        public var withCode: Int
        public var fees: [Int]
        public var refused: [FailureReason: Int]
        public var kiosk: JourneyStats
        public var kioskInProgress: Int
        public var utilization: Double
        public var auditRecords: Int
        public var auditHead: String
    }

    public func report(_ period: ReportPeriod) -> Report {
        Report(
            issued: issued, withNumber: withNumber, withCode: withCode, fees: fees, refused: refused, kiosk: kiosk,
            kioskInProgress: pending.values.reduce(0) { $0 + ($1.origin == nil ? 1 : 0) },
            utilization: Double(busyTime) / 1e6 / max(period.runSeconds, 1e-9), auditRecords: audit.count,
            auditHead: audit.headHex)
    }
}
