import JukiCore
import JukiNetwork
import JukiNetworkTesting
import JukiPopulation
import JukiRegister
import JukiSimulation
import Testing

/// Foreign residents (別添1 ⑤⑥): the Immigration Services Agency's notices, the register's amendments and
/// removals, its reports to the Minister, and foreign residents' items through a move.
@Suite("Foreign residents and the Immigration Services Agency")
struct ImmigrationTests {
    static let layout = NetworkLayout(counters: 2, others: 1)
    static let date = CivilDate(year: 2026, month: 3, day: 3)

    static func population() throws -> ResidentRegister {
        try PopulationGenerator.generate(PopulationOptions(residents: 2_000, seed: 9)).register
    }

    @Test("a period of stay that ends is notified on its day: extended with a new card, or lapsed")
    func noticesOnTheDay() throws {
        let register = try Self.population()
        let (row, data) = try #require(
            register.foreignResidents.first {
                $0.data.expiry.map { $0.daysSinceEpoch >= Self.date.daysSinceEpoch } == true
            })
        let end = try #require(data.expiry)
        // Through the next business day after the end (a weekend's end is notified on the Monday).
        let days = Int(end.daysSinceEpoch - Self.date.daysSinceEpoch) + 6
        func notices(renewalShare: Double) -> [ImmigrationNotice] {
            var c = ImmigrationConfiguration()
            c.renewalShare = renewalShare
            var agency = NodeHarness(
                ImmigrationServicesAgency(
                    register: register, registerSystem: Self.layout.registerSystem, links: .standard, date: Self.date,
                    days: days, configuration: c),
                id: Self.layout.immigration)
            let sent = agency.run(until: SimulatedTime(date: end.adding(days: 6)).microseconds)
            return sent.flatMap { e -> [ImmigrationNotice] in
                guard case .immigration(.notices(let n)) = e.event.message else { return [] }
                return n
            }
        }
        let code = ResidentCode(uncheckedRawValue: register.columns.residentCode[row.index])
        let extended = notices(renewalShare: 1).first { $0.residentCode == code }
        guard case .renewal(let new) = extended?.kind else {
            Issue.record("no extension for \(code)")
            return
        }
        #expect(new.expiry == end.adding(months: max(data.periodOfStayMonths, 12)))
        #expect(new.residenceCard != data.residenceCard && new.residenceCard.count == 12)
        #expect(notices(renewalShare: 0).first { $0.residentCode == code }?.kind == .lapse)
    }

    @Test("the register amends on an extension, removes on a lapse, and reports the removal back")
    func registerApplies() throws {
        let register = try Self.population()
        let foreigners = register.foreignResidents.filter { register.columns.status[$0.row.index] == 0 }
        let (a, b) = (foreigners[0], foreigners[1])
        var node = NodeHarness(
            RegisterSystem(
                register: register, layout: Self.layout, links: .standard, service: .standard, date: Self.date,
                allocator: ResidentCodeAllocator(key: 1), nextCodeSequence: UInt64(register.count), bulkAt: nil,
                bulkBatchSize: 100),
            id: Self.layout.registerSystem)
        var extended = a.data
        extended.expiry = Self.date.adding(months: 12)
        extended.residenceCard = "ZZ12345678ZZ"
        let codeA = ResidentCode(uncheckedRawValue: register.columns.residentCode[a.row.index])
        let codeB = ResidentCode(uncheckedRawValue: register.columns.residentCode[b.row.index])
        let sent = node.deliver(
            .immigration(
                .notices([
                    ImmigrationNotice(residentCode: codeA, kind: .renewal(extended)),
                    ImmigrationNotice(residentCode: codeB, kind: .lapse),
                    ImmigrationNotice(residentCode: ResidentCode(body: 1), kind: .lapse),
                ])), from: Self.layout.immigration, at: SimulatedTime(date: Self.date).microseconds)
        let r = node.behavior.register
        #expect(r.foreignData(a.row)?.residenceCard == "ZZ12345678ZZ")
        #expect(r.columns.status[b.row.index] == RecordStatus.removed.rawValue)
        #expect(node.behavior.foreign.extended == 1 && node.behavior.foreign.removed == 1)
        #expect(node.behavior.foreign.unmatched == 1)
        let reports = sent.flatMap { e -> [ForeignResidentReport] in
            guard case .immigration(.reports(let list)) = e.event.message else { return [] }
            return list
        }
        #expect(reports.contains { $0.residentCode == codeB && !$0.active }, "the removal reported (別添1 ⑤)")
    }

    @Test("a foreign resident's items travel on the move-out certificate")
    func itemsThroughAMove() throws {
        let register = try Self.population()
        let (row, data) = try #require(register.foreignResidents.first)
        #expect(register.moveOutCertificate(row, plannedMoveOut: Self.date).foreign == data)
        let japanese = try #require((0..<register.count).first { register.foreignData(RowID(UInt32($0))) == nil })
        #expect(register.moveOutCertificate(RowID(UInt32(japanese)), plannedMoveOut: Self.date).foreign == nil)
    }

    @Test("in a run: notices every business day, amendments and removals, reports both ways, invariants hold")
    func inARun() async throws {
        var c = quietConfiguration(seed: 19)
        c.days = 30
        c.immigration.renewalShare = 0.5
        let simulation = try await NetworkSimulation(c)
        await simulation.run(until: .time(SimulatedTime(date: c.date.adding(days: c.days))))
        let report = await simulation.report()
        let f = try #require(report.foreignResidents)
        #expect(f.agency.renewals > 0 && f.agency.lapses > 0)
        #expect(f.register.extended + f.register.removed + f.register.unmatched == f.agency.renewals + f.agency.lapses)
        #expect(f.register.removed > 0 && f.register.reportsSent >= f.register.removed)
        #expect(f.agency.reportsReceived == f.register.reportsSent && f.agency.removalsReported >= f.register.removed)
        #expect(report.invariants.holds)
    }
}
