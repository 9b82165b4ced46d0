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
    var outgoing: [UInt64: (filedAt: Int64, request: Request)] = [:]
    /// Incoming reservations being fetched for a counter, by journey.
    var incoming: [UInt64: Request] = [:]
    public private(set) var stats = JourneyStats()
    public private(set) var spans = SpanLog()
    public private(set) var reservationsServed = 0

    public init(layout: NetworkLayout, links: LinkTable, calendar: BusinessCalendar) {
        self.layout = layout
        self.links = links
        self.calendar = calendar
    }

    /// Journeys filed online and not finished.
    public var inProgress: Int { outgoing.count }

    func lan(_ context: inout NodeContext<NetworkMessage>) -> Int64 {
        links.latency(.registerToCS).sample(&context.random)
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        switch event.message {
        case .request(let request) where request.op == .onlineMoveOut:
            // Processed in business hours, within about two hours of arriving (next business day out of hours).
            stats.started += 1
            outgoing[request.ticket.journey] = (context.now, request)
            let opening = calendar.nextOpening(atOrAfter: SimulatedTime(microseconds: context.now)).microseconds
            let delay = Int64(context.random.next(below: 7_200_000_000))
            context.schedule(.tick(kind: 4, value: request.ticket.journey), at: opening + delay)
        case .tick(kind: 4, let journey):
            guard let pending = outgoing[journey] else { return }
            var remove = Request(
                op: .remove, ticket: Ticket(journey: journey, slot: UInt32.max, flow: .oneStopMove, hop: .removeRecord),
                replyTo: context.id, subject: pending.request.subject,
                value: UInt64(ChangeReason.moveOut.rawValue))
            remove.sentAt = context.now
            context.send(.request(remove), to: layout.registerSystem, delay: lan(&context))
        case .request(let request) where request.op == .relocationReservation:
            // Filed online days before: the reservation and its prepared forms are here.
            reservationsServed += 1
            context.send(
                .response(Response(to: request)), to: request.replyTo,
                delay: links.latency(.counterLAN).sample(&context.random))
        case .request(let request) where request.op == .reservation:
            // The certificate data came ahead when the mover filed online; fetch it from the previous
            // municipality's record of that filing.
            incoming[request.ticket.journey] = request
            var fetch = request
            fetch.op = .certificateData
            fetch.replyTo = context.id
            fetch.sentAt = context.now
            context.send(.request(fetch), to: layout.municipalCS, delay: lan(&context))
        case .response(let response):
            handle(response, &context)
        default:
            break
        }
    }

    mutating func handle(_ response: Response, _ context: inout NodeContext<NetworkMessage>) {
        let journey = response.ticket.journey
        if let counterRequest = incoming.removeValue(forKey: journey) {
            reservationsServed += 1
            context.send(
                .response(Response(to: counterRequest, failure: response.failure, person: response.person)),
                to: counterRequest.replyTo, delay: links.latency(.counterLAN).sample(&context.random))
            return
        }
        guard let pending = outgoing[journey] else { return }
        switch response.op {
        case .remove:
            guard response.failure == .none, let person = response.person else {
                finish(journey, failure: response.failure == .none ? .registerRefused : response.failure, &context)
                return
            }
            var ahead = Request(
                op: .certificateAhead,
                ticket: Ticket(journey: journey, slot: UInt32.max, flow: .oneStopMove, hop: .certificateData),
                replyTo: context.id, subject: person.residentCode.rawValue, value: pending.request.value)
            ahead.person = person
            ahead.sentAt = context.now
            context.send(.request(ahead), to: layout.municipalCS, delay: lan(&context))
        default:
            finish(journey, failure: response.failure, &context)
        }
    }

    mutating func finish(_ journey: UInt64, failure: FailureReason, _ context: inout NodeContext<NetworkMessage>) {
        guard let pending = outgoing.removeValue(forKey: journey) else { return }
        spans.append(
            Span(journey: journey, flow: .oneStopMove, hop: .reservation, start: pending.filedAt, end: context.now))
        if failure == .none {
            stats.completed += 1
            stats.latency.record(context.now - pending.filedAt)
        } else {
            stats.failed[failure, default: 0] += 1
        }
    }
}
