import JukiCore
import JukiNetwork
import JukiNetworkTesting
import JukiPopulation
import JukiRegister
import JukiSimulation
import Testing

/// The My Number card's lifecycle: application to J-LIS, the card made and the 交付通知書 mailed, the hand-over at
/// the counter (交付, register-system function ⑮, CS function 8), the certificate serial linked back through the CS
/// connector (I 2 システム2 ④), and the card face updated after a move (券面記載事項変更) with the signature
/// certificate lapsing.
@Suite("The card lifecycle")
struct CardLifecycleTests {
    static let layout = SeedRuleTests.layout
    static let configuration = NetworkConfiguration()
    static let day: Int64 = 86_400_000_000

    static func cardSystem() -> NodeHarness<CardManagementSystem> {
        NodeHarness(
            CardManagementSystem(
                links: configuration.links, service: configuration.service, national: layout.nationalServer),
            id: layout.cardSystem)
    }

    @Test("an application is made into a card in three to six weeks, and the 交付通知書 is mailed then; no answer")
    func applicationToLetter() {
        var card = Self.cardSystem()
        let code = ResidentCode(body: 123_456_789)
        let sent = card.deliver(
            .request(SeedRuleTests.request(.cardSystem(.application(code, renewal: true)), slot: nil)),
            from: Self.layout.residents, at: 0, until: 20 * Self.day)
        #expect(sent.compactMap(\.response).isEmpty)
        #expect(card.behavior.applications == 1 && card.behavior.renewals == 1)
        #expect(card.behavior.manufactured == 0)
        _ = card.run(until: 43 * Self.day)
        #expect(card.behavior.manufactured == 1 && card.behavior.issuanceNotices == 1)
    }

    @Test("a hand-over activates the card, answers with its certificate serial and links the serial to the register")
    func handOverLinksTheSerial() throws {
        var card = Self.cardSystem()
        let code = ResidentCode(body: 223_456_789)
        let request = SeedRuleTests.request(
            .cardSystem(.issuance(code)), flow: .cardIssuance, from: Self.layout.municipalCS)
        let sent = card.deliver(.request(request), from: Self.layout.municipalCS, at: 0)
        let response = try #require(sent.compactMap(\.response).first)
        guard case .certificateSerial(let serial) = response.result else {
            Issue.record("no serial: \(response.result)")
            return
        }
        #expect(serial != 0)
        #expect(card.behavior.cardStates[code.rawValue] == .issued && card.behavior.handedOver == 1)
        let link = try #require(
            sent.compactMap(\.request).first {
                if case .register(.linkCertificateSerial) = $0.payload { return true }
                return false
            })
        #expect(link.payload == .register(.linkCertificateSerial(code, serial: serial)))
        #expect(sent.contains { $0.destination == Self.layout.municipalCS && $0.request == nil })
        // The national server hears the card's new state (verification judges cards by it).
        #expect(sent.contains { $0.request?.payload == .national(.cardState(code, .issued)) })
    }

    @Test("the CS connector carries the serial to the register, which keeps it for a resident and refuses a stranger")
    func serialReachesTheRegister() throws {
        var cs = NodeHarness(
            MunicipalCS(
                identityFile: IdentityFile(), layout: Self.layout, links: Self.configuration.links,
                service: Self.configuration.service, prefecture: Self.layout.prefectures[13]),
            id: Self.layout.municipalCS)
        var register = try SeedRuleTests.registerSystem()
        let code = ResidentCode(uncheckedRawValue: register.behavior.register.columns.residentCode[3])
        let link = SeedRuleTests.request(
            .register(.linkCertificateSerial(code, serial: 42)), flow: .cardIssuance, from: Self.layout.cardSystem,
            slot: nil)
        let relayed = cs.deliver(.request(link), from: Self.layout.cardSystem, at: 0)
        let onward = try #require(relayed.first { $0.destination == Self.layout.registerSystem }?.request)
        let answer = register.deliver(.request(onward), from: Self.layout.municipalCS, at: 1_000_000)
        #expect(answer.compactMap(\.response).first?.failure == FailureReason.none)
        #expect(register.behavior.certificateSerials[code.rawValue] == 42 && register.behavior.serialsLinked == 1)
        var stranger = onward
        stranger.payload = .register(.linkCertificateSerial(ResidentCode(body: 999_999_999), serial: 7))
        let refused = register.deliver(.request(stranger), from: Self.layout.municipalCS, at: 2_000_000)
        #expect(refused.compactMap(\.response).first?.failure == .notResident)
        #expect(register.behavior.serialsLinked == 1)
    }

    @Test("a holder's relocation updates the card face; the signature certificate lapses, a new one only if asked")
    func faceChangeAfterRelocation() throws {
        var register = try SeedRuleTests.registerSystem()
        let columns = register.behavior.register.columns
        let holder = try #require((0..<columns.count).first { columns.cardStatus[$0] == CardStatus.issued.rawValue })
        let none = try #require((0..<columns.count).first { columns.cardStatus[$0] != CardStatus.issued.rawValue })
        func relocate(_ row: Int, at time: Int64) -> [Request] {
            let address = RegisterAddress(
                town: columns.town[row], chome: columns.chome[row], banchi: columns.banchi[row] &+ 3,
                go: columns.go[row])
            return register.deliver(
                .request(
                    SeedRuleTests.request(
                        .register(.relocate(row: RowID(UInt32(row)), to: address)), flow: .relocation)),
                from: Self.layout.counters[0], at: time
            ).compactMap(\.request)
        }
        let faces = relocate(holder, at: 0).filter {
            if case .cardSystem(.faceChange) = $0.payload { return true }
            return false
        }
        #expect(faces.count == 1)
        #expect(
            relocate(none, at: 1_000_000).allSatisfy {
                if case .cardSystem(.faceChange) = $0.payload { return false }
                return true
            })
        var card = Self.cardSystem()
        let code = ResidentCode(uncheckedRawValue: columns.residentCode[holder])
        for (k, renew) in [false, true].enumerated() {
            _ = card.deliver(
                .request(SeedRuleTests.request(.cardSystem(.faceChange(code, newSignature: renew)), slot: nil)),
                from: Self.layout.municipalCS, at: Int64(k) * 1_000_000)
        }
        #expect(card.behavior.faceChanges == 2 && card.behavior.signatureLapsed == 2)
        #expect(card.behavior.signatureIssued == 1)
    }

    @Test("the counter's hand-over records the issue at the register, then activates the card; no second check")
    func counterHandOver() throws {
        var counter = HouseholdTests.counter()
        let visit = Visit(
            flow: .cardIssuance, journey: 5, row: RowID(3), code: ResidentCode(body: 5), cardStatus: .none,
            certificateDataMissing: false, origin: nil, plannedMoveOut: SeedRuleTests.date,
            movedIn: SeedRuleTests.date, cardBrought: false, pinCorrect: true, arrivedAt: 0)
        var pending = counter.deliver(.visit(visit), from: Self.layout.residents, at: 0, until: 1).compactMap(\.request)
        var payloads: [RequestPayload] = []
        var t: Int64 = 1_000_000
        while let request = pending.first {
            pending.removeFirst()
            payloads.append(request.payload)
            pending += counter.deliver(
                .response(Response(to: request)), from: Self.layout.municipalCS, at: t, until: t + 1
            )
            .compactMap(\.request)
            t += 1_000_000
        }
        _ = counter.run(until: 3 * 3_600_000_000)
        #expect(
            payloads == [.register(.recordCardEvent(row: RowID(3), event: .issue)), .cardSystem(.issuance(visit.code))])
        #expect(counter.behavior.stats[Int(Flow.cardIssuance.rawValue)].completed == 1)
        #expect(counter.behavior.checksDone == 0)
    }

    @Test("a day's hand-overs each link their serial to the register; applications and face changes are counted")
    func dayOfCards() async throws {
        var c = smallConfiguration()
        c.workload.perDay = [.cardIssuance: 60, .relocation: 40]
        c.workload.cardApplicationsPerDay = 50
        let (_, report) = try await run(c)
        let handOvers = try #require(report.journeys[.cardIssuance])
        #expect(handOvers.completed > 20 && handOvers.completed == handOvers.started)
        #expect(report.cards.handedOver == handOvers.completed)
        #expect(report.certificateSerialsLinked == handOvers.completed)
        #expect(report.cards.serialsLinked == handOvers.completed)
        #expect(report.cards.applications > 10)
        #expect(report.cards.faceChanges > 0 && report.cards.faceChanges == report.cards.signatureLapsed)
        #expect(report.invariants.holds)
    }
}

/// 電子証明書の更新 at 本庁: the card checked at the counter, both certificates issued anew by the card management
/// system, the new serial linked to the register.
@Suite("E-certificate renewal")
struct CertificateRenewalTests {
    static let layout = SeedRuleTests.layout

    static func visit(brought: Bool, status: CardStatus) -> Visit {
        Visit(
            flow: .certificateRenewal, journey: 9, row: RowID(3), code: ResidentCode(body: 9), cardStatus: status,
            certificateDataMissing: false, origin: nil, plannedMoveOut: SeedRuleTests.date,
            movedIn: SeedRuleTests.date, cardBrought: brought, pinCorrect: false, arrivedAt: 0)
    }

    /// Runs one renewal visit at a counter, answering every request; returns the payloads sent and the counter.
    static func serve(_ visit: Visit) -> ([RequestPayload], NodeHarness<BranchCounter>) {
        var counter = HouseholdTests.counter()
        var pending = counter.deliver(.visit(visit), from: layout.residents, at: 0, until: 1).compactMap(\.request)
        var payloads: [RequestPayload] = []
        var t: Int64 = 1_000_000
        while let request = pending.first {
            pending.removeFirst()
            payloads.append(request.payload)
            pending += counter.deliver(.response(Response(to: request)), from: layout.municipalCS, at: t, until: t + 1)
                .compactMap(\.request)
            t += 1_000_000
        }
        _ = counter.run(until: 3 * 3_600_000_000)
        return (payloads, counter)
    }

    @Test(
        "a holder with the card renews (a forgotten PIN does not matter: the passwords are set anew); no second check")
    func renews() {
        let v = Self.visit(brought: true, status: .issued)
        let (payloads, counter) = Self.serve(v)
        #expect(payloads == [.cardSystem(.certificateRenewal(v.code))])
        #expect(counter.behavior.stats[Int(Flow.certificateRenewal.rawValue)].completed == 1)
        #expect(counter.behavior.checksDone == 0)
    }

    @Test(
        "without the card, or with a card not in use, nothing goes to J-LIS and the journey says why",
        arguments: [
            (false, CardStatus.issued, FailureReason.cardNotBrought), (true, .expired, .cardExpired),
            (true, .revoked, .cardRevoked), (true, .lapsed, .cardLapsed), (true, .none, .cardNotBrought),
        ])
    func refused(brought: Bool, status: CardStatus, reason: FailureReason) {
        let (payloads, counter) = Self.serve(Self.visit(brought: brought, status: status))
        #expect(payloads.isEmpty)
        #expect(counter.behavior.stats[Int(Flow.certificateRenewal.rawValue)].failed[reason] == 1)
    }

    @Test("the card system issues the certificates and links the new serial; a card revoked during the run is refused")
    func cardSystem() throws {
        var card = CardLifecycleTests.cardSystem()
        let code = ResidentCode(body: 323_456_789)
        let request = SeedRuleTests.request(
            .cardSystem(.certificateRenewal(code)), flow: .certificateRenewal, from: Self.layout.municipalCS)
        let sent = card.deliver(.request(request), from: Self.layout.municipalCS, at: 0)
        let response = try #require(sent.compactMap(\.response).first)
        guard case .certificateSerial(let serial) = response.result else {
            Issue.record("no serial: \(response.result)")
            return
        }
        #expect(card.behavior.certificatesRenewed == 1)
        #expect(sent.contains { $0.request?.payload == .register(.linkCertificateSerial(code, serial: serial)) })
        _ = card.deliver(
            .request(SeedRuleTests.request(.cardSystem(.revocation(code)), slot: nil)), from: Self.layout.municipalCS,
            at: 1_000_000)
        let again = card.deliver(.request(request), from: Self.layout.municipalCS, at: 2_000_000)
        #expect(again.compactMap(\.response).first?.failure == .cardRevoked)
        #expect(card.behavior.certificatesRenewed == 1)
    }

    @Test("a day of renewals: all at 本庁, each serial linked to the register, counted in the card figures")
    func day() async throws {
        var c = smallConfiguration()
        c.workload.perDay = [.certificateRenewal: 80]
        let (_, report) = try await run(c)
        let renewals = try #require(report.journeys[.certificateRenewal])
        #expect(renewals.started > 30)
        #expect(report.cards.certificatesRenewed == renewals.completed)
        #expect(report.certificateSerialsLinked == renewals.completed)
        #expect(renewals.completed + renewals.failedCount == renewals.started)
        let main = report.counters[0]
        #expect(report.counters.dropFirst().allSatisfy { $0.served == 0 }, "a branch served a renewal")
        #expect(main.served == renewals.started)
        #expect(report.invariants.holds)
    }
}

/// Cards expire during a run: the register system's nightly job marks them and J-LIS's notices are counted.
@Suite("Card expiry")
struct CardExpiryTests {
    @Test("over four days each card whose expiry day passes is marked expired in the register and at the card system")
    func expiries() async throws {
        var c = quietConfiguration(seed: 43)
        c.workload.cardApplicationsPerDay = 0
        c.days = 4
        let simulation = try await NetworkSimulation(c)
        let before = await simulation.homeRegister()
        let first = Int(c.date.daysSinceEpoch)
        // The cards whose expiry date (the holder's birthday in the expiry year) falls on one of the four days.
        var due: Set<UInt32> = []
        for i in 0..<before.count where before.columns.cardStatus[i] == CardStatus.issued.rawValue {
            guard let expiry = before.cardExpiry(of: RowID(UInt32(i))) else { continue }
            if (0..<4).contains(Int(expiry.daysSinceEpoch) - first) { due.insert(UInt32(i)) }
        }
        #expect(due.count > 5, "too few cards expire in the window for the test to say anything")
        await simulation.run(
            until: .time(
                SimulatedTime(microseconds: simulation.dayStart.microseconds + 4 * SimulatedTime.microsecondsPerDay)))
        let report = await simulation.report()
        let after = await simulation.homeRegister()
        let expired = (0..<after.count).filter { after.columns.cardStatus[$0] == CardStatus.expired.rawValue }
        #expect(Set(expired.map(UInt32.init)) == due)
        #expect(report.cardExpiry.expired == due.count)
        #expect(await simulation.cardManagementSystem().changedCards[.expired] == due.count)
        #expect(report.cardExpiry.cardNotices > 0 && report.cardExpiry.certificateNotices > 0)
        #expect(report.invariants.holds && report.invariants.unhandledMessages == 0)
    }

    @Test("an expired card is refused for an e-certificate renewal at the counter")
    func expiredCardIsNotRenewed() {
        let (payloads, counter) = CertificateRenewalTests.serve(
            CertificateRenewalTests.visit(brought: true, status: .expired))
        #expect(payloads.isEmpty)
        #expect(counter.behavior.stats[Int(Flow.certificateRenewal.rawValue)].failed[.cardExpired] == 1)
    }
}
