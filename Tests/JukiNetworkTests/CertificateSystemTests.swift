import JukiCore
import JukiNetwork
import JukiNetworkTesting
import JukiPopulation
import JukiRegister
import JukiSimulation
import Testing

/// The certificate system (証明交付システム) with its kinds, fees and kiosks (コンビニ交付), alone through the harness and
/// in a run.
@Suite("The certificate system and convenience-store issuance")
struct CertificateSystemTests {
    static let layout = NetworkLayout(counters: 2, others: 1)
    static let tuesday = SimulatedTime(date: CivilDate(year: 2026, month: 3, day: 3)).microseconds
    static let hour: Int64 = 3_600_000_000

    static func system() -> NodeHarness<CertificateSystem> {
        NodeHarness(CertificateSystem(layout: layout, links: .standard), id: layout.certificateSystem)
    }

    static func counterOrder(_ order: CertificateOrder, journey: UInt64 = 1) -> Request {
        var r = Request(
            .certificate(.issue(order)),
            ticket: Ticket(journey: journey, slot: 0, flow: .certificate, hop: .issueCertificate),
            replyTo: layout.counters[0], sentAt: tuesday)
        r.operatorID = 101
        return r
    }

    static func kioskOrder(pinCorrect: Bool = true, kind: CertificateKind = .residentRecordCopy, journey: UInt64 = 7)
        -> Request
    {
        Request(
            .certificate(
                .kiosk(
                    KioskOrder(
                        code: ResidentCode(body: 123_456_789), row: RowID(4), kind: kind, withNumber: false,
                        pinCorrect: pinCorrect))),
            ticket: Ticket(journey: journey, slot: nil, flow: .convenienceStore, hop: .issueCertificate),
            replyTo: layout.residents, sentAt: tuesday + 9 * hour)
    }

    static func requests(_ sent: [Envelope<NetworkMessage>]) -> [(NodeID, Request)] {
        sent.compactMap { e in e.request.map { (e.destination, $0) } }
    }

    @Test("a counter's order is read from the register, printed, charged, recorded and answered to the counter")
    func counterOrder() throws {
        var system = Self.system()
        let order = CertificateOrder(row: RowID(3), kind: .entryCertificate, withNumber: true, withCode: true)
        let asked = Self.requests(
            system.deliver(.request(Self.counterOrder(order)), from: Self.layout.counters[0], at: Self.tuesday))
        let (to, read) = try #require(asked.first)
        #expect(to == Self.layout.registerSystem)
        #expect(read.payload == .register(.issueCertificate(row: RowID(3), withNumber: true, kind: .entryCertificate)))
        #expect(read.operatorID == 101, "the register checks the clerk's rights")
        let number = IndividualNumber(body: 11_111_111_111)
        let answered = system.deliver(
            .response(Response(to: read, failure: .none, result: .certificate(number))),
            from: Self.layout.registerSystem,
            at: Self.tuesday + 1_000)
        let reply = try #require(answered.first { $0.response != nil })
        #expect(reply.destination == Self.layout.counters[0] && reply.response?.failure == FailureReason.none)
        #expect(reply.event.time >= Self.tuesday + 1_000 + CertificateService.standard.printTime, "printed first")
        let s = system.behavior
        #expect(s.issued[0][Int(CertificateKind.entryCertificate.rawValue)] == 1)
        #expect(s.fees == [300, 0] && s.withNumber == 1 && s.withCode == 1)
        #expect(s.audit.count == 1 && s.audit.count(of: .view) == 1)
    }

    @Test("a refusal from the register is passed on to the counter, recorded, and not charged")
    func refusalPassedOn() throws {
        var system = Self.system()
        let order = CertificateOrder(row: RowID(3), kind: .removedRecordCopy, withNumber: false, withCode: false)
        let asked = Self.requests(
            system.deliver(.request(Self.counterOrder(order)), from: Self.layout.counters[0], at: Self.tuesday))
        let read = try #require(asked.first?.1)
        let answered = system.deliver(
            .response(Response(to: read, failure: .recordNotRemoved)), from: Self.layout.registerSystem,
            at: Self.tuesday + 1_000)
        #expect(answered.first { $0.response != nil }?.response?.failure == .recordNotRemoved)
        #expect(system.behavior.fees == [0, 0] && system.behavior.refused[.recordNotRemoved] == 1)
        #expect(system.behavior.audit.count(of: .refusal) == 1)
    }

    @Test("the register issues a 除票の写し only of a removed record, and a copy only of a resident (住基法第15条の4)")
    func registerKindRule() throws {
        var node = try registerHarness(layout: Self.layout, removed: [RowID(2)], reason: .death)
        func ask(_ row: UInt32, _ kind: CertificateKind, at t: Int64) -> FailureReason? {
            var r = Request(
                .register(.issueCertificate(row: RowID(row), withNumber: false, kind: kind)),
                ticket: Ticket(journey: UInt64(t), slot: nil, flow: .certificate, hop: .issueCertificate),
                replyTo: Self.layout.certificateSystem, sentAt: t)
            r.operatorID = 101
            return node.deliver(.request(r), from: Self.layout.certificateSystem, at: t).compactMap(\.response).first?
                .failure
        }
        #expect(ask(2, .removedRecordCopy, at: 10) == FailureReason.none)
        #expect(ask(2, .residentRecordCopy, at: 20) == .notResident)
        #expect(ask(3, .removedRecordCopy, at: 30) == .recordNotRemoved)
        #expect(ask(3, .entryCertificate, at: 40) == FailureReason.none)
    }

    @Test("a kiosk order verifies the card with J-LIS, reads the register and completes as a journey")
    func kioskOrder() throws {
        var system = Self.system()
        let t = Self.tuesday + 9 * Self.hour
        let verify = try #require(Self.requests(system.deliver(.request(Self.kioskOrder()), from: 0, at: t)).first)
        #expect(verify.0 == Self.layout.municipalCS)
        guard case .national(.verifyCard(let card)) = verify.1.payload else {
            Issue.record("expected a card verification, got \(verify.1.payload)")
            return
        }
        #expect(card.brought && card.pinCorrect && card.holder == .resident(ResidentCode(body: 123_456_789)))
        let read = try #require(
            Self.requests(
                system.deliver(
                    .response(Response(to: verify.1, failure: .none)), from: Self.layout.municipalCS, at: t + 50_000)
            ).first)
        #expect(read.0 == Self.layout.registerSystem)
        _ = system.deliver(
            .response(Response(to: read.1, failure: .none, result: .certificate(nil))),
            from: Self.layout.registerSystem,
            at: t + 60_000)
        let s = system.behavior
        #expect(s.kiosk.started == 1 && s.kiosk.completed == 1)
        #expect(s.issued[1][0] == 1 && s.fees == [0, 200])
        #expect(s.kiosk.latency.minimum >= CertificateService.standard.kioskPrintTime, "the kiosk's printing counts")
    }

    @Test("a wrong PIN fails the kiosk journey; kiosks close at night and over the new year; no 除票 at a kiosk")
    func kioskRefusals() throws {
        var system = Self.system()
        let t = Self.tuesday + 9 * Self.hour
        let verify = try #require(
            Self.requests(system.deliver(.request(Self.kioskOrder(pinCorrect: false)), from: 0, at: t)).first)
        _ = system.deliver(
            .response(Response(to: verify.1, failure: .pinFailure)), from: Self.layout.municipalCS, at: t + 1)
        var night = Self.kioskOrder(journey: 8)
        night.sentAt = Self.tuesday + 23 * Self.hour + 30 * 60_000_000
        #expect(Self.requests(system.deliver(.request(night), from: 0, at: night.sentAt)).isEmpty)
        let removed = Self.kioskOrder(kind: .removedRecordCopy, journey: 9)
        #expect(Self.requests(system.deliver(.request(removed), from: 0, at: t + 2 * Self.hour)).isEmpty)
        let k = system.behavior.kiosk
        #expect(k.started == 3 && k.completed == 0)
        #expect(k.failed == [.pinFailure: 1, .kioskClosed: 1, .notAtKiosk: 1])
        let service = CertificateService.standard
        let newYear = SimulatedTime(date: CivilDate(year: 2027, month: 1, day: 2), hour: 12).microseconds
        #expect(!service.kioskOpen(at: newYear))
        #expect(service.kioskOpen(at: Self.tuesday + 6 * Self.hour + 30 * 60_000_000))
        #expect(!service.kioskOpen(at: Self.tuesday + 6 * Self.hour + 29 * 60_000_000))
    }

    @Test("the kiosk share moves certificate demand from the counters to the kiosks, the total kept")
    func shareMovesDemand() {
        var w = Workload.typicalWeekday
        let counterAt30 = w.counterRate(.certificate)
        let kioskAt30 = w.kioskPerDay
        #expect(abs(counterAt30 - (w.perDay[.certificate] ?? 0)) < 1e-9, "the observed share keeps the observed rate")
        w.convenienceStoreShare = 0.6
        #expect(w.counterRate(.certificate) < counterAt30 * 0.6)
        #expect(w.kioskPerDay > kioskAt30 * 1.9)
        // A business day's demand is the same: counter + kiosk (per business day) at both shares.
        let perBusinessDay = { (w: Workload) in w.counterRate(.certificate) + w.kioskPerDay * 365 / 243 }
        var w30 = Workload.typicalWeekday
        w30.convenienceStoreShare = 0.3
        #expect(abs(perBusinessDay(w) - perBusinessDay(w30)) < 1e-6)
    }

    @Test("a 広域交付 copy is printed from the information sent, with no read of this register, and charged")
    func wideAreaCopyPrinted() throws {
        var system = Self.system()
        let order = CertificateOrder(row: RowID(3), kind: .wideAreaCopy, withNumber: false, withCode: false)
        let sent = system.deliver(.request(Self.counterOrder(order)), from: Self.layout.counters[0], at: Self.tuesday)
        #expect(Self.requests(sent).isEmpty, "nothing asked of the register")
        let reply = try #require(sent.first { $0.response != nil })
        #expect(reply.response?.failure == FailureReason.none && reply.destination == Self.layout.counters[0])
        #expect(reply.event.time >= Self.tuesday + CertificateService.standard.printTime)
        #expect(system.behavior.issued[0][Int(CertificateKind.wideAreaCopy.rawValue)] == 1)
        #expect(system.behavior.fees == [300, 0] && system.behavior.audit.count == 1)
    }

    @Test("広域交付: a register notifies only a resident on it, and prints no 広域交付 copy of its own (住基法第12条の4)")
    func wideAreaRules() throws {
        var node = try registerHarness(layout: Self.layout, removed: [RowID(2)], reason: .moveOut)
        func ask(_ payload: RequestPayload, at t: Int64) -> FailureReason? {
            let r = Request(
                payload, ticket: Ticket(journey: UInt64(t), slot: nil, flow: .wideAreaCertificate, hop: .wideAreaCopy),
                replyTo: Self.layout.municipalCS, sentAt: t)
            return node.deliver(.request(r), from: Self.layout.municipalCS, at: t).compactMap(\.response).first?
                .failure
        }
        let cs = Self.layout.municipalCS
        #expect(ask(.municipality(.wideAreaCopy(originRow: RowID(3), origin: cs)), at: 10) == FailureReason.none)
        #expect(ask(.municipality(.wideAreaCopy(originRow: RowID(2), origin: cs)), at: 20) == .notResident)
        #expect(node.behavior.wideAreaNotified == 1 && node.behavior.wideAreaRefused == 1)
        let copy = RequestPayload.register(.issueCertificate(row: RowID(3), withNumber: false, kind: .wideAreaCopy))
        #expect(ask(copy, at: 30) == .registerRefused)
    }

    @Test("in a run: 広域交付 both ways, through the CSs, every request answered and counted")
    func wideAreaInARun() async throws {
        var c = quietConfiguration()
        c.workload.perDay = [.wideAreaCertificate: 300]
        c.workload.wideAreaRequestsPerDay = 200
        let (_, report) = try await run(c)
        let journeys = try #require(report.journeys[.wideAreaCertificate])
        let w = report.wideArea
        #expect(journeys.started > 100 && journeys.completed > 90)
        // Their municipalities answered every request the counters made (or refused those no longer there).
        #expect(w.others.answered + w.others.notResident >= journeys.completed)
        #expect(journeys.completed == report.certificates?.issued[0][Int(CertificateKind.wideAreaCopy.rawValue)])
        #expect((journeys.failed[.notResident] ?? 0) == w.others.notResident)
        // Requests for our residents: notified or refused by the register, printed there.
        #expect(w.others.requested > 100)
        #expect(w.notified + w.refused + w.others.inFlight == w.others.requested)
        #expect(w.others.issued == w.notified && (w.others.refused[.notResident] ?? 0) == w.refused)
        #expect(w.others.latency.maximum < 60_000_000, "answered in seconds")
        #expect(report.invariants.holds)
        let hops = report.hops.hops(of: .wideAreaCertificate).map(\.0)
        #expect(
            hops.contains(.wideAreaCopy) && hops.contains(.identityVerification) && hops.contains(.issueCertificate))
    }

    @Test("in a run: kiosk orders only in kiosk hours, every kind at the counters, fees and audit records add up")
    func inARun() async throws {
        var c = quietConfiguration()
        // At 20,000 residents the rates follow the population: 20× a day's certificates give ≈ 1,000.
        c.workload.perDay = [.certificate: 20_000, .death: 400, .moveOut: 400]
        c.workload.removedRecordCopyShare = 0.05
        let (_, report) = try await run(c)
        let certificates = try #require(report.certificates)
        let kiosk = try #require(report.journeys[.convenienceStore])
        #expect(kiosk.started > 100 && kiosk.completed > 90)
        for kind in CertificateKind.allCases where kind != .wideAreaCopy {
            #expect(certificates.issued[0][Int(kind.rawValue)] > 0, "no \(kind) at the counters")
        }
        #expect(certificates.issued[1][Int(CertificateKind.removedRecordCopy.rawValue)] == 0)
        let issued = certificates.issued.map { $0.reduce(0, +) }
        #expect(certificates.fees == [issued[0] * 300, issued[1] * 200])
        #expect(certificates.auditRecords >= issued[0] + issued[1])
        #expect(kiosk.failed[.kioskClosed] == nil, "residents order only in the kiosks' hours")
        #expect(report.invariants.holds)
        #expect(report.nodes.contains { $0.name == "certificateSystem" && $0.handled > 0 })
    }
}
