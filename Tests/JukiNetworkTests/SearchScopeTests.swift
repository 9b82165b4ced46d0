import JukiCore
import JukiNetwork
import JukiNetworkTesting
import JukiPopulation
import JukiRegister
import JukiSimulation
import Testing

/// Identity searches at every scope and queries to J-LIS (issue 13, "Search and query"): the prefecture and national
/// files find people by individual number and basic facts, the rules of the own scope hold everywhere, and a query
/// returns the person's record.
@Suite("Searches at every scope and queries to J-LIS")
struct SearchScopeTests {
    static let layout = NetworkLayout(counters: 2, others: 1)
    static let configuration = NetworkConfiguration()
    /// A clerk with every right, and one without number-use rights (``OperatorRights/of(_:)``).
    static let clerk: UInt16 = 101
    static let noNumberUse: UInt16 = 8_001

    /// Fujisawa's register (Kanagawa, prefecture 14) with row 1 moved out and row 2 dead, and another prefecture's
    /// municipality's register.
    struct World {
        var home: ResidentRegister
        var other: ResidentRegister
        var homeUpdates: [IdentityUpdate]
        var otherUpdates: [IdentityUpdate]
    }

    static func world() throws -> World {
        var home = try PopulationGenerator.generate(PopulationOptions(residents: 300, seed: 5)).register
        let otherCode = try #require(NetworkConfiguration.defaultOthers.first { $0.prefectureCode != 14 })
        var options = PopulationOptions(municipality: otherCode, residents: 200, seed: 6)
        options.codeSequenceBase = 10_000_000
        let other = try PopulationGenerator.generate(options).register
        let homeUpdates = home.initialIdentityUpdates()
        let context = ChangeContext(
            time: SimulatedTime(microseconds: 0), operatorID: OperatorID(101), terminalID: TerminalID(1))
        try home.remove(RowID(1), reason: .moveOut, context: context)
        try home.remove(RowID(2), reason: .death, context: context)
        return World(home: home, other: other, homeUpdates: homeUpdates, otherUpdates: other.initialIdentityUpdates())
    }

    /// A file indexing numbers and facts, loaded with `parts`, then the removals of rows 1 and 2 applied.
    static func file(_ world: World, _ parts: [[IdentityUpdate]]) -> IdentityFile {
        var file = IdentityFile(indexingNumbers: true, indexingFacts: true)
        file.load(parts: parts)
        for change in world.home.changeLog.changes(from: 1) {
            file.apply(world.home.identityUpdate(row: change.row, version: 1 << 60, reason: change.reason))
        }
        return file
    }

    static func prefecture(_ world: World) -> NodeHarness<PrefectureServer> {
        NodeHarness(
            PrefectureServer(
                prefectureCode: 14, identityFile: file(world, [world.homeUpdates]), national: layout.nationalServer,
                links: configuration.links, service: configuration.service),
            id: layout.prefectures[13])
    }

    static func national(_ world: World) -> NodeHarness<NationalServer> {
        NodeHarness(
            NationalServer(
                identityFile: file(world, [world.homeUpdates, world.otherUpdates]),
                conversion: NumberConversion(key: 1), links: configuration.links, service: configuration.service),
            id: layout.nationalServer)
    }

    static func cs(_ world: World) -> NodeHarness<MunicipalCS> {
        NodeHarness(
            MunicipalCS(
                identityFile: file(world, [world.homeUpdates]), layout: layout, links: configuration.links,
                service: configuration.service, prefecture: layout.prefectures[13]),
            id: layout.municipalCS)
    }

    /// A request from counter 0's clerk `operatorID`.
    static func request(_ payload: RequestPayload, operatorID: UInt16 = clerk, from: NodeID = layout.counters[0])
        -> Request
    {
        var r = Request(
            payload, ticket: Ticket(journey: 77, slot: 0, flow: .identitySearch, hop: .search), replyTo: from)
        r.operatorID = operatorID
        return r
    }

    /// Delivers `payload` to `node` as the CS relays it; returns the answer.
    static func ask<B: NodeBehavior>(
        _ node: inout NodeHarness<B>, _ payload: RequestPayload, operatorID: UInt16 = clerk, at time: inout Int64
    ) -> Response? where B.Message == NetworkMessage {
        time += 1_000_000
        let sent = node.deliver(
            .request(request(payload, operatorID: operatorID, from: layout.municipalCS)), from: layout.municipalCS,
            at: time)
        return sent.compactMap(\.response).first
    }

    static func search(_ target: SearchTarget, _ scope: SearchScope) -> RequestPayload {
        .search(SearchRequest(target: target, scope: scope))
    }

    static func code(_ register: ResidentRegister, _ row: Int) -> ResidentCode {
        ResidentCode(uncheckedRawValue: register.columns.residentCode[row])
    }

    static func address(_ register: ResidentRegister, _ row: Int) -> RegisterAddress {
        let c = register.columns
        return RegisterAddress(town: c.town[row], chome: c.chome[row], banchi: c.banchi[row], go: c.go[row])
    }

    static func number(_ register: ResidentRegister, _ row: Int) throws -> IndividualNumber {
        try #require(register.record(RowID(UInt32(row))).individualNumber)
    }

    @Test(
        "a prefecture server finds a person of the prefecture by basic facts and by number; a wrong key is not found [別添1 2.4-①]"
    )
    func prefectureFindsByFactsAndNumber() throws {
        let world = try Self.world()
        var prefecture = Self.prefecture(world)
        var time: Int64 = 0
        let keys = world.home.basicFactsKeys(of: RowID(3))
        let scope = SearchScope.prefecture(14)
        let answers = [
            SearchTarget.basicFacts(key: keys.nameAndBirthDate, given: .nameAndBirthDate),
            .basicFacts(key: keys.nameAndAddress, given: .nameAndAddress),
            .number(try Self.number(world.home, 3)), .code(Self.code(world.home, 3)),
            .basicFacts(key: keys.nameAndBirthDate ^ 1, given: .nameAndBirthDate),
            .number(IndividualNumber(body: 1)),
        ].map { Self.ask(&prefecture, Self.search($0, scope), at: &time)?.failure }
        let found = FailureReason.none
        #expect(answers == [found, found, found, found, .notFound, .notFound])
        let counts = prefecture.behavior.report(ReportPeriod(end: time, runSeconds: 1, openSeconds: 1)).searches
        #expect(counts.count(.basicFacts, .found) == 2 && counts.count(.basicFacts, .notFound) == 1)
        #expect(counts.count(.number, .found) == 1 && counts.count(.number, .notFound) == 1)
        #expect(counts.count(.code, .found) == 1 && counts.total == 6)
    }

    @Test("the national server finds a person of another prefecture by basic facts and by number [別添1 2.4-① ※]")
    func nationFindsByFactsAndNumber() throws {
        let world = try Self.world()
        var national = Self.national(world)
        var time: Int64 = 0
        let keys = world.other.basicFactsKeys(of: RowID(7))
        let person = world.other.record(RowID(7)).name
        let answers = [
            SearchTarget.basicFacts(key: keys.nameAndBirthDate, given: .nameAndBirthDate),
            .basicFacts(key: keys.nameAndAddress, given: .nameAndAddress),
            .number(try Self.number(world.other, 7)),
            // The same name at the same address in another municipality: another key, nobody's.
            .basicFacts(
                key: BasicFactsKeys.nameAndAddress(
                    name: BasicFactsKeys.name(surnameKana: person.surnameKana, givenNameKana: person.givenNameKana),
                    municipality: .fujisawa, address: Self.address(world.other, 7)),
                given: .nameAndAddress),
        ].map { Self.ask(&national, Self.search($0, .nation), at: &time)?.failure }
        let found = FailureReason.none
        #expect(answers == [found, found, found, .notFound])
        #expect(national.behavior.searchCounts.count(.basicFacts, .found) == 2)
    }

    @Test("too few facts are refused at every scope, searches and queries alike [III(2)2 リスク1]")
    func tooFewFactsRefusedEverywhere() throws {
        let world = try Self.world()
        let key = world.home.basicFactsKeys(of: RowID(3)).nameAndBirthDate
        let tooFew = SearchTarget.basicFacts(key: key, given: .tooFew)
        var time: Int64 = 0
        // At the CS: the own scope answered there, the others refused before they leave the municipality.
        var cs = Self.cs(world)
        for payload in [
            Self.search(tooFew, .own), Self.search(tooFew, .prefecture(14)), Self.search(tooFew, .nation),
            .national(.query(tooFew)),
        ] {
            time += 1_000_000
            let sent = cs.deliver(.request(Self.request(payload)), from: Self.layout.counters[0], at: time)
            #expect(sent.map(\.destination) == [Self.layout.counters[0]])
            #expect(sent.compactMap(\.response).map(\.failure) == [.searchRefused])
        }
        #expect(cs.behavior.searchCounts.count(.basicFacts, .refused) == 3)
        #expect(cs.behavior.queryCounts.count(.basicFacts, .refused) == 1)
        #expect(cs.behavior.audit.records.filter { $0.action == .refusal }.count == 4)
        // At the servers themselves, whoever sends the request.
        var prefecture = Self.prefecture(world)
        #expect(Self.ask(&prefecture, Self.search(tooFew, .prefecture(14)), at: &time)?.failure == .searchRefused)
        var national = Self.national(world)
        #expect(Self.ask(&national, Self.search(tooFew, .nation), at: &time)?.failure == .searchRefused)
        #expect(Self.ask(&national, .national(.query(tooFew)), at: &time)?.failure == .searchRefused)
        #expect(national.behavior.queryCounts.count(.basicFacts, .refused) == 1)
    }

    @Test("a search or query by number needs number-use rights at every scope [III(1)3 リスク1]")
    func numberNeedsNumberUseEverywhere() throws {
        let world = try Self.world()
        let number = SearchTarget.number(try Self.number(world.home, 3))
        var time: Int64 = 0
        var cs = Self.cs(world)
        for payload in [
            Self.search(number, .own), Self.search(number, .prefecture(14)), Self.search(number, .nation),
            .national(.query(number)),
        ] {
            time += 1_000_000
            let sent = cs.deliver(
                .request(Self.request(payload, operatorID: Self.noNumberUse)), from: Self.layout.counters[0], at: time)
            #expect(sent.compactMap(\.response).map(\.failure) == [.numberUseRequired])
            #expect(sent.compactMap(\.request).isEmpty)
        }
        // The same searches from a number-use clerk leave the CS for the servers.
        time += 1_000_000
        let relayed = cs.deliver(
            .request(Self.request(Self.search(number, .nation))), from: Self.layout.counters[0], at: time)
        #expect(relayed.map(\.destination) == [Self.layout.nationalServer])
        var prefecture = Self.prefecture(world)
        #expect(
            Self.ask(&prefecture, Self.search(number, .prefecture(14)), operatorID: Self.noNumberUse, at: &time)?
                .failure == .numberUseRequired)
        #expect(Self.ask(&prefecture, Self.search(number, .prefecture(14)), at: &time)?.failure == FailureReason.none)
        var national = Self.national(world)
        #expect(
            Self.ask(&national, Self.search(number, .nation), operatorID: Self.noNumberUse, at: &time)?.failure
                == .numberUseRequired)
        #expect(
            Self.ask(&national, .national(.query(number)), operatorID: Self.noNumberUse, at: &time)?.failure
                == .numberUseRequired)
        #expect(national.behavior.searchCounts.count(.number, .refused) == 1)
        #expect(national.behavior.queryCounts.count(.number, .refused) == 1)
    }

    @Test("a query to J-LIS by code, basic facts or number returns the person's record [別添1 2.5-①②]")
    func queryReturnsTheRecord() throws {
        let world = try Self.world()
        var national = Self.national(world)
        var time: Int64 = 0
        let keys = world.other.basicFactsKeys(of: RowID(9))
        let expected = IdentityRecord(
            residentCode: Self.code(world.other, 9), individualNumber: try Self.number(world.other, 9),
            municipality: world.other.municipality.code, status: .active, removedByDeath: false)
        for target in [
            SearchTarget.code(Self.code(world.other, 9)), .number(try Self.number(world.other, 9)),
            .basicFacts(key: keys.nameAndBirthDate, given: .nameAndBirthDate),
            .basicFacts(key: keys.nameAndAddress, given: .nameAndAddress),
        ] {
            let answer = Self.ask(&national, .national(.query(target)), at: &time)
            #expect(answer?.failure == FailureReason.none, "\(target)")
            #expect(answer?.result == .record(expected), "\(target)")
        }
        // Outside number-use work the record comes back with the number masked.
        let masked = Self.ask(
            &national, .national(.query(.code(Self.code(world.other, 9)))), operatorID: Self.noNumberUse, at: &time)
        var withoutNumber = expected
        withoutNumber.individualNumber = nil
        #expect(masked?.result == .record(withoutNumber))
        // Nobody: not found, and no record.
        let nobody = Self.ask(&national, .national(.query(.code(ResidentCode(body: 42)))), at: &time)
        #expect(nobody?.failure == .notFound && nobody?.result == ResponseResult.none)
        let counts = national.behavior.queryCounts
        #expect(counts.count(.code, .found) == 2 && counts.count(.number, .found) == 1)
        #expect(counts.count(.basicFacts, .found) == 2 && counts.count(.code, .notFound) == 1)
    }

    @Test(
        "a query returns a removed person's record with its status; a search finds the moved-out, not the dead [II(2)2③]"
    )
    func removedPeople() throws {
        let world = try Self.world()
        var national = Self.national(world)
        var time: Int64 = 0
        for (row, death) in [(1, false), (2, true)] {
            let answer = Self.ask(&national, .national(.query(.code(Self.code(world.home, row)))), at: &time)
            guard case .record(let record) = answer?.result else {
                Issue.record("no record for row \(row)")
                continue
            }
            #expect(record.status == .removed && record.removedByDeath == death)
            #expect(record.residentCode == Self.code(world.home, row))
            #expect(record.municipality == .fujisawa)
        }
        let movedOut = Self.ask(&national, Self.search(.code(Self.code(world.home, 1)), .nation), at: &time)
        let dead = Self.ask(&national, Self.search(.code(Self.code(world.home, 2)), .nation), at: &time)
        #expect(movedOut?.failure == FailureReason.none && dead?.failure == .notFound)
        // By the dead person's facts too: the record says so, the search does not find them.
        let keys = world.home.basicFactsKeys(of: RowID(2))
        let byFacts = Self.ask(
            &national, .national(.query(.basicFacts(key: keys.nameAndBirthDate, given: .nameAndBirthDate))), at: &time)
        guard case .record(let record) = byFacts?.result else {
            Issue.record("no record by facts")
            return
        }
        #expect(record.status == .removed && record.removedByDeath)
    }

    @Test("identity updates keep the prefecture's and the nation's facts and number indexes right (a relocation)")
    func updatesKeepTheIndexRight() throws {
        var world = try Self.world()
        var prefecture = Self.prefecture(world)
        var national = Self.national(world)
        let row = RowID(4)
        let before = world.home.basicFactsKeys(of: row)
        let address = Self.address(world.home, 4)
        let context = ChangeContext(
            time: SimulatedTime(microseconds: 1), operatorID: OperatorID(101), terminalID: TerminalID(1))
        try world.home.relocate(
            row,
            to: RegisterAddress(
                town: address.town, chome: address.chome, banchi: address.banchi &+ 1, go: address.go),
            context: context)
        let after = world.home.basicFactsKeys(of: row)
        #expect(after.nameAndAddress != before.nameAndAddress && after.nameAndBirthDate == before.nameAndBirthDate)
        let update = world.home.identityUpdate(row: row, version: 1 << 61, reason: .relocation)
        #expect(update.facts == after)
        var time: Int64 = 0
        func expectIndexed<B: NodeBehavior>(_ node: inout NodeHarness<B>, _ scope: SearchScope)
        where B.Message == NetworkMessage {
            time += 1_000_000
            _ = node.deliver(
                .identityUpdates(IdentityBatch(updates: [update], source: Self.layout.municipalCS, sequence: 1)),
                from: Self.layout.municipalCS, at: time)
            let old = Self.ask(
                &node, Self.search(.basicFacts(key: before.nameAndAddress, given: .nameAndAddress), scope), at: &time)
            let new = Self.ask(
                &node, Self.search(.basicFacts(key: after.nameAndAddress, given: .nameAndAddress), scope), at: &time)
            let name = Self.ask(
                &node, Self.search(.basicFacts(key: after.nameAndBirthDate, given: .nameAndBirthDate), scope), at: &time
            )
            #expect(old?.failure == .notFound, "\(scope): the old address key")
            #expect(new?.failure == FailureReason.none, "\(scope): the new address key")
            #expect(name?.failure == FailureReason.none, "\(scope): name and birth date")
        }
        expectIndexed(&prefecture, .prefecture(14))
        expectIndexed(&national, .nation)
        // A second move: the first move's key goes too.
        try world.home.relocate(
            row,
            to: RegisterAddress(town: address.town, chome: address.chome, banchi: address.banchi &+ 2, go: address.go),
            context: context)
        var file = national.behavior.identityFile
        file.apply(world.home.identityUpdate(row: row, version: 1 << 62, reason: .relocation))
        #expect(!file.finds(.basicFacts(key: after.nameAndAddress, given: .nameAndAddress)))
        #expect(file.finds(.basicFacts(key: world.home.basicFactsKeys(of: row).nameAndAddress, given: .nameAndAddress)))
        // A number changed: the old number finds nobody, the new one the person.
        let old = try Self.number(world.home, 5)
        var changed = world.home.identityUpdate(row: RowID(5), version: 1 << 62, reason: .numberChange)
        changed.individualNumber = IndividualNumber(body: 987_654_321)
        file.apply(changed)
        #expect(!file.finds(.number(old)))
        #expect(file.code(ofNumber: IndividualNumber(body: 987_654_321)) == Self.code(world.home, 5))
    }

    @Test("numbers designated in bulk are found through the tail and every level of runs; changed ones not")
    func bulkNumbers() {
        // 40,000 people without numbers, then each designated (ten tails; the first run outgrows its 32,768 pairs
        // and moves to the second level), then every 7th changed: each number finds its holder, and a replaced
        // number finds nobody.
        let people = 40_000
        func update(_ k: Int, number: UInt64?, version: Int64) -> IdentityUpdate {
            IdentityUpdate(
                residentCode: ResidentCode(body: UInt64(100_000 + k)),
                individualNumber: number.map { IndividualNumber(body: $0) }, municipality: .fujisawa, status: .active,
                version: version, fingerprint: UInt64(k), reason: number == nil ? nil : .numberDesignation,
                facts: BasicFactsKeys(nameAndBirthDate: 0, nameAndAddress: 0))
        }
        var file = IdentityFile(indexingNumbers: true)
        file.load((0..<people).map { update($0, number: nil, version: 1) })
        // Numbers in an order unlike the codes', so the runs really interleave.
        func number(_ k: Int, changed: Bool = false) -> UInt64 {
            UInt64((k * 7_919) % people) * 10 + (changed ? 500_000_001 : 1)
        }
        for k in 0..<people { file.apply(update(k, number: number(k), version: 2)) }
        for k in stride(from: 0, to: people, by: 7) {
            file.apply(update(k, number: number(k, changed: true), version: 3))
        }
        var wrong = 0
        for k in 0..<people {
            let code = ResidentCode(body: UInt64(100_000 + k))
            let current = k % 7 == 0 ? number(k, changed: true) : number(k)
            if file.code(ofNumber: IndividualNumber(body: current)) != code { wrong += 1 }
            if k % 7 == 0 && file.code(ofNumber: IndividualNumber(body: number(k))) != nil { wrong += 1 }
        }
        #expect(wrong == 0)
        #expect(file.code(ofNumber: IndividualNumber(body: 999_999_999)) == nil)
    }

    @Test("people sharing a name and birth date are all findable; a query prefers the active one")
    func sharedFacts() {
        let key: UInt64 = 0xFACE
        func update(_ code: UInt64, status: RecordStatus, reason: ChangeReason?) -> IdentityUpdate {
            IdentityUpdate(
                residentCode: ResidentCode(body: code), individualNumber: IndividualNumber(body: code),
                municipality: .fujisawa, status: status, version: 1, fingerprint: code, reason: reason,
                facts: BasicFactsKeys(nameAndBirthDate: key, nameAndAddress: code))
        }
        // Enough people that the load sorts by buckets, with the dead namesake loaded first.
        var file = IdentityFile(indexingNumbers: true, indexingFacts: true)
        let namesakes = [update(5, status: .removed, reason: .death), update(9, status: .active, reason: nil)]
        file.load(parts: [namesakes, (100..<400).map { update($0, status: .active, reason: nil) }])
        let target = SearchTarget.basicFacts(key: key, given: .nameAndBirthDate)
        #expect(file.record(for: target)?.residentCode == ResidentCode(body: 9))
        #expect(file.finds(target))
        for code in [UInt64(5), 9, 100, 399] {
            #expect(file.code(ofNumber: IndividualNumber(body: code)) == ResidentCode(body: code))
            #expect(
                file.record(for: .basicFacts(key: code, given: .nameAndAddress))?.residentCode.rawValue
                    == ResidentCode(body: code).rawValue)
        }
    }

    @Test("in a run, searches at prefecture and nation scope and queries use every kind of key, and find people")
    func aRunUsesEveryKey() async throws {
        var configuration = smallConfiguration()
        configuration.workload.perDay[.identitySearch] = 600
        configuration.workload.perDay[.jlisQuery] = 300
        let simulation = try await NetworkSimulation(configuration)
        await simulation.run(until: .endOfDay)
        let nodes = await simulation.nodeReports()
        var prefectures = SearchCounts()
        for p in nodes.prefectures { prefectures.merge(p.searches) }
        let national = nodes.nationalServer
        for kind in SearchKind.allCases {
            #expect(prefectures.count(kind, .found) > 0, "prefecture \(kind)")
            #expect(national.searches.count(kind, .found) > 0, "nation \(kind)")
            #expect(national.queries.count(kind, .found) > 0, "query \(kind)")
        }
        // Too few facts never leave the CS.
        #expect(prefectures.count(.basicFacts, .refused) == 0 && national.searches.count(.basicFacts, .refused) == 0)
        #expect(nodes.municipalCS.searches.count(.basicFacts, .refused) > 0)
        let report = await simulation.report()
        #expect(report.invariants.holds)
    }
}
