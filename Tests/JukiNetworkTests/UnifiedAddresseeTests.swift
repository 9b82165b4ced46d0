import JukiCore
import JukiNetwork
import JukiNetworkTesting
import JukiPopulation
import JukiRegister
import JukiSimulation
import Testing

/// The unified addressee system (団体内統合宛名システム, I 2 システム4; III(1)2 リスク3), alone through the harness and in
/// a run.
@Suite("The unified addressee system")
struct UnifiedAddresseeTests {
    static let layout = NetworkLayout(counters: 2, others: 1)

    static func system() throws -> (NodeHarness<UnifiedAddresseeSystem>, ResidentRegister) {
        let population = try PopulationGenerator.generate(PopulationOptions(residents: 300, seed: 5))
        let system = UnifiedAddresseeSystem(register: population.register, service: .standard)
        return (NodeHarness(system, id: layout.unifiedAddressee ?? 0), population.register)
    }

    /// Sends `records` as one batch from the register system.
    static func send(_ records: [AddresseeRecord], to harness: inout NodeHarness<UnifiedAddresseeSystem>, at t: Int64) {
        _ = harness.deliver(.addressees(AddresseeBatch(records: records)), from: layout.registerSystem, at: t)
    }

    @Test("the layout puts it after every other node, so their ids and random streams stay as they were")
    func layoutKeepsIds() {
        let l = NetworkLayout(counters: 13, others: 78)
        #expect(
            l.unifiedAddressee == NodeID(1 + 13 + 6 + 47 + 78), "residents, counters, six systems, prefectures, others")
        #expect(l.others.last.map { $0 + 1 } == l.unifiedAddressee)
    }

    @Test("a new addressee gets its unified number; a number change keeps it and records both numbers")
    func issuesAndKeeps() throws {
        var (uas, register) = try Self.system()
        let next = UInt32(register.count + 1)
        let unified = UInt64(register.municipality.code.rawValue) * 100_000_000 + UInt64(next)
        let first = IndividualNumber(body: 12_345_678_901)
        let second = IndividualNumber(body: 98_765_432_109)
        var person = AddresseeRecord(
            unified: unified, addressee: next, residentCode: ResidentCode(body: 555_000_111),
            individualNumber: nil, facts: BasicFactsKeys(nameAndBirthDate: 7, nameAndAddress: 8), active: true)
        Self.send([person], to: &uas, at: 1_000)
        #expect(uas.behavior.issued == 1 && uas.behavior.numberDesignations == 0)
        person.individualNumber = first
        Self.send([person], to: &uas, at: 2_000)
        #expect(uas.behavior.numberDesignations == 1 && uas.behavior.numberChanges == 0)
        person.individualNumber = second
        Self.send([person], to: &uas, at: 3_000)
        #expect(uas.behavior.numberChanges == 1)
        #expect(uas.behavior.record(addressee: next)?.unified == unified)
        #expect(uas.behavior.record(addressee: next)?.individualNumber == second)
        #expect(uas.behavior.previousNumbers[next] == [first.rawValue])
        #expect(uas.behavior.issued == 1, "a number change issues no new unified number")
        #expect(uas.unhandled.isEmpty)
    }

    @Test("a number failing its check digit is refused and the entry keeps its number; a wrong unified number too")
    func refuses() throws {
        var (uas, register) = try Self.system()
        let row = RowID(0)
        var record = UnifiedAddresseeSystem.record(of: row, in: register)
        let kept = record.individualNumber
        let good = IndividualNumber(body: 11_111_111_111)
        record.individualNumber = IndividualNumber(uncheckedRawValue: good.rawValue ^ 1)  // wrong check digit
        Self.send([record], to: &uas, at: 1_000)
        #expect(uas.behavior.refusedNumbers == 1)
        #expect(uas.behavior.record(addressee: record.addressee)?.individualNumber == kept)
        var stray = UnifiedAddresseeSystem.record(of: RowID(1), in: register)
        stray.unified += 1
        Self.send([stray], to: &uas, at: 2_000)
        #expect(uas.behavior.refusedRecords == 1)
    }

    @Test("a returning resident's removed entry is matched: the unified number is the one they had (II(1)3⑧)")
    func returnMatched() throws {
        var (uas, register) = try Self.system()
        var record = UnifiedAddresseeSystem.record(of: RowID(3), in: register)
        record.active = false
        Self.send([record], to: &uas, at: 1_000)
        record.active = true
        Self.send([record], to: &uas, at: 2_000)
        #expect(uas.behavior.returnsMatched == 1)
        #expect(uas.behavior.issued == 0)
        #expect(uas.behavior.record(addressee: record.addressee)?.unified == record.unified)
    }

    @Test("the end-of-run comparison: equal after the register's records, unequal when an entry differs")
    func comparison() throws {
        var (uas, register) = try Self.system()
        let start = UInt64(register.changeLog.count)
        let context = ChangeContext(time: SimulatedTime(microseconds: 1_000), operatorID: .batch, terminalID: .server)
        let row = try #require(
            (0..<register.count).map { RowID(UInt32($0)) }.first { register.columns.status[$0.index] == 0 })
        try register.relocate(row, to: RegisterAddress(town: 1, chome: 1, banchi: 9, go: 9), context: context)
        let expected = UnifiedAddresseeSystem.fingerprint(of: register, changesFrom: start + 1)
        #expect(uas.behavior.fingerprint != expected, "the change has not reached the system yet")
        var record = UnifiedAddresseeSystem.record(of: row, in: register)
        Self.send([record], to: &uas, at: 2_000)
        #expect(uas.behavior.fingerprint == expected)
        record.facts.nameAndAddress &+= 1
        Self.send([record], to: &uas, at: 3_000)
        #expect(uas.behavior.fingerprint != expected, "an entry unlike the register's shows")
    }

    @Test("in a run it takes every change of the register and agrees with it at the end; its load is reported")
    func agreesInARun() async throws {
        var c = quietConfiguration()
        // Per 445,283 residents (the rates follow the population): a dozen or more of each at this town's 20,000.
        c.workload.perDay = [.birth: 400, .moveIn: 400, .numberChange: 400, .moveOut: 200, .certificate: 200]
        let (_, report) = try await run(c)
        let a = try #require(report.addressee)
        #expect(a.recordsSent > 0 && a.system.records == a.recordsSent && a.pendingRecords == 0)
        #expect(a.agreesWithRegister == true)
        #expect(a.system.issued > 0, "births and move-ins get unified numbers")
        #expect(a.system.numberChanges > 0, "number changes keep the unified number")
        #expect(a.system.refusedNumbers == 0 && a.system.refusedRecords == 0)
        #expect(report.invariants.addresseeMismatches == 0 && report.invariants.holds)
        #expect(report.nodes.contains { $0.name == "unifiedAddresseeSystem" && $0.handled > 0 })
    }
}
