import JukiCore
import JukiNetwork
import JukiNetworkTesting
import JukiRegister
import JukiSimulation
import Testing

/// The contractor's staff at the counters (委託事項2): what they may serve, and that decisions stay the city's.
@Suite("Contract staff (委託)")
struct ContractStaffTests {
    static let layout = NetworkLayout(counters: 2, others: 1)
    static let date = CivilDate(year: 2026, month: 3, day: 3)

    static func counter(clerks: Int, contractors: Int) -> NodeHarness<BranchCounter> {
        var service = ServiceModel.standard
        service.counterSupport.enabled = false
        return NodeHarness(
            BranchCounter(
                name: "test", clerks: clerks, layout: layout, service: service, links: .standard, date: date,
                chomeCounts: [3], contractors: contractors),
            id: layout.counters[0])
    }

    static func visit(_ flow: Flow, journey: UInt64) -> Visit {
        Visit(
            flow: flow, journey: journey, row: RowID(5), code: ResidentCode(body: 1), cardStatus: .none,
            certificateDataMissing: false, origin: nil, plannedMoveOut: date, movedIn: date, cardBrought: false,
            pinCorrect: true, arrivedAt: 0)
    }

    @Test("the contractor's staff take visitors first and sign in as such; an employee takes the next")
    func contractorsFirst() throws {
        var counter = Self.counter(clerks: 2, contractors: 1)
        let first = counter.deliver(.visit(Self.visit(.relocation, journey: 1)), from: 0, at: 0, until: 1)
        let second = counter.deliver(.visit(Self.visit(.relocation, journey: 2)), from: 0, at: 1, until: 2)
        let a = try #require(first.compactMap(\.request).first)
        let b = try #require(second.compactMap(\.request).first)
        #expect((2_000..<3_000).contains(a.operatorID), "the contractor's operator id: \(a.operatorID)")
        #expect(a.operatorID >= 2_000 && OperatorRights.of(a.operatorID).update)
        #expect(b.operatorID < 2_000, "an employee's operator id: \(b.operatorID)")
        #expect(counter.behavior.servedByContractors == 1 && counter.behavior.contractors == 1)
    }

    @Test("a request the mayor decides waits for an employee even with the contractor's staff free")
    func decisionsWaitForAnEmployee() throws {
        #expect(!StaffKind.contractor.mayServe(.numberChange) && !StaffKind.contractor.mayServe(.residentCodeChange))
        #expect(StaffKind.contractor.mayServe(.moveIn) && StaffKind.employee.mayServe(.numberChange))
        #expect(StaffKind.employee.decides && !StaffKind.contractor.decides)
        var counter = Self.counter(clerks: 2, contractors: 1)
        let first = counter.deliver(.visit(Self.visit(.numberChange, journey: 1)), from: 0, at: 0, until: 1)
        #expect(first.compactMap(\.request).first.map { $0.operatorID < 2_000 } == true, "an employee took it")
        let second = counter.deliver(.visit(Self.visit(.numberChange, journey: 2)), from: 0, at: 1, until: 2)
        #expect(second.compactMap(\.request).isEmpty, "the contractor is free but may not serve it")
        #expect(counter.behavior.servedByContractors == 0)
        // A certificate behind it waits too: the queue is called in order.
        let third = counter.deliver(.visit(Self.visit(.certificate, journey: 3)), from: 0, at: 2, until: 3)
        #expect(third.compactMap(\.request).isEmpty, "nobody jumps the queue")
        // When the employee is done (desk and backend), they take the next in order.
        let answered = counter.deliver(
            .response(Response(to: try #require(first.compactMap(\.request).first))), from: 1, at: 1_000_000,
            until: 4 * 3_600_000_000)
        #expect(answered.compactMap(\.request).contains { $0.ticket.journey == 2 && $0.operatorID < 2_000 })
    }

    @Test("a counter never has only contractors: at least one employee decides")
    func oneEmployeeAtLeast() {
        let counter = Self.counter(clerks: 3, contractors: 5)
        #expect(counter.behavior.contractors == 2)
        #expect(Self.counter(clerks: 1, contractors: 1).behavior.contractors == 0)
    }

    @Test("in a run: the contractor's staff serve, every entry is still checked, the invariants hold")
    func inARun() async throws {
        var c = quietConfiguration(seed: 17)
        c.workload.perDay = [.moveIn: 150, .moveOut: 150, .relocation: 150, .certificate: 400]
        for i in c.counters.indices { c.counters[i].contractors = c.counters[i].clerks - 1 }
        let (_, report) = try await run(c)
        let staffed = report.counters.filter { $0.contractors > 0 }
        #expect(!staffed.isEmpty && staffed.reduce(0) { $0 + $1.servedByContractors } > 50)
        #expect(report.counters.allSatisfy { $0.contractors < $0.clerks })
        let notices = [Flow.moveIn, .moveOut, .relocation].reduce(0) { $0 + (report.journeys[$1]?.completed ?? 0) }
        #expect(report.counters.reduce(0) { $0 + $1.secondChecks } >= notices, "every entry checked")
        #expect(report.invariants.holds)
    }
}
