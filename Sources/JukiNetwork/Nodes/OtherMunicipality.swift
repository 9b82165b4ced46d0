import JukiCore
import JukiRegister
import JukiSimulation

/// Another municipality (転出地 / 転入地), lighter: its register and its CS in one node.
///
/// It is the other end of Fujisawa's moves: it hands over move-out certificate data (recording the move-out
/// the resident filed there) and receives move-in notices; its identity updates go to its prefecture server.
public struct OtherMunicipality: NodeBehavior {
    public internal(set) var register: ResidentRegister
    public private(set) var identityFile: IdentityFile
    public private(set) var connector = CSConnector()
    /// Store-and-forward of this municipality's identity updates to its prefecture server.
    public private(set) var outbox: Outbox
    public internal(set) var wire: Wire
    let service: ServiceModel
    let prefecture: NodeID
    let date: CivilDate
    var pool: WorkerPool
    /// The server's workers, for utilisation.
    public var serverStatistics: WorkerPool { pool }
    public private(set) var heldCertificates: [UInt64: MoveOutCertificate] = [:]
    /// The household members who filed on the same move-out notice, by the code of the person who filed.
    var heldCompanions: [UInt64: [MoveOutCertificate]] = [:]
    public private(set) var moveInNotices = 0
    /// Messages to the home municipality its CS refused (mutual authentication).
    public private(set) var refusedByHome = 0
    public private(set) var reservations = 0
    /// Movers expected here (each with the household moving with them), by resident code, until they move in.
    var arrivals: [UInt64: [MoveOutCertificate]] = [:]
    public private(set) var movedIn = 0
    /// Movers expected and not yet arrived.
    public var awaited: Int { arrivals.count }
    let homeCS: NodeID
    /// The home municipality's counters (movers are sent on to them), and the latency of getting there.
    let homeCounters: [NodeID]
    let arrivalLatency: Latency
    /// Movers to the home municipality who filed their move-out here, and those whose move-out could not be
    /// recorded (no active resident near the row drawn).
    public private(set) var moversOut = 0
    public private(set) var moversNotFound = 0
    /// One-stop movers' 転出届 filed through Myna Portal, waiting for processing in business hours, by journey; and
    /// the counts of those processed, refused outside the window and withdrawn before processing.
    var onlineFilings: [UInt64: Request] = [:]
    public private(set) var onlineMoveOuts = 0
    public private(set) var onlineRefused = 0
    public private(set) var onlineCancelled = 0
    /// The home municipality's application manager: where a one-stop mover's certificate data goes ahead (through
    /// the home CS).
    let homeApplicationManager: NodeID?
    /// The municipality's residents, lighter than the home's: births, deaths and relocations at per-capita rates,
    /// recorded straight into the register (there are no counters here).
    let localEvents: LocalEvents?
    public private(set) var localChanges = 0
    /// Its residents' 広域交付 requests for the home municipality's residents who visit here, and what came of them;
    /// the home municipality's requests this municipality answered for its own residents.
    let wideAreaRequests: WideAreaRequests?
    var wideAreaSent: [UInt64: Int64] = [:]
    var wideAreaSequence: UInt64 = 0
    public private(set) var wideArea = WideAreaFigures()
    /// In a nationwide network: the counter its residents' notices wait at (their births, deaths, relocations and
    /// moves go through it, and movers from the other municipalities), and its residents' moves to the others.
    public internal(set) var counter: LocalCounter?
    let moves: NationMoves?
    public internal(set) var nationMoves = NationMoveFigures()

    public init(
        register: ResidentRegister, identityFile: IdentityFile, links: LinkTable, service: ServiceModel,
        prefecture: NodeID, date: CivilDate, homeCS: NodeID, homeCounters: [NodeID] = [],
        homeApplicationManager: NodeID? = nil, localEvents: LocalEvents? = nil, wideArea: WideAreaRequests? = nil,
        faults: FaultPlan = .none, trust: TrustStore = .none, counter: LocalCounter? = nil, moves: NationMoves? = nil
    ) {
        self.counter = counter
        self.moves = moves
        wideAreaRequests = wideArea
        self.homeCounters = homeCounters
        self.homeApplicationManager = homeApplicationManager
        arrivalLatency = links.latency(.residentToCounter)
        wire = Wire(links: links, plan: faults, trust: trust)
        outbox = Outbox(destination: prefecture, link: .csToPrefecture, perItem: 0)
        self.homeCS = homeCS
        self.localEvents = localEvents
        self.register = register
        self.identityFile = identityFile
        self.service = service
        self.prefecture = prefecture
        self.date = date
        pool = WorkerPool(workers: service.otherMunicipalityWorkers)
    }

    /// Another municipality's timers.
    public enum Timer: Sendable, Hashable {
        /// A mover whose data came ahead moves in.
        case moverArrival(ResidentCode)
        /// One of its own residents' notices (birth, death, relocation).
        case localNotice
        /// A one-stop mover's online 転出届 is processed in business hours.
        case onlineMoveOut(journey: UInt64)
        /// A 広域交付 of a home resident is asked for at this municipality's counter.
        case wideAreaRequest
        /// In a nationwide network: one of its residents comes to the counter with a notice.
        case counterArrival
        /// In a nationwide network: the clerk at this desk finished.
        case counterDesk(UInt16)
    }

    public mutating func start(_ context: inout NodeContext<NetworkMessage>) {
        if counter != nil {
            scheduleCounterArrival(after: SimulatedTime(date: date).microseconds, &context)
        } else {
            scheduleLocalEvent(after: SimulatedTime(date: date).microseconds, &context)
        }
        scheduleWideAreaRequest(after: SimulatedTime(date: date).microseconds, &context)
    }

    /// The next 広域交付 request for a home resident: Poisson over the office hours (08:30–17:15) of business days.
    mutating func scheduleWideAreaRequest(after time: Int64, _ context: inout NodeContext<NetworkMessage>) {
        guard let w = wideAreaRequests, w.homeResidents > 0,
            let at = OfficeArrivals.next(
                after: time, perDay: w.perDay,
                end: SimulatedTime(date: date).microseconds + Int64(max(w.days, 1)) * SimulatedTime.microsecondsPerDay,
                &context.random)
        else { return }
        context.schedule(.timer(.otherMunicipality(.wideAreaRequest)), at: at)
    }

    /// A home resident at this counter asks for their 住民票の写し (広域交付): the request goes to the home CS, which
    /// has the home register answer (別添1 ⑬).
    mutating func requestWideArea(_ context: inout NodeContext<NetworkMessage>) {
        guard let w = wideAreaRequests else { return }
        let row = RowID(UInt32(context.random.next(below: UInt64(w.homeResidents))))
        wideAreaSequence += 1
        let journey = UInt64(context.id) << 40 | 0xA0_0000 | wideAreaSequence
        wideAreaSent[journey] = context.now
        wideArea.requested += 1
        let request = Request(
            .municipality(.wideAreaCopy(originRow: row, origin: homeCS)),
            ticket: Ticket(journey: journey, slot: nil, flow: .wideAreaCertificate, hop: .wideAreaCopy),
            replyTo: context.id, sentAt: context.now)
        context.sendReliably(.request(request), to: homeCS, over: .csToCS, wire: &wire)
    }

    mutating func scheduleLocalEvent(after time: Int64, _ context: inout NodeContext<NetworkMessage>) {
        guard let local = localEvents, local.perDay(residents: register.count) > 0 else { return }
        let mean = Double(SimulatedTime.microsecondsPerDay) / local.perDay(residents: register.count)
        let t = SimulatedDuration.adding(time, SimulatedDuration.saturating(context.random.nextExponential(mean: mean)))
        // Over every day of the run (the first version stopped after day 1, so multi-day runs lost them).
        let end = SimulatedTime(date: date).microseconds + Int64(max(local.days, 1)) * SimulatedTime.microsecondsPerDay
        guard t < end else { return }
        context.schedule(.timer(.otherMunicipality(.localNotice)), at: t)
    }

    /// One local notice: a birth, a death or a relocation of a random resident.
    mutating func localEvent(_ context: inout NodeContext<NetworkMessage>) {
        guard let local = localEvents, register.count > 0 else { return }
        let row = RowID(UInt32(context.random.next(below: UInt64(register.count))))
        guard register.columns.status[row.index] == 0 else { return }
        let u = context.random.nextUnit() * (local.births + local.deaths + local.relocations)
        localChange(u < local.births ? .birth : u < local.births + local.deaths ? .death : .relocation, row, &context)
    }

    /// Records a birth (of a child of `row`), a death or a relocation of `row` in the register and forwards it.
    mutating func localChange(_ notice: LocalNotice, _ row: RowID, _ context: inout NodeContext<NetworkMessage>) {
        guard let local = localEvents else { return }
        let change = ChangeContext.unmodelledCounter(context)
        do {
            if notice == .birth {
                let parent = register.record(row)
                let code = local.allocator.code(forSequence: local.nextCodeSequence + UInt64(localChanges))
                let child = try register.record(
                    NewResident(
                        residentCode: code, individualNumber: local.conversion.candidate(for: code), name: parent.name,
                        birthDate: date, sex: context.random.chance(0.512) ? .male : .female,
                        address: register.address(of: row),
                        household: .join(householdNumber: parent.householdNumber, relationship: .child)),
                    reason: .birth, context: change)
                _ = child
            } else if notice == .death {
                try register.remove(row, reason: .death, context: change)
            } else {
                let t = register.columns.town[row.index]
                let chomes = register.towns[Int(t)].chomeCount
                try register.relocate(
                    row,
                    to: RegisterAddress(
                        town: t, chome: chomes > 0 ? UInt8(1 + context.random.next(below: UInt64(chomes))) : 0,
                        banchi: UInt16(1 + context.random.next(below: 40)),
                        go: UInt16(1 + context.random.next(below: 30))),
                    context: change)
            }
            localChanges += 1
            forwardOwnChanges(&context)
        } catch {
            // A relocation to the same address: nothing changed, nothing to forward.
        }
    }

    /// A worker finished `request`: the register work is done and the next queued request starts.
    mutating func served(_ request: Request, _ context: inout NodeContext<NetworkMessage>) {
        perform(request, &context)
        pool.done(request, &context)
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        guard context.admit(event, over: .csToCS, wire: &wire) else { return }
        switch event.message {
        case .timer(.otherMunicipality(.localNotice)):
            localEvent(&context)
            scheduleLocalEvent(after: context.now, &context)
        case .request(let request):
            if let now = pool.arrive(request, service.registerOperation, wire: &wire, &context) {
                served(now, &context)
            }
        case .timer(.outboxRetry):
            outbox.retry(source: context.id, &context, wire: &wire)
        case .updateAck(let ack):
            outbox.acknowledge(ack.sequence, source: context.id, &context, wire: &wire)
        case .timer(.otherMunicipality(.moverArrival(let code))):
            moveIn(code, &context)
        case .timer(.otherMunicipality(.onlineMoveOut(let journey))):
            processOnlineMoveOut(journey, &context)
        case .timer(.otherMunicipality(.wideAreaRequest)):
            requestWideArea(&context)
            scheduleWideAreaRequest(after: context.now, &context)
        case .response(let response) where response.operation == .wideAreaCopy:
            // The home municipality's 広域交付住民票情報 (or its refusal): the copy is printed here.
            guard let sent = wideAreaSent.removeValue(forKey: response.ticket.journey) else { return }
            if response.failure == .none {
                wideArea.issued += 1
                wideArea.latency.record(context.now - sent)
            } else {
                wideArea.refused[response.failure, default: 0] += 1
            }
        case .visit(let visit):
            if counter != nil, let origin = visit.origin, origin != context.id {
                // A mover from another municipality of the nation, with the paper certificate, at our counter.
                arriveAtCounter(
                    LocalVisit(
                        notice: .moveIn, arrivedAt: context.now, row: visit.row, persons: visit.persons,
                        household: visit.household, origin: origin), &context)
            } else {
                sendOnMover(visit, &context)
            }
        case .timer(.otherMunicipality(.counterArrival)):
            counterArrival(&context)
            scheduleCounterArrival(after: context.now, &context)
        case .timer(.otherMunicipality(.counterDesk(let desk))):
            deskDone(Int(desk), &context)
        case .response(let response) where response.operation == .moveInNotice && response.failure == .none:
            // The previous municipality took our 転入通知.
            nationMoves.noticesAcknowledged += 1
        case .served(let request):
            served(request, &context)
        case .response(let response) where response.failure == .notAuthenticated:
            // The home CS refused our session (a revoked or unverifiable peer, mutual authentication): the notice or
            // the data sent ahead did not get through; counted here, the refusal is in the home CS's trail.
            refusedByHome += 1
        case .timer(.residents), .timer(.counter), .timer(.registerSystem), .timer(.municipalCS),
            .timer(.applicationManager), .timer(.informationSharing), .timer(.department), .timer(.immigration),
            .timer(.familyRegister),
            .timer(.cardSystem),
            .deskDone, .response,
            .identityUpdates,
            .numberRequest, .numberReply, .deliveryRecords, .deliveryAck, .consistency, .addressees, .sharing,
            .immigration, .familyRegister:
            context.unhandled(event, over: .csToCS, wire: &wire)
        }
    }

    mutating func perform(_ request: Request, _ context: inout NodeContext<NetworkMessage>) {
        var failure = FailureReason.none
        var person: MoveOutCertificate?
        var companions: [MoveOutCertificate] = []
        switch request.payload {
        case .municipality(.certificateData(let asked)):
            // 転入地からの求めにより転出証明書情報を通知する (別添1 ④): the data of a move-out filed here earlier. A
            // person still active here filed none, and there is nothing to send.
            let row = asked.originRow
            if row.index < register.count, let held = heldCertificates[register.columns.residentCode[row.index]],
                register.columns.status[row.index] != 0
            {
                person = held
                companions = heldCompanions[held.residentCode.rawValue] ?? []
            } else {
                failure = .certificateDataNotFound
            }
        case .municipality(.moveInNotice):
            // From the home CS, or from another municipality of a nationwide network its residents moved to.
            if request.replyTo == homeCS { moveInNotices += 1 } else { nationMoves.noticesReceived += 1 }
        case .municipality(.certificateAhead):
            // A mover's data sent ahead (one-stop, or a move-out from the home municipality): they move in here
            // within two weeks, and we record them then.
            reservations += 1
            if let mover = request.person, arrivals[mover.residentCode.rawValue] == nil {
                arrivals[mover.residentCode.rawValue] = request.household
                let within = Int64(context.random.next(below: 14 * UInt64(SimulatedTime.microsecondsPerDay)))
                context.schedule(
                    .timer(.otherMunicipality(.moverArrival(mover.residentCode))), after: 3_600_000_000 + within)
            }
        case .municipality(.wideAreaCopy(let row, _)):
            // 広域交付: the 広域交付住民票情報 of one of our residents for the home municipality's counter (住基法第12条の4
            // 第3項); nothing for a person not on this register.
            if row.index < register.count && register.columns.status[row.index] == 0 {
                wideArea.answered += 1
            } else {
                wideArea.notResident += 1
                failure = .notResident
            }
        case .application(.moveInReservation(let data, _, let cancelled)):
            // Myna Portal's 転出届 (no answer: the filer is not waiting for one).
            fileOnline(request, data, cancelled: cancelled, &context)
            return
        case .municipality(.incomingMoveInNotice), .register, .search, .national, .cardSystem, .application,
            .certificate, .counterSupport, .addressee, .familyRegister:
            context.countUnhandled(kind: MessageKind.request.rawValue)
            failure = .unhandledRequest
        }
        context.sendReliably(
            .response(Response(to: request, failure: failure, person: person, companions: companions)),
            to: request.replyTo, over: .csToCS,
            wire: &wire)
    }

    /// A one-stop mover's 転出届 from Myna Portal: refused outside the window (`OneStopRules`), dropped when withdrawn,
    /// else processed in business hours, within two hours of the next opening after it was filed (河内長野市: "開庁時間
    /// 外の申請につきましては、翌営業日以降の処理"; "長い場合で2時間程度"). A filing from before the run was processed
    /// before it: at once.
    mutating func fileOnline(
        _ request: Request, _ data: CertificateDataRequest, cancelled: Bool,
        _ context: inout NodeContext<NetworkMessage>
    ) {
        if OneStopRules.refusal(sentAt: request.sentAt, plannedMoveOut: data.plannedMoveOut) != .none {
            onlineRefused += 1
            return
        }
        if cancelled {
            onlineCancelled += 1
            return
        }
        let journey = request.ticket.journey
        onlineFilings[journey] = request
        let opening = BusinessCalendar.standard.nextOpening(atOrAfter: SimulatedTime(microseconds: request.sentAt))
        let at = opening.microseconds + Int64(context.random.next(below: 7_200_000_000))
        context.schedule(.timer(.otherMunicipality(.onlineMoveOut(journey: journey))), at: max(at, context.now))
    }

    /// Processes a one-stop mover's 転出届: the move-out recorded for the household the filing names, and its
    /// certificate data sent ahead through the home CS to the home application manager (別添1 1.④: the data the
    /// destination receives for the move-in, 住基法第24条の2).
    mutating func processOnlineMoveOut(_ journey: UInt64, _ context: inout NodeContext<NetworkMessage>) {
        guard let request = onlineFilings.removeValue(forKey: journey),
            case .application(.moveInReservation(let data, let persons, _)) = request.payload
        else { return }
        guard let row = moverRow(data.originRow, persons: persons) else {
            moversNotFound += 1
            return
        }
        let household = moveOut(row, persons: persons, plannedMoveOut: data.plannedMoveOut, &context)
        guard let first = household.first, let manager = homeApplicationManager else { return }
        onlineMoveOuts += 1
        var ahead = Request(
            .municipality(.certificateAhead(first.residentCode, to: manager)),
            ticket: Ticket(journey: journey, slot: nil, flow: .oneStopMove, hop: .certificateData),
            replyTo: context.id, sentAt: context.now)
        ahead.household = household
        context.sendReliably(.request(ahead), to: homeCS, over: .csToCS, wire: &wire)
    }

    /// The row of the resident who files a move-out drawn at `drawn`: that row may have left already, or its
    /// household be smaller than the notice, so the next active resident with a household large enough files
    /// instead, else the nearest active one with theirs; nil when none is near.
    func moverRow(_ drawn: RowID, persons: UInt8) -> RowID? {
        var fallback: RowID?
        for k in 0..<32 {
            let r = (Int(drawn.rawValue) + k) % max(register.count, 1)
            guard r < register.count && register.columns.status[r] == 0 else { continue }
            let candidate = RowID(UInt32(r))
            if fallback == nil { fallback = candidate }
            if persons <= 1 || register.companions(of: candidate, persons: persons).count + 1 >= Int(persons) {
                return candidate
            }
        }
        return fallback
    }

    /// A resident leaving for the home municipality files the move-out here first (転出届): it is recorded and its
    /// certificate data kept for the destination's request; an ordinary mover leaves with the paper certificate.
    /// A special mover who does not file (the error path `certificateDataMissing`) stays active here. The mover
    /// then goes on to the home counter. A notice for several persons is filed by a resident whose household has
    /// them, and they all move (one certificate lists them all).
    mutating func sendOnMover(_ visit: Visit, _ context: inout NodeContext<NetworkMessage>) {
        var v = visit
        if let row = moverRow(v.row, persons: v.persons) {
            v.row = row
            v.code = ResidentCode(uncheckedRawValue: register.columns.residentCode[row.index])
            if !v.certificateDataMissing {
                let household = moveOut(row, persons: v.persons, plannedMoveOut: v.plannedMoveOut, &context)
                v.persons = UInt8(clamping: max(household.count, 1))
                if v.flow == .moveIn { v.household = household }
                moversOut += 1
            } else {
                v.persons = UInt8(clamping: register.companions(of: row, persons: v.persons).count + 1)
            }
        } else {
            moversNotFound += 1
        }
        guard !homeCounters.isEmpty else { return }
        let counter = homeCounters[min(Int(v.counterIndex), homeCounters.count - 1)]
        context.send(.visit(v), to: counter, delay: max(v.arrivedAt - context.now, arrivalLatency.minimum))
    }

    /// Records a mover who arrived (転入), then sends the move-in notice back to their previous municipality.
    mutating func moveIn(_ code: ResidentCode, _ context: inout NodeContext<NetworkMessage>) {
        guard let household = arrivals.removeValue(forKey: code.rawValue) else { return }
        guard
            (try? register.recordHousehold(
                household, reason: .moveIn, context: .unmodelledCounter(context), &context.random)) != nil
        else {
            return
        }
        movedIn += 1
        forwardOwnChanges(&context)
        let notice = Request(
            .municipality(.incomingMoveInNotice(code)),
            ticket: Ticket(journey: code.rawValue, slot: nil, flow: .moveOut, hop: .moveInNotice),
            replyTo: context.id, sentAt: context.now)
        context.sendReliably(.request(notice), to: homeCS, over: .csToCS, wire: &wire)
    }

    /// This node is its own CS: applies its register's new changes to its identity file and forwards them to
    /// the prefecture server.
    mutating func forwardOwnChanges(_ context: inout NodeContext<NetworkMessage>) {
        let updates = connector.take(register)
        for u in updates { identityFile.apply(u) }
        outbox.send(updates, source: context.id, &context, wire: &wire)
    }

    /// Records the move-out the resident filed here (転出届) for `persons` of the household and keeps their
    /// certificate data; returns it, the filer first.
    mutating func moveOut(
        _ row: RowID, persons: UInt8, plannedMoveOut: CivilDate, _ context: inout NodeContext<NetworkMessage>
    ) -> [MoveOutCertificate] {
        var household: [MoveOutCertificate] = []
        for member in [row] + register.companions(of: row, persons: persons) {
            let person = register.moveOutCertificate(member, plannedMoveOut: plannedMoveOut)
            guard (try? register.remove(member, reason: .moveOut, context: .unmodelledCounter(context))) != nil
            else { continue }
            heldCertificates[person.residentCode.rawValue] = person
            household.append(person)
        }
        if let first = household.first, household.count > 1 {
            heldCompanions[first.residentCode.rawValue] = Array(household.dropFirst())
        }
        forwardOwnChanges(&context)
        return household
    }
}

/// Per-capita daily rates of a light municipality's own notices, and the keys it needs for births [E: Fujisawa's
/// yearly rates per resident: 3,058 births, 4,393 deaths, ≈ 17,500 relocations over 445,283 residents].
public struct LocalEvents: Sendable, Hashable {
    public var births = 3_058.0 / 445_283 / 365
    public var deaths = 4_393.0 / 445_283 / 365
    public var relocations = 17_500.0 / 445_283 / 365
    public var allocator: ResidentCodeAllocator
    public var conversion: NumberConversion
    /// The next resident-code sequence number of the municipality's block.
    public var nextCodeSequence: UInt64
    /// Days of the run to generate notices for.
    public var days = 1

    public init(allocator: ResidentCodeAllocator, conversion: NumberConversion, nextCodeSequence: UInt64) {
        self.allocator = allocator
        self.conversion = conversion
        self.nextCodeSequence = nextCodeSequence
    }

    /// Expected notices per day for a population.
    public func perDay(residents: Int) -> Double { (births + deaths + relocations) * Double(residents) }
}

extension OtherMunicipality: ReportingBehavior {
    /// Another municipality's figures after a run.
    public struct Report: Sendable {
        public var municipality: MunicipalityCode
        /// Movers recorded here, and those still expected.
        public var movedIn: Int
        public var awaited: Int
        public var moveInNotices: Int
        public var reservations: Int
        /// Its own residents' births, deaths and relocations.
        public var localChanges: Int
        /// Movers to the home municipality who filed their move-out here, and those not found.
        public var moversOut: Int
        public var moversNotFound: Int
        /// One-stop movers' online 転出届: processed (data sent ahead), refused outside the window, withdrawn, and
        /// waiting for processing at the end.
        public var onlineMoveOuts: Int
        public var onlineRefused: Int
        public var onlineCancelled: Int
        public var onlineWaiting: Int
        /// The outbox to its prefecture server.
        public var outbox: OutboxStatistics
        public var wire: WireStatistics
        public var authentication: AuthenticationStatistics?
        public var utilization: Double
        /// For the nation-wide duplicate check.
        public var identifiers: ActiveIdentifiers
        /// 広域交付 both ways.
        public var wideArea: WideAreaFigures
        /// In a nationwide network: its counter's clerks and figures, and its residents' moves.
        public var clerks: Int
        public var counter: LocalCounterFigures?
        public var waiting: Int
        public var nationMoves: NationMoveFigures
    }

    public func report(_ period: ReportPeriod) -> Report {
        Report(
            municipality: register.municipality.code, movedIn: movedIn, awaited: awaited,
            moveInNotices: moveInNotices, reservations: reservations, localChanges: localChanges,
            moversOut: moversOut, moversNotFound: moversNotFound, onlineMoveOuts: onlineMoveOuts,
            onlineRefused: onlineRefused, onlineCancelled: onlineCancelled, onlineWaiting: onlineFilings.count,
            outbox: outbox.finalStatistics, wire: wire.statistics, authentication: wire.authenticator?.statistics,
            utilization: pool.utilization(over: period.runSeconds), identifiers: register.activeIdentifiers(),
            wideArea: {
                var w = wideArea
                w.inFlight = wideAreaSent.count
                return w
            }(), clerks: counter?.clerks ?? 0, counter: counter?.figures, waiting: counter?.waiting ?? 0,
            nationMoves: nationMoves)
    }
}

/// 広域交付 requests a light municipality makes for the home municipality's residents who ask at its counter: its
/// share of `Workload.wideAreaRequestsPerDay`, the home register's size (rows to draw from) and the run's days.
public struct WideAreaRequests: Sendable, Hashable {
    public var perDay: Double
    public var homeResidents: Int
    public var days: Int

    public init(perDay: Double, homeResidents: Int, days: Int) {
        self.perDay = perDay
        self.homeResidents = homeResidents
        self.days = days
    }
}

/// 広域交付 at a light municipality, both ways: requests for home residents (asked, printed, refused by reason,
/// still in flight, the time to the answer), and the home municipality's requests it answered for its own
/// residents or refused.
public struct WideAreaFigures: Sendable, Hashable {
    public var requested = 0
    public var issued = 0
    public var refused: [FailureReason: Int] = [:]
    public var inFlight = 0
    public var latency = LatencyHistogram()
    public var answered = 0
    public var notResident = 0

    public init() {}

    /// Adds another municipality's figures.
    public mutating func merge(_ other: WideAreaFigures) {
        requested += other.requested
        issued += other.issued
        for (k, v) in other.refused { refused[k, default: 0] += v }
        inFlight += other.inFlight
        latency.merge(other.latency)
        answered += other.answered
        notResident += other.notResident
    }
}
