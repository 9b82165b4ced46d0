import JukiCore
import JukiNetwork
import JukiNetworkTesting
import JukiPopulation
import JukiRegister
import JukiSimulation
import Testing

/// The register system's entries without a certificate and its changes of identifiers: move-ins from abroad
/// (国外転入), number changes (個人番号の変更), resident-code changes (住民票コードの変更) and the ex-officio work
/// (職権記載・消除).
@Suite("Entries from abroad, identifier changes and ex-officio work")
struct RegisterEntryTests {
    static let layout = SeedRuleTests.layout

    /// Answers the register system's number request with fresh candidates, then acknowledges the delivery
    /// records; returns everything the register sent along the way.
    static func answerNumbers(
        _ register: inout NodeHarness<RegisterSystem>, _ sent: [Envelope<NetworkMessage>], at time: Int64,
        base: UInt64 = 900_000_000
    ) -> [Envelope<NetworkMessage>] {
        var all: [Envelope<NetworkMessage>] = []
        for envelope in sent {
            guard case .numberRequest(var batch) = envelope.event.message else { continue }
            batch.candidates = batch.codes.indices.map { IndividualNumber(body: base + UInt64($0)) }
            let delivered = register.deliver(.numberReply(batch), from: layout.municipalCS, at: time)
            all += delivered
            for d in delivered {
                if case .deliveryRecords(let records) = d.event.message {
                    all += register.deliver(.deliveryAck(records), from: layout.municipalCS, at: time + 1_000_000)
                }
            }
        }
        return all
    }

    @Test("a move-in from abroad records everyone with new codes in one household and designates J-LIS numbers")
    func moveInFromAbroad() throws {
        var register = try SeedRuleTests.registerSystem()
        let before = register.behavior.register.count
        let request = SeedRuleTests.request(.register(.recordFromAbroad(persons: 3)), flow: .moveInFromAbroad)
        let sent = register.deliver(.request(request), from: Self.layout.counters[0], at: 0)
        // No answer yet: the clerk waits for the numbers.
        #expect(sent.compactMap(\.response).isEmpty)
        let r = register.behavior.register
        #expect(r.count == before + 3)
        let rows = (before..<r.count).map { RowID(UInt32($0)) }
        #expect(Set(rows.map { r.householdNumber(of: $0) }).count == 1)
        #expect(rows.allSatisfy { r.columns.individualNumber[$0.index] == 0 })
        let after = Self.answerNumbers(&register, sent, at: 1_000_000)
        #expect(after.compactMap(\.response).map(\.failure) == [FailureReason.none])
        #expect(rows.allSatisfy { register.behavior.register.columns.individualNumber[$0.index] != 0 })
        #expect(rows.allSatisfy { register.behavior.register.changeReason(of: $0) == .numberDesignation })
    }

    @Test("a number change designates a new number, keeps the unified addressee number and reissues the card")
    func numberChange() throws {
        var register = try SeedRuleTests.registerSystem()
        let c = register.behavior.register.columns
        let holder = try #require(
            (0..<c.count).first { c.cardStatus[$0] == CardStatus.issued.rawValue && c.individualNumber[$0] != 0 })
        let row = RowID(UInt32(holder))
        let oldNumber = c.individualNumber[holder]
        let unified = register.behavior.register.unifiedAddresseeNumber(of: row)
        let sent = register.deliver(
            .request(SeedRuleTests.request(.register(.changeNumber(row: row)), flow: .numberChange)),
            from: Self.layout.counters[0], at: 0)
        let cardWork = sent.compactMap(\.request).map(\.payload)
        let code = ResidentCode(uncheckedRawValue: c.residentCode[holder])
        #expect(cardWork.contains(.cardSystem(.revocation(code))))
        #expect(cardWork.contains(.cardSystem(.application(code, renewal: false))))
        let after = Self.answerNumbers(&register, sent, at: 1_000_000)
        #expect(after.compactMap(\.response).map(\.failure) == [FailureReason.none])
        let r = register.behavior.register
        #expect(r.columns.individualNumber[holder] != oldNumber && r.columns.individualNumber[holder] != 0)
        #expect(r.changeReason(of: row) == .numberChange)
        #expect(r.unifiedAddresseeNumber(of: row) == unified)
        // The identity update carries the new number up.
        #expect(SeedRuleTests.updates(after).contains { $0.residentCode == code && $0.reason == .numberChange })
        // A resident without a number has none to change; a removed one is not a resident.
        let none = try #require((0..<c.count).first { c.individualNumber[$0] == 0 && c.status[$0] == 0 })
        let refused = register.deliver(
            .request(SeedRuleTests.request(.register(.changeNumber(row: RowID(UInt32(none)))), flow: .numberChange)),
            from: Self.layout.counters[0], at: 5_000_000)
        #expect(refused.compactMap(\.response).first?.failure == .registerRefused)
    }

    @Test("a resident-code change retires the old code in the files and records the new one; the notice is counted")
    func residentCodeChange() throws {
        var register = try SeedRuleTests.registerSystem()
        let row = RowID(7)
        let old = ResidentCode(uncheckedRawValue: register.behavior.register.columns.residentCode[7])
        let unified = register.behavior.register.unifiedAddresseeNumber(of: row)
        let sent = register.deliver(
            .request(SeedRuleTests.request(.register(.changeResidentCode(row: row)), flow: .residentCodeChange)),
            from: Self.layout.counters[0], at: 0)
        #expect(sent.compactMap(\.response).first?.failure == FailureReason.none)
        let r = register.behavior.register
        let new = ResidentCode(uncheckedRawValue: r.columns.residentCode[7])
        #expect(new != old)
        #expect(r.row(residentCode: new) == row)
        #expect(r.row(residentCode: old) == nil)
        #expect(r.unifiedAddresseeNumber(of: row) == unified)
        #expect(register.behavior.codeChangeNotices == 1)
        let updates = SeedRuleTests.updates(sent).filter { $0.reason == .residentCodeChange }
        #expect(updates.contains { $0.residentCode == old && $0.status == .removed })
        #expect(updates.contains { $0.residentCode == new && $0.status == .active })
        // Files that apply both keep one active entry for the person, under the new code.
        var file = IdentityFile()
        file.load(r.initialIdentityUpdates())
        for u in updates { file.apply(u) }
        #expect(file.entry(new)?.status == .active)
        #expect(file.entry(old).map { $0.status == .active } != true)
        // A removed record's code is not changed.
        let removed = register.deliver(
            .request(
                SeedRuleTests.request(.register(.remove(row: RowID(8), reason: .death, destination: nil)), flow: .death)
            ),
            from: Self.layout.counters[0], at: 1_000_000)
        _ = removed
        let refused = register.deliver(
            .request(
                SeedRuleTests.request(.register(.changeResidentCode(row: RowID(8))), flow: .residentCodeChange)),
            from: Self.layout.counters[0], at: 2_000_000)
        #expect(refused.compactMap(\.response).first?.failure == .notResident)
    }

    @Test("the day's ex-officio work removes residents found gone and records people found living here")
    func exOfficioWork() throws {
        let population = try PopulationGenerator.generate(PopulationOptions(residents: 300, seed: 5))
        var system = RegisterSystem(
            register: population.register, layout: Self.layout, links: SeedRuleTests.configuration.links,
            service: SeedRuleTests.configuration.service, date: SeedRuleTests.date,
            allocator: ResidentCodeAllocator(key: 1), nextCodeSequence: UInt64(population.register.count),
            bulkAt: nil, bulkBatchSize: 100)
        system.exOfficioSchedule.removalsPerDay = 6
        system.exOfficioSchedule.entriesPerDay = 3
        var register = NodeHarness(system, id: Self.layout.registerSystem)
        let day = SimulatedTime(date: SeedRuleTests.date).microseconds
        let sent = register.run(until: day + 18 * 3_600_000_000)
        let work = register.behavior.exOfficio
        #expect(work.runs == 1)
        #expect(work.removals > 0 && work.entries > 0)
        let r = register.behavior.register
        let removed = (0..<r.count).filter { r.changeReason(of: RowID(UInt32($0))) == .exOfficioRemoval }
        #expect(removed.count == work.removals)
        #expect((0..<r.count).filter { r.changeReason(of: RowID(UInt32($0))) == .exOfficioEntry }.count == work.entries)
        // The newcomers' numbers are asked of J-LIS; the removed card holders' cards revoked.
        #expect(
            sent.contains {
                if case .numberRequest(let batch) = $0.event.message { return batch.rows.count == work.entries }
                return false
            })
        let revocations = sent.compactMap(\.request).filter {
            if case .cardSystem(.revocation) = $0.payload { return true }
            return false
        }
        #expect(revocations.count == work.cardsRevoked)
    }

    @Test("a day with every new flow keeps the invariants: no code or number active twice, nothing lost")
    func dayOfNewFlows() async throws {
        var c = smallConfiguration()
        c.workload.perDay = [.moveInFromAbroad: 20, .numberChange: 10, .residentCodeChange: 10, .certificate: 40]
        // Per 445,283 residents: a few a day at this town's 20,000.
        c.exOfficio.removalsPerDay = 100
        c.exOfficio.entriesPerDay = 40
        let (_, report) = try await run(c)
        for flow in [Flow.moveInFromAbroad, .numberChange, .residentCodeChange] {
            let stats = try #require(report.journeys[flow], "\(flow)")
            #expect(stats.started > 0 && stats.completed + stats.failedCount == stats.started, "\(flow)")
        }
        #expect(report.exOfficio.runs == 1 && report.exOfficio.removals > 0)
        #expect(report.invariants.holds)
        #expect(report.invariants.duplicateResidentCodes == 0 && report.invariants.duplicateIndividualNumbers == 0)
    }
}

/// The counters' week: the 2nd and 4th Saturday at the main counter only, the first weekday back busier.
@Suite("Saturday openings and the day after a weekend")
struct CounterWeekTests {
    @Test("on a 2nd Saturday only the Saturday counter serves, and only the flows that need no other node's weekday")
    func saturday() async throws {
        var c = smallConfiguration()
        c.date = CivilDate(year: 2026, month: 3, day: 14)
        c.consistencyCheck.onDemand = []
        let (_, report) = try await run(c)
        let served = report.counters.filter { $0.served > 0 }
        #expect(served.map(\.name) == [c.counters[0].name])
        for (flow, stats) in report.journeys where Flow.counterFlows.contains(flow) && stats.started > 0 {
            // One-stop journeys are the online filings, around the clock; every visit is a Saturday flow.
            #expect(Workload.saturdayFlows.contains(flow) || flow == .oneStopMove, "\(flow)")
        }
        #expect((report.journeys[.certificate]?.completed ?? 0) > 0)
        #expect((report.journeys[.specialMoveIn]?.started ?? 0) == 0)
        #expect(report.invariants.holds)
        // A 1st Saturday: nobody comes to any counter.
        c.date = CivilDate(year: 2026, month: 3, day: 7)
        let (_, closed) = try await run(c)
        #expect(closed.counters.allSatisfy { $0.served == 0 })
    }

    @Test("the first weekday after a weekend brings the after-holiday factor's more visits")
    func mondayIsBusier() async throws {
        func visits(_ day: Int, factor: Double) async throws -> Int {
            var c = smallConfiguration()
            c.date = CivilDate(year: 2026, month: 3, day: day)
            c.workload.afterHolidayFactor = factor
            c.consistencyCheck.onDemand = []
            let (_, report) = try await run(c)
            return report.counters.reduce(0) { $0 + $1.served }
        }
        // The same Monday with the factor at 2 and at 1: about twice the visits; a Tuesday ignores it.
        let doubled = try await visits(2, factor: 2)
        let plain = try await visits(2, factor: 1)
        #expect(Double(doubled) > 1.7 * Double(plain))
        let tuesday2 = try await visits(3, factor: 2)
        let tuesday1 = try await visits(3, factor: 1)
        #expect(tuesday2 == tuesday1)
    }
}
