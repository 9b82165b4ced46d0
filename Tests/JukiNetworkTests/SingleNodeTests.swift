import JukiCore
import JukiNetwork
import JukiNetworkTesting
import JukiPopulation
import JukiRegister
import JukiSimulation
import Testing

/// One node at a time, through `NodeHarness`: hand-made messages in, captured sends out.
@Suite("Single nodes through the harness")
struct SingleNodeTests {
    static let layout = NetworkLayout(counters: 2, others: 1)
    static let configuration = NetworkConfiguration()
    static let date = CivilDate(year: 2026, month: 4, day: 6)

    static func ticket(_ flow: Flow = .certificate, hop: Hop = .issueCertificate, slot: UInt32? = 0) -> Ticket {
        Ticket(journey: 77, slot: slot, flow: flow, hop: hop)
    }

    static func request(_ payload: RequestPayload, from: NodeID = layout.counters[0], slot: UInt32? = 0) -> Request {
        Request(payload, ticket: ticket(slot: slot), replyTo: from)
    }

    static func population(_ residents: Int = 300) throws -> Population {
        try PopulationGenerator.generate(PopulationOptions(residents: residents, seed: 5))
    }

    static func responses(_ sent: [Envelope<NetworkMessage>]) -> [Response] { sent.compactMap(\.response) }

    static let someCode = ResidentCode(body: 123_456_789)

    @Test("the CS relays card verification to the national server through the prefecture server")
    func csRelays() {
        var cs = NodeHarness(
            MunicipalCS(
                identityFile: IdentityFile(), layout: Self.layout, links: Self.configuration.links,
                service: Self.configuration.service, prefecture: Self.layout.prefectures[13]),
            id: Self.layout.municipalCS)
        let card = CardPresentation(holder: .resident(Self.someCode), brought: true, pinCorrect: true, status: .issued)
        let sent = cs.deliver(
            .request(Self.request(.national(.verifyCard(card)))), from: Self.layout.counters[0], at: 0)
        let onward = sent.compactMap(\.request)
        #expect(sent.map(\.destination) == [Self.layout.nationalServer])
        #expect(onward.first?.relayFor == Self.layout.counters[0])
        #expect(onward.first?.replyTo == Self.layout.municipalCS)
        #expect(cs.unhandled.isEmpty)
    }

    @Test("the CS refuses what it cannot route, counts it, and refuses number use without the right")
    func csRefuses() {
        var cs = NodeHarness(
            MunicipalCS(
                identityFile: IdentityFile(), layout: Self.layout, links: Self.configuration.links,
                service: Self.configuration.service, prefecture: Self.layout.prefectures[13]),
            id: Self.layout.municipalCS)
        let wrong = cs.deliver(
            .request(Self.request(.register(.issueCertificate(row: RowID(1), withNumber: false)))),
            from: Self.layout.counters[0], at: 0)
        #expect(Self.responses(wrong).map(\.failure) == [.unhandledRequest])
        #expect(cs.unhandled == [.request: 1])
        var query = Self.request(.national(.query(.number(IndividualNumber(body: 12_345_678_901)))))
        query.operatorID = 8_001
        let refused = cs.deliver(.request(query), from: Self.layout.counters[0], at: 10_000_000)
        #expect(Self.responses(refused).map(\.failure) == [.numberUseRequired])
        // A message kind the CS never receives is counted, not dropped silently.
        _ = cs.deliver(.deskDone(slot: 0), from: Self.layout.municipalCS, at: 20_000_000)
        #expect(cs.unhandled == [.request: 1, .deskDone: 1])
    }

    /// An identity file holding `code` with `status`.
    static func identityFile(_ codes: [(ResidentCode, RecordStatus)]) -> IdentityFile {
        var file = IdentityFile(indexingNumbers: true)
        file.load(
            codes.map {
                IdentityUpdate(
                    residentCode: $0.0, individualNumber: nil, municipality: .fujisawa, status: $0.1, version: 1,
                    fingerprint: 1, reason: nil)
            })
        return file
    }

    /// A national server holding `someCode` as an active person, with the standard service times.
    static func national(service: ServiceModel = configuration.service) -> NodeHarness<NationalServer> {
        NodeHarness(
            NationalServer(
                identityFile: identityFile([(someCode, .active)]), conversion: NumberConversion(key: 1),
                links: configuration.links, service: service),
            id: layout.nationalServer)
    }

    @Test("work that takes no time is served at once: the same answer, without a worker event")
    func zeroServiceTime() {
        func verify(service: ServiceModel) -> (Response?, UInt64) {
            var national = Self.national(service: service)
            let card = CardPresentation(
                holder: .resident(Self.someCode), brought: true, pinCorrect: false, status: .issued)
            var r = Self.request(.national(.verifyCard(card)), from: Self.layout.municipalCS)
            r.relayFor = Self.layout.counters[0]
            let sent = national.deliver(.request(r), from: Self.layout.municipalCS, at: 0)
            return (Self.responses(sent).first, national.handled)
        }
        var skipped = Self.configuration.service
        skipped.scale(by: 0)
        let (timed, timedEvents) = verify(service: Self.configuration.service)
        let (atOnce, atOnceEvents) = verify(service: skipped)
        #expect(timed?.failure == .pinFailure && atOnce?.failure == .pinFailure)
        #expect(timedEvents == 2, "the request, then the worker's .served")
        #expect(atOnceEvents == 1, "no .served event when the service takes no time")
    }

    @Test("J-LIS gives a number change a new number each time, never the first one again (番号法第7条第2項)")
    func numberChangeCandidates() {
        var national = Self.national()
        func candidate(_ flow: Flow, at t: Int64) -> IndividualNumber? {
            let batch = NumberBatch(
                ticket: Ticket(journey: 1, slot: nil, flow: flow, hop: .numberCandidate), rows: [RowID(0)],
                codes: [Self.someCode], candidates: [], replyTo: Self.layout.municipalCS, relayFor: nil, sentAt: t)
            let sent = national.deliver(.numberRequest(batch), from: Self.layout.municipalCS, at: t)
            for envelope in sent { if case .numberReply(let b) = envelope.event.message { return b.candidates.first } }
            return nil
        }
        let first = candidate(.birth, at: 1_000)
        let changed = candidate(.numberChange, at: 2_000)
        let again = candidate(.numberChange, at: 3_000)
        #expect(first == NumberConversion(key: 1).candidate(for: Self.someCode))
        #expect(changed != nil && changed != first)
        #expect(again != nil && again != changed && again != first)
    }

    @Test("the national server answers card verification with the card's failure, in order of the rules")
    func nationalVerifiesCards() {
        var national = Self.national()
        let cases: [(CardPresentation, FailureReason)] = [
            (
                CardPresentation(holder: .resident(Self.someCode), brought: true, pinCorrect: true, status: .issued),
                .none
            ),
            (
                CardPresentation(holder: .resident(Self.someCode), brought: false, pinCorrect: true, status: .issued),
                .cardNotBrought
            ),
            (
                CardPresentation(holder: .resident(Self.someCode), brought: true, pinCorrect: false, status: .expired),
                .cardExpired
            ),
            (
                CardPresentation(
                    holder: .mover(Self.someCode), brought: true, pinCorrect: false, status: .issued),
                .pinFailure
            ),
            (
                CardPresentation(holder: .resident(Self.someCode), brought: true, pinCorrect: true, status: .revoked),
                .cardRevoked
            ),
        ]
        for (k, (card, expected)) in cases.enumerated() {
            var r = Self.request(.national(.verifyCard(card)), from: Self.layout.municipalCS)
            r.relayFor = Self.layout.counters[0]
            let sent = national.deliver(.request(r), from: Self.layout.municipalCS, at: Int64(k) * 1_000_000)
            #expect(Self.responses(sent).map(\.failure) == [expected], "case \(k)")
        }
        let unknown = national.deliver(
            .request(
                Self.request(.national(.query(.number(IndividualNumber(body: 1)))), from: Self.layout.municipalCS)),
            from: Self.layout.municipalCS, at: 10_000_000)
        #expect(Self.responses(unknown).map(\.failure) == [.notFound])
    }

    @Test("a prefecture server answers searches by code from its copy, and refuses other requests")
    func prefectureSearches() {
        var prefecture = NodeHarness(
            PrefectureServer(
                prefectureCode: 14, identityFile: IdentityFile(), national: Self.layout.nationalServer,
                links: Self.configuration.links, service: Self.configuration.service),
            id: Self.layout.prefectures[13])
        let search = SearchRequest(target: .code(Self.someCode), scope: .prefecture(14))
        let sent = prefecture.deliver(
            .request(Self.request(.search(search), from: Self.layout.municipalCS)), from: Self.layout.municipalCS,
            at: 0)
        #expect(Self.responses(sent).map(\.failure) == [.notFound])
        let other = prefecture.deliver(
            .request(Self.request(.cardSystem(.revocation(Self.someCode)), from: Self.layout.municipalCS)),
            from: Self.layout.municipalCS, at: 1_000_000)
        #expect(Self.responses(other).map(\.failure) == [.unhandledRequest])
        #expect(prefecture.unhandled == [.request: 1])
        #expect(prefecture.behavior.searches == 1)
    }

    @Test("the card system lapses a card whose continuation deadline passes, and revokes on request")
    func cardSystemDeadlines() {
        var card = NodeHarness(
            CardManagementSystem(links: Self.configuration.links, service: Self.configuration.service),
            id: Self.layout.cardSystem)
        _ = card.deliver(
            .request(Self.request(.cardSystem(.continuationDue(Self.someCode, lapse: false)), slot: nil)),
            from: Self.layout.municipalCS, at: 0)
        #expect(card.behavior.continuationDue[Self.someCode.rawValue] != nil)
        // Past the 90-day window, the deadline timer lapses the card.
        _ = card.run(until: Self.configuration.service.continuationWindow + 10_000_000)
        #expect(card.behavior.lapsed == 1)
        let late = card.deliver(
            .request(Self.request(.cardSystem(.continuation(Self.someCode)))), from: Self.layout.municipalCS,
            at: Self.configuration.service.continuationWindow + 20_000_000)
        #expect(Self.responses(late).map(\.failure) == [.none])
        _ = card.deliver(
            .request(Self.request(.cardSystem(.revocation(Self.someCode)))), from: Self.layout.municipalCS,
            at: Self.configuration.service.continuationWindow + 30_000_000)
        #expect(card.behavior.revocations == 1 && card.behavior.cardStates[Self.someCode.rawValue] == .revoked)
        #expect(card.unhandled.isEmpty)
    }

    @Test("Myna Portal hands online move-outs to the application manager and counts anything else")
    func portalForwards() {
        var portal = NodeHarness(
            MynaPortal(layout: Self.layout, links: Self.configuration.links), id: Self.layout.mynaPortal)
        let filing = Self.request(
            .application(.onlineMoveOut(row: RowID(4), destination: Self.layout.others[0], plannedMoveOut: Self.date)),
            from: 0, slot: nil)
        let sent = portal.deliver(.request(filing), from: Self.layout.residents, at: 0)
        #expect(sent.map(\.destination) == [Self.layout.applicationManager])
        _ = portal.deliver(.timer(.outboxRetry), from: Self.layout.mynaPortal, at: 1_000_000)
        #expect(portal.unhandled == [.timer: 1])
        #expect(portal.behavior.filings == 1)
    }

    @Test("the application manager answers relocation reservations and fetches a one-stop mover's data")
    func applicationManager() {
        var manager = NodeHarness(
            ApplicationManager(layout: Self.layout, links: Self.configuration.links, calendar: .standard),
            id: Self.layout.applicationManager)
        let relocation = manager.deliver(
            .request(Self.request(.application(.relocationReservation(row: RowID(2))))),
            from: Self.layout.counters[0], at: 0)
        #expect(Self.responses(relocation).map(\.failure) == [.none])
        let data = CertificateDataRequest(
            originRow: RowID(9), origin: Self.layout.others[0], plannedMoveOut: Self.date)
        let fetch = manager.deliver(
            .request(Self.request(.application(.reservation(data)))), from: Self.layout.counters[0], at: 1_000_000)
        #expect(fetch.map(\.destination) == [Self.layout.municipalCS])
        #expect(fetch.first?.request?.payload == .municipality(.certificateData(data)))
    }

    @Test("a counter serves a visit, ends a refused journey as failed, and fails a visit for a batch flow")
    func counterJourneys() {
        var counter = NodeHarness(
            BranchCounter(
                name: "test", clerks: 1, layout: Self.layout, service: Self.configuration.service,
                links: Self.configuration.links, date: Self.date, chomeCounts: [3]),
            id: Self.layout.counters[0])
        func visit(_ flow: Flow, journey: UInt64) -> Visit {
            Visit(
                flow: flow, journey: journey, row: RowID(5), code: Self.someCode, cardStatus: .none,
                certificateDataMissing: false, origin: nil, plannedMoveOut: Self.date, movedIn: Self.date,
                cardBrought: false, pinCorrect: true, arrivedAt: 0)
        }
        let sent = counter.deliver(
            .visit(visit(.certificate, journey: 1)), from: Self.layout.residents, at: 0, until: 1)
        let asked = sent.compactMap(\.request)
        #expect(sent.map(\.destination) == [Self.layout.certificateSystem])
        #expect(
            asked.first?.payload
                == .certificate(
                    .issue(
                        CertificateOrder(row: RowID(5), kind: .residentRecordCopy, withNumber: false, withCode: false)))
        )
        guard let request = asked.first else { return }
        _ = counter.deliver(
            .response(Response(to: request, failure: .notResident)), from: Self.layout.certificateSystem, at: 1_000,
            until: 3_600_000_000)
        #expect(counter.behavior.stats[Int(Flow.certificate.rawValue)].failed[.notResident] == 1)
        _ = counter.deliver(
            .visit(visit(.consistencyCheck, journey: 2)), from: Self.layout.residents, at: 3_600_000_000,
            until: 7_200_000_000)
        #expect(counter.unhandled == [.visit: 1])
        #expect(counter.behavior.stats[Int(Flow.consistencyCheck.rawValue)].failed[.unhandledRequest] == 1)
    }

    @Test(
        "at closing the queue is served after hours (overtime), sent home, or carried over to the next opening",
        arguments: [ClosingPolicy.serveQueue, .sendHome, .carryOver])
    func closingTime(policy: ClosingPolicy) {
        let midnight = SimulatedTime(date: Self.date).microseconds
        let minute: Int64 = 60_000_000
        var counter = NodeHarness(
            BranchCounter(
                name: "test", clerks: 1, layout: Self.layout, service: Self.configuration.service,
                links: Self.configuration.links, date: Self.date, chomeCounts: [3], closing: policy, days: 2),
            id: Self.layout.counters[0], start: midnight)
        var requests: [Request] = []
        // Three visitors at 16:45; one clerk; closing is 17:00.
        for journey in UInt64(1)...3 {
            let at = midnight + (16 * 60 + 45) * minute + Int64(journey)
            let visit = Visit(
                flow: .certificate, journey: journey, row: RowID(5), code: Self.someCode, cardStatus: .none,
                certificateDataMissing: false, origin: nil, plannedMoveOut: Self.date, movedIn: Self.date,
                cardBrought: false, pinCorrect: true, arrivedAt: at)
            requests += counter.deliver(.visit(visit), from: Self.layout.residents, at: at, until: at + 1).compactMap(
                \.request)
        }
        #expect(requests.count == 1)
        // The clerk's first request is answered at 17:30, after closing; the desk work is done by 18:00.
        let answered = counter.deliver(
            .response(Response(to: requests[0], failure: .none)), from: Self.layout.registerSystem,
            at: midnight + 17 * 60 * minute + 30 * minute, until: midnight + 18 * 60 * minute)
        let next = answered.compactMap(\.request)
        let stats = counter.behavior.stats[Int(Flow.certificate.rawValue)]
        #expect(stats.completed == 1)
        switch policy {
        case .serveQueue:
            // The second visitor is served after hours.
            #expect(next.count == 1 && counter.behavior.servedAfterHours == 1 && counter.behavior.sentHome == 0)
        case .sendHome:
            #expect(next.isEmpty && counter.behavior.sentHome == 2 && stats.failed[.counterClosed] == 2)
            #expect(counter.behavior.inProgress == 0)
        case .carryOver:
            #expect(next.isEmpty && counter.behavior.sentHome == 0 && counter.behavior.inProgress == 2)
            // The next morning at 08:30 the clerk takes the second visitor.
            let morning = counter.run(until: midnight + 24 * 60 * minute + 9 * 60 * minute)
            #expect(morning.compactMap(\.request).count == 1)
            #expect(counter.behavior.servedAfterHours == 0)
        }
        // Service from 16:45 to at least 17:30: 15 minutes in office hours, the rest overtime.
        #expect(counter.behavior.busyInOfficeHours == 15 * minute - 1)
        #expect(counter.behavior.busyTime > counter.behavior.busyInOfficeHours)
    }

    @Test("the register system issues certificates, refuses changes by inquiry-only staff, and counts the rest")
    func registerSystem() throws {
        let population = try Self.population()
        var register = NodeHarness(
            RegisterSystem(
                register: population.register, layout: Self.layout, links: Self.configuration.links,
                service: Self.configuration.service, date: Self.date,
                allocator: ResidentCodeAllocator(key: 1), nextCodeSequence: UInt64(population.register.count),
                bulkAt: nil, bulkBatchSize: 100),
            id: Self.layout.registerSystem)
        let issued = register.deliver(
            .request(Self.request(.register(.issueCertificate(row: RowID(0), withNumber: false)))),
            from: Self.layout.counters[0],
            at: 0)
        #expect(Self.responses(issued).map(\.failure) == [.none])
        var relocate = Self.request(
            .register(.relocate(row: RowID(0), to: RegisterAddress(town: 0, chome: 1, banchi: 2, go: 3))))
        relocate.operatorID = 9_001
        let refused = register.deliver(.request(relocate), from: Self.layout.counters[0], at: 1_000_000)
        #expect(Self.responses(refused).map(\.failure) == [.notAuthorized])
        let wrong = register.deliver(
            .request(Self.request(.cardSystem(.revocation(Self.someCode)))), from: Self.layout.counters[0],
            at: 2_000_000)
        #expect(Self.responses(wrong).map(\.failure) == [.unhandledRequest])
        #expect(register.unhandled == [.request: 1])
    }

    @Test("another municipality's own residents file notices on every day of the run, not only the first")
    func otherMunicipalityLocalEventsEveryDay() throws {
        let population = try PopulationGenerator.generate(PopulationOptions(residents: 20_000, seed: 5))
        var local = LocalEvents(
            allocator: ResidentCodeAllocator(key: 1), conversion: NumberConversion(key: 1), nextCodeSequence: 10_000)
        local.days = 3
        var other = NodeHarness(
            OtherMunicipality(
                register: population.register, identityFile: IdentityFile(), links: Self.configuration.links,
                service: Self.configuration.service, prefecture: Self.layout.prefectures[13], date: Self.date,
                homeCS: Self.layout.municipalCS, localEvents: local),
            id: Self.layout.others[0])
        let day = SimulatedTime.microsecondsPerDay
        let start = SimulatedTime(date: Self.date).microseconds
        _ = other.run(until: start + day)
        let first = other.behavior.localChanges
        _ = other.run(until: start + 3 * day)
        // About 3 notices a day for 20,000 residents at Fujisawa's rates: days 2 and 3 add some.
        #expect(first > 0)
        #expect(other.behavior.localChanges > first)
    }

    @Test("residents send visits to counters and count any message addressed to them")
    func residents() throws {
        let population = try Self.population()
        let columns = population.register.columns
        // Everyone to their district's counter (no share to the main one), so every visit goes to counter 1.
        var workload = Workload.typicalWeekday
        workload.mainCounterShare = [:]
        var residents = NodeHarness(
            Residents(
                layout: Self.layout, links: Self.configuration.links, workload: workload, date: Self.date,
                opening: BusinessCalendar.standard.opening, closing: BusinessCalendar.standard.closing,
                counterOfRow: [UInt8](repeating: 1, count: population.register.count), codes: columns.residentCode,
                numbers: columns.individualNumber, cardStatus: columns.cardStatus, origins: []),
            id: Self.layout.residents)
        let day = SimulatedTime(date: Self.date).microseconds
        let sent = residents.run(until: day + 12 * 3_600_000_000)
        let visits = sent.filter {
            if case .visit = $0.event.message { return true }
            return false
        }
        #expect(!visits.isEmpty)
        #expect(visits.allSatisfy { $0.destination == Self.layout.counters[1] })
        // The rest are card applications, filed with J-LIS (the card management system) directly, and kiosk orders
        // (コンビニ交付), to the certificate system.
        #expect(sent.count > visits.count)
        #expect(
            sent.filter { $0.request != nil }.allSatisfy {
                $0.destination == Self.layout.cardSystem || $0.destination == Self.layout.certificateSystem
            })
        #expect(sent.contains { $0.request?.ticket.flow == .convenienceStore })
        _ = residents.deliver(.deskDone(slot: 0), from: Self.layout.counters[0], at: day + 12 * 3_600_000_000)
        #expect(residents.unhandled == [.deskDone: 1])
    }
}
