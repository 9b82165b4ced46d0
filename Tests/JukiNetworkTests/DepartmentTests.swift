import JukiCore
import JukiNetwork
import JukiNetworkTesting
import JukiPopulation
import JukiRegister
import JukiSimulation
import Testing

/// Transfers to the city's departments (庁内連携) and their look-ups in the unified addressee system (他課照会).
@Suite("Departments (庁内連携)")
struct DepartmentTests {
    @Test("the unified addressee system shows the number to number-use work only, and records every look-up")
    func lookupMasksTheNumber() throws {
        let population = try PopulationGenerator.generate(PopulationOptions(residents: 300, seed: 5))
        let register = population.register
        let layout = NetworkLayout(counters: 2, others: 1)
        let system = try #require(layout.unifiedAddressee)
        var node = NodeHarness(UnifiedAddresseeSystem(register: register, service: .standard), id: system)
        let row = try #require(
            (0..<register.count).map { RowID(UInt32($0)) }.first { register.columns.individualNumber[$0.index] != 0 })
        func look(_ unified: UInt64, operatorID: UInt16, at t: Int64) -> Response? {
            var r = Request(
                .addressee(AddresseeLookup(unified: unified)),
                ticket: Ticket(journey: UInt64(t), slot: nil, flow: .identitySearch, hop: .addresseeLookup),
                replyTo: layout.departments[0], sentAt: t)
            r.operatorID = operatorID
            return node.deliver(.request(r), from: layout.departments[0], at: t).compactMap(\.response).first
        }
        let unified = register.unifiedAddresseeNumber(of: row)
        let numberUse = DepartmentSpec.fujisawa[0]
        let other = try #require(DepartmentSpec.fujisawa.last)
        #expect(numberUse.numberUse && !other.numberUse)
        guard case .record(let shown) = look(unified, operatorID: numberUse.operatorID(index: 0), at: 10)?.result else {
            Issue.record("no record for a number-use look-up")
            return
        }
        #expect(shown.individualNumber?.rawValue == register.columns.individualNumber[row.index])
        guard case .record(let masked) = look(unified, operatorID: other.operatorID(index: 7), at: 20)?.result else {
            Issue.record("no record for a look-up outside number use")
            return
        }
        #expect(masked.individualNumber == nil && masked.residentCode == shown.residentCode)
        #expect(look(unified + 1_000_000, operatorID: 5_000, at: 30)?.failure == .notFound)
        #expect(
            look(9_999 * 100_000_000 + 1, operatorID: 5_000, at: 40)?.failure == .notFound, "another municipality's")
        let s = node.behavior
        #expect(s.lookups == 4 && s.numbersMasked == 1 && s.lookupsNotFound == 2 && s.audit.count == 4)
    }

    @Test("in a run: every change reaches every department, the number only number-use work, each transfer recorded")
    func transfersInARun() async throws {
        var c = quietConfiguration(seed: 13)
        c.workload.perDay = [.moveIn: 150, .moveOut: 150, .relocation: 150, .birth: 50, .death: 50]
        let (_, report) = try await run(c)
        let d = report.departments
        #expect(d.departments.count == DepartmentSpec.fujisawa.count)
        let received = d.departments.map(\.records)
        #expect(received.allSatisfy { $0 > 50 } && Set(received).count == 1, "every department, every change")
        for r in d.departments {
            if r.spec.numberUse {
                #expect(r.withNumber > 0 && r.numbersMasked == 0, "\(r.spec.name)")
            } else {
                #expect(r.withNumber == 0 && r.numbersShown == 0 && r.numbersMasked > 0, "\(r.spec.name)")
            }
            #expect(r.lookups > 0 && r.lookupsAnswered + r.lookupsNotFound == r.lookups)
        }
        #expect(d.transferRecords == d.departments.reduce(0) { $0 + $1.batches }, "one record per batch")
        #expect(d.transferredWithNumber > 0 && d.transferredWithoutNumber > 0)
        #expect(report.invariants.unrecordedTransfers == 0 && report.invariants.numbersOutsideNumberUse == 0)
        #expect(report.invariants.holds)
        #expect(report.nodes.contains { $0.name == "department.otherDepartments" && $0.handled > 0 })
    }
}
