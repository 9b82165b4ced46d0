import JukiCore
import JukiNetwork
import JukiNetworkTesting
import JukiPopulation
import JukiRegister
import JukiSimulation
import Testing

/// A household moving together files one notice (住基法第22–24条: 世帯主 or a member files for the household): the
/// rates are persons, the visits notices; every member gets records, updates and card continuation.
@Suite("Households on one notice")
struct HouseholdTests {
    static let layout = SeedRuleTests.layout
    static let configuration = NetworkConfiguration()
    static let date = SeedRuleTests.date

    /// Another municipality's residents (another seed than the home register's, so no code is shared).
    static func population() throws -> Population {
        try PopulationGenerator.generate(PopulationOptions(residents: 600, seed: 8))
    }

    /// The first active row whose household has at least `size` members.
    static func row(inHouseholdOf size: UInt8, _ register: ResidentRegister) throws -> RowID {
        let sizes = register.householdSizes()
        let index = try #require(sizes.firstIndex { $0 >= size })
        return RowID(UInt32(index))
    }

    @Test("published move counts are persons: the visits are notices, at the persons-per-notice distribution")
    func ratesArePersonsVisitsAreNotices() {
        var w = Workload.typicalWeekday
        let mean = w.meanPersons(.moveOut)
        #expect(abs(mean - 1.36) < 0.005)
        #expect(abs(w.meanPersons(.relocation) - 1.64) < 0.005)
        #expect(w.meanPersons(.certificate) == 1 && w.meanPersons(.death) == 1)
        #expect(abs(w.counterRate(.moveOut) - (w.perDay[.moveOut] ?? 0) / mean) < 1e-9)
        #expect(w.counterRate(.certificate) == w.perDay[.certificate])
        // Drawn notices follow the shares; flows of one person never draw more.
        var random = RandomStream(seed: 3)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<100_000 { counts[Int(w.drawPersons(.moveIn, &random))] += 1 }
        #expect(counts[0] == 0)
        #expect(abs(Double(counts[1]) / 100_000 - 0.80) < 0.01)
        #expect(abs(Double(counts[2]) / 100_000 - 0.11) < 0.01)
        #expect((0..<1_000).allSatisfy { _ in w.drawPersons(.birth, &random) == 1 })
        // Everyone alone: the notices are the persons again.
        w.movePersons = [1]
        #expect(w.counterRate(.moveOut) == w.perDay[.moveOut])
    }

    @Test("a move-out notice for three removes the household's three, each with certificate data and an update")
    func moveOutRemovesTheHousehold() throws {
        var register = try SeedRuleTests.registerSystem(residents: 600)
        let row = try Self.row(inHouseholdOf: 3, register.behavior.register)
        let members = register.behavior.register.companions(of: row, persons: 3)
        #expect(members.count == 2 && !members.contains(row))
        let request = SeedRuleTests.request(
            .register(.remove(row: row, reason: .moveOut, destination: nil, persons: 3)), flow: .moveOut)
        let sent = register.deliver(.request(request), from: Self.layout.counters[0], at: 0)
        let response = try #require(sent.compactMap(\.response).first)
        #expect(response.failure == FailureReason.none)
        #expect(response.household.count == 3)
        for r in [row] + members { #expect(register.behavior.register.columns.status[r.index] != 0) }
        let removed = SeedRuleTests.updates(sent).filter { $0.status != .active }
        #expect(Set(removed.map(\.residentCode)) == Set(response.household.map(\.residentCode)))
    }

    @Test("a notice names no more persons than the household has: a single resident leaves alone")
    func noticeForMoreThanTheHousehold() throws {
        var register = try SeedRuleTests.registerSystem(residents: 600)
        let sizes = register.behavior.register.householdSizes()
        let single = RowID(UInt32(try #require(sizes.firstIndex(of: 1))))
        #expect(register.behavior.register.companions(of: single, persons: 4).isEmpty)
        let sent = register.deliver(
            .request(
                SeedRuleTests.request(
                    .register(.remove(row: single, reason: .moveOut, destination: nil, persons: 4)), flow: .moveOut)),
            from: Self.layout.counters[0], at: 0)
        #expect(sent.compactMap(\.response).first?.household.count == 1)
        // A removed resident's notice is refused, household or not.
        let again = register.deliver(
            .request(
                SeedRuleTests.request(
                    .register(.remove(row: single, reason: .moveOut, destination: nil, persons: 2)), flow: .moveOut)),
            from: Self.layout.counters[0], at: 1_000_000)
        #expect(again.compactMap(\.response).first?.failure == .notResident)
    }

    @Test("a relocation notice for two moves both to the new address")
    func relocationMovesTheHousehold() throws {
        var register = try SeedRuleTests.registerSystem(residents: 600)
        let row = try Self.row(inHouseholdOf: 2, register.behavior.register)
        let other = try #require(register.behavior.register.companions(of: row, persons: 2).first)
        let c = register.behavior.register.columns
        let address = RegisterAddress(
            town: c.town[row.index], chome: c.chome[row.index], banchi: c.banchi[row.index] &+ 1, go: c.go[row.index])
        let sent = register.deliver(
            .request(
                SeedRuleTests.request(.register(.relocate(row: row, to: address, persons: 2)), flow: .relocation)),
            from: Self.layout.counters[0], at: 0)
        #expect(sent.compactMap(\.response).first?.failure == FailureReason.none)
        let columns = register.behavior.register.columns
        for r in [row, other] {
            #expect(columns.banchi[r.index] == address.banchi && columns.town[r.index] == address.town)
        }
        let codes = Set([row, other].map { ResidentCode(uncheckedRawValue: columns.residentCode[$0.index]) })
        #expect(Set(SeedRuleTests.updates(sent).filter { $0.version > 0 }.map(\.residentCode)).isSuperset(of: codes))
    }

    @Test("a household's certificate records everyone in one household at one address, children as children")
    func moveInRecordsTheHousehold() throws {
        let origin = try Self.population().register
        let row = try Self.row(inHouseholdOf: 3, origin)
        let household = ([row] + origin.companions(of: row, persons: 3)).map {
            origin.moveOutCertificate($0, plannedMoveOut: Self.date)
        }
        var register = try SeedRuleTests.registerSystem(residents: 300)
        var request = SeedRuleTests.request(.register(.recordMoveIn(reason: .moveIn)), flow: .moveIn)
        request.household = household
        let sent = register.deliver(.request(request), from: Self.layout.counters[0], at: 0)
        let response = try #require(sent.compactMap(\.response).first)
        guard case .recorded(let lead) = response.result else {
            Issue.record("not recorded: \(response.failure)")
            return
        }
        let r = register.behavior.register
        let members = r.members(ofHousehold: r.householdNumber(of: lead))
        #expect(members.count == 3)
        #expect(Set(members.map { r.record($0).residentCode }) == Set(household.map(\.residentCode)))
        #expect(Set(members.map { r.columns.banchi[$0.index] }).count == 1)
        #expect(Set(members.map { r.columns.town[$0.index] }).count == 1)
        for m in members where m != lead {
            let gap = Int(r.record(m).birthDate.daysSinceEpoch) - Int(r.record(lead).birthDate.daysSinceEpoch)
            if gap >= 16 * 365 { #expect(r.record(m).relationship == .child) }
        }
        // Each card holder's continuation falls due (no special route).
        let due = sent.compactMap(\.request).filter {
            if case .cardSystem(.continuationDue(_, lapse: false)) = $0.payload { return true }
            return false
        }
        #expect(due.count == household.filter { $0.cardStatus == .issued }.count)
        // The same household again: already resident, refused.
        let twice = register.deliver(.request(request), from: Self.layout.counters[0], at: 1_000_000)
        #expect(twice.compactMap(\.response).first?.failure == .alreadyResident)
    }

    @Test("the origin records the whole household's move-out and hands one certificate listing everyone")
    func originMovesTheHouseholdOut() throws {
        let population = try Self.population()
        let row = try Self.row(inHouseholdOf: 3, population.register)
        var other = NodeHarness(
            OtherMunicipality(
                register: population.register, identityFile: IdentityFile(), links: Self.configuration.links,
                service: Self.configuration.service, prefecture: Self.layout.prefectures[13], date: Self.date,
                homeCS: Self.layout.municipalCS, homeCounters: Self.layout.counters),
            id: Self.layout.others[0])
        var visit = SeedRuleTests.mover(.moveIn, row: row)
        visit.persons = 3
        let sent = other.deliver(.visit(visit), from: Self.layout.residents, at: 0)
        guard case .visit(let onward)? = sent.first(where: { $0.destination == Self.layout.counters[1] })?.event.message
        else {
            Issue.record("the mover was not sent on")
            return
        }
        #expect(onward.persons == 3 && onward.household.count == 3)
        #expect(
            onward.household.allSatisfy { c in
                other.behavior.register.columns.residentCode.firstIndex(of: c.residentCode.rawValue).map {
                    other.behavior.register.columns.status[$0] != 0
                } ?? false
            })
        // A special mover's destination asks later, and gets the whole household back.
        let asked = CertificateDataRequest(
            originRow: onward.row, origin: Self.layout.others[0], plannedMoveOut: Self.date)
        let answer = other.deliver(
            .request(SeedRuleTests.request(.municipality(.certificateData(asked)), from: Self.layout.municipalCS)),
            from: Self.layout.municipalCS, at: 1_000_000
        ).compactMap(\.response).first
        #expect(answer?.household.map(\.residentCode) == onward.household.map(\.residentCode))
    }

    /// A counter without counter support (whose drafting `CounterSupportTests` covers), so each step here is the
    /// household's.
    static func counter() -> NodeHarness<BranchCounter> {
        var service = configuration.service
        service.counterSupport.enabled = false
        return NodeHarness(
            BranchCounter(
                name: "test", clerks: 1, layout: layout, service: service, links: configuration.links, date: date,
                chomeCounts: [3]),
            id: layout.counters[0])
    }

    @Test("a special move-in continues every card on the notice, one request (and PIN) per card")
    func continuationPerCard() throws {
        let origin = try Self.population().register
        let row = try Self.row(inHouseholdOf: 3, origin)
        var household = ([row] + origin.companions(of: row, persons: 3)).map {
            origin.moveOutCertificate($0, plannedMoveOut: Self.date)
        }
        household[1].cardStatus = .issued
        household[2].cardStatus = .none
        var counter = Self.counter()
        var visit = SeedRuleTests.mover(.specialMoveIn, row: row)
        visit.persons = 3
        var pending = counter.deliver(.visit(visit), from: Self.layout.others[0], at: 0, until: 1).compactMap(\.request)
        var continued: [ResidentCode] = []
        var t: Int64 = 1_000_000
        while let request = pending.first {
            pending.removeFirst()
            guard request.ticket.slot != nil else { continue }
            var response = Response(to: request)
            if case .municipality(.certificateData) = request.payload { response.household = household }
            if case .cardSystem(.continuation(let code)) = request.payload { continued.append(code) }
            pending += counter.deliver(.response(response), from: Self.layout.municipalCS, at: t, until: t + 1)
                .compactMap(\.request)
            t += 1_000_000
        }
        _ = counter.run(until: 10 * 3_600_000_000)
        #expect(continued == [household[0].residentCode, household[1].residentCode])
        let stats = counter.behavior.stats[Int(Flow.specialMoveIn.rawValue)]
        #expect(stats.completed == 1 && stats.persons == 3)
    }

    @Test("each further person on a notice adds desk time")
    func deskTimeGrowsWithPersons() throws {
        func serviceTime(persons: UInt8) throws -> Int64 {
            var counter = Self.counter()
            var visit = Visit(
                flow: .relocation, journey: 1, row: RowID(5), code: ResidentCode(body: 1), cardStatus: .none,
                certificateDataMissing: false, origin: nil, plannedMoveOut: Self.date, movedIn: Self.date,
                cardBrought: false, pinCorrect: true, arrivedAt: 0)
            visit.persons = persons
            let sent = counter.deliver(.visit(visit), from: Self.layout.residents, at: 0, until: 1)
            let request = try #require(sent.compactMap(\.request).first)
            _ = counter.deliver(.response(Response(to: request)), from: Self.layout.registerSystem, at: 1_000)
            _ = counter.run(until: 10 * 3_600_000_000)
            let spans = counter.behavior.report(ReportPeriod(end: 1, runSeconds: 1, openSeconds: 1)).spans
            let service = try #require(spans.first { $0.hop == .counterService })
            return service.end - service.start
        }
        let one = try serviceTime(persons: 1)
        let four = try serviceTime(persons: 4)
        // Three further persons add at least three minimums of the per-person time (same random stream).
        let minimum = try #require(Self.configuration.service.perExtraPerson[.relocation]).minimum
        #expect(four - one >= 3 * minimum)
    }
}
