import JukiCore
import JukiScenario
import Testing

@Suite("Model fuzzing: random valid scenarios run with their invariants holding")
struct RandomScenarioTests {
    /// Fifty fixed inputs, 16 to 200 bytes each, from a seeded stream: the same scenarios on every run.
    static let inputs: [[UInt8]] = (0..<50).map { i in
        var random = RandomStream(seed: 11, stream: UInt64(i))
        let count = 16 + Int(random.next(below: 185))
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    @Test("each of 50 fixed inputs becomes a valid scenario that runs with every invariant holding", arguments: 0..<50)
    func fixedInputs(index: Int) async {
        // A smaller budget than the fuzzer's keeps the debug build quick; the choices are the same. One input in
        // five also renders every report (in a debug build that costs more than the run).
        let generated = RandomScenario(bytes: Self.inputs[index], journeyBudget: 300)
        switch await generated.run(reports: index.isMultiple(of: 5)) {
        case .invalid(let reason): Issue.record("input \(index) is not a valid scenario: \(reason)\n\(generated.yaml)")
        case .refused(let reason): Issue.record("input \(index) was refused by the network: \(reason)")
        case .ran(_, _, let broken): #expect(broken.isEmpty, "input \(index): \(broken)\n\(generated.yaml)")
        }
    }

    @Test("the same bytes give the same scenario; no bytes give a plain one that validates")
    func deterministic() throws {
        for input in Self.inputs.prefix(5) {
            #expect(RandomScenario(bytes: input).yaml == RandomScenario(bytes: input).yaml)
        }
        let plain = try RandomScenario(bytes: []).scenario()
        #expect(plain.configuration.faults.isEmpty && plain.thresholds.isEmpty)
    }

    @Test("a consistency check still waiting the next night: that night's fails, and the journeys balance")
    func consistencyChecksDoNotOverlap() async throws {
        // The model fuzzer's first finding: the national server revoked for six days, so no check ever finishes.
        let scenario = try Scenario.parse(
            """
            name: overlap
            seed: 17549
            start: 2026-06-15
            duration: 6d
            population: {residents: 549, others: {residents: 264, ownEvents: false}}
            workload: {scale: 0}
            batches:
              consistencyCheck:
                onDemand: [2026-06-15, 2026-06-16, 2026-06-17, 2026-06-18, 2026-06-19, 2026-06-20]
            security: {mutualAuthentication: on, revokedNodes: [nationalServer]}
            """)
        guard case .ran(let journeys, _, let broken) = await RandomScenario.run(scenario) else {
            Issue.record("the scenario did not run")
            return
        }
        #expect(broken.isEmpty, "\(broken)")
        #expect(journeys >= 6)
    }

    @Test("card-state notices the national server refuses (misconfigured: its MACs fail) are not unhandled")
    func refusedCardStateNotices() async throws {
        // The model fuzzer's finding after card states started flowing to the national server.
        let scenario = try Scenario.parse(
            """
            name: refused-card-states
            seed: 28697
            start: 2026-04-28
            duration: 1d
            population: {residents: 1719, others: {residents: 81, ownEvents: true}}
            workload:
              perDay: {birth: 0.0, moveIn: 100.0, oneStopMove: 0.0}
              specialMoveInShare: 0.9
            security:
              mutualAuthentication: on
              misconfiguredNodes: [nationalServer]
            """)
        guard case .ran(_, _, let broken) = await RandomScenario.run(scenario) else {
            Issue.record("the scenario did not run")
            return
        }
        #expect(broken.isEmpty, "\(broken)")
    }
}
