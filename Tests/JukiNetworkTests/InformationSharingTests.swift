import JukiAudit
import JukiCore
import JukiNetwork
import JukiNetworkTesting
import JukiPopulation
import JukiRegister
import JukiSimulation
import Testing

/// The intermediate server (中間サーバ, I 2 システム5) and the information-sharing network (情報提供ネットワークシステム, I 6;
/// III(1)6 リスク5–7), alone through the harness and in a run.
@Suite("Information sharing: the intermediate server and the network")
struct InformationSharingTests {
    static let layout = NetworkLayout(counters: 2, others: 1)
    static let key: UInt64 = 0xFEED
    static let day = SimulatedTime(date: CivilDate(year: 2026, month: 3, day: 3)).microseconds
    static let hour: Int64 = 3_600_000_000

    static func register() throws -> ResidentRegister {
        try PopulationGenerator.generate(PopulationOptions(residents: 300, seed: 5)).register
    }

    static func server(_ register: ResidentRegister, _ sharing: InformationSharingConfiguration = .standard)
        -> NodeHarness<IntermediateServer>
    {
        NodeHarness(
            IntermediateServer(
                register: register, sharing: sharing, key: key, unifiedAddressee: layout.unifiedAddressee,
                network: layout.informationSharingNetwork, networkLatency: .ms(20, plus: 0)),
            id: layout.intermediateServer ?? 0)
    }

    static func network(_ register: ResidentRegister, _ sharing: InformationSharingConfiguration = .standard)
        -> NodeHarness<InformationSharingNetwork>
    {
        NodeHarness(
            InformationSharingNetwork(
                municipality: register.municipality.code, initialPersons: register.count, sharing: sharing, key: key,
                intermediateServer: layout.intermediateServer, latency: .ms(20, plus: 0), begin: day,
                end: day + 24 * hour),
            id: layout.informationSharingNetwork ?? 0)
    }

    /// A request the network permits, for person `addressee`, with the network's permit.
    static func request(
        _ network: InformationSharingNetwork, addressee: UInt32, item: UInt16 = 5, requester: UInt16? = nil,
        id: UInt64 = 1, at t: Int64
    ) -> ProvisionRequest {
        var r = ProvisionRequest(
            id: id, item: ProvisionItem(item), requester: ProvisionItem(requester ?? item),
            code: network.code(addressee), permit: 0, askedAt: t)
        r.permit = network.issuePermit(r)
        return r
    }

    /// Delivers `request` to the server from the network; returns the answer it sends back.
    static func ask(_ server: inout NodeHarness<IntermediateServer>, _ request: ProvisionRequest, at t: Int64)
        -> (answer: ProvisionAnswer, arrives: Int64)?
    {
        let sent = server.deliver(
            .sharing(.request(request)), from: layout.informationSharingNetwork ?? 0, at: t, until: t + 1)
        for e in sent {
            if case .sharing(.answer(let a)) = e.event.message { return (a, e.event.time) }
        }
        return nil
    }

    static func giveList(_ server: inout NodeHarness<IntermediateServer>, at t: Int64) {
        _ = server.deliver(
            .sharing(.permissionList(.residentRegister)), from: layout.informationSharingNetwork ?? 0, at: t,
            until: t + 1)
    }

    @Test("the layout puts both after the unified addressee system, so older ids and random streams stay")
    func layoutKeepsIds() {
        let l = NetworkLayout(counters: 13, others: 78)
        #expect(l.unifiedAddressee == NodeID(1 + 13 + 6 + 47 + 78))
        #expect(l.intermediateServer == l.unifiedAddressee.map { $0 + 1 })
        #expect(l.informationSharingNetwork == l.unifiedAddressee.map { $0 + 2 })
        #expect(l.certificateSystem == l.unifiedAddressee.map { $0 + 3 }, "the certificate system came after them")
        #expect(l.counterSupport == l.unifiedAddressee.map { $0 + 4 }, "counter support came after them")
        #expect(l.departments.last.map { $0 + 1 } == l.immigration, "then the departments")
        #expect(l.departments.last.map { $0 + 2 } == l.familyRegister, "then the Immigration Services Agency")
        #expect(l.familyRegister == NodeID(l.nodeCount - 1), "the family-register system came last")
    }

    @Test("the permission list holds the seed's 58 rows and permits each only to its own requester (I 6 ②)")
    func permissionList() {
        let list = PermissionList.residentRegister
        #expect(list.items.count == 58)
        #expect(list.permits(item: ProvisionItem(5), requester: ProvisionItem(5)))
        #expect(!list.permits(item: ProvisionItem(5), requester: ProvisionItem(7)), "another body's row")
        #expect(!list.permits(item: ProvisionItem(4), requester: ProvisionItem(4)), "row 4 gives no 住民票関係情報")
        #expect(list.contains(ProvisionItem(166)) && !list.contains(ProvisionItem(167)))
    }

    @Test("the network refuses and records requests outside the list; the others go on with a permit")
    func networkChecksTheList() throws {
        let register = try Self.register()
        var sharing = InformationSharingConfiguration()
        sharing.requestsPerResidentYear = 365 * 2  // about 600 requests a day on 300 persons
        sharing.offListShare = 0.3
        var network = Self.network(register, sharing)
        let sent = network.run(until: Self.day + 24 * Self.hour)
        let forwarded = sent.compactMap { e -> ProvisionRequest? in
            if case .sharing(.request(let r)) = e.event.message { return r }
            return nil
        }
        let n = network.behavior
        #expect(n.requests > 400)
        #expect(n.refused > 100, "about three in ten ask outside the list; half of those under another body's row")
        #expect(forwarded.count == n.forwarded && n.forwarded + n.refused == n.requests)
        for r in forwarded {
            #expect(PermissionList.residentRegister.permits(item: r.item, requester: r.requester))
            #expect(r.permit != 0 && r.permit == n.issuePermit(r))
            #expect(r.askedAt >= Self.day && r.askedAt < Self.day + 24 * Self.hour)
        }
        #expect(n.records.records.count == n.refused, "every refusal is recorded (情報提供等記録)")
        #expect(sent.contains { if case .sharing(.permissionList) = $0.event.message { true } else { false } })
    }

    @Test("the server answers a permitted request from its copy with the person's household and relationship")
    func answersFromTheCopy() throws {
        let register = try Self.register()
        let network = Self.network(register).behavior
        var server = Self.server(register)
        let row = RowID(7)
        let addressee = register.addresseeNumber(of: row)
        let before = try #require(
            Self.ask(&server, Self.request(network, addressee: addressee, at: Self.day), at: Self.day))
        #expect(before.answer.outcome == .refusedNotOnServerList, "no copy of the permission list yet")
        Self.giveList(&server, at: Self.day + 1_000)
        let t = Self.day + 10 * Self.hour
        let got = try #require(Self.ask(&server, Self.request(network, addressee: addressee, id: 2, at: t), at: t))
        #expect(got.answer.outcome == .provided)
        let info = try #require(got.answer.information)
        #expect(info.household == register.householdNumber(of: row))
        #expect(info.relationship == register.columns.relationship[row.index])
        #expect(info.facts == register.basicFactsKeys(of: row))
        #expect(got.arrives - t < 100_000, "an automatic answer takes milliseconds")
        #expect(server.behavior.records.records.count == 2, "both requests are recorded")
        #expect(server.unhandled.isEmpty)
    }

    @Test("forged or missing permits and rows off the server's list are refused and recorded, never answered")
    func refusesWithoutPermit() throws {
        let register = try Self.register()
        let network = Self.network(register).behavior
        var server = Self.server(register)
        Self.giveList(&server, at: Self.day)
        let t = Self.day + 10 * Self.hour
        var forged = Self.request(network, addressee: 3, at: t)
        forged.permit ^= 1
        #expect(Self.ask(&server, forged, at: t)?.answer.outcome == .refusedInvalidPermit)
        var none = Self.request(network, addressee: 3, id: 2, at: t)
        none.permit = 0
        #expect(Self.ask(&server, none, at: t + 1)?.answer.outcome == .refusedInvalidPermit)
        var moved = Self.request(network, addressee: 3, id: 3, at: t)
        moved.item = ProvisionItem(7)  // the permit was for row 5
        #expect(Self.ask(&server, moved, at: t + 2)?.answer.outcome == .refusedInvalidPermit)
        // A permit the network would never issue (another body's row) still meets the server's own list check.
        let offList = Self.request(network, addressee: 3, item: 5, requester: 7, id: 4, at: t)
        #expect(Self.ask(&server, offList, at: t + 3)?.answer.outcome == .refusedNotOnServerList)
        let unknown = Self.request(network, addressee: UInt32(register.count + 50), id: 5, at: t)
        #expect(Self.ask(&server, unknown, at: t + 4)?.answer.outcome == .notFound, "no code obtained for them")
        let s = server.behavior
        #expect(s.records.count == 5 && s.records.count(of: .refusal) == 5 && s.records.count(of: .provision) == 0)
        #expect(s.provisionsOffList(.residentRegister) == 0)
    }

    @Test("a flagged person's request waits for a clerk in office hours (自動応答不可フラグ, III(1)6 リスク5 ③)")
    func reviewWaitsForOfficeHours() throws {
        let register = try Self.register()
        var sharing = InformationSharingConfiguration()
        sharing.reviewShare = 1
        sharing.reviewTime = ServiceTime(minimum: 120_000_000, meanExtra: 0)
        let network = Self.network(register, sharing).behavior
        var server = Self.server(register, sharing)
        Self.giveList(&server, at: Self.day)
        // Two clerks: the third of three requests at 10:00 waits for one of them.
        let ten = Self.day + 10 * Self.hour
        var answers: [Int64] = []
        for i in 0..<3 {
            let r = Self.request(network, addressee: UInt32(10 + i), id: UInt64(10 + i), at: ten)
            let got = try #require(Self.ask(&server, r, at: ten + Int64(i)))
            #expect(got.answer.outcome == .providedAfterReview)
            answers.append(got.arrives)
        }
        #expect(answers[2] - answers[0] >= 120_000_000 - 10, "the third waited for a clerk")
        // Tuesday 20:00: the office is closed until Wednesday 08:30.
        let evening = Self.day + 20 * Self.hour
        let late = try #require(
            Self.ask(&server, Self.request(network, addressee: 9, id: 20, at: evening), at: evening))
        #expect(late.answer.outcome == .providedAfterReview)
        let opening = SimulatedTime(date: CivilDate(year: 2026, month: 3, day: 4), hour: 8, minute: 30).microseconds
        #expect(late.arrives >= opening + 120_000_000, "reviewed when the office opens, two minutes each")
        #expect(server.behavior.reviewWaits.count == 4)
    }

    @Test("copies are registered only from the unified addressee system; a new person's code comes from the network")
    func copiesAndCodes() throws {
        let register = try Self.register()
        var server = Self.server(register)
        var network = Self.network(register)
        let next = UInt32(register.count + 1)
        let newcomer = AddresseeRecord(
            unified: ResidentRegister.unifiedAddresseeNumber(municipality: register.municipality.code, addressee: next),
            addressee: next, residentCode: ResidentCode(body: 555_000_111), individualNumber: nil,
            facts: BasicFactsKeys(nameAndBirthDate: 7, nameAndAddress: 8), active: true, household: 900, relationship: 2
        )
        let stray = server.deliver(
            .sharing(.copies(AddresseeBatch(records: [newcomer]))), from: Self.layout.registerSystem, at: Self.day)
        #expect(stray.isEmpty && server.behavior.copiesRefused == 1 && server.behavior.copyRecords == 0)
        let sent = server.deliver(
            .sharing(.copies(AddresseeBatch(records: [newcomer]))), from: Self.layout.unifiedAddressee ?? 0,
            at: Self.day + 1)
        #expect(server.behavior.copyRecords == 1)
        let ask = try #require(sent.first { $0.destination == Self.layout.informationSharingNetwork })
        guard case .sharing(.codeRequest(let batch)) = ask.event.message else {
            Issue.record("expected a code request, got \(ask.event.message.kind)")
            return
        }
        #expect(batch.addressees == [next])
        let replies = network.deliver(ask.event.message, from: Self.layout.intermediateServer ?? 0, at: ask.event.time)
        let reply = try #require(
            replies.first { if case .sharing(.codeReply) = $0.event.message { true } else { false } })
        _ = server.deliver(reply.event.message, from: Self.layout.informationSharingNetwork ?? 0, at: reply.event.time)
        #expect(server.behavior.codesObtained == 1 && network.behavior.codesIssued == 1)
        Self.giveList(&server, at: reply.event.time + 1)
        let t = Self.day + 10 * Self.hour
        let got = try #require(Self.ask(&server, Self.request(network.behavior, addressee: next, at: t), at: t))
        #expect(got.answer.outcome == .provided)
        #expect(got.answer.information?.household == 900 && got.answer.information?.relationship == 2)
    }

    @Test("records of provision older than the retention expire; the chain stays checkable")
    func recordsExpire() throws {
        let register = try Self.register()
        var sharing = InformationSharingConfiguration()
        sharing.recordRetention = 2 * SimulatedTime.microsecondsPerDay
        let network = Self.network(register, sharing).behavior
        var server = Self.server(register, sharing)
        Self.giveList(&server, at: Self.day)
        _ = Self.ask(&server, Self.request(network, addressee: 2, at: Self.day), at: Self.day + 1)
        let later = Self.day + 3 * SimulatedTime.microsecondsPerDay
        _ = Self.ask(&server, Self.request(network, addressee: 2, id: 2, at: later), at: later)
        #expect(server.behavior.records.expired == 1 && server.behavior.records.records.count == 1)
        let check = AuditTrail.verify(jsonLines: server.behavior.records.jsonLines())
        #expect(check.intact && check.expired == 1 && check.verified == 1)
    }

    @Test("in a run: requests are answered or refused, every one recorded, and the copy agrees with the register")
    func inARun() async throws {
        var c = quietConfiguration()
        c.workload.perDay = [.birth: 400, .moveIn: 400, .numberChange: 400, .moveOut: 200, .relocation: 400]
        c.informationSharing.requestsPerResidentYear = 20  // about 1,100 a day at 20,000 residents
        c.informationSharing.offListShare = 0.05
        c.informationSharing.reviewShare = 0.05
        let (_, report) = try await run(c)
        let x = try #require(report.sharing)
        let n = x.network
        #expect(n.requests > 800 && n.refused > 10)
        #expect(x.server.outcomes[Int(ProvisionOutcome.provided.rawValue)] > 500)
        #expect(x.server.outcomes[Int(ProvisionOutcome.providedAfterReview.rawValue)] > 5)
        #expect(x.server.outcomes[Int(ProvisionOutcome.refusedInvalidPermit.rawValue)] == 0)
        #expect(x.server.outcomes[Int(ProvisionOutcome.refusedNotOnServerList.rawValue)] == 0)
        #expect(x.server.copyRecords > 0 && x.server.codesObtained == report.addressee?.system.issued)
        #expect(x.copyAgreesWithRegister == true && x.pendingCopies == 0)
        #expect(x.unrecordedProvisions == 0 && x.server.provisionsOffList == 0)
        #expect(
            n.inFlight >= 0 && n.inFlight <= x.server.outcomes[Int(ProvisionOutcome.providedAfterReview.rawValue)] + 5)
        #expect(report.invariants.holds)
        #expect(report.nodes.contains { $0.name == "intermediateServer" && $0.handled > 0 })
    }
}
