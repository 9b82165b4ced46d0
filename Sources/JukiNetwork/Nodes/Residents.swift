import JukiCore
import JukiPopulation
import JukiRegister
import JukiSimulation

/// Where a move comes from: another municipality's node and its population.
public struct Origin: Sendable, Hashable {
    public var node: NodeID
    public var residents: Int
    public var inKanagawa: Bool
    public var prefectureCode: Int
    /// Resident codes and individual numbers (snapshots, shared with the register: no copy).
    public var codes: [UInt64]
    public var numbers: [UInt64]
    /// By row: the basic-facts keys a clerk's search by 4情報 gives (those of the initial identity updates: no
    /// second hashing of the names), or empty (searches for this municipality's people then use codes and numbers).
    public var facts: [BasicFactsKeys] = []

    public init(
        node: NodeID, residents: Int, inKanagawa: Bool, prefectureCode: Int, codes: [UInt64], numbers: [UInt64],
        facts: [BasicFactsKeys] = []
    ) {
        self.node = node
        self.residents = residents
        self.inKanagawa = inKanagawa
        self.prefectureCode = prefectureCode
        self.codes = codes
        self.numbers = numbers
        self.facts = facts
    }
}

/// The residents of a municipality: who moves, is born, dies or needs a certificate, when, with or without a
/// card; they start journeys by visiting their counter.
///
/// Each flow is one Poisson stream over the office day, thinned by the day's profile; the resident is picked on
/// arrival, so registered residents hold no pending events.
public struct Residents: NodeBehavior {
    let layout: NetworkLayout
    let links: LinkTable
    let workload: Workload
    let date: CivilDate
    let opening: Int64
    let closing: Int64
    /// Per row: the counter serving the resident's town, the resident code and card state (snapshots).
    let counterOfRow: [UInt8]
    let codes: [UInt64]
    let cardStatus: [UInt8]
    /// Per row: the basic-facts keys a clerk's search by 4情報 gives (from the resident's form).
    let facts: [BasicFactsKeys]
    /// The counter open on Saturday openings (the main one), if any.
    let saturdayCounter: Int?
    /// Per day of the run: closed (0), a weekday (1), the first weekday after a closed day (2), a Saturday opening
    /// of `saturdayCounter` (3).
    var dayKinds: [UInt8] = []
    /// Per row: the active members of the resident's household at the start (a notice for three persons is filed
    /// by a resident whose household has three); empty when unknown.
    let householdSizes: [UInt8]
    let origins: [Origin]
    /// Origins inside and outside Kanagawa, split once rather than on every visit.
    let kanagawa: [Origin]
    let elsewhere: [Origin]
    /// In a nationwide network: the origins' weights as movers to this municipality (a cumulative table over
    /// `origins`, from ``MigrationModel``); empty otherwise, when Kanagawa's share and an even pick decide.
    var originWeights: [Double] = []
    /// Business days to generate arrivals for, from the configured date.
    let days: Int
    var gone = Set<UInt32>()
    /// The rows of `gone`, in the order they left (a set's order must not reach the model).
    var leftInRun: [UInt32] = []
    /// One random stream per flow, and one for online filings: changing one flow's rate or shares leaves every
    /// other flow's arrivals and residents as they were (common random numbers, which a sensitivity run needs).
    var streams: [RandomStream] = []
    var nextJourney: UInt64 = 0
    public private(set) var visits: [Int] = Array(repeating: 0, count: Flow.allCases.count)

    /// The flows residents start at a counter (from the flow table).
    static let flows = Flow.counterFlows

    /// The residents' timers.
    public enum Timer: Sendable, Hashable {
        /// The next arrival of a counter flow on day `day` of the run.
        case arrival(Flow, day: Int32)
        /// In the load mode: an arrival issued from outside, counted from its intended start.
        case drivenArrival(Flow, intended: Int64)
        /// A visit a trainee decided at training desk `counter` (`jukisim train`), carrying `failure` where it can.
        case trainingArrival(Flow, counter: UInt16, failure: FailureReason)
        /// The next online move-out filing (one-stop, around the clock).
        case onlineFiling
        /// The next card application (交付申請) to J-LIS, online or by mail, around the clock.
        case cardApplication
        /// The next certificate order at a convenience store's kiosk (コンビニ交付).
        case kioskOrder
        /// A one-stop mover planned at the start files through Myna Portal, or comes to the counter.
        case oneStopFiling(Int32)
        case oneStopVisit(Int32)
    }
    /// One-stop movers to this municipality, planned at the start (``planOneStop(_:)``).
    var oneStopPlans: [OneStopPlan] = []
    public private(set) var oneStopFilings = 0
    let numbers: [UInt64]
    public private(set) var onlineFilings = 0
    public private(set) var cardApplications = 0
    public private(set) var kioskOrders = 0
    /// Rows whose records were removed before the run (除票): the persons a 除票の写し is asked for.
    let removedRows: [UInt32]
    /// The kiosks' hours and the run's end.
    let kioskService: CertificateService
    /// The load mode drives arrivals (``Timer/drivenArrival(_:intended:)`` from outside), nothing of our own.
    var driven = false
    /// The counters' procedures and hours, when some counter restricts them (empty: every counter takes every
    /// flow all day).
    let routes: [CounterConfiguration]

    public init(
        layout: NetworkLayout, links: LinkTable, workload: Workload, date: CivilDate, opening: Int64, closing: Int64,
        counterOfRow: [UInt8], codes: [UInt64], numbers: [UInt64], cardStatus: [UInt8], origins: [Origin],
        facts: [BasicFactsKeys] = [], householdSizes: [UInt8] = [], days: Int = 1, driven: Bool = false,
        saturdayCounter: Int? = nil, removedRows: [UInt32] = [], kioskService: CertificateService = .standard,
        routes: [CounterConfiguration] = []
    ) {
        self.routes = routes
        self.removedRows = removedRows
        self.kioskService = kioskService
        self.saturdayCounter = saturdayCounter
        self.facts = facts
        self.householdSizes = householdSizes
        self.days = days
        self.driven = driven
        self.numbers = numbers
        self.layout = layout
        self.links = links
        self.workload = workload
        self.date = date
        self.opening = opening
        self.closing = closing
        self.counterOfRow = counterOfRow
        self.codes = codes
        self.cardStatus = cardStatus
        self.origins = origins
        kanagawa = origins.filter(\.inKanagawa)
        elsewhere = origins.filter { !$0.inKanagawa }
        dayKinds = (0..<max(days, 1)).map { Self.kind(of: date.adding(days: $0), saturdays: saturdayCounter != nil) }
    }

    /// The kind of a date: closed (0), a weekday (1), the first weekday back (2), a Saturday opening (3).
    static func kind(of day: CivilDate, saturdays: Bool) -> UInt8 {
        let calendar = BusinessCalendar.standard
        if calendar.isBusinessDay(day) { return calendar.followsBusinessDay(day) ? 1 : 2 }
        return saturdays && calendar.isSaturdayOpening(day) ? 3 : 0
    }

    /// The kind of day `day` of the run is (``dayKinds``; worked out from the calendar outside the run, where
    /// one-stop visits are planned too).
    func dayKind(_ day: Int) -> UInt8 {
        dayKinds.indices.contains(day)
            ? dayKinds[day] : Self.kind(of: date.adding(days: day), saturdays: saturdayCounter != nil)
    }

    /// The multiplier of `flow`'s weekday rate on day `day`: 0 when closed (or a flow the Saturday counter does not
    /// take), the after-holiday factor on the first weekday back, the Saturday share on a Saturday opening.
    func dayFactor(_ flow: Flow, day: Int) -> Double {
        switch dayKind(day) {
        case 1: 1
        case 2: workload.afterHolidayFactor
        case 3: Workload.saturdayFlows.contains(flow) ? workload.saturdayShare : 0
        default: 0
        }
    }

    /// Arrivals per day of `flow`, after splitting move-ins into ordinary and special.
    func perDay(_ flow: Flow) -> Double { workload.counterRate(flow) }

    /// Midnight starting day `day` of the run (0 = the configured date).
    func dayStart(_ day: Int) -> Int64 { SimulatedTime(date: date.adding(days: day)).microseconds }

    /// The seasonal multiplier of `flow` on day `day` (March and April are the moving season: moves and the
    /// certificates they bring rise, the rest does not).
    func season(_ flow: Flow, day: Int) -> Double {
        workload.seasonalFactor(flow, month: date.adding(days: day).components.month)
    }

    /// The peak arrival rate of `flow` per µs on day `day` (thinning bound).
    func peakRate(_ flow: Flow, day: Int) -> Double {
        let profile = workload.dayProfile
        let bucket = Double(closing - opening) / Double(profile.count)
        let total = profile.reduce(0, +) * bucket
        return perDay(flow) * season(flow, day: day) * dayFactor(flow, day: day) * (profile.max() ?? 1) / total
    }

    /// Runs `body` with flow `index`'s own random stream in the context's place.
    mutating func withStream(
        _ index: Int, _ context: inout NodeContext<NetworkMessage>,
        _ body: (inout Self, inout NodeContext<NetworkMessage>) -> Void
    ) {
        if streams.isEmpty {
            let seed = context.random.next()
            streams = (0...Self.lastStream).map { RandomStream(seed: seed, stream: UInt64($0) + 1) }
        }
        swap(&context.random, &streams[index])
        body(&self, &context)
        swap(&context.random, &streams[index])
    }

    public mutating func start(_ context: inout NodeContext<NetworkMessage>) {
        // Draw the streams now, before anything else uses the node's own.
        withStream(0, &context) { _, _ in }
        guard !driven else { return }
        withStream(Int(Flow.oneStopMove.rawValue), &context) { $0.planOneStop(&$1) }
        for day in 0..<max(days, 1) {
            // Counters are closed on weekends, holidays and over the new year (only online filings come in), but
            // for the Saturday counter on the 2nd and 4th Saturdays. One-stop visits are planned from their
            // filings (`planOneStop`).
            if dayKind(day) != 0 {
                for flow in Self.flows where perDay(flow) * dayFactor(flow, day: day) > 0 && flow != .oneStopMove {
                    let start = dayStart(day) + opening
                    withStream(Self.stream(flow), &context) { $0.scheduleNext(flow, day: day, after: start, &$1) }
                }
            }
        }
        let first = dayStart(0)
        withStream(Self.filingStream, &context) { $0.scheduleFiling(after: first, &$1) }
        withStream(Self.applicationStream, &context) { $0.scheduleApplication(after: first, &$1) }
        withStream(Self.kioskStream, &context) { $0.scheduleKioskOrder(after: first, &$1) }
    }

    /// The next kiosk order: Poisson at `workload.kioskPerDay` over the kiosks' hours, every day they open.
    mutating func scheduleKioskOrder(after time: Int64, _ context: inout NodeContext<NetworkMessage>) {
        let hours = Double(kioskService.kioskCloses - kioskService.kioskOpens)
        guard workload.kioskPerDay > 0, hours > 0, !codes.isEmpty else { return }
        // Time runs only while kiosks are open: a gap that passes closing continues at the next opening.
        var t = time
        var gap = context.random.nextExponential(mean: hours / workload.kioskPerDay)
        let end = dayStart(max(days, 1))
        while t < end {
            let dayStartT = SimulatedTime(date: SimulatedTime(microseconds: t).date).microseconds
            let opens = dayStartT + kioskService.kioskOpens
            let closes = dayStartT + kioskService.kioskCloses
            if !kioskService.kioskOpen(at: max(t, opens)) || t >= closes {
                t = dayStartT + SimulatedTime.microsecondsPerDay
                continue
            }
            t = max(t, opens)
            let left = Double(closes - t)
            if gap < left {
                t = SimulatedDuration.adding(t, max(1, SimulatedDuration.saturating(gap)))
                guard t < end else { return }
                context.schedule(.timer(.residents(.kioskOrder)), at: t)
                return
            }
            gap -= left
            t = dayStartT + SimulatedTime.microsecondsPerDay
        }
    }

    /// A card holder orders a 住民票の写し at a kiosk with the card and its PIN: the order goes over the internet to
    /// J-LIS's certificate centre and on to the municipality's certificate system.
    mutating func orderAtKiosk(_ context: inout NodeContext<NetworkMessage>) {
        kioskOrders += 1
        var row = pickRow(&context)
        // Card holders only: a few draws find one.
        for _ in 0..<8 where cardStatus[row.index] != CardStatus.issued.rawValue { row = pickRow(&context) }
        guard cardStatus[row.index] == CardStatus.issued.rawValue else { return }
        let journey = UInt64(context.id) << 40 | nextJourney
        nextJourney += 1
        let pinCorrect = !context.random.chance(workload.pinFailure)
        let order = KioskOrder(
            code: ResidentCode(uncheckedRawValue: codes[row.index]), row: row, kind: .residentRecordCopy,
            withNumber: context.random.chance(workload.numberOnCertificateShare), pinCorrect: pinCorrect)
        let request = Request(
            .certificate(.kiosk(order)),
            ticket: Ticket(journey: journey, slot: nil, flow: .convenienceStore, hop: .issueCertificate),
            replyTo: context.id, sentAt: context.now)
        context.send(
            .request(request), to: layout.certificateSystem, delay: links.latency(.portal).sample(&context.random))
    }

    /// A resident who died or moved out in the run: no longer picked, and a 除票の写し may be asked for them later.
    mutating func leave(_ row: RowID) {
        if gone.insert(row.rawValue).inserted { leftInRun.append(row.rawValue) }
    }

    /// Which certificate a counter visitor asks for, and for whom: drawn from a hash of the journey rather than the
    /// flow's stream, so the kinds did not move the arrivals and residents the stream draws.
    func certificateChoice(_ v: inout Visit) {
        let u = Mixing.unit(v.journey ^ 0xCE27_1F1C)
        let w = Mixing.unit(v.journey ^ 0x5EC0_11D0)
        let removed = removedRows.count + leftInRun.count
        if u < workload.removedRecordCopyShare, removed > 0 {
            // Of a record removed before the run, or of a resident who died or left earlier in it.
            let pick = Int(Mixing.fmix64(v.journey) % UInt64(removed))
            v.certificateKind = .removedRecordCopy
            v.row = RowID(pick < removedRows.count ? removedRows[pick] : leftInRun[pick - removedRows.count])
            v.numberRequested = false
        } else if u < workload.removedRecordCopyShare + workload.entryCertificateShare {
            v.certificateKind = .entryCertificate
        }
        v.codeRequested = v.certificateKind != .removedRecordCopy && w < workload.codeOnCertificateShare
    }

    /// The next card application, around the clock at `workload.cardApplicationsPerDay`.
    mutating func scheduleApplication(after time: Int64, _ context: inout NodeContext<NetworkMessage>) {
        guard workload.cardApplicationsPerDay > 0, !codes.isEmpty else { return }
        let mean = Double(SimulatedTime.microsecondsPerDay) / workload.cardApplicationsPerDay
        let t = SimulatedDuration.adding(time, SimulatedDuration.saturating(context.random.nextExponential(mean: mean)))
        guard t < dayStart(max(days, 1)) else { return }
        context.schedule(.timer(.residents(.cardApplication)), at: t)
    }

    /// A resident applies for a card with J-LIS (交付申請): a renewal when their card or its certificates run out,
    /// else a first card. J-LIS makes it and the municipality mails the 交付通知書; the hand-over is a counter visit.
    mutating func applyForCard(_ context: inout NodeContext<NetworkMessage>) {
        cardApplications += 1
        let row = pickRow(&context)
        let renewal = context.random.chance(workload.cardRenewalShare)
        let request = Request(
            .cardSystem(.application(ResidentCode(uncheckedRawValue: codes[row.index]), renewal: renewal)),
            ticket: Ticket(
                journey: UInt64(context.id) << 40 | nextJourney, slot: nil, flow: .cardIssuance, hop: .cardIssuance),
            replyTo: context.id, sentAt: context.now)
        nextJourney += 1
        context.send(.request(request), to: layout.cardSystem, delay: links.latency(.portal).sample(&context.random))
    }

    mutating func scheduleFiling(after time: Int64, _ context: inout NodeContext<NetworkMessage>) {
        guard workload.onlineMoveOutNoticesPerDay > 0, !origins.isEmpty else { return }
        // Online move-outs are moves: the season of the day the gap starts on sets the rate.
        let day = Int(max(0, (time - dayStart(0)) / SimulatedTime.microsecondsPerDay))
        let rate = workload.onlineMoveOutNoticesPerDay * season(.moveOut, day: day)
        guard rate > 0 else { return }
        let mean = Double(SimulatedTime.microsecondsPerDay) / rate
        let t = SimulatedDuration.adding(time, SimulatedDuration.saturating(context.random.nextExponential(mean: mean)))
        guard t < dayStart(max(days, 1)) else { return }
        context.schedule(.timer(.residents(.onlineFiling)), at: t)
    }

    /// A resident files a move-out online (one-stop): Myna Portal → the application manager; a whole household
    /// files on one notice.
    /// The move-out is planned up to 10 days before the filing or 30 after it, uniformly (the window), except for
    /// `workload.oneStopOutsideWindowShare` outside it (refused); `oneStopCancellationShare` of the filings are
    /// withdrawn before processing.
    mutating func fileOnline(_ context: inout NodeContext<NetworkMessage>) {
        onlineFilings += 1
        var persons = workload.drawPersons(.moveOut, &context.random)
        let row = pickRow(persons: &persons, &context)
        let destination = origins[Int(context.random.next(below: UInt64(origins.count)))].node
        let journey = UInt64(context.id) << 40 | nextJourney
        nextJourney += 1
        let today = SimulatedTime(microseconds: context.now).date
        let u = context.random.nextUnit()
        let off = 1 + Int(context.random.next(below: 10))
        let planned: CivilDate
        if u < workload.oneStopOutsideWindowShare {
            // Filed too early (more than 30 days ahead) or too late (more than 10 days after moving), half each.
            planned =
                context.random.chance(0.5)
                ? today.adding(days: OneStopRules.daysBefore + off) : today.adding(days: -OneStopRules.daysAfter - off)
        } else {
            let span = OneStopRules.daysBefore + OneStopRules.daysAfter + 1
            planned = today.adding(days: Int(context.random.next(below: UInt64(span))) - OneStopRules.daysAfter)
        }
        let cancelled =
            u >= workload.oneStopOutsideWindowShare
            && u < workload.oneStopOutsideWindowShare + workload.oneStopCancellationShare
        if !cancelled && u >= workload.oneStopOutsideWindowShare { leave(row) }
        let request = Request(
            .application(
                .onlineMoveOut(
                    row: row, destination: destination, plannedMoveOut: planned, persons: persons,
                    cancelled: cancelled)),
            ticket: Ticket(journey: journey, slot: nil, flow: .oneStopMoveOut, hop: .reservation),
            replyTo: context.id, sentAt: context.now)
        context.send(.request(request), to: layout.mynaPortal, delay: links.latency(.portal).sample(&context.random))
    }

    mutating func scheduleNext(_ flow: Flow, day: Int, after time: Int64, _ context: inout NodeContext<NetworkMessage>)
    {
        let rate = peakRate(flow, day: day)
        guard rate > 0 else { return }
        let t = SimulatedDuration.adding(
            time, SimulatedDuration.saturating(context.random.nextExponential(mean: 1 / rate)))
        guard t < dayStart(day) + closing else { return }
        context.schedule(.timer(.residents(.arrival(flow, day: Int32(clamping: day)))), at: t)
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        let flow: Flow
        let day: Int
        switch event.message {
        case .timer(.residents(.onlineFiling)):
            withStream(Self.filingStream, &context) {
                $0.fileOnline(&$1)
                $0.scheduleFiling(after: $1.now, &$1)
            }
            return
        case .timer(.residents(.cardApplication)):
            withStream(Self.applicationStream, &context) {
                $0.applyForCard(&$1)
                $0.scheduleApplication(after: $1.now, &$1)
            }
            return
        case .timer(.residents(.kioskOrder)):
            withStream(Self.kioskStream, &context) {
                $0.orderAtKiosk(&$1)
                $0.scheduleKioskOrder(after: $1.now, &$1)
            }
            return
        case .timer(.residents(.oneStopFiling(let index))):
            withStream(Int(Flow.oneStopMove.rawValue), &context) { $0.fileOneStop(Int(index), &$1) }
            return
        case .timer(.residents(.oneStopVisit(let index))):
            withStream(Int(Flow.oneStopMove.rawValue), &context) { $0.comeWithReservation(Int(index), &$1) }
            return
        case .timer(.residents(.drivenArrival(let f, let intended))):
            withStream(Self.stream(f), &context) { $0.visit(f, intended: intended, &$1) }
            return
        case .timer(.residents(.trainingArrival(let f, let counter, let failure))):
            withStream(Self.stream(f), &context) {
                $0.visit(f, training: (Int(counter), failure), &$1)
            }
            return
        case .timer(.residents(.arrival(let f, let d))):
            (flow, day) = (f, Int(d))
        case .timer(.counter), .timer(.registerSystem), .timer(.municipalCS), .timer(.applicationManager),
            .timer(.informationSharing), .timer(.department), .timer(.immigration), .timer(.familyRegister),
            .timer(.otherMunicipality), .timer(.cardSystem), .timer(.outboxRetry), .visit, .deskDone, .request,
            .response, .served, .identityUpdates, .updateAck, .numberRequest, .numberReply, .deliveryRecords,
            .deliveryAck, .consistency, .addressees, .sharing, .immigration, .familyRegister:
            // Residents receive nothing from the network: answers go to the counters.
            context.countUnhandled(kind: event.message.kind.rawValue)
            return
        }
        withStream(Self.stream(flow), &context) { $0.arrival(flow, day: day, &$1) }
    }

    /// The index of the online filings' stream (after the flows'), and of the card applications'.
    /// The online move-outs' stream is their flow's (the last: the streams before it keep their numbers).
    static let filingStream = Int(Flow.oneStopMoveOut.rawValue)
    /// Fixed numbers: a flow added after them keeps its own stream without moving these.
    static let applicationStream = Int(Flow.certificateRenewal.rawValue) + 1
    static let kioskStream = applicationStream + 1

    /// A flow's own stream: its raw value, but for the flows after the kiosks' (whose raw values meet the fixed
    /// streams above), which follow them in order.
    static func stream(_ flow: Flow) -> Int {
        let last = Flow.convenienceStore.rawValue
        return flow.rawValue > last ? kioskStream + Int(flow.rawValue - last) : Int(flow.rawValue)
    }

    /// The highest stream index any flow or fixed stream uses.
    static let lastStream = Flow.allCases.map(stream).max() ?? kioskStream

    /// A candidate arrival of `flow`, thinned by the day's profile, and the next one scheduled.
    mutating func arrival(_ flow: Flow, day: Int, _ context: inout NodeContext<NetworkMessage>) {
        let profile = workload.dayProfile
        let bucket = Int((context.now - dayStart(day) - opening) * Int64(profile.count) / max(closing - opening, 1))
        var accept = profile[min(max(bucket, 0), profile.count - 1)] / (profile.max() ?? 1)
        // The Saturday counter closes for lunch.
        if dayKind(day) == 3 && BusinessCalendar.saturdayLunch.contains(context.now - dayStart(day)) { accept = 0 }
        if context.random.nextUnit() < accept { visit(flow, saturday: dayKind(day) == 3, &context) }
        scheduleNext(flow, day: day, after: context.now, &context)
    }

    /// A random resident still here (the register refuses the few picked twice in a day).
    mutating func pickRow(_ context: inout NodeContext<NetworkMessage>) -> RowID {
        var row = UInt32(context.random.next(below: UInt64(max(codes.count, 1))))
        for _ in 0..<4 where gone.contains(row) {
            row = UInt32(context.random.next(below: UInt64(max(codes.count, 1))))
        }
        return RowID(row)
    }

    /// A random resident still here whose household has at least `persons` members: households of that size are
    /// drawn in proportion to their members, as movers are. After a few tries the notice takes the household of
    /// the last resident drawn, whatever its size (`persons` then says how many the notice names).
    mutating func pickRow(persons: inout UInt8, _ context: inout NodeContext<NetworkMessage>) -> RowID {
        var row = pickRow(&context)
        guard persons > 1, !householdSizes.isEmpty else { return row }
        for _ in 0..<16 where row.index < householdSizes.count && householdSizes[row.index] < persons {
            row = pickRow(&context)
        }
        if row.index < householdSizes.count { persons = min(persons, max(householdSizes[row.index], 1)) }
        return row
    }

    mutating func visit(
        _ flow: Flow, intended: Int64? = nil, saturday: Bool = false,
        training: (counter: Int, failure: FailureReason)? = nil, _ context: inout NodeContext<NetworkMessage>
    ) {
        guard !codes.isEmpty else { return }
        visits[Int(flow.rawValue)] += 1
        // How many persons the notice names: a household moving together files one (moves and relocations).
        var persons = workload.drawPersons(flow, &context.random)
        var row =
            Self.movesIn(flow) || flow == .moveInFromAbroad ? pickRow(&context) : pickRow(persons: &persons, &context)
        // Renewals come from card holders (the J-LIS notice went to them): a few draws find one.
        for _ in 0..<8 where flow == .certificateRenewal && cardStatus[row.index] != CardStatus.issued.rawValue {
            row = pickRow(&context)
        }
        let journey = UInt64(context.id) << 40 | nextJourney
        nextJourney += 1
        var v = Visit(
            flow: flow, journey: journey, row: row, code: ResidentCode(uncheckedRawValue: codes[row.index]),
            cardStatus: CardStatus(rawValue: cardStatus[row.index]) ?? .none, certificateDataMissing: false,
            origin: nil, plannedMoveOut: date, movedIn: date, cardBrought: false, pinCorrect: true, arrivedAt: 0)
        v.persons = persons
        // The district's counter, or the main one (本庁) for the flow's share of visits.
        let main = context.random.chance(workload.mainCounterShare[flow] ?? 0)
        var counterIndex = main ? 0 : min(Int(counterOfRow[row.index]), layout.counters.count - 1)
        if saturday, let open = saturdayCounter { counterIndex = min(open, layout.counters.count - 1) }
        counterIndex = route(flow, from: counterIndex, at: context.now)
        if let t = training { counterIndex = min(max(t.counter, 0), layout.counters.count - 1) }
        let counter = layout.counters[counterIndex]
        switch flow {
        case .death:
            leave(row)
        case .moveOut:
            leave(row)
            // Where to: the other end of the move records the resident when they move in there.
            if !origins.isEmpty { v.origin = origins[Int(context.random.next(below: UInt64(origins.count)))].node }
        case .certificate:
            v.cardBrought =
                v.cardStatus == .issued
                && context.random.chance(workload.cardPresentationShare)
            v.pinCorrect = !context.random.chance(workload.pinFailure)
            v.numberRequested = context.random.chance(workload.numberOnCertificateShare)
            certificateChoice(&v)
        case .relocation:
            v.reserved = context.random.chance(workload.relocationReservationShare)
        case .moveIn, .specialMoveIn, .oneStopMove:
            v.reserved = flow == .oneStopMove
            mover(&v, special: flow != .moveIn, &context)
            // A one-stop mover filed the move-out online: the origin has it (the error path is the special route's).
            if flow == .oneStopMove { v.certificateDataMissing = false }
        case .identitySearch:
            searchTarget(&v, &context)
        case .jlisQuery:
            v.purpose = .query(queryTarget(row: row, code: v.code, &context))
        case .cardLinkage:
            // A return, a suspension lift or a collection: a hand-over (issue) is its own flow, `cardIssuance`.
            v.purpose = .cardEvent(CardEvent.allCases[1 + Int(context.random.next(below: 3))])
        case .cardIssuance:
            // Hand-overs are booked (交付予約: 狛江市 "必ず受取日時のご予約", 伊勢原市 "予約優先"): the arrival stands for the
            // booked time, and the visitor queues with the rest (the city staffs for them; they do not jump ahead).
            break
        case .birth, .moveInFromAbroad, .numberChange, .residentCodeChange, .bulkNumberAssignment, .consistencyCheck,
            .deliveryRecords, .exOfficio, .oneStopMoveOut, .convenienceStore:
            break
        case .certificateRenewal:
            v.cardBrought = v.cardStatus == .issued && !context.random.chance(workload.cardNotBrought)
        case .wideAreaCertificate:
            wideAreaVisitor(&v, &context)
        }
        if let t = training { Self.decided(&v, failure: t.failure, date: date) }
        let delay = links.latency(.residentToCounter).sample(&context.random)
        v.arrivedAt = intended ?? (context.now + delay)
        v.issuedAt = intended == nil ? v.arrivedAt : context.wallNow
        if let origin = v.origin, Self.movesIn(flow) {
            // A mover files the move-out at the previous municipality first (転出届, 別添1 ④), then comes here: the
            // origin records it, keeps the certificate data, hands a paper certificate to an ordinary mover and
            // sends them on to the counter. (The filing is recorded as the mover sets out; its dates are the
            // real ones.)
            v.counterIndex = UInt8(clamping: counterIndex)
            let trip = links.latency(.residentToCounter).sample(&context.random)
            if intended == nil { v.arrivedAt += trip }
            context.send(.visit(v), to: origin, delay: trip)
            return
        }
        context.send(.visit(v), to: counter, delay: delay)
    }

    /// A training desk's visit as the trainee accepted it: in order (the card brought and valid, the PIN known, the
    /// certificate data there, moved in three days ago) but for the `failure` the case held, which the network
    /// then finds as it would for any visitor.
    static func decided(_ v: inout Visit, failure: FailureReason, date: CivilDate) {
        v.pinCorrect = true
        v.certificateDataMissing = false
        // The trainee decided the number on a copy (and has the rights the drill gives).
        v.numberRequested = false
        switch v.flow {
        case .specialMoveIn, .oneStopMove, .certificateRenewal:
            v.cardBrought = true
            v.cardStatus = .issued
        default:
            // The identity document was checked at the desk: a card counts only if its holder has one in use.
            v.cardBrought = v.cardBrought && v.cardStatus == .issued
        }
        if Self.movesIn(v.flow) {
            v.movedIn = date.adding(days: -3)
            v.plannedMoveOut = v.movedIn
        }
        switch failure {
        case .cardNotBrought: v.cardBrought = false
        case .pinFailure: v.pinCorrect = false
        case .cardExpired: v.cardStatus = .expired
        case .cardSuspended: v.cardStatus = .suspended
        case .cardRevoked: v.cardStatus = .revoked
        case .certificateDataNotFound: v.certificateDataMissing = true
        case .deadlinePassed: v.movedIn = date.adding(days: -20)
        default: break
        }
    }

    /// Plans the one-stop movers to this municipality (引越しワンストップ, the destination's side): each files the 転出届
    /// and the 転入予約 together through Myna Portal days before the visit, at least 2–3 business days before it
    /// (`OneStopRules.readyBusinessDays`) and up to `workload.oneStopLeadDays` more, inside the window; the visit
    /// comes on a business day within 10 days of moving in (the special move-in's 14). A share files outside the
    /// window (refused: the mover goes the paper route, not modelled) or withdraws the filing (no visit): the
    /// filings come at the flow's rate over what is left, so the visits keep it. Filings made before the run are
    /// sent at its start with their filing time (the origin processes them at once); visits after the run are not
    /// planned, their filings in the run are. The load mode keeps visits that fetch the data on the day.
    mutating func planOneStop(_ context: inout NodeContext<NetworkMessage>) {
        let flow = Flow.oneStopMove
        guard perDay(flow) > 0, !origins.isEmpty, !codes.isEmpty else { return }
        let calendar = BusinessCalendar.standard
        let lost = min(max(workload.oneStopOutsideWindowShare + workload.oneStopCancellationShare, 0), 0.9)
        let profile = workload.dayProfile
        let peak = profile.max() ?? 1
        let lookahead = Int(min(max(workload.oneStopLeadDays, 0), 365).rounded(.up)) + 10
        let runEnd = dayStart(max(days, 1))
        for day in 0..<(max(days, 1) + lookahead) where calendar.isBusinessDay(date.adding(days: day)) {
            let rate = peakRate(flow, day: day) / (1 - lost)
            guard rate > 0 else { continue }
            var t = dayStart(day) + opening
            while true {
                t = SimulatedDuration.adding(
                    t, SimulatedDuration.saturating(context.random.nextExponential(mean: 1 / rate)))
                guard t < dayStart(day) + closing else { break }
                let bucket = Int((t - dayStart(day) - opening) * Int64(profile.count) / max(closing - opening, 1))
                guard context.random.nextUnit() < profile[min(max(bucket, 0), profile.count - 1)] / peak else {
                    continue
                }
                planOneStop(visitAt: t, day: day, runEnd: runEnd, &context)
            }
        }
    }

    /// One planned one-stop mover whose visit would be at `time` on day `day` of the run.
    mutating func planOneStop(
        visitAt time: Int64, day: Int, runEnd: Int64, _ context: inout NodeContext<NetworkMessage>
    ) {
        let calendar = BusinessCalendar.standard
        let journey = UInt64(context.id) << 40 | nextJourney
        nextJourney += 1
        // The district of the new address: a resident's there.
        let home = pickRow(&context)
        var v = Visit(
            flow: .oneStopMove, journey: journey, row: home, code: ResidentCode(uncheckedRawValue: codes[home.index]),
            cardStatus: .none, certificateDataMissing: false, origin: nil, plannedMoveOut: date, movedIn: date,
            cardBrought: false, pinCorrect: true, arrivedAt: 0)
        v.persons = workload.drawPersons(.oneStopMove, &context.random)
        v.reserved = true
        let main = context.random.chance(workload.mainCounterShare[.oneStopMove] ?? 0)
        v.counterIndex = UInt8(clamping: main ? 0 : min(Int(counterOfRow[home.index]), layout.counters.count - 1))
        mover(&v, special: true, &context)
        v.certificateDataMissing = false
        guard v.origin != nil else { return }
        // Moved in up to 9 days before the visit, having planned the move-out up to a week before that.
        let visitDate = date.adding(days: day)
        v.movedIn = visitDate.adding(days: -Int(context.random.next(below: 10)))
        v.plannedMoveOut = v.movedIn.adding(days: -Int(context.random.next(below: 8)))
        // Filed at least 2–3 business days before the visit (the data must be ready), up to the lead earlier.
        var latest = visitDate
        let ready = OneStopRules.readyBusinessDays.lowerBound + Int(context.random.next(below: 2))
        for _ in 0..<ready {
            latest = latest.adding(days: -1)
            for _ in 0..<14 where !calendar.isBusinessDay(latest) { latest = latest.adding(days: -1) }
        }
        let dayLength = SimulatedTime.microsecondsPerDay
        let lead = SimulatedDuration.saturating(
            context.random.nextUnit() * min(max(workload.oneStopLeadDays, 0), 365) * Double(dayLength))
        var filedAt =
            SimulatedTime(date: latest).microseconds + Int64(context.random.next(below: UInt64(dayLength))) - lead
        let lastDay = v.plannedMoveOut.adding(days: OneStopRules.daysAfter)
        if SimulatedTime(microseconds: filedAt).date > lastDay {
            filedAt = SimulatedTime(date: lastDay).microseconds + Int64(context.random.next(below: UInt64(dayLength)))
        }
        let u = context.random.nextUnit()
        let outside = u < workload.oneStopOutsideWindowShare
        if outside {
            // Too early or too late for the window, half each.
            let off = 1 + Int(context.random.next(below: 10))
            let filedOn =
                context.random.chance(0.5)
                ? v.plannedMoveOut.adding(days: -OneStopRules.daysBefore - off)
                : v.plannedMoveOut.adding(days: OneStopRules.daysAfter + off)
            filedAt = SimulatedTime(date: filedOn).microseconds + Int64(context.random.next(below: UInt64(dayLength)))
        }
        let cancelled = !outside && u < workload.oneStopOutsideWindowShare + workload.oneStopCancellationShare
        let comes = !outside && !cancelled && time < runEnd
        guard filedAt < runEnd else { return }
        let index = Int32(clamping: oneStopPlans.count)
        oneStopPlans.append(OneStopPlan(visit: v, filedAt: filedAt, cancelled: cancelled))
        // A filing from before the run goes at its start (carrying its own time): the simulation does not run
        // the days before it, where an outbox could retry for a week of virtual time.
        context.schedule(.timer(.residents(.oneStopFiling(index))), at: max(filedAt, dayStart(0)))
        if comes { context.schedule(.timer(.residents(.oneStopVisit(index))), at: time) }
    }

    /// A planned one-stop mover files the 転出届 and the 転入予約 through Myna Portal (a filing from before the run
    /// carries its own time).
    mutating func fileOneStop(_ index: Int, _ context: inout NodeContext<NetworkMessage>) {
        guard index < oneStopPlans.count, let data = oneStopPlans[index].visit.certificateDataRequest else { return }
        let plan = oneStopPlans[index]
        oneStopFilings += 1
        let request = Request(
            .application(.moveInReservation(data, persons: plan.visit.persons, cancelled: plan.cancelled)),
            ticket: Ticket(journey: plan.visit.journey, slot: nil, flow: .oneStopMove, hop: .reservation),
            replyTo: context.id, sentAt: min(plan.filedAt, context.now))
        context.send(.request(request), to: layout.mynaPortal, delay: links.latency(.portal).sample(&context.random))
    }

    /// A planned one-stop mover comes to the counter on the reserved day.
    mutating func comeWithReservation(_ index: Int, _ context: inout NodeContext<NetworkMessage>) {
        guard index < oneStopPlans.count else { return }
        var v = oneStopPlans[index].visit
        visits[Int(Flow.oneStopMove.rawValue)] += 1
        let delay = links.latency(.residentToCounter).sample(&context.random)
        v.arrivedAt = context.now + delay
        v.issuedAt = v.arrivedAt
        let counter = route(.oneStopMove, from: min(Int(v.counterIndex), layout.counters.count - 1), at: context.now)
        context.send(.visit(v), to: layout.counters[counter], delay: delay)
    }

    /// The counter a visitor of `flow` at `time` goes to, having picked counter `index`: that one if it takes the
    /// flow then; else the main counter (本庁), then the others in order, that take it then; else those that take
    /// the flow at some hour (the visitor waits for it to open). The scenario makes sure some counter takes it.
    func route(_ flow: Flow, from index: Int, at time: Int64) -> Int {
        guard !routes.isEmpty, index < routes.count else { return index }
        let midnight = SimulatedTime(date: SimulatedTime(microseconds: time).date).microseconds
        let timeOfDay = time - midnight
        if routes[index].takes(flow, at: timeOfDay) { return index }
        if let open = routes.indices.first(where: { routes[$0].takes(flow, at: timeOfDay) }) { return open }
        return routes.indices.first { routes[$0].procedures?.contains(flow) ?? true } ?? index
    }

    /// Whom a clerk searches for, by what, and where the search is routed: the municipality's own residents from
    /// the CS's file, another municipality's through the prefecture server (in Kanagawa) or the national server
    /// (別添1 2.4-① ※), by basic facts, individual number or resident code at the same shares at every scope.
    func searchTarget(_ v: inout Visit, _ context: inout NodeContext<NetworkMessage>) {
        let u = context.random.nextUnit()
        if u < 0.6 || origins.isEmpty {
            let target = target(
                code: v.code, number: numbers[v.row.index], facts: v.row.index < facts.count ? facts[v.row.index] : nil,
                &context)
            v.purpose = .search(SearchRequest(target: target, scope: .own))
            return
        }
        let pool = (u < 0.85 && !kanagawa.isEmpty) || elsewhere.isEmpty ? kanagawa : elsewhere
        guard !pool.isEmpty else { return }
        let o = pool[Int(context.random.next(below: UInt64(pool.count)))]
        let i = o.codes.isEmpty ? 0 : Int(context.random.next(below: UInt64(o.codes.count)))
        let target = target(
            code: ResidentCode(uncheckedRawValue: i < o.codes.count ? o.codes[i] : 0),
            number: i < o.numbers.count ? o.numbers[i] : 0, facts: i < o.facts.count ? o.facts[i] : nil, &context)
        v.purpose = .search(
            SearchRequest(
                target: target, scope: o.inKanagawa ? .prefecture(UInt8(clamping: o.prefectureCode)) : .nation))
    }

    /// A search target for a person: by basic facts (`workload.basicFactsSearchShare`, some with too few facts),
    /// by individual number for a share of the rest (`numberSearchShare`, a designated number only), else by code.
    func target(
        code: ResidentCode, number: UInt64, facts keys: BasicFactsKeys?, _ context: inout NodeContext<NetworkMessage>
    ) -> SearchTarget {
        if context.random.chance(workload.basicFactsSearchShare), let keys {
            return factsTarget(keys, &context)
        }
        if context.random.chance(workload.numberSearchShare), number != 0 {
            return .number(IndividualNumber(uncheckedRawValue: number))
        }
        return .code(code)
    }

    /// Basic facts as a clerk gives them: too few for `workload.insufficientFactsShare` (refused at every scope,
    /// III(2)2 リスク1), else the name with the birth date or with the address, half each.
    func factsTarget(_ keys: BasicFactsKeys, _ context: inout NodeContext<NetworkMessage>) -> SearchTarget {
        if context.random.chance(workload.insufficientFactsShare) {
            return .basicFacts(key: keys.nameAndBirthDate, given: .tooFew)
        }
        return context.random.chance(0.5)
            ? .basicFacts(key: keys.nameAndBirthDate, given: .nameAndBirthDate)
            : .basicFacts(key: keys.nameAndAddress, given: .nameAndAddress)
    }

    /// Whom a query to J-LIS asks for, and by what (別添1 2.5-①; I 2 システム3 ②5): basic facts
    /// (`workload.basicFactsQueryShare`), resident code (`codeQueryShare`), else individual number (a random one
    /// for a resident without a designated number, which J-LIS does not find).
    func queryTarget(row: RowID, code: ResidentCode, _ context: inout NodeContext<NetworkMessage>) -> SearchTarget {
        let u = context.random.nextUnit()
        if u < workload.basicFactsQueryShare, row.index < facts.count {
            return factsTarget(facts[row.index], &context)
        }
        if u < workload.basicFactsQueryShare + workload.codeQueryShare { return .code(code) }
        let number = numbers[row.index]
        return .number(
            number != 0
                ? IndividualNumber(uncheckedRawValue: number)
                : IndividualNumber(body: context.random.next(below: IndividualNumber.bodySpace)))
    }

    /// The flows whose residents come from another municipality, through its register first.
    static func movesIn(_ flow: Flow) -> Bool { flow == .moveIn || flow == .specialMoveIn || flow == .oneStopMove }

    /// A resident of another municipality (Kanagawa's for `kanagawaShare`): their municipality, row and resident
    /// code (the card's chip holds it; the origin corrects it if another resident files instead); false when there
    /// are no other municipalities.
    func elsewhere(_ v: inout Visit, _ context: inout NodeContext<NetworkMessage>) -> Bool {
        let origin: Origin
        if !originWeights.isEmpty {
            guard let k = MigrationModel.pick(originWeights, context.random.nextUnit()), origins.indices.contains(k)
            else { return false }
            origin = origins[k]
        } else {
            let pool = !kanagawa.isEmpty && context.random.chance(workload.kanagawaShare) ? kanagawa : origins
            guard !pool.isEmpty else { return false }
            origin = pool[Int(context.random.next(below: UInt64(pool.count)))]
        }
        v.origin = origin.node
        v.row = RowID(UInt32(context.random.next(below: UInt64(max(origin.residents, 1)))))
        if v.row.index < origin.codes.count { v.code = ResidentCode(uncheckedRawValue: origin.codes[v.row.index]) }
        return true
    }

    /// A visitor who lives in another municipality and asks for their own 住民票の写し here (広域交付): whose row and
    /// code at home, and whether they show the My Number card (else a driving licence or passport; 住基法第12条の4 asks
    /// for photo identification).
    func wideAreaVisitor(_ v: inout Visit, _ context: inout NodeContext<NetworkMessage>) {
        guard elsewhere(&v, &context) else { return }
        v.cardBrought = context.random.chance(workload.wideAreaCardShare)
        v.cardStatus = v.cardBrought ? .issued : .none
        v.pinCorrect = true
    }

    /// A person moving in: from where, when, and with what card.
    func mover(_ v: inout Visit, special: Bool, _ context: inout NodeContext<NetworkMessage>) {
        guard elsewhere(&v, &context) else { return }
        let lateBy = context.random.chance(workload.deadlinePassed) ? 15 + Int(context.random.next(below: 20)) : 0
        v.movedIn = date.adding(days: -(lateBy + Int(context.random.next(below: 10))))
        v.plannedMoveOut = v.movedIn.adding(days: -Int(context.random.next(below: 8)))
        guard special else {
            v.numberDocument = !context.random.chance(workload.moverWithoutNumberDocumentShare)
            return
        }
        v.cardBrought = !context.random.chance(workload.cardNotBrought)
        v.pinCorrect = !context.random.chance(workload.pinFailure)
        let u = context.random.nextUnit()
        var status = CardStatus.issued
        if u < workload.cardExpired {
            status = .expired
        } else if u < workload.cardExpired + workload.cardSuspended {
            status = .suspended
        } else if u < workload.cardExpired + workload.cardSuspended + workload.cardRevoked {
            status = .revoked
        }
        v.cardStatus = status
        v.certificateDataMissing = context.random.chance(workload.certificateDataMissing)
    }
}

extension Residents: ReportingBehavior {
    /// The residents' figures after a run.
    public struct Report: Sendable {
        /// Counter visits by flow, online move-outs filed and card applications sent to J-LIS.
        public var visits: [Flow: Int]
        public var onlineFilings: Int
        public var cardApplications: Int
        /// One-stop movers' filings to this municipality (転出届 with 転入予約) sent to Myna Portal.
        public var oneStopFilings: Int
    }

    public func report(_ period: ReportPeriod) -> Report {
        var byFlow: [Flow: Int] = [:]
        for flow in Flow.allCases where visits[Int(flow.rawValue)] > 0 { byFlow[flow] = visits[Int(flow.rawValue)] }
        return Report(
            visits: byFlow, onlineFilings: onlineFilings, cardApplications: cardApplications,
            oneStopFilings: oneStopFilings)
    }
}

/// A one-stop mover to this municipality planned at the start: the visit (journey, origin, household size, dates,
/// card), when the filing is made, and whether the mover withdraws it.
struct OneStopPlan: Sendable {
    var visit: Visit
    var filedAt: Int64
    var cancelled: Bool
}
