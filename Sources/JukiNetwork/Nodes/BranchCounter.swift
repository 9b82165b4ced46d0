import JukiCore
import JukiSimulation

/// One journey in progress at a counter: a slot in the counter's table, never an object.
public struct JourneyState: Sendable {
    public var visit: Visit
    public var flow: Flow
    public var step: UInt8 = 0
    public var serviceStart: Int64 = 0
    /// When the visitor joined this counter's queue: the journey's start, or later for a mover the previous
    /// municipality sent on after its own work (the wait here counts from here).
    public var queuedAt: Int64 = 0
    public var hopStart: Int64 = 0
    public var deskDone = false
    public var backendDone = false
    public var failure = FailureReason.none
    /// A mover's certificates, the person filing first, then the household members on the same notice.
    public var household: [MoveOutCertificate] = []
    public var active = false
    /// How often the clerk has sent the request in flight again after finding a node unreachable.
    var retries: UInt8 = 0
    /// The second-person check of the entry (入力内容の再確認): 0 not yet, 1 waiting for a second clerk, 2 under way,
    /// 3 the second clerk looking the drafted notice up (届出書検索).
    var check: UInt8 = 0
    /// The notice at the counter support system: 0 not asked, 1 being drafted, 2 drafted, 3 entered by hand.
    var support: UInt8 = 0
    /// Whether a member of the contractor's staff serves it now (the second check is always an employee's).
    var byContractor = false
}

/// Who serves at a counter: the city's employees (職員), who make the decisions, and the contractor's staff (委託,
/// 委託事項2: 協働事業における住民基本台帳業務の包括的業務委託, II(1)4, L217–224).
public enum StaffKind: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case employee = 0
    case contractor

    public var description: String { self == .employee ? "employee" : "contractor" }

    /// Whether staff of this kind may take a visitor of `flow` at the desk. The contract covers certificates,
    /// 住民異動届, foreign residents, 印鑑登録 and the cards (委託事項2 ①); not the requests the mayor decides on
    /// their reasons (個人番号の変更, 番号法第7条第2項; 住民票コードの変更, 住基法第30条の4), which a contractor may not
    /// decide (公共サービス改革法第34条 lets a contractor take the desk work, 受付 and 引渡し, not the decision).
    public func mayServe(_ flow: Flow) -> Bool {
        self == .employee || (flow != .numberChange && flow != .residentCodeChange)
    }

    /// Whether staff of this kind make decisions: the second check of an entry (its 審査 and the decision to accept
    /// it) is an employee's.
    public var decides: Bool { self == .employee }

    /// The first operator id of this kind at counter `counter`: employees 100·k + c, the contractor's staff
    /// 2000 + 100·k + c (both with the rights the work needs: the contract covers the whole file, 委託事項2 ②).
    static func operatorBase(_ kind: StaffKind, counter: Int) -> Int {
        (kind == .contractor ? 2_000 : 0) + counter * 100
    }
}

/// What counter support did at one counter: notices drafted, notices entered by hand after all (OCR failed, or the
/// system was out of reach), and the clerks' desk time saved (µs).
public struct CounterSupportTally: Sendable, Hashable {
    public var drafted = 0
    public var manual = 0
    public var saved: Int64 = 0
}

/// A branch counter (窓口 / 市民センター): clerks, a FIFO queue, and the journeys they serve.
///
/// The clerk drives each journey: desk work runs alongside the backend requests, and the clerk is free when both
/// are done. Each backend request/response pair is a hop, recorded as a span.
public struct BranchCounter: NodeBehavior {
    public let name: String
    public let clerks: Int
    let layout: NetworkLayout
    let desk: [ServiceTime]
    let service: ServiceModel
    /// This counter's number in the layout (1-based), found on the first request: it names its clerks.
    var counterNumber = 0
    public internal(set) var wire: Wire
    /// Requests a clerk sent again after a node was unreachable.
    public private(set) var retries = 0
    let date: CivilDate
    /// Towns of the municipality with their 丁目 counts, for relocations.
    let chomeCounts: [Int]
    public private(set) var busy = 0
    /// Of the clerks, the contractor's staff (at most all but one: an employee must be there to decide), and how
    /// many of them are busy.
    public let contractors: Int
    var busyContractors = 0
    /// Clerks at the desks now, and the contractor's staff among them: the configured ones, unless a staffing
    /// schedule or lunch breaks change them (`steps`, applied by timers). When fewer are on duty than busy, the
    /// busy ones finish their visitor first.
    var onDuty: Int
    var onDutyContractors: Int
    let steps: [StaffStep]
    /// How visitors behave in the queue (reneging, balking).
    let visitors: VisitorBehaviour
    /// Visitors who left the queue when their patience ran out, who did not join it (balked), and of those the
    /// ones who went to the main counter or will come back another day.
    public private(set) var abandoned = 0
    public private(set) var balked = 0
    public private(set) var balkedElsewhere = 0
    public private(set) var balkedLater = 0
    /// Every visitor's arrival and wait, µs, as their wait ended (served, gone home, or left): the planner's
    /// waits per interval.
    public private(set) var waitLog = CounterWaitLog()
    /// Visitors the contractor's staff served, and their serving time (µs).
    public private(set) var servedByContractors = 0
    public private(set) var contractorTime: Int64 = 0
    var queue = RingBuffer<UInt32>(capacity: 32)
    /// One-stop visitors come with a reservation: they are served before the walk-in queue.
    var reserved = RingBuffer<UInt32>(capacity: 8)
    /// Entries waiting for a second clerk's check: taken before any new visitor, since their resident is still at
    /// the desk.
    var checks = RingBuffer<UInt32>(capacity: 8)
    /// Second-person checks done, and the clerk time they took (µs).
    public private(set) var checksDone = 0
    public private(set) var checkTime: Int64 = 0
    public private(set) var support = CounterSupportTally()
    var slots: ContiguousArray<JourneyState> = []
    /// Per slot, with faults only: the request in flight, its node and link, for the clerk's retries (kept apart
    /// from the slots, which every hop copies).
    var inFlight: ContiguousArray<(request: Request, node: NodeID, link: LinkKind)?> = []
    var free: [UInt32] = []
    public private(set) var stats: [JourneyStats]
    public private(set) var spans = SpanLog()
    public private(set) var served = 0
    public private(set) var maxQueue = 0
    public private(set) var totalWait: Int64 = 0
    public private(set) var waits = LatencyHistogram()
    /// Queue length (walk-in and reserved) over the run, and waits by arrival time, per 15 minutes.
    public private(set) var queueLength: LevelTimeline
    public private(set) var waitsByArrival: BinnedDurations
    /// Clerk time spent serving, all of it, and the part inside office hours (the rest is overtime).
    public private(set) var busyTime: Int64 = 0
    public private(set) var busyInOfficeHours: Int64 = 0
    /// Visitors sent home at closing (`sendHome`), and visitors whose service started after closing.
    public private(set) var sentHome = 0
    public private(set) var servedAfterHours = 0
    let closing: ClosingPolicy
    let days: Int
    /// Whether this counter also opens on the 2nd and 4th Saturdays.
    let opensSaturdays: Bool
    /// Whether the counter is closed (between closing and the next opening, under `sendHome` and `carryOver`).
    var closed = false
    /// Office hours of the day last looked up: (day number, opening, closing in µs; closing = opening when shut).
    var officeDay: (day: Int64, open: Int64, close: Int64) = (Int64.min, 0, 0)

    public init(
        name: String, clerks: Int, layout: NetworkLayout, service: ServiceModel, links: LinkTable, date: CivilDate,
        chomeCounts: [Int], faults: FaultPlan = .none, closing: ClosingPolicy = .serveQueue, days: Int = 1,
        opensSaturdays: Bool = false, contractors: Int = 0, staffing: [StaffStep] = []
    ) {
        self.contractors = min(max(contractors, 0), max(clerks, 1) - 1)
        onDuty = max(1, clerks)
        onDutyContractors = self.contractors
        self.steps = staffing
        visitors = service.visitors
        self.opensSaturdays = opensSaturdays
        self.closing = closing
        self.days = max(1, days)
        wire = Wire(links: links, plan: faults)
        self.name = name
        self.clerks = max(1, clerks)
        self.layout = layout
        desk = Flow.allCases.map { service.desk[$0] ?? .minutes(5, plus: 5) }
        self.service = service
        self.date = date
        self.chomeCounts = chomeCounts
        spans = SpanLog(service)
        waitLog = CounterWaitLog(keep: service.keepWaitLogs)
        let origin = SimulatedTime(date: date).microseconds
        queueLength = LevelTimeline(origin: origin, binWidth: Self.timelineBin)
        waitsByArrival = BinnedDurations(origin: origin, binWidth: Self.timelineBin)
        stats = Flow.allCases.map { _ in JourneyStats() }
    }

    /// The width of the queue-length and wait timelines' bins: 15 minutes.
    public static let timelineBin: Int64 = 900_000_000

    /// Journeys still in progress.
    public var inProgress: Int { slots.reduce(0) { $0 + ($1.active ? 1 : 0) } }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        switch event.message {
        case .visit(let visit):
            arrive(visit, &context)
        case .deskDone(let slot):
            slots[Int(slot)].deskDone = true
            if slots[Int(slot)].backendDone || slots[Int(slot)].check == 2 { finish(slot, &context) }
        case .response(let response):
            guard let slot = response.ticket.slot, Int(slot) < slots.count, slots[Int(slot)].active,
                slots[Int(slot)].visit.journey == response.ticket.journey
            else { return }
            record(slot, hop: response.ticket.hop, end: context.now)
            // Counter support answers the clerk's own work, not the journey's: any failure means entry by hand.
            if response.ticket.hop == .formDrafting && slots[Int(slot)].support == 1 {
                drafted(slot, response.failure == .none, &context)
            } else if response.ticket.hop == .formSearch && slots[Int(slot)].check == 3 {
                checkFound(slot, &context)
            } else if response.failure == .serviceUnavailable {
                unavailable(slot, &context)
            } else if response.failure != .none {
                fail(slot, response.failure, &context)
            } else {
                advance(slot, response: response, &context)
            }
        case .timer(.counter(.closing)):
            close(&context)
        case .timer(.counter(.opening)):
            open(&context)
        case .timer(.counter(.staffing(let index))):
            guard Int(index) < steps.count else { return }
            onDuty = steps[Int(index)].clerks
            onDutyContractors = steps[Int(index)].contractors
            dispatch(&context)
        case .timer(.counter(.patience(let slot, let journey))):
            renege(slot, journey: journey, &context)
        case .timer(.counter(.clerkRetry(let slot, let journey))):
            guard Int(slot) < slots.count, slots[Int(slot)].active,
                UInt32(truncatingIfNeeded: slots[Int(slot)].visit.journey) == journey
            else { return }
            guard Int(slot) < inFlight.count, let pending = inFlight[Int(slot)] else { return }
            slots[Int(slot)].hopStart = context.now
            transmit(slot, pending.request, to: pending.node, over: pending.link, &context)
        case .timer(.residents), .timer(.registerSystem), .timer(.municipalCS), .timer(.applicationManager),
            .timer(.informationSharing), .timer(.department), .timer(.immigration), .timer(.familyRegister),
            .timer(.otherMunicipality), .timer(.cardSystem), .timer(.outboxRetry), .request, .served,
            .identityUpdates, .updateAck, .numberRequest, .numberReply, .deliveryRecords, .deliveryAck, .consistency,
            .addressees, .sharing, .immigration, .familyRegister:
            context.unhandled(event, over: .counterLAN, wire: &wire)
        }
    }
    /// A counter's timers.
    public enum Timer: Sendable, Hashable {
        /// The clerk tries the request in flight again (the journey's low bits guard against a reused slot).
        case clerkRetry(slot: UInt32, journey: UInt32)
        /// Closing and opening time on a business day (only under `sendHome` and `carryOver`: with `serveQueue`
        /// nothing happens at closing).
        case closing
        case opening
        /// The staffing's step `index` begins.
        case staffing(UInt32)
        /// The visitor in `slot` runs out of patience (the journey's low bits guard against a reused slot).
        case patience(slot: UInt32, journey: UInt32)
    }

    /// Schedules each business day's closing (and, for `carryOver`, the next opening) of the run.
    public mutating func start(_ context: inout NodeContext<NetworkMessage>) {
        for (k, step) in steps.enumerated() {
            context.schedule(.timer(.counter(.staffing(UInt32(truncatingIfNeeded: k)))), at: max(step.at, context.now))
        }
        guard closing != .serveQueue else { return }
        let calendar = BusinessCalendar.standard
        for d in 0..<days {
            let day = date.adding(days: d)
            guard isOpenDay(day) else { continue }
            let midnight = SimulatedTime(date: day).microseconds
            context.schedule(.timer(.counter(.closing)), at: midnight + calendar.closing)
        }
        if closing == .carryOver {
            for d in 1...days {
                let day = date.adding(days: d)
                guard isOpenDay(day) else { continue }
                context.schedule(
                    .timer(.counter(.opening)), at: SimulatedTime(date: day).microseconds + calendar.opening)
            }
        }
    }

    /// Closing time: the waiting visitors go home (`sendHome`) or wait for the next opening (`carryOver`).
    mutating func close(_ context: inout NodeContext<NetworkMessage>) {
        closed = true
        guard closing == .sendHome else { return }
        while let slot = reserved.popFirst() ?? queue.popFirst() {
            sentHome += 1
            leaveQueue(slot, .counterClosed, at: context.now)
        }
        queueLength.set(0, at: context.now)
    }

    /// Opening time after a `carryOver` night: the clerks take the visitors who waited.
    mutating func open(_ context: inout NodeContext<NetworkMessage>) {
        closed = false
        dispatch(&context)
    }

    /// The part of [start, end) inside office hours, day by day.
    mutating func officeHours(from start: Int64, to end: Int64) -> Int64 {
        var inside: Int64 = 0
        var t = start
        // A service lasts minutes; the bound only guards against a pathological one.
        var daysLeft = 400
        while t < end && daysLeft > 0 {
            let day = t >= 0 ? t / SimulatedTime.microsecondsPerDay : (t + 1) / SimulatedTime.microsecondsPerDay - 1
            if officeDay.day != day {
                let calendar = BusinessCalendar.standard
                let midnight = day * SimulatedTime.microsecondsPerDay
                let open = isOpenDay(CivilDate(daysSinceEpoch: Int32(clamping: day)))
                officeDay = (day, midnight + calendar.opening, midnight + (open ? calendar.closing : calendar.opening))
            }
            let dayEnd = (day + 1) * SimulatedTime.microsecondsPerDay
            inside += max(0, min(end, officeDay.close) - max(t, officeDay.open))
            t = dayEnd
            daysLeft -= 1
        }
        return inside
    }

    /// Whether the counter opens on `date`: a business day, or a Saturday opening when it takes those.
    func isOpenDay(_ date: CivilDate) -> Bool {
        let calendar = BusinessCalendar.standard
        return calendar.isBusinessDay(date) || (opensSaturdays && calendar.isSaturdayOpening(date))
    }

    /// Terminal IDs of the counters' desks start here, apart from operator IDs.
    static let terminalBase = 10_000

    /// A clerk facing an unreachable node tries again every 2 minutes, 10 times, then sends the resident away
    /// with the reason (come back later, or the paper route): 20 minutes of patience.
    static let retryWait: Int64 = 120_000_000
    static let maxRetries: UInt8 = 10

    /// The node a request needs is out or cut off: wait and try again, or give up with the reason.
    mutating func unavailable(_ slot: UInt32, _ context: inout NodeContext<NetworkMessage>) {
        let i = Int(slot)
        // Nobody waits for counter support: the clerk writes the notice by hand, or checks the paper.
        if slots[i].support == 1 {
            drafted(slot, false, &context)
            return
        }
        if slots[i].check == 3 {
            checkFound(slot, &context)
            return
        }
        guard slots[i].retries < Self.maxRetries, i < inFlight.count, inFlight[i] != nil else {
            fail(slot, .serviceUnavailable, &context)
            return
        }
        slots[i].retries += 1
        retries += 1
        context.schedule(
            .timer(.counter(.clerkRetry(slot: slot, journey: UInt32(truncatingIfNeeded: slots[i].visit.journey)))),
            after: Self.retryWait)
    }

    /// Sends the slot's request; a node out of reach makes the clerk wait and retry.
    mutating func transmit(
        _ slot: UInt32, _ request: consuming Request, to node: NodeID, over link: LinkKind,
        _ context: inout NodeContext<NetworkMessage>
    ) {
        request.sentAt = context.now
        if !context.send(.request(request), to: node, over: link, wire: &wire) {
            wire.refuseUnavailable()
            unavailable(slot, &context)
        }
    }

    mutating func arrive(_ visit: Visit, _ context: inout NodeContext<NetworkMessage>) {
        let slot: UInt32
        if let reused = free.popLast() {
            slot = reused
        } else {
            slot = UInt32(slots.count)
            slots.append(JourneyState(visit: visit, flow: visit.flow))
        }
        slots[Int(slot)] = JourneyState(visit: visit, flow: visit.flow, active: true)
        slots[Int(slot)].queuedAt = context.wall == nil ? max(visit.arrivedAt, context.now) : visit.arrivedAt
        stats[Int(visit.flow.rawValue)].started += 1
        // Nobody jumps the queue: a visitor waiting for an employee holds the ones behind (called in order).
        if !closed, queue.isEmpty, reserved.isEmpty, let kind = freeStaff(for: visit.flow) {
            take(slot, kind)
            startService(slot, &context)
            return
        }
        if visitors.isActive && balks(slot, &context) { return }
        if let patience = visitors.patience[visit.flow] {
            context.schedule(
                .timer(.counter(.patience(slot: slot, journey: UInt32(truncatingIfNeeded: visit.journey)))),
                after: patience.sample(&context.random))
        }
        if visit.reserved {
            reserved.append(slot)
            maxQueue = max(maxQueue, queue.count + reserved.count)
            queueLength.set(queue.count + reserved.count, at: context.now)
        } else {
            queue.append(slot)
            maxQueue = max(maxQueue, queue.count + reserved.count)
            queueLength.set(queue.count + reserved.count, at: context.now)
        }
    }

    /// Whether the visitor in `slot`, finding the queue at or over their limit, does not join it: they go to the
    /// main counter, come back the next business day at the same time, or give up. A visitor with a reservation, or
    /// one who balked once already, joins.
    mutating func balks(_ slot: UInt32, _ context: inout NodeContext<NetworkMessage>) -> Bool {
        let i = Int(slot)
        guard let limit = visitors.balkingQueue, queue.count + reserved.count >= limit, !slots[i].visit.reserved,
            !slots[i].visit.balkedBefore
        else { return false }
        balked += 1
        var v = slots[i].visit
        v.balkedBefore = true
        let u = context.random.nextUnit()
        let main = layout.counters.first
        if u < visitors.balkAnotherCounter, let main, main != context.id {
            balkedElsewhere += 1
            v.arrivedAt = SimulatedDuration.adding(context.now, Self.tripToMain)
            context.send(.visit(v), to: main, delay: Self.tripToMain)
        } else if u < visitors.balkAnotherCounter + visitors.balkAnotherDay {
            let day = SimulatedTime(microseconds: context.now)
            let next = BusinessCalendar.standard.nextBusinessDay(after: day.date)
            let back =
                SimulatedTime(date: next).microseconds + (context.now - SimulatedTime(date: day.date).microseconds)
            balkedLater += 1
            v.arrivedAt = back
            context.schedule(.visit(v), at: back)
        }
        retire(slot, failed: .balked)
        return true
    }

    /// The visitor in `slot` leaves the queue unserved (`reason`: gone home at closing, patience run out): their
    /// wait is logged as left, and the journey fails.
    mutating func leaveQueue(_ slot: UInt32, _ reason: FailureReason, at now: Int64) {
        let i = Int(slot)
        let arrived = slots[i].queuedAt
        spans.append(
            Span(
                journey: slots[i].visit.journey, flow: slots[i].flow, hop: .counterWait, ending: reason, start: arrived,
                end: now))
        waitLog.record(arrived: arrived, wait: now - arrived, left: true)
        retire(slot, failed: reason)
    }

    /// The journey in `slot` ends unserved with `reason`, and the slot is free again.
    mutating func retire(_ slot: UInt32, failed reason: FailureReason) {
        let i = Int(slot)
        stats[Int(slots[i].flow.rawValue)].failed[reason, default: 0] += 1
        slots[i].active = false
        slots[i].household = []
        free.append(slot)
    }

    /// The walk from a 市民センター to 本庁 for a visitor who balked there [E: 30 minutes by bus or train across
    /// the city].
    static let tripToMain: Int64 = 1_800_000_000

    /// The visitor in `slot` has waited as long as they will: if still in the queue they leave it.
    mutating func renege(_ slot: UInt32, journey: UInt32, _ context: inout NodeContext<NetworkMessage>) {
        let i = Int(slot)
        guard i < slots.count, slots[i].active, slots[i].serviceStart == 0,
            UInt32(truncatingIfNeeded: slots[i].visit.journey) == journey
        else { return }
        var removed = queue.remove(first: slot)
        if !removed { removed = reserved.remove(first: slot) }
        guard removed else { return }
        abandoned += 1
        leaveQueue(slot, .reneged, at: context.now)
        queueLength.set(queue.count + reserved.count, at: context.now)
    }

    mutating func startService(_ slot: UInt32, _ context: inout NodeContext<NetworkMessage>) {
        let i = Int(slot)
        let arrived = slots[i].queuedAt
        let wait = context.now - arrived
        waitLog.record(arrived: arrived, wait: wait, left: false)
        totalWait += wait
        // A multi-day run's warm-up days count the visitor but not their wait (the first day starts empty).
        if arrived >= service.measureFrom { waits.record(wait) }
        waitsByArrival.record(wait, startedAt: arrived)
        spans.append(
            Span(
                journey: slots[i].visit.journey, flow: slots[i].flow, hop: .counterWait, start: arrived,
                end: context.now))
        slots[i].serviceStart = context.now
        if officeHours(from: context.now, to: context.now + 1) == 0 { servedAfterHours += 1 }
        // The notice is drafted by counter support first (住民異動届等作成): the clerk's desk work follows its answer.
        let support = service.counterSupport
        if support.enabled && CounterSupportService.drafts(slots[i].flow, reserved: slots[i].visit.reserved) {
            slots[i].support = 1
            let v = slots[i].visit
            let newcomer = v.flow == .moveIn || v.flow == .specialMoveIn || v.flow == .moveInFromAbroad
            send(
                .counterSupport(
                    .draft(
                        FormDraft(
                            row: newcomer ? nil : v.row, notice: v.flow, persons: v.persons,
                            paperCertificate: v.flow == .moveIn))),
                hop: .formDrafting, slot: slot, &context)
            return
        }
        beginDesk(slot, &context)
    }

    /// Counter support answered (`ok`), or could not: the clerk starts the desk work, shorter for a drafted notice.
    mutating func drafted(_ slot: UInt32, _ ok: Bool, _ context: inout NodeContext<NetworkMessage>) {
        slots[Int(slot)].support = ok ? 2 : 3
        if ok { support.drafted += 1 } else { support.manual += 1 }
        if Int(slot) < inFlight.count { inFlight[Int(slot)] = nil }
        beginDesk(slot, &context)
    }

    /// The clerk's desk work for the journey in `slot` begins, alongside its backend requests.
    mutating func beginDesk(_ slot: UInt32, _ context: inout NodeContext<NetworkMessage>) {
        let i = Int(slot)
        // Reserved relocations (forms prepared from the online filing) take the shorter one-stop desk time; a
        // booked card hand-over takes its own.
        let deskFlow = slots[i].visit.reserved && slots[i].flow == .relocation ? Flow.oneStopMove : slots[i].flow
        // The notice's own part (the desk time and each further person's part) is what counter support shortens.
        var notice = desk[Int(deskFlow.rawValue)].sample(&context.random)
        var other: Int64 = 0
        // The filer's card gets its new address at a relocation or a special or one-stop move-in (券面記載事項変更).
        if slots[i].visit.cardStatus == .issued
            && (slots[i].flow == .relocation || slots[i].flow == .specialMoveIn || slots[i].flow == .oneStopMove)
        {
            other = SimulatedDuration.adding(other, service.cardFaceChange.sample(&context.random))
        }
        // A 記載事項証明書 or a 除票の写し takes longer than a copy (the items named, the removed record found).
        if slots[i].flow == .certificate, let extra = service.certificateKindExtra[slots[i].visit.certificateKind] {
            other = SimulatedDuration.adding(other, extra.sample(&context.random))
        }
        // Each further person on the notice adds their own part (forms, records, a PIN per card).
        if slots[i].visit.persons > 1, let extra = service.perExtraPerson[slots[i].flow] {
            for _ in 1..<slots[i].visit.persons {
                notice = SimulatedDuration.adding(notice, extra.sample(&context.random))
            }
        }
        switch slots[i].support {
        case 2:
            let kept = SimulatedDuration.saturating(
                Double(notice) * (1 - min(max(service.counterSupport.deskSaving, 0), 1)))
            support.saved = SimulatedDuration.adding(support.saved, notice - kept)
            notice = kept
        case 3:
            notice = SimulatedDuration.adding(notice, service.counterSupport.manualFallback)
        default:
            break
        }
        var time = SimulatedDuration.adding(notice, other)
        // The contractor's staff at their own pace (`ServiceModel.contractorDeskFactor`).
        if slots[i].byContractor && service.contractorDeskFactor != 1 {
            time = SimulatedDuration.saturating(Double(time) * max(service.contractorDeskFactor, 0))
        }
        guard time == 0 else {
            context.schedule(.deskDone(slot: slot), after: time)
            advance(slot, response: nil, &context)
            return
        }
        // Desk work that takes no time (the load mode skips delays) is done at once, without an event; only when
        // the backend is already done too does the event remain, so that finishing never recurses into the queue.
        advance(slot, response: nil, &context)
        if slots[i].backendDone {
            context.schedule(.deskDone(slot: slot), after: 0)
        } else {
            slots[i].deskDone = true
        }
    }

    /// Marks the backend part done; the journey ends when the desk work is done too.
    mutating func backendDone(_ slot: UInt32, _ context: inout NodeContext<NetworkMessage>) {
        slots[Int(slot)].backendDone = true
        if slots[Int(slot)].deskDone { finish(slot, &context) }
    }

    mutating func fail(_ slot: UInt32, _ reason: FailureReason, _ context: inout NodeContext<NetworkMessage>) {
        slots[Int(slot)].failure = reason
        backendDone(slot, &context)
    }

    /// Whether the journey's entry gets a second clerk's check before the resident leaves: every notice that
    /// changes the register (III(1)2 リスク1: "入力者と別の者が、届出内容と入力内容について再度照合し、確認を行って
    /// いる"; リスク3: "入力、削除及び訂正を行った者以外の者が確認する").
    static func needsSecondCheck(_ flow: Flow) -> Bool {
        switch flow {
        case .moveIn, .specialMoveIn, .oneStopMove, .moveOut, .relocation, .birth, .death, .moveInFromAbroad,
            .numberChange, .residentCodeChange:
            true
        case .certificate, .identitySearch, .jlisQuery, .cardLinkage, .cardIssuance, .bulkNumberAssignment,
            .consistencyCheck, .deliveryRecords, .exOfficio, .oneStopMoveOut, .certificateRenewal, .convenienceStore,
            .wideAreaCertificate:
            false
        }
    }

    /// The first clerk's part of an entry is done: they go on to other work, and the entry waits for a second
    /// clerk's check (the resident waits with it).
    mutating func awaitCheck(_ slot: UInt32, _ context: inout NodeContext<NetworkMessage>) {
        let i = Int(slot)
        let s = slots[i]
        spans.append(
            Span(journey: s.visit.journey, flow: s.flow, hop: .counterService, start: s.serviceStart, end: context.now))
        busyTime += context.now - s.serviceStart
        busyInOfficeHours += officeHours(from: s.serviceStart, to: context.now)
        slots[i].check = 1
        slots[i].deskDone = false
        checks.append(slot)
        release(slot, serving: context.now - s.serviceStart)
        dispatch(&context)
    }

    /// Employees and contractor's staff free now.
    var freeEmployees: Int { (onDuty - onDutyContractors) - (busy - busyContractors) }
    var freeContractors: Int { onDutyContractors - busyContractors }

    /// Who takes a visitor of `flow` now: the contractor's staff first (the employees stay free for the checks
    /// and the decisions), an employee otherwise; nil when nobody who may serve it is free.
    func freeStaff(for flow: Flow) -> StaffKind? {
        if freeContractors > 0 && StaffKind.contractor.mayServe(flow) { return .contractor }
        return freeEmployees > 0 ? .employee : nil
    }

    /// Staff of `kind` take the journey in `slot`.
    mutating func take(_ slot: UInt32, _ kind: StaffKind) {
        busy += 1
        if kind == .contractor {
            busyContractors += 1
            servedByContractors += 1
        }
        slots[Int(slot)].byContractor = kind == .contractor
    }

    /// Whoever served the journey in `slot` for `serving` µs is free again.
    mutating func release(_ slot: UInt32, serving: Int64) {
        busy -= 1
        if slots[Int(slot)].byContractor {
            busyContractors -= 1
            contractorTime = SimulatedDuration.adding(contractorTime, serving)
            slots[Int(slot)].byContractor = false
        }
    }

    /// A second clerk checks the entry in `slot` against the notice.
    mutating func startCheck(_ slot: UInt32, _ context: inout NodeContext<NetworkMessage>) {
        let i = Int(slot)
        let received = SimulatedTime(microseconds: slots[i].serviceStart).date
        slots[i].serviceStart = context.now
        checksDone += 1
        // A drafted notice is looked up in counter support (届出書検索) before it is read against the entry.
        if slots[i].support == 2 && service.counterSupport.enabled {
            slots[i].check = 3
            send(
                .counterSupport(.search(FormSearch(received: received, form: slots[i].visit.journey))),
                hop: .formSearch, slot: slot, &context)
            return
        }
        checkFound(slot, &context)
    }

    /// The second clerk has the notice in front of them (found in counter support, or the paper one): the check.
    mutating func checkFound(_ slot: UInt32, _ context: inout NodeContext<NetworkMessage>) {
        let i = Int(slot)
        slots[i].check = 2
        if i < inFlight.count { inFlight[i] = nil }
        let time = service.secondCheck.sample(&context.random)
        checkTime += time
        context.schedule(.deskDone(slot: slot), after: time)
    }

    /// Idle clerks take the next work: a waiting check first, then a reserved visitor, then the walk-in queue.
    /// Checks are decisions, so an employee's; visitors are served in order by whoever may serve them (a visitor
    /// only an employee may serve waits for one, and the ones behind wait too: the queue is called in order).
    mutating func dispatch(_ context: inout NodeContext<NetworkMessage>) {
        while busy < onDuty {
            if freeEmployees > 0, let slot = checks.popFirst() {
                take(slot, .employee)
                startCheck(slot, &context)
            } else if !closed, let next = reserved.first ?? queue.first,
                let kind = freeStaff(for: slots[Int(next)].flow)
            {
                if reserved.first != nil { _ = reserved.popFirst() } else { _ = queue.popFirst() }
                take(next, kind)
                queueLength.set(queue.count + reserved.count, at: context.now)
                startService(next, &context)
            } else {
                return
            }
        }
    }

    mutating func finish(_ slot: UInt32, _ context: inout NodeContext<NetworkMessage>) {
        let i = Int(slot)
        let s = slots[i]
        if s.check == 0 && s.failure == .none && service.secondCheckOn && Self.needsSecondCheck(s.flow) {
            awaitCheck(slot, &context)
            return
        }
        spans.append(
            Span(
                journey: s.visit.journey, flow: s.flow, hop: s.check == 2 ? .secondCheck : .counterService,
                ending: s.failure, start: s.serviceStart, end: context.now))
        busyTime += context.now - s.serviceStart
        busyInOfficeHours += officeHours(from: s.serviceStart, to: context.now)
        served += 1
        let f = Int(s.flow.rawValue)
        if s.failure == .none {
            stats[f].completed += 1
            stats[f].persons += Int(s.visit.persons)
            if s.visit.arrivedAt < service.measureFrom {
                // In the warm-up: counted, not measured.
            } else if context.wall != nil {
                // The load mode: real time from the intended start (corrected) and from the actual issue.
                let end = context.wallNow
                if stats[f].latency.count == 0 {
                    // Real latencies are µs to ms: keep them in µs steps.
                    stats[f].latency = LatencyHistogram(resolution: .microseconds)
                    stats[f].uncorrected = LatencyHistogram(resolution: .microseconds)
                }
                stats[f].latency.record(end - s.visit.arrivedAt)
                stats[f].uncorrected.record(end - s.visit.issuedAt)
            } else {
                stats[f].latency.record(context.now - s.visit.arrivedAt)
            }
        } else {
            stats[f].failed[s.failure, default: 0] += 1
        }
        slots[i].active = false
        slots[i].household = []
        if i < inFlight.count { inFlight[i] = nil }
        free.append(slot)
        release(slot, serving: context.now - s.serviceStart)
        dispatch(&context)
    }

    mutating func record(_ slot: UInt32, hop: Hop, end: Int64) {
        let s = slots[Int(slot)]
        spans.append(Span(journey: s.visit.journey, flow: s.flow, hop: hop, start: s.hopStart, end: end))
    }

    /// Sends a request for the journey in `slot`, as hop `hop`, over the counter LAN: register work to the
    /// register system, reservations to the application manager, everything else to the CS, which relays it.
    mutating func send(
        _ payload: RequestPayload, hop: Hop, slot: UInt32, household: [MoveOutCertificate] = [],
        _ context: inout NodeContext<NetworkMessage>
    ) {
        let s = slots[Int(slot)]
        slots[Int(slot)].hopStart = context.now
        let node: NodeID
        switch payload {
        case .register: node = layout.registerSystem
        case .application: node = layout.applicationManager
        case .certificate: node = layout.certificateSystem
        case .counterSupport: node = layout.counterSupport
        case .familyRegister: node = layout.familyRegister
        case .addressee: node = layout.unifiedAddressee ?? layout.registerSystem
        case .search, .national, .municipality, .cardSystem: node = layout.municipalCS
        }
        let link = LinkKind.counterLAN
        var request = Request(
            payload, ticket: Ticket(journey: s.visit.journey, slot: slot, flow: s.flow, hop: hop), replyTo: context.id,
            sentAt: context.now)
        if !household.isEmpty { request.household = household }
        // The clerk serving the journey signs in at the terminal of their desk: counter k's clerk c is operator
        // 100·k + c at terminal 10000 + 100·k + c (one terminal per desk [E]; which clerk is a deterministic
        // function of the journey). Operator and terminal are the seed's record items 41–42 (別添2【1】).
        if counterNumber == 0 { counterNumber = (layout.counters.firstIndex(of: context.id) ?? 0) + 1 }
        let counter = counterNumber
        let clerk = Int(s.visit.journey % UInt64(max(clerks, 1))) + 1
        let base = StaffKind.operatorBase(s.byContractor ? .contractor : .employee, counter: counter)
        request.operatorID = UInt16(truncatingIfNeeded: base + min(clerk, 99))
        request.terminal = UInt16(truncatingIfNeeded: Self.terminalBase + counter * 100 + min(clerk, 99))
        // Some requests come from staff without the rights they need (drawn only when the scenario asks, so
        // other runs keep their random streams).
        let security = service.security
        if security.inquiryOnlyShare + security.nonNumberUseShare > 0 {
            let u = context.random.nextUnit()
            if u < security.inquiryOnlyShare {
                request.operatorID = UInt16(9_000 + counter)
            } else if u < security.inquiryOnlyShare + security.nonNumberUseShare {
                request.operatorID = UInt16(8_000 + counter)
            }
        }
        if !wire.plan.isEmpty {
            // Only a run with faults can meet an unreachable node: keep what a retry needs.
            while inFlight.count <= Int(slot) { inFlight.append(nil) }
            inFlight[Int(slot)] = (request, node, link)
        }
        transmit(slot, request, to: node, over: link, &context)
    }

    /// A journey of one backend request: `payload` when service starts, the backend done when it is answered.
    mutating func singleRequest(
        _ slot: UInt32, _ payload: RequestPayload, hop: Hop, _ context: inout NodeContext<NetworkMessage>
    ) {
        guard slots[Int(slot)].step == 0 else {
            backendDone(slot, &context)
            return
        }
        slots[Int(slot)].step = 1
        send(payload, hop: hop, slot: slot, &context)
    }

    /// Moves the journey in `slot` one step on, after `response` (nil when service starts).
    mutating func advance(_ slot: UInt32, response: Response?, _ context: inout NodeContext<NetworkMessage>) {
        switch slots[Int(slot)].flow {
        case .certificate: advanceCertificate(slot, response, &context)
        case .relocation: advanceRelocation(slot, response, &context)
        case .birth: advanceBirth(slot, response, &context)
        case .death: advanceDeath(slot, response, &context)
        case .moveOut: advanceMoveOut(slot, response, &context)
        case .moveIn: advanceMoveIn(slot, response, &context)
        case .specialMoveIn: advanceSpecialMoveIn(slot, response, &context)
        case .oneStopMove: advanceOneStopMove(slot, response, &context)
        case .identitySearch: advanceIdentitySearch(slot, response, &context)
        case .jlisQuery: advanceJLISQuery(slot, response, &context)
        case .cardLinkage: advanceCardLinkage(slot, response, &context)
        case .cardIssuance: advanceCardIssuance(slot, response, &context)
        case .certificateRenewal: advanceCertificateRenewal(slot, response, &context)
        case .moveInFromAbroad: advanceMoveInFromAbroad(slot, response, &context)
        case .wideAreaCertificate: advanceWideAreaCertificate(slot, response, &context)
        case .numberChange: advanceNumberChange(slot, response, &context)
        case .residentCodeChange: advanceResidentCodeChange(slot, response, &context)
        case .bulkNumberAssignment, .consistencyCheck, .deliveryRecords, .exOfficio, .oneStopMoveOut, .convenienceStore:
            // Batch, online and kiosk flows have no counter journey: a visit for one is a model error, counted and failed.
            context.countUnhandled(kind: MessageKind.visit.rawValue)
            fail(slot, .unhandledRequest, &context)
        }
    }
}

extension BranchCounter: ReportingBehavior {
    /// A counter's figures after a run.
    public struct Report: Sendable {
        /// The counter's day as the network report shows it.
        public var counter: CounterReport
        /// Journeys by flow (indexed by the flow's raw value), their spans in order and their hops' durations.
        public var journeys: [JourneyStats]
        public var spans: [Span]
        public var hops: HopLatencies
        /// Counter arrivals and completions by hour of the day, from every span (kept or not).
        public var hourly: HourlyCounts
        public var wire: WireStatistics
        /// Requests a clerk sent again after a node was unreachable.
        public var retries: Int
        /// What counter support did here.
        public var support: CounterSupportTally
    }

    /// Clerk-seconds at the desks inside office hours over the run: the configured clerks through the office
    /// hours, or what the staffing steps put there.
    func clerkSeconds(_ period: ReportPeriod) -> Double {
        guard !steps.isEmpty else {
            return (period.openSeconds + (opensSaturdays ? period.saturdayOpenSeconds : 0)) * Double(clerks)
        }
        let calendar = BusinessCalendar.standard
        let open: [(open: Int64, close: Int64)] = (0..<days).compactMap { d in
            let day = date.adding(days: d)
            guard isOpenDay(day) else { return nil }
            let midnight = SimulatedTime(date: day).microseconds
            return (midnight + calendar.opening, min(midnight + calendar.closing, period.end))
        }
        return Double(StaffStep.clerkTime(steps, openDays: open, initial: clerks)) / 1e6
    }

    public func report(_ period: ReportPeriod) -> Report {
        Report(
            counter: counterReport(period), journeys: stats, spans: spans.spans, hops: spans.hops, hourly: spans.hourly,
            wire: wire.statistics,
            retries: retries, support: support)
    }

    /// The counter's day as the network report shows it.
    public func counterReport(_ period: ReportPeriod) -> CounterReport {
        let staffed = clerkSeconds(period)
        return CounterReport(
            name: name, clerks: clerks, served: served, meanWaitSeconds: waits.mean / 1e6,
            maxWaitSeconds: Double(waits.maximum) / 1e6, maxQueue: maxQueue,
            utilization: Double(busyInOfficeHours) / 1e6 / max(staffed, 1e-9),
            overtimeSeconds: Double(busyTime - busyInOfficeHours) / 1e6, servedAfterHours: servedAfterHours,
            sentHome: sentHome, secondChecks: checksDone, secondCheckSeconds: Double(checkTime) / 1e6,
            contractors: contractors, servedByContractors: servedByContractors,
            contractorSeconds: Double(contractorTime) / 1e6, inProgress: inProgress,
            waits: waits, queueLength: queueLength.closed(at: period.end), waitsByArrival: waitsByArrival,
            clerkSeconds: staffed, staffed: !steps.isEmpty,
            visitors: CounterReport.Visitors(
                abandoned: abandoned, balked: balked, balkedElsewhere: balkedElsewhere, balkedLater: balkedLater),
            waitLog: waitLogAtEnd(period.end))
    }

    /// The wait log with the visitors still waiting at `end` in it, as having left then: a plan judged at the run's
    /// end must not look better for the visitors it never served.
    func waitLogAtEnd(_ end: Int64) -> CounterWaitLog {
        var log = waitLog
        for slot in reserved.elements + queue.elements where Int(slot) < slots.count {
            let arrived = slots[Int(slot)].queuedAt
            log.record(arrived: arrived, wait: max(end - arrived, 0), left: true)
        }
        return log
    }
}
