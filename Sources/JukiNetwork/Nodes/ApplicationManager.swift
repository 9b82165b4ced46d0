import JukiCore
import JukiSimulation

/// The application manager (申請管理システム): one-stop moves. It processes online move-out notices from Myna
/// Portal in business hours and sends the certificate data ahead to the destination; and it holds incoming
/// movers' reservations for their visit.
public struct ApplicationManager: NodeBehavior {
    let layout: NetworkLayout
    let links: LinkTable
    let calendar: BusinessCalendar
    /// Online move-outs waiting to be processed or finishing, by journey: (filed at, row, destination).
    /// `persons`: how many the register removed for the notice (a whole household files on one).
    var outgoing: [UInt64: (filedAt: Int64, request: Request, persons: Int)] = [:]
    /// Incoming reservations being fetched for a counter, by journey.
    var incoming: [UInt64: Request] = [:]
    public private(set) var stats = JourneyStats()
    public private(set) var spans = SpanLog()
    public private(set) var reservationsServed = 0

    /// Only for a message it cannot handle: the application manager's sends take plain LAN latencies.
    var wire: Wire

    public init(layout: NetworkLayout, links: LinkTable, calendar: BusinessCalendar) {
        self.layout = layout
        self.links = links
        self.calendar = calendar
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
            case .application(.onlineMoveOut):
                // Processed in business hours, within about two hours of arriving (next business day out of
                // hours).
                stats.started += 1
                outgoing[request.ticket.journey] = (context.now, request, 0)
                let opening = calendar.nextOpening(atOrAfter: SimulatedTime(microseconds: context.now)).microseconds
                let delay = Int64(context.random.next(below: 7_200_000_000))
                context.schedule(
                    .timer(.applicationManager(.oneStopProcessing(journey: request.ticket.journey))),
                    at: opening + delay)
            case .application(.relocationReservation):
                // Filed online days before: the reservation and its prepared forms are here.
                reservationsServed += 1
                context.send(
                    .response(Response(to: request)), to: request.replyTo,
                    delay: links.latency(.counterLAN).sample(&context.random))
            case .application(.reservation(let certificate)):
                // The certificate data came ahead when the mover filed online; fetch it from the previous
                // municipality's record of that filing.
                incoming[request.ticket.journey] = request
                var fetch = request
                fetch.payload = .municipality(.certificateData(certificate))
                fetch.replyTo = context.id
                fetch.sentAt = context.now
                context.send(.request(fetch), to: layout.municipalCS, delay: lan(&context))
            case .register, .search, .national, .municipality, .cardSystem:
                context.unhandled(event, over: .counterLAN, wire: &wire)
            }
        case .timer(.applicationManager(.oneStopProcessing(let journey))):
            guard let pending = outgoing[journey],
                case .application(.onlineMoveOut(let row, _, let persons)) = pending.request.payload
            else { return }
            let remove = Request(
                .register(.remove(row: row, reason: .moveOut, destination: nil, persons: persons)),
                ticket: Ticket(journey: journey, slot: nil, flow: .oneStopMove, hop: .removeRecord),
                replyTo: context.id, sentAt: context.now)
            context.send(.request(remove), to: layout.registerSystem, delay: lan(&context))
        case .response(let response):
            handle(response, &context)
        case .timer(.residents), .timer(.counter), .timer(.registerSystem), .timer(.municipalCS),
            .timer(.otherMunicipality), .timer(.cardSystem), .timer(.outboxRetry), .visit, .deskDone, .served,
            .identityUpdates, .updateAck, .numberRequest, .numberReply, .deliveryRecords, .deliveryAck, .consistency:
            context.unhandled(event, over: .counterLAN, wire: &wire)
        }
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
            guard response.failure == .none, let person = response.person,
                case .application(.onlineMoveOut(_, let destination, _)) = pending.request.payload
            else {
                finish(journey, failure: response.failure == .none ? .registerRefused : response.failure, &context)
                return
            }
            // The whole household filed on one notice: its certificates go ahead together.
            outgoing[journey]?.persons = response.household.count
            var ahead = Request(
                .municipality(.certificateAhead(person.residentCode, to: destination)),
                ticket: Ticket(journey: journey, slot: nil, flow: .oneStopMove, hop: .certificateData),
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
            Span(journey: journey, flow: .oneStopMove, hop: .reservation, start: pending.filedAt, end: context.now))
        if failure == .none {
            stats.completed += 1
            stats.persons += pending.persons
            stats.latency.record(context.now - pending.filedAt)
        } else {
            stats.failed[failure, default: 0] += 1
        }
    }
}

extension ApplicationManager: ReportingBehavior {
    /// The application manager's figures after a run.
    public struct Report: Sendable {
        /// One-stop moves filed online: their journeys, spans and hop durations.
        public var journeys: JourneyStats
        public var spans: [Span]
        public var hops: HopLatencies
        public var inProgress: Int
        public var reservationsServed: Int
    }

    public func report(_ period: ReportPeriod) -> Report {
        Report(
            journeys: stats, spans: spans.spans, hops: spans.hops, inProgress: inProgress,
            reservationsServed: reservationsServed)
    }
}
