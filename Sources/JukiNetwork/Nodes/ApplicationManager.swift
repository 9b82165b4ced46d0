import JukiCore
import JukiSimulation

/// The application manager (申請管理システム, I 2 システム8): "引越ワンストップサービスにおける転出届及び転入・転居予約
/// データの処理状況の管理", and the filing's data passed to the register system. Outgoing: it processes online
/// move-outs from Myna Portal in business hours (refusing a filing outside the window, dropping a withdrawn one)
/// and sends the certificate data ahead to the destination. Incoming: it holds movers' reservations (転入予約) and
/// the certificate data their origin sends ahead through the CS (別添1 1.⑱, 住基法第24条の2), and hands both to
/// the counter at the visit; data that did not come ahead is fetched from the origin then (the slower path).
public struct ApplicationManager: NodeBehavior {
    let layout: NetworkLayout
    let links: LinkTable
    let calendar: BusinessCalendar
    /// Online move-outs waiting to be processed or finishing, by journey: when filed, the filing, and
    /// `persons`: how many the register removed for the notice (a whole household files on one); `processedAt`:
    /// when the removal was sent to the register system.
    var outgoing: [UInt64: (filedAt: Int64, request: Request, persons: Int, processedAt: Int64)] = [:]
    /// Incoming reservations being fetched for a counter, by journey.
    var incoming: [UInt64: Request] = [:]
    /// Movers' reservations (転入予約) filed through Myna Portal, by journey, with the certificate data once it has
    /// come ahead from the origin (the household, the filer first).
    var reservations: [UInt64: Reservation] = [:]
    public private(set) var stats = JourneyStats()
    public private(set) var spans = SpanLog()
    public private(set) var reservationsServed = 0
    /// The one-stop figures: filings in both directions, refused, withdrawn, and how visits found their data.
    public private(set) var oneStop = OneStopFigures()

    /// Only for a message it cannot handle: the application manager's sends take plain LAN latencies.
    var wire: Wire

    /// A mover's reservation and what has come for it.
    struct Reservation {
        /// When the mover filed (0 until the reservation itself arrives: the data may come first).
        var filedAt: Int64 = 0
        var reserved = false
        var household: [MoveOutCertificate] = []
        var cancelled = false
    }

    public init(layout: NetworkLayout, links: LinkTable, calendar: BusinessCalendar, spans: SpanLog = SpanLog()) {
        self.layout = layout
        self.links = links
        self.calendar = calendar
        self.spans = spans
        wire = Wire(links: links)
    }

    /// The application manager's timers.
    public enum Timer: Sendable, Hashable {
        /// An online move-out is processed in business hours.
        case oneStopProcessing(journey: UInt64)
    }

    /// Journeys filed online and not finished.
    public var inProgress: Int { outgoing.count }

    func lan(_ context: inout NodeContext<NetworkMessage>) -> Int64 {
        links.latency(.registerToCS).sample(&context.random)
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        switch event.message {
        case .request(let request):
            switch request.payload {
            case .application(.onlineMoveOut(_, _, let planned, _, _)):
                // Processed in business hours, within about two hours of arriving (next business day out of
                // hours); a filing outside the window is refused at once.
                stats.started += 1
                oneStop.outgoingFilings += 1
                outgoing[request.ticket.journey] = (request.sentAt, request, 0, 0)
                let refusal = OneStopRules.refusal(sentAt: request.sentAt, plannedMoveOut: planned)
                guard refusal == .none else {
                    oneStop.outgoingRefused += 1
                    finish(request.ticket.journey, failure: refusal, &context)
                    return
                }
                let opening = calendar.nextOpening(atOrAfter: SimulatedTime(microseconds: context.now)).microseconds
                let delay = Int64(context.random.next(below: 7_200_000_000))
                context.schedule(
                    .timer(.applicationManager(.oneStopProcessing(journey: request.ticket.journey))),
                    at: opening + delay)
            case .application(.moveInReservation(let data, _, let cancelled)):
                reserve(request, data, cancelled: cancelled)
            case .application(.relocationReservation):
                // Filed online days before: the reservation and its prepared forms are here.
                reservationsServed += 1
                context.send(
                    .response(Response(to: request)), to: request.replyTo,
                    delay: links.latency(.counterLAN).sample(&context.random))
            case .application(.reservation(let certificate)):
                serve(request, certificate, &context)
            case .municipality(.certificateAhead):
                // The origin processed the move-out and sent its 転出証明書情報 ahead through the CS.
                oneStop.dataAhead += 1
                let household = request.household
                if reservations[request.ticket.journey]?.cancelled == true || household.isEmpty {
                    oneStop.dataDropped += 1
                } else {
                    reservations[request.ticket.journey, default: Reservation()].household = household
                }
            case .register, .search, .national, .municipality, .cardSystem, .certificate, .counterSupport, .addressee,
                .familyRegister:
                context.unhandled(event, over: .counterLAN, wire: &wire)
            }
        case .timer(.applicationManager(.oneStopProcessing(let journey))):
            guard let pending = outgoing[journey],
                case .application(.onlineMoveOut(let row, _, _, let persons, let cancelled)) = pending.request.payload
            else { return }
            // Withdrawn before processing (取消): the move-out is not processed, the resident stays.
            guard !cancelled else {
                oneStop.outgoingCancelled += 1
                finish(journey, failure: .filingCancelled, &context)
                return
            }
            let remove = Request(
                .register(.remove(row: row, reason: .moveOut, destination: nil, persons: persons)),
                ticket: Ticket(journey: journey, slot: nil, flow: .oneStopMoveOut, hop: .removeRecord),
                replyTo: context.id, sentAt: context.now)
            outgoing[journey]?.processedAt = context.now
            context.send(.request(remove), to: layout.registerSystem, delay: lan(&context))
        case .response(let response):
            handle(response, &context)
        case .timer(.residents), .timer(.counter), .timer(.registerSystem), .timer(.municipalCS),
            .timer(.otherMunicipality), .timer(.cardSystem), .timer(.informationSharing), .timer(.department),
            .timer(.immigration), .timer(.familyRegister),
            .timer(.outboxRetry), .visit,
            .deskDone, .served,
            .identityUpdates, .updateAck, .numberRequest, .numberReply, .deliveryRecords, .deliveryAck, .consistency,
            .addressees, .sharing, .immigration, .familyRegister:
            context.unhandled(event, over: .counterLAN, wire: &wire)
        }
    }

    /// A mover's reservation from Myna Portal: held for the visit, unless it is outside the window (refused: the
    /// origin refuses the move-out by the same rule) or withdrawn (dropped: the origin does not process it).
    mutating func reserve(_ request: Request, _ data: CertificateDataRequest, cancelled: Bool) {
        oneStop.incomingFilings += 1
        let journey = request.ticket.journey
        if OneStopRules.refusal(sentAt: request.sentAt, plannedMoveOut: data.plannedMoveOut) != .none {
            oneStop.incomingRefused += 1
            return
        }
        if cancelled {
            oneStop.incomingCancelled += 1
            reservations[journey, default: Reservation()].cancelled = true
            reservations[journey]?.household = []
            return
        }
        reservations[journey, default: Reservation()].filedAt = request.sentAt
        reservations[journey]?.reserved = true
    }

    /// The counter asks for a mover's reservation at the visit: served from the data that came ahead, refused when
    /// the mover withdrew it, else (no data yet, or no reservation: the load mode) fetched from the origin's record.
    mutating func serve(
        _ request: Request, _ certificate: CertificateDataRequest, _ context: inout NodeContext<NetworkMessage>
    ) {
        let journey = request.ticket.journey
        if let held = reservations[journey] {
            if held.cancelled {
                oneStop.cancelledAtVisit += 1
                context.send(
                    .response(Response(to: request, failure: .filingCancelled)), to: request.replyTo,
                    delay: links.latency(.counterLAN).sample(&context.random))
                return
            }
            if !held.household.isEmpty {
                reservations[journey] = nil
                reservationsServed += 1
                oneStop.servedFromDataAhead += 1
                var answer = Response(to: request)
                answer.household = held.household
                context.send(
                    .response(answer), to: request.replyTo, delay: links.latency(.counterLAN).sample(&context.random))
                return
            }
            reservations[journey] = nil
        }
        // Not here (yet): fetch it from the previous municipality's record of the filing.
        oneStop.fetchedAtVisit += 1
        incoming[journey] = request
        var fetch = request
        fetch.payload = .municipality(.certificateData(certificate))
        fetch.replyTo = context.id
        fetch.sentAt = context.now
        context.send(.request(fetch), to: layout.municipalCS, delay: lan(&context))
    }

    mutating func handle(_ response: Response, _ context: inout NodeContext<NetworkMessage>) {
        let journey = response.ticket.journey
        if let counterRequest = incoming.removeValue(forKey: journey) {
            reservationsServed += 1
            var answer = Response(to: counterRequest, failure: response.failure)
            answer.household = response.household
            context.send(
                .response(answer), to: counterRequest.replyTo, delay: links.latency(.counterLAN).sample(&context.random)
            )
            return
        }
        guard let pending = outgoing[journey] else { return }
        if response.operation == .remove {
            spans.append(
                Span(
                    journey: journey, flow: .oneStopMoveOut, hop: .removeRecord, start: pending.processedAt,
                    end: context.now))
            guard response.failure == .none, let person = response.person,
                case .application(.onlineMoveOut(_, let destination, _, _, _)) = pending.request.payload
            else {
                finish(journey, failure: response.failure == .none ? .registerRefused : response.failure, &context)
                return
            }
            // The whole household filed on one notice: its certificates go ahead together.
            outgoing[journey]?.persons = response.household.count
            var ahead = Request(
                .municipality(.certificateAhead(person.residentCode, to: destination)),
                ticket: Ticket(journey: journey, slot: nil, flow: .oneStopMoveOut, hop: .certificateData),
                replyTo: context.id, sentAt: context.now)
            ahead.household = response.household
            context.send(.request(ahead), to: layout.municipalCS, delay: lan(&context))
        } else {
            finish(journey, failure: response.failure, &context)
        }
    }

    mutating func finish(_ journey: UInt64, failure: FailureReason, _ context: inout NodeContext<NetworkMessage>) {
        guard let pending = outgoing.removeValue(forKey: journey) else { return }
        spans.append(
            Span(journey: journey, flow: .oneStopMoveOut, hop: .reservation, start: pending.filedAt, end: context.now))
        if failure == .none {
            stats.completed += 1
            stats.persons += pending.persons
            stats.latency.record(context.now - pending.filedAt)
        } else {
            stats.failed[failure, default: 0] += 1
        }
    }

    /// Reservations held for a visit still to come (with or without their data).
    public var reservationsHeld: Int { reservations.values.reduce(0) { $0 + ($1.reserved && !$1.cancelled ? 1 : 0) } }
}

/// The one-stop figures: the application manager's, and (in the network report) the origins' processing of movers'
/// filings.
public struct OneStopFigures: Sendable, Hashable {
    /// Online move-outs of the municipality's residents from Myna Portal: filed, refused outside the window,
    /// withdrawn before processing.
    public var outgoingFilings = 0
    public var outgoingRefused = 0
    public var outgoingCancelled = 0
    /// Movers' reservations (転入予約) from Myna Portal: filed, refused outside the window, withdrawn.
    public var incomingFilings = 0
    public var incomingRefused = 0
    public var incomingCancelled = 0
    /// Visits for a withdrawn reservation (refused; 0 in a network run, where withdrawn movers stay away).
    public var cancelledAtVisit = 0
    /// Movers' certificate data that came ahead from their origin, and the part dropped (a withdrawn reservation).
    public var dataAhead = 0
    public var dataDropped = 0
    /// Reservations served at the visit from the data that came ahead, and those whose data was fetched from the
    /// origin then (it had not come, or there was no reservation: the load mode).
    public var servedFromDataAhead = 0
    public var fetchedAtVisit = 0
    /// Reservations still waiting for their visit at the end of the run.
    public var held = 0
    /// Movers' 転出届 the origins processed (data sent ahead), and those still waiting there at the end.
    public var processedAtOrigins = 0
    public var waitingAtOrigins = 0

    public init() {}
}

extension ApplicationManager: ReportingBehavior {
    /// The application manager's figures after a run.
    public struct Report: Sendable {
        /// One-stop moves filed online: their journeys, spans and hop durations.
        public var journeys: JourneyStats
        public var spans: [Span]
        public var hops: HopLatencies
        /// Counter arrivals and completions by hour of the day, from every span (kept or not).
        public var hourly: HourlyCounts
        public var inProgress: Int
        public var reservationsServed: Int
        public var oneStop: OneStopFigures
    }

    public func report(_ period: ReportPeriod) -> Report {
        var figures = oneStop
        figures.held = reservationsHeld
        return Report(
            journeys: stats, spans: spans.spans, hops: spans.hops, hourly: spans.hourly, inProgress: inProgress,
            reservationsServed: reservationsServed, oneStop: figures)
    }
}
