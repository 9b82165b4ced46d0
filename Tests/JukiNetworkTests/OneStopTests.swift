import JukiCore
import JukiNetwork
import JukiNetworkTesting
import JukiPopulation
import JukiRegister
import JukiSimulation
import Testing

/// The one-stop move (引越しワンストップ) in both directions: Myna Portal, the application manager, the origin and
/// the counter, one node at a time, then a whole network.
@Suite("One-stop moves from Myna Portal")
struct OneStopTests {
    static let layout = NetworkLayout(counters: 2, others: 1)
    static let configuration = NetworkConfiguration()
    /// A Monday.
    static let date = CivilDate(year: 2026, month: 4, day: 6)
    static let midnight = SimulatedTime(date: date).microseconds
    static let hour: Int64 = 3_600_000_000

    static func manager() -> NodeHarness<ApplicationManager> {
        NodeHarness(
            ApplicationManager(layout: layout, links: configuration.links, calendar: .standard),
            id: layout.applicationManager, start: midnight)
    }

    static func filing(_ payload: RequestPayload, journey: UInt64 = 77, at time: Int64) -> Request {
        Request(
            payload, ticket: Ticket(journey: journey, slot: nil, flow: .oneStopMove, hop: .reservation),
            replyTo: layout.residents, sentAt: time)
    }

    static func data(planned: CivilDate, row: UInt32 = 9) -> CertificateDataRequest {
        CertificateDataRequest(originRow: RowID(row), origin: layout.others[0], plannedMoveOut: planned)
    }

    static func household(_ count: Int) throws -> [MoveOutCertificate] {
        let population = try PopulationGenerator.generate(PopulationOptions(residents: 300, seed: 5))
        return (0..<count).map { population.register.moveOutCertificate(RowID(UInt32($0)), plannedMoveOut: date) }
    }

    /// The origin's certificate data for a household of `persons`, come ahead through the CS for journey 77.
    static func ahead(persons: Int) throws -> Request {
        var ahead = Request(
            .municipality(.certificateAhead(try household(1)[0].residentCode, to: layout.applicationManager)),
            ticket: Ticket(journey: 77, slot: nil, flow: .oneStopMove, hop: .certificateData),
            replyTo: layout.others[0])
        ahead.household = try household(persons)
        return ahead
    }

    /// The counter asking for journey 77's reservation at the visit.
    static func visit(_ data: CertificateDataRequest) -> Request {
        Request(
            .application(.reservation(data)),
            ticket: Ticket(journey: 77, slot: 0, flow: .oneStopMove, hop: .reservation),
            replyTo: layout.counters[0])
    }

    @Test("the online window runs from 30 days before the planned move-out to 10 days after it")
    func window() {
        let planned = Self.date
        #expect(OneStopRules.refusal(filedOn: planned.adding(days: -30), plannedMoveOut: planned) == .none)
        #expect(
            OneStopRules.refusal(filedOn: planned.adding(days: -31), plannedMoveOut: planned) == .outsideFilingWindow)
        #expect(OneStopRules.refusal(filedOn: planned.adding(days: 10), plannedMoveOut: planned) == .none)
        #expect(
            OneStopRules.refusal(filedOn: planned.adding(days: 11), plannedMoveOut: planned) == .outsideFilingWindow)
        #expect(
            OneStopRules.refusal(sentAt: Self.midnight + Self.hour, plannedMoveOut: planned.adding(days: 30)) == .none)
    }

    @Test("an online move-out outside the window is refused, a withdrawn one is not processed, the rest are")
    func outgoing() {
        var manager = Self.manager()
        let at = Self.midnight + 10 * Self.hour
        func moveOut(_ journey: UInt64, planned: CivilDate, cancelled: Bool = false) -> NetworkMessage {
            .request(
                Self.filing(
                    .application(
                        .onlineMoveOut(
                            row: RowID(4), destination: Self.layout.others[0], plannedMoveOut: planned, persons: 2,
                            cancelled: cancelled)), journey: journey, at: at))
        }
        let early = manager.deliver(
            moveOut(1, planned: Self.date.adding(days: 31)), from: Self.layout.mynaPortal, at: at)
        #expect(early.isEmpty)
        #expect(manager.behavior.stats.failed[.outsideFilingWindow] == 1)
        let late = manager.deliver(
            moveOut(2, planned: Self.date.adding(days: -11)), from: Self.layout.mynaPortal, at: at)
        #expect(late.isEmpty)
        #expect(manager.behavior.oneStop.outgoingRefused == 2)
        // Withdrawn before processing: no removal, the journey ends `filingCancelled`.
        let withdrawn = manager.deliver(
            moveOut(3, planned: Self.date.adding(days: 5), cancelled: true), from: Self.layout.mynaPortal, at: at,
            until: at + 3 * Self.hour)
        #expect(withdrawn.isEmpty)
        #expect(manager.behavior.stats.failed[.filingCancelled] == 1)
        #expect(manager.behavior.oneStop.outgoingCancelled == 1)
        // Inside the window: removed at the register in business hours, within two hours.
        let kept = manager.deliver(
            moveOut(4, planned: Self.date.adding(days: -10)), from: Self.layout.mynaPortal, at: at,
            until: at + 3 * Self.hour)
        #expect(kept.map(\.destination) == [Self.layout.registerSystem])
        #expect(
            kept.first?.request?.payload
                == .register(.remove(row: RowID(4), reason: .moveOut, destination: nil, persons: 2)))
        #expect(manager.behavior.oneStop.outgoingFilings == 4)
        #expect(manager.behavior.stats.started == 4 && manager.behavior.inProgress == 1)
        #expect(manager.unhandled.isEmpty)
    }

    @Test("a mover's reservation is served from the data that came ahead: no fetch from the origin on the day")
    func dataAhead() throws {
        var manager = Self.manager()
        let filed = Self.midnight + 9 * Self.hour
        let planned = Self.date.adding(days: 3)
        _ = manager.deliver(
            .request(
                Self.filing(
                    .application(.moveInReservation(Self.data(planned: planned), persons: 3, cancelled: false)),
                    at: filed)),
            from: Self.layout.mynaPortal, at: filed)
        let ahead = try Self.ahead(persons: 3)
        let none = manager.deliver(.request(ahead), from: Self.layout.municipalCS, at: filed + Self.hour)
        #expect(none.isEmpty)
        #expect(manager.behavior.reservationsHeld == 1)
        // Three business days later the mover comes: the counter gets the reservation and all three certificates.
        let visit = Self.visit(Self.data(planned: planned))
        let served = manager.deliver(.request(visit), from: Self.layout.counters[0], at: filed + 72 * Self.hour)
        #expect(served.map(\.destination) == [Self.layout.counters[0]])
        #expect(served.first?.response?.household.count == 3)
        #expect(served.first?.response?.failure == FailureReason.none)
        let figures = manager.behavior.oneStop
        #expect(figures.incomingFilings == 1 && figures.dataAhead == 1)
        #expect(figures.servedFromDataAhead == 1 && figures.fetchedAtVisit == 0)
        #expect(manager.behavior.reservationsHeld == 0)
    }

    @Test("data that did not come ahead is fetched from the origin at the visit (the slower path)")
    func fetchedAtVisit() {
        var manager = Self.manager()
        let filed = Self.midnight + 9 * Self.hour
        let data = Self.data(planned: Self.date)
        _ = manager.deliver(
            .request(Self.filing(.application(.moveInReservation(data, persons: 1, cancelled: false)), at: filed)),
            from: Self.layout.mynaPortal, at: filed)
        let visit = Self.visit(data)
        let fetch = manager.deliver(.request(visit), from: Self.layout.counters[0], at: filed + Self.hour)
        #expect(fetch.map(\.destination) == [Self.layout.municipalCS])
        #expect(fetch.first?.request?.payload == .municipality(.certificateData(data)))
        #expect(manager.behavior.oneStop.fetchedAtVisit == 1)
    }

    @Test("a withdrawn reservation is dropped: its data is not kept and a visit for it is refused")
    func cancelledReservation() throws {
        var manager = Self.manager()
        let filed = Self.midnight + 9 * Self.hour
        let data = Self.data(planned: Self.date)
        _ = manager.deliver(
            .request(Self.filing(.application(.moveInReservation(data, persons: 1, cancelled: true)), at: filed)),
            from: Self.layout.mynaPortal, at: filed)
        let ahead = try Self.ahead(persons: 1)
        _ = manager.deliver(.request(ahead), from: Self.layout.municipalCS, at: filed + Self.hour)
        let visit = Self.visit(data)
        let refused = manager.deliver(.request(visit), from: Self.layout.counters[0], at: filed + 2 * Self.hour)
        #expect(refused.compactMap(\.response).map(\.failure) == [.filingCancelled])
        let figures = manager.behavior.oneStop
        #expect(figures.incomingCancelled == 1 && figures.dataDropped == 1 && figures.cancelledAtVisit == 1)
        #expect(figures.servedFromDataAhead == 0 && manager.behavior.reservationsHeld == 0)
        // A reservation outside the window is refused and not held either.
        _ = manager.deliver(
            .request(
                Self.filing(
                    .application(
                        .moveInReservation(Self.data(planned: Self.date.adding(days: 40)), persons: 1, cancelled: false)
                    ),
                    journey: 78, at: filed)),
            from: Self.layout.mynaPortal, at: filed + 3 * Self.hour)
        #expect(manager.behavior.oneStop.incomingRefused == 1 && manager.behavior.reservationsHeld == 0)
    }

    @Test("Myna Portal hands a mover's filing to the origin and to the application manager")
    func portalSplits() {
        var portal = NodeHarness(
            MynaPortal(layout: Self.layout, links: Self.configuration.links), id: Self.layout.mynaPortal)
        let filing = Self.filing(
            .application(.moveInReservation(Self.data(planned: Self.date), persons: 2, cancelled: false)), at: 0)
        let sent = portal.deliver(.request(filing), from: Self.layout.residents, at: 0)
        #expect(Set(sent.map(\.destination)) == [Self.layout.applicationManager, Self.layout.others[0]])
        #expect(portal.behavior.incomingFilings == 1 && portal.behavior.filings == 0)
        #expect(portal.unhandled.isEmpty)
    }

    @Test("the origin processes a mover's 転出届 in business hours and sends the household's data ahead")
    func origin() throws {
        let population = try PopulationGenerator.generate(PopulationOptions(residents: 2_000, seed: 5))
        let register = population.register
        // A resident whose household has at least two active members.
        let row = try #require(
            (0..<register.count).lazy.map { RowID(UInt32($0)) }.first {
                register.companions(of: $0, persons: 2).count == 1
            })
        var other = NodeHarness(
            OtherMunicipality(
                register: register, identityFile: IdentityFile(), links: Self.configuration.links,
                service: Self.configuration.service, prefecture: Self.layout.prefectures[13], date: Self.date,
                homeCS: Self.layout.municipalCS, homeApplicationManager: Self.layout.applicationManager),
            id: Self.layout.others[0], start: Self.midnight)
        // Filed on Sunday evening: processed on Monday between 08:30 and 10:30.
        let sunday = Self.midnight - 4 * Self.hour
        let filing = Self.filing(
            .application(
                .moveInReservation(Self.data(planned: Self.date, row: row.rawValue), persons: 2, cancelled: false)),
            at: sunday)
        let early = other.deliver(
            .request(filing), from: Self.layout.mynaPortal, at: Self.midnight + 1_000,
            until: Self.midnight + 8 * Self.hour)
        #expect(early.compactMap(\.request).isEmpty)
        let sent = other.run(until: Self.midnight + 11 * Self.hour).compactMap(\.request)
        let ahead = try #require(sent.first { $0.operation == .certificateAhead })
        #expect(ahead.household.count == 2)
        #expect(ahead.ticket.journey == 77)
        #expect(
            ahead.payload
                == .municipality(.certificateAhead(ahead.household[0].residentCode, to: Self.layout.applicationManager))
        )
        #expect(other.behavior.register.columns.status[row.index] != 0)
        #expect(other.behavior.onlineMoveOuts == 1)
        // Withdrawn, or outside the window: nothing recorded, nothing sent.
        let withdrawn = Self.filing(
            .application(.moveInReservation(Self.data(planned: Self.date, row: 100), persons: 1, cancelled: true)),
            journey: 78, at: Self.midnight + 12 * Self.hour)
        let outside = Self.filing(
            .application(
                .moveInReservation(
                    Self.data(planned: Self.date.adding(days: 31), row: 101), persons: 1, cancelled: false)),
            journey: 79, at: Self.midnight + 12 * Self.hour)
        var later = other.deliver(.request(withdrawn), from: Self.layout.mynaPortal, at: Self.midnight + 12 * Self.hour)
        later += other.deliver(
            .request(outside), from: Self.layout.mynaPortal, at: Self.midnight + 12 * Self.hour + 1,
            until: Self.midnight + 48 * Self.hour)
        #expect(later.compactMap(\.request).isEmpty)
        #expect(other.behavior.onlineCancelled == 1 && other.behavior.onlineRefused == 1)
        #expect(other.unhandled.isEmpty)
    }

    /// Drives one one-stop visit at a counter through the reservation; returns the counter and what it sent after.
    static func counterVisit(
        household: [MoveOutCertificate], movedIn: CivilDate
    ) -> (NodeHarness<BranchCounter>, [Envelope<NetworkMessage>]) {
        var counter = NodeHarness(
            BranchCounter(
                name: "test", clerks: 1, layout: layout, service: configuration.service, links: configuration.links,
                date: date, chomeCounts: [3]),
            id: layout.counters[0], start: midnight)
        let at = midnight + 10 * hour
        var v = Visit(
            flow: .oneStopMove, journey: 5, row: RowID(9), code: household[0].residentCode, cardStatus: .issued,
            certificateDataMissing: false, origin: layout.others[0], plannedMoveOut: movedIn, movedIn: movedIn,
            cardBrought: true, pinCorrect: true, arrivedAt: at)
        v.reserved = true
        let sent = counter.deliver(.visit(v), from: layout.residents, at: at, until: at + 1)
        guard let reservation = sent.compactMap(\.request).first else { return (counter, []) }
        var answer = Response(to: reservation)
        answer.household = household
        let next = counter.deliver(
            .response(answer), from: layout.applicationManager, at: at + 1_000, until: at + 2_000)
        return (counter, next)
    }

    @Test("every member of a one-stop household is recorded at the visit")
    func household() throws {
        let members = try Self.household(3)
        var (counter, sent) = Self.counterVisit(household: members, movedIn: Self.date.adding(days: -3))
        let verify = try #require(sent.compactMap(\.request).first)
        #expect(verify.operation == .verifyCard)
        let after = counter.deliver(
            .response(Response(to: verify)), from: Self.layout.municipalCS, at: Self.midnight + 10 * Self.hour + 3_000,
            until: Self.midnight + 10 * Self.hour + 4_000)
        let record = try #require(after.compactMap(\.request).first)
        #expect(record.payload == .register(.recordMoveIn(reason: .specialMoveIn)))
        #expect(record.household.map(\.residentCode) == members.map(\.residentCode))
    }

    @Test("a one-stop visit more than 14 days after moving in fails deadlinePassed")
    func deadline() throws {
        var (counter, sent) = Self.counterVisit(household: try Self.household(1), movedIn: Self.date.adding(days: -15))
        #expect(sent.compactMap(\.request).isEmpty)
        _ = counter.run(until: Self.midnight + 12 * Self.hour)
        #expect(counter.behavior.stats[Int(Flow.oneStopMove.rawValue)].failed[.deadlinePassed] == 1)
    }

    @Test(
        "a whole network: reservations come ahead from Myna Portal and are served from their data; the invariants hold")
    func network() async throws {
        var c = smallConfiguration(seed: 11)
        c.workload.perDay[.oneStopMove] = 40
        c.workload.onlineMoveOutsPerDay = 40
        c.workload.oneStopCancellationShare = 0.1
        c.workload.oneStopOutsideWindowShare = 0.05
        let (_, report) = try await run(c)
        #expect(report.invariants.holds)
        #expect(report.invariants.unhandledMessages == 0)
        let o = report.oneStop
        #expect(o.incomingFilings > 40)
        #expect(o.incomingCancelled > 0 && o.incomingRefused > 0)
        #expect(o.outgoingFilings > 10 && o.outgoingRefused + o.outgoingCancelled > 0)
        // Every visit found its data at the application manager: it came ahead.
        #expect(o.servedFromDataAhead > 10)
        #expect(o.fetchedAtVisit == 0 && o.cancelledAtVisit == 0)
        #expect(o.dataAhead == o.processedAtOrigins)
        let inv = report.invariants
        #expect(inv.arrivals == inv.completed + inv.failed + inv.inProgress)
        let stats = try #require(report.journeys[.oneStopMoveOut])
        #expect(stats.failed[.outsideFilingWindow] == o.outgoingRefused)
        #expect(stats.failed[.filingCancelled] == o.outgoingCancelled)
        // Reservations for visits after the run's day are still held.
        #expect(o.held > 0)
    }
}

/// Found by the security drill's baseline run: a revoked origin's data sent ahead comes back refused.
@Suite("Another municipality refused by the home CS")
struct RefusedByHomeTests {
    @Test("a refusal from the home CS (mutual authentication) is counted, not an unhandled message")
    func refusal() throws {
        let layout = SeedRuleTests.layout
        let population = try PopulationGenerator.generate(PopulationOptions(residents: 100, seed: 5))
        var other = NodeHarness(
            OtherMunicipality(
                register: population.register, identityFile: IdentityFile(), links: SeedRuleTests.configuration.links,
                service: SeedRuleTests.configuration.service, prefecture: layout.prefectures[13],
                date: SeedRuleTests.date, homeCS: layout.municipalCS, homeCounters: layout.counters),
            id: layout.others[0])
        let sent = SeedRuleTests.request(
            .municipality(.certificateAhead(ResidentCode(body: 5), to: layout.applicationManager)),
            from: layout.others[0], slot: nil)
        _ = other.deliver(
            .response(Response(to: sent, failure: .notAuthenticated)), from: layout.municipalCS, at: 0)
        #expect(other.unhandled.isEmpty)
        #expect(other.behavior.refusedByHome == 1)
        // Any other answer it never asked for is still a model error.
        _ = other.deliver(.response(Response(to: sent)), from: layout.municipalCS, at: 1_000_000)
        #expect(other.unhandled == [.response: 1])
    }
}
