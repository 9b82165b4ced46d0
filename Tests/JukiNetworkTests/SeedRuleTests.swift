import JukiCore
import JukiNetwork
import JukiNetworkTesting
import JukiPopulation
import JukiRegister
import JukiSimulation
import Testing

/// The seed's rules that the model once contradicted (issue 13): each test fails on the old behaviour.
@Suite("The seed's rules")
struct SeedRuleTests {
    static let layout = NetworkLayout(counters: 2, others: 1)
    static let configuration = NetworkConfiguration()
    static let date = CivilDate(year: 2026, month: 4, day: 6)

    static func request(
        _ payload: RequestPayload, flow: Flow = .certificate, from: NodeID = layout.counters[0], slot: UInt32? = 0
    ) -> Request {
        Request(payload, ticket: Ticket(journey: 77, slot: slot, flow: flow, hop: .issueCertificate), replyTo: from)
    }

    static func registerSystem(residents: Int = 300) throws -> NodeHarness<RegisterSystem> {
        let population = try PopulationGenerator.generate(PopulationOptions(residents: residents, seed: 5))
        return NodeHarness(
            RegisterSystem(
                register: population.register, layout: layout, links: configuration.links,
                service: configuration.service, date: date, allocator: ResidentCodeAllocator(key: 1),
                nextCodeSequence: UInt64(population.register.count), bulkAt: nil, bulkBatchSize: 100),
            id: layout.registerSystem)
    }

    /// The identity updates among what a node sent.
    static func updates(_ sent: [Envelope<NetworkMessage>]) -> [IdentityUpdate] {
        sent.flatMap { envelope -> [IdentityUpdate] in
            if case .identityUpdates(let batch) = envelope.event.message { return batch.updates }
            return []
        }
    }

    @Test("only identity changes go up to the CS: a card event is not an identity update [II(2)3③]")
    func connectorForwardsIdentityChangesOnly() throws {
        var register = try Self.registerSystem()
        let columns = register.behavior.register.columns
        let row = try #require(
            columns.cardStatus.indices.first { columns.cardStatus[$0] == 0 }.map { RowID(UInt32($0)) })
        let card = register.deliver(
            .request(Self.request(.register(.recordCardEvent(row: row, event: .suspensionLift)), flow: .cardLinkage)),
            from: Self.layout.counters[0], at: 0)
        let status = register.behavior.register.columns.cardStatus[row.index]
        #expect(status == CardStatus.issued.rawValue)
        #expect(Self.updates(card).isEmpty)
        #expect(register.behavior.connector.skipped >= 1)
        let moved = register.deliver(
            .request(
                Self.request(
                    .register(.relocate(row: row, to: RegisterAddress(town: 0, chome: 1, banchi: 2, go: 3))),
                    flow: .relocation)),
            from: Self.layout.counters[0], at: 1_000_000)
        // The outbox resends until the CS acknowledges: one distinct update.
        #expect(Set(Self.updates(moved).map(\.version)).count == 1)
        #expect(Self.updates(moved).allSatisfy { $0.reason == .relocation })
    }

    @Test(
        "the change log records the clerk's operator and terminal, and the batch operator for automated work [別添2【1】40–42]"
    )
    func changeLogRecordsOperatorAndTerminal() throws {
        var register = try Self.registerSystem()
        var relocate = Self.request(
            .register(.relocate(row: RowID(3), to: RegisterAddress(town: 0, chome: 1, banchi: 7, go: 9))),
            flow: .relocation)
        relocate.operatorID = 305
        relocate.terminal = 10_305
        _ = register.deliver(.request(relocate), from: Self.layout.counters[0], at: 0)
        let log = register.behavior.register.changeLog
        let change = try #require(log.change(sequence: UInt64(log.count)))
        #expect(change.reason == .relocation)
        #expect(change.operatorID == OperatorID(305))
        #expect(change.terminalID == TerminalID(10_305))
        // A newborn's number is designated when the national server's candidate comes back: automated work,
        // recorded as the batch operator on the server.
        var birth = Self.request(.register(.recordBirth(parent: RowID(3), sex: .female)), flow: .birth)
        birth.operatorID = 305
        birth.terminal = 10_305
        let sent = register.deliver(.request(birth), from: Self.layout.counters[0], at: 1_000_000)
        let asked = try #require(
            sent.lazy.compactMap { envelope -> NumberBatch? in
                if case .numberRequest(let batch) = envelope.event.message { return batch }
                return nil
            }.first)
        let child = try #require(register.behavior.register.changeLog.change(sequence: UInt64(log.count + 1)))
        #expect(child.reason == .birth)
        #expect(child.operatorID == OperatorID(305))
        var answer = asked
        answer.candidates = asked.codes.map { NumberConversion(key: 9).candidate(for: $0) }
        _ = register.deliver(.numberReply(answer), from: Self.layout.municipalCS, at: 2_000_000)
        let designation = try #require(register.behavior.register.changeLog.change(sequence: UInt64(log.count + 2)))
        #expect(designation.reason == .numberDesignation)
        #expect(designation.operatorID == .batch)
        #expect(designation.terminalID == .server)
    }

    @Test("a card not continued in time lapses (失効), which is not a return (返還) [別添1 2.8-①]")
    func lapseIsNotReturn() {
        var card = NodeHarness(
            CardManagementSystem(links: Self.configuration.links, service: Self.configuration.service),
            id: Self.layout.cardSystem)
        let code = ResidentCode(body: 123_456_789)
        _ = card.deliver(
            .request(Self.request(.cardSystem(.continuationDue(code, lapse: false)), slot: nil)),
            from: Self.layout.municipalCS, at: 0)
        _ = card.run(until: Self.configuration.service.continuationWindow + 10_000_000)
        #expect(card.behavior.cardStates[code.rawValue] == .lapsed)
        // A card given back is a different event, and fails verification as returned, not lapsed.
        let other = ResidentCode(body: 223_456_789)
        _ = card.deliver(
            .request(Self.request(.cardSystem(.event(other, .returned)), slot: nil)), from: Self.layout.municipalCS,
            at: Self.configuration.service.continuationWindow + 20_000_000)
        #expect(card.behavior.cardStates[other.rawValue] == .returned)
        let returned = CardPresentation(holder: .resident(other), brought: true, pinCorrect: true, status: .returned)
        let lapsed = CardPresentation(holder: .resident(code), brought: true, pinCorrect: true, status: .lapsed)
        #expect(returned.failure == .cardReturned)
        #expect(lapsed.failure == .cardLapsed)
    }

    @Test("the moving season raises moves and the certificates they bring, not births, deaths or searches")
    func seasonRaisesMovesOnly() throws {
        let population = try PopulationGenerator.generate(PopulationOptions(residents: 2_000, seed: 5))
        let columns = population.register.columns
        let march = CivilDate(year: 2026, month: 3, day: 2)
        func visits(season: Double) -> [Flow: Int] {
            var workload = Workload.typicalWeekday
            workload.perDay = [.birth: 2_000, .moveOut: 2_000, .certificate: 2_000, .identitySearch: 2_000]
            workload.seasonal[2] = season
            var residents = NodeHarness(
                Residents(
                    layout: Self.layout, links: Self.configuration.links, workload: workload, date: march,
                    opening: BusinessCalendar.standard.opening, closing: BusinessCalendar.standard.closing,
                    counterOfRow: [UInt8](repeating: 0, count: columns.count), codes: columns.residentCode,
                    numbers: columns.individualNumber, cardStatus: columns.cardStatus, origins: []),
                id: Self.layout.residents)
            _ = residents.run(until: SimulatedTime(date: march).microseconds + 24 * 3_600_000_000)
            return residents.behavior.report(ReportPeriod(end: 1, runSeconds: 1, openSeconds: 1)).visits
        }
        let flat = visits(season: 1)
        let peak = visits(season: 3)
        // Births and searches keep their rate (within Poisson noise of ±5 %); moves triple; certificates rise by
        // their move-driven share: 1 + 0.2 × (3 − 1) = 1.4.
        for flow in [Flow.birth, .identitySearch] {
            let ratio = Double(peak[flow] ?? 0) / Double(flat[flow] ?? 1)
            #expect(abs(ratio - 1) < 0.1, "\(flow): \(ratio)")
        }
        let moves = Double(peak[.moveOut] ?? 0) / Double(flat[.moveOut] ?? 1)
        #expect(abs(moves - 3) < 0.3, "moveOut: \(moves)")
        let certificates = Double(peak[.certificate] ?? 0) / Double(flat[.certificate] ?? 1)
        #expect(abs(certificates - 1.4) < 0.15, "certificate: \(certificates)")
    }

    @Test(
        "a certificate omits the individual number unless the person asks; asked, only number-use staff print it [III(1)2 リスク2]"
    )
    func numberOnCertificatesOnRequest() throws {
        var register = try Self.registerSystem()
        let row = RowID(2)
        func issue(withNumber: Bool, operatorID: UInt16, at time: Int64) -> Response? {
            var r = Self.request(.register(.issueCertificate(row: row, withNumber: withNumber)))
            r.operatorID = operatorID
            return register.deliver(.request(r), from: Self.layout.counters[0], at: time).compactMap(\.response).first
        }
        // A clerk with number-use rights, not asked: no number (the old model printed it).
        let plain = issue(withNumber: false, operatorID: 101, at: 0)
        #expect(plain?.failure == FailureReason.none)
        #expect(plain?.result == .certificate(nil))
        let asked = issue(withNumber: true, operatorID: 101, at: 1_000_000)
        let number = register.behavior.register.columns.individualNumber[row.index]
        #expect(asked?.result == .certificate(number == 0 ? nil : IndividualNumber(uncheckedRawValue: number)))
        // Asked of a clerk without number-use rights: refused and audited, not silently masked.
        let refused = issue(withNumber: true, operatorID: 8_001, at: 2_000_000)
        #expect(refused?.failure == .numberUseRequired)
        #expect(register.behavior.audit.records.last?.action == .refusal)
        #expect(register.behavior.numberOmitted == 1 && register.behavior.certificatesWithNumber == 1)
    }

    @Test("a former resident moving back is recorded with their old addressee number, not refused [II(1)3⑧]")
    func returnerRecordedAgain() throws {
        var register = try Self.registerSystem()
        let row = RowID(4)
        let before = register.behavior.register.record(row)
        let out = register.deliver(
            .request(Self.request(.register(.remove(row: row, reason: .moveOut, destination: nil)), flow: .moveOut)),
            from: Self.layout.counters[0], at: 0)
        let certificate = try #require(out.compactMap(\.response).first?.person)
        #expect(certificate.individualNumber == before.individualNumber)
        // Back a few weeks later with the certificate their new municipality's move-out produced.
        var back = Self.request(.register(.recordMoveIn(reason: .moveIn)), flow: .moveIn)
        back.person = certificate
        let answer = register.deliver(.request(back), from: Self.layout.counters[0], at: 30 * 86_400_000_000)
            .compactMap(\.response).first
        #expect(answer?.failure == FailureReason.none)
        guard case .recorded(let newRow)? = answer?.result else {
            Issue.record("not recorded: \(String(describing: answer?.failure))")
            return
        }
        #expect(newRow != row)
        #expect(register.behavior.register.addresseeNumber(of: newRow) == before.addresseeNumber)
        #expect(register.behavior.register.unifiedAddresseeNumber(of: newRow) == before.unifiedAddresseeNumber)
    }

    static func mover(_ flow: Flow, row: RowID, missing: Bool = false) -> Visit {
        var v = Visit(
            flow: flow, journey: 9, row: row, code: ResidentCode(body: 1), cardStatus: .issued,
            certificateDataMissing: missing, origin: layout.others[0], plannedMoveOut: date, movedIn: date,
            cardBrought: true, pinCorrect: true, arrivedAt: 0)
        v.counterIndex = 1
        return v
    }

    @Test(
        "the origin records a move-out when it is filed there, and answers the destination from the held data [別添1 ④]")
    func originRecordsMoveOutAtTheNotice() throws {
        let population = try PopulationGenerator.generate(PopulationOptions(residents: 300, seed: 5))
        var other = NodeHarness(
            OtherMunicipality(
                register: population.register, identityFile: IdentityFile(), links: Self.configuration.links,
                service: Self.configuration.service, prefecture: Self.layout.prefectures[13], date: Self.date,
                homeCS: Self.layout.municipalCS, homeCounters: Self.layout.counters),
            id: Self.layout.others[0])
        // Asked for a person who filed no move-out here: nothing to send (the old model removed them on the spot).
        let asked = CertificateDataRequest(
            originRow: RowID(1), origin: Self.layout.others[0], plannedMoveOut: Self.date)
        let early = other.deliver(
            .request(Self.request(.municipality(.certificateData(asked)), from: Self.layout.municipalCS)),
            from: Self.layout.municipalCS, at: 0)
        #expect(early.compactMap(\.response).map(\.failure) == [.certificateDataNotFound])
        #expect(other.behavior.register.columns.status[1] == 0)
        // The mover files the move-out here (転出届), is recorded as moved out, and goes on to the home counter
        // with the paper certificate.
        let sent = other.deliver(.visit(Self.mover(.moveIn, row: RowID(1))), from: Self.layout.residents, at: 1_000_000)
        #expect(other.behavior.register.columns.status[1] != 0)
        let visits = sent.filter {
            if case .visit = $0.event.message { return true }
            return false
        }
        #expect(visits.map(\.destination) == [Self.layout.counters[1]])
        guard case .visit(let onward)? = visits.first?.event.message else {
            Issue.record("the mover was not sent on")
            return
        }
        #expect(onward.person?.residentCode.rawValue == population.register.columns.residentCode[1])
        let later = other.deliver(
            .request(Self.request(.municipality(.certificateData(asked)), from: Self.layout.municipalCS)),
            from: Self.layout.municipalCS, at: 2_000_000)
        let answer = later.compactMap(\.response).first
        #expect(answer?.failure == FailureReason.none)
        #expect(answer?.person?.residentCode.rawValue == population.register.columns.residentCode[1])
        // A special mover who filed nothing (the error path) stays active, and their data is not found.
        let unfiled = other.deliver(
            .visit(Self.mover(.specialMoveIn, row: RowID(7), missing: true)), from: Self.layout.residents,
            at: 3_000_000)
        #expect(unfiled.contains { $0.destination == Self.layout.counters[1] })
        #expect(other.behavior.register.columns.status[7] == 0)
        #expect(other.behavior.moversOut == 1)
    }

    @Test(
        "an ordinary move-in reads the paper certificate: no Juki-net hop before the record, none waited for after [II(1)3①]"
    )
    func ordinaryMoveInNeedsNoJukiNet() throws {
        let population = try PopulationGenerator.generate(PopulationOptions(residents: 300, seed: 5))
        var counter = NodeHarness(
            BranchCounter(
                name: "test", clerks: 1, layout: Self.layout, service: Self.configuration.service,
                links: Self.configuration.links, date: Self.date, chomeCounts: [3]),
            id: Self.layout.counters[0])
        var visit = Self.mover(.moveIn, row: RowID(1))
        let certificate = population.register.moveOutCertificate(RowID(1), plannedMoveOut: Self.date)
        visit.person = certificate
        // Counter support drafts the notice first, reading the paper certificate by OCR: still no Juki-net hop.
        let drafting = counter.deliver(.visit(visit), from: Self.layout.others[0], at: 0, until: 1)
        #expect(drafting.map(\.destination) == [Self.layout.counterSupport])
        let draft = try #require(drafting.compactMap(\.request).first)
        #expect(
            draft.payload
                == .counterSupport(.draft(FormDraft(row: nil, notice: .moveIn, persons: 1, paperCertificate: true))))
        let first = counter.deliver(
            .response(Response(to: draft)), from: Self.layout.counterSupport, at: 500_000, until: 500_001)
        // The next request goes to the register system (the record), not through the CS to the origin.
        #expect(first.map(\.destination) == [Self.layout.registerSystem])
        let record = try #require(first.compactMap(\.request).first)
        var recorded = Response(to: record, result: .recorded(RowID(300)))
        recorded.relayFor = nil
        let after = counter.deliver(.response(recorded), from: Self.layout.registerSystem, at: 1_000_000)
        // The move-in notice goes to the CS as a system message (no slot), and the journey ends without its answer.
        let notice = try #require(after.compactMap(\.request).first)
        #expect(notice.payload == .municipality(.moveInNotice(certificate.residentCode, to: Self.layout.others[0])))
        #expect(notice.ticket.slot == nil)
        // The second clerk looks the drafted notice up (届出書検索) before the check.
        let search = try #require(after.compactMap(\.request).first { $0.ticket.hop == .formSearch })
        _ = counter.deliver(.response(Response(to: search)), from: Self.layout.counterSupport, at: 3_600_000_000)
        #expect(counter.behavior.stats[Int(Flow.moveIn.rawValue)].completed == 1)
    }

    @Test(
        "card verification matches the card with the national identity file by resident code, and judges it by J-LIS's state [II(2)3⑧]"
    )
    func verificationChecksTheNationalFile() {
        let active = ResidentCode(body: 111_111_111)
        let removed = ResidentCode(body: 222_222_222)
        let unknown = ResidentCode(body: 333_333_333)
        var national = NodeHarness(
            NationalServer(
                identityFile: SingleNodeTests.identityFile([(active, .active), (removed, .removed)]),
                conversion: NumberConversion(key: 1), links: Self.configuration.links,
                service: Self.configuration.service),
            id: Self.layout.nationalServer)
        var time: Int64 = 0
        func verify(_ holder: CardHolder, status: CardStatus = .issued) -> FailureReason? {
            time += 1_000_000
            let card = CardPresentation(holder: holder, brought: true, pinCorrect: true, status: status)
            var r = Self.request(.national(.verifyCard(card)), from: Self.layout.municipalCS)
            r.relayFor = Self.layout.counters[0]
            return national.deliver(.request(r), from: Self.layout.municipalCS, at: time).compactMap(\.response).first?
                .failure
        }
        // The old model answered from the flags the counter sent: all three passed.
        #expect(verify(.resident(active)) == FailureReason.none)
        #expect(verify(.resident(unknown)) == .notFound)
        #expect(verify(.resident(removed)) == .notResident)
        // A mover's record was removed at the origin: that is what a mover's card should find.
        #expect(verify(.mover(removed)) == FailureReason.none)
        // Revoked during the run (the holder died, say): the card system told J-LIS, so a card the holder
        // presents as issued is refused.
        time += 1_000_000
        _ = national.deliver(
            .request(Self.request(.national(.cardState(active, .revoked)), from: Self.layout.cardSystem, slot: nil)),
            from: Self.layout.cardSystem, at: time)
        #expect(verify(.resident(active)) == .cardRevoked)
    }

    @Test("the CS answers the municipality's identity searches from its own file: by code, number or facts [別添1 2.4-①]")
    func csAnswersOwnSearches() throws {
        let population = try PopulationGenerator.generate(PopulationOptions(residents: 300, seed: 5))
        var register = population.register
        let context = ChangeContext(
            time: SimulatedTime(microseconds: 0), operatorID: OperatorID(101), terminalID: TerminalID(1))
        try register.remove(RowID(1), reason: .moveOut, context: context)
        try register.remove(RowID(2), reason: .death, context: context)
        var file = IdentityFile(indexingNumbers: true, indexingFacts: true)
        file.load(register.initialIdentityUpdates())
        for change in register.changeLog.changes(from: 1) {
            file.apply(register.identityUpdate(row: change.row, version: 1 << 60, reason: change.reason))
        }
        var cs = NodeHarness(
            MunicipalCS(
                identityFile: file, layout: Self.layout, links: Self.configuration.links,
                service: Self.configuration.service, prefecture: Self.layout.prefectures[13]),
            id: Self.layout.municipalCS)
        var time: Int64 = 0
        func search(_ target: SearchTarget, operatorID: UInt16 = 101) -> (FailureReason?, [NodeID]) {
            time += 1_000_000
            var r = Self.request(.search(SearchRequest(target: target, scope: .own)), flow: .identitySearch)
            r.operatorID = operatorID
            let sent = cs.deliver(.request(r), from: Self.layout.counters[0], at: time)
            return (sent.compactMap(\.response).first?.failure, sent.map(\.destination))
        }
        let columns = register.columns
        let code = { (row: Int) in SearchTarget.code(ResidentCode(uncheckedRawValue: columns.residentCode[row])) }
        // Answered here: nothing goes on to the register system (the old model's route).
        let (found, sentTo) = search(code(0))
        #expect(found == FailureReason.none)
        #expect(sentTo == [Self.layout.counters[0]])
        // Removed by a move-out: still in the CS's file; removed by death: not (II(2)2③).
        #expect(search(code(1)).0 == FailureReason.none)
        #expect(search(code(2)).0 == .notFound)
        // By basic facts: the name with the birth date or the address; too few facts are refused.
        let keys = register.basicFactsKeys(of: RowID(3))
        #expect(search(.basicFacts(key: keys.nameAndBirthDate, given: .nameAndBirthDate)).0 == FailureReason.none)
        #expect(search(.basicFacts(key: keys.nameAndAddress, given: .nameAndAddress)).0 == FailureReason.none)
        #expect(search(.basicFacts(key: keys.nameAndBirthDate, given: .tooFew)).0 == .searchRefused)
        #expect(search(.basicFacts(key: 12_345, given: .nameAndBirthDate)).0 == .notFound)
        // A clerk's own spelling of the facts gives the same key as the file holds.
        let record = register.record(RowID(3))
        let typed = BasicFactsKeys.nameAndBirthDate(
            name: BasicFactsKeys.name(surnameKana: record.name.surnameKana, givenNameKana: record.name.givenNameKana),
            birthDate: record.birthDate)
        #expect(typed == keys.nameAndBirthDate)
        // By individual number: number-use staff only.
        let number = try #require(record.individualNumber)
        #expect(search(.number(number)).0 == FailureReason.none)
        #expect(search(.number(number), operatorID: 8_001).0 == .numberUseRequired)
        #expect(cs.behavior.searches == 9)
        #expect(cs.behavior.audit.records.filter { $0.action == .refusal }.count == 2)
    }

    @Test("every entry is checked by a second clerk before the resident leaves; certificates are not [III(1)2 リスク1/3]")
    func secondPersonCheck() throws {
        // Without counter support: its drafting and 届出書検索 are `CounterSupportTests`'s.
        var service = Self.configuration.service
        service.counterSupport.enabled = false
        var counter = NodeHarness(
            BranchCounter(
                name: "test", clerks: 2, layout: Self.layout, service: service,
                links: Self.configuration.links, date: Self.date, chomeCounts: [3]),
            id: Self.layout.counters[0])
        func visit(_ flow: Flow, journey: UInt64) -> Visit {
            Visit(
                flow: flow, journey: journey, row: RowID(5), code: ResidentCode(body: 1), cardStatus: .none,
                certificateDataMissing: false, origin: nil, plannedMoveOut: Self.date, movedIn: Self.date,
                cardBrought: false, pinCorrect: true, arrivedAt: 0)
        }
        let hour: Int64 = 3_600_000_000
        for (k, flow) in [Flow.relocation, .certificate].enumerated() {
            let sent = counter.deliver(.visit(visit(flow, journey: UInt64(k + 1))), from: Self.layout.residents, at: 0)
            for request in sent.compactMap(\.request) {
                _ = counter.deliver(
                    .response(Response(to: request)), from: Self.layout.registerSystem, at: 1_000_000, until: hour)
            }
        }
        _ = counter.run(until: 4 * hour)
        let stats = counter.behavior.stats
        #expect(stats[Int(Flow.relocation.rawValue)].completed == 1)
        #expect(stats[Int(Flow.certificate.rawValue)].completed == 1)
        // One check, for the relocation only, taken by the clerk who was free, and its own span.
        #expect(counter.behavior.checksDone == 1)
        #expect(counter.behavior.checkTime >= Self.configuration.service.secondCheck.minimum)
        let spans = counter.behavior.report(ReportPeriod(end: 4 * hour, runSeconds: 1, openSeconds: 1)).spans
        #expect(spans.filter { $0.hop == .secondCheck }.map(\.flow) == [.relocation])
    }
}
