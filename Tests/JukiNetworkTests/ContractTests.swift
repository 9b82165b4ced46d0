import Foundation
import JukiCore
import JukiNetwork
import JukiSimulation
import Testing

@Suite("The typed contract between nodes")
struct ContractTests {
    @Test("messages stay small: the load mode copies them at every hop")
    func messageSize() {
        // Measured when the payloads became typed (89, 88 and 88 bytes; Request was 96 before); a case that grows past this belongs behind a box (as the
        // move-out certificate is).
        #expect(MemoryLayout<NetworkMessage>.size <= 96, "NetworkMessage: \(MemoryLayout<NetworkMessage>.size) B")
        #expect(MemoryLayout<Request>.size <= 88, "Request: \(MemoryLayout<Request>.size) B")
        #expect(MemoryLayout<Visit>.size <= 88, "Visit: \(MemoryLayout<Visit>.size) B")
        // 80 since a query to J-LIS answers with the identity record (26 bytes in the result, issue 13): still
        // below the request it answers.
        #expect(MemoryLayout<Response>.size <= 80, "Response: \(MemoryLayout<Response>.size) B")
    }

    @Test("identity updates stay small: extracts and initial loads hold one per resident of the nation")
    func identityUpdateSize() {
        // With raw codes the update took 41 bytes (stride 48); typed and declared widest first, 40 (stride 40).
        // 56 since the update carries the basic-facts keys the CS's searches need (issue 13): still one cache line.
        #expect(MemoryLayout<IdentityUpdate>.size <= 56, "IdentityUpdate: \(MemoryLayout<IdentityUpdate>.size) B")
        #expect(MemoryLayout<IdentityUpdate>.stride <= 56, "stride \(MemoryLayout<IdentityUpdate>.stride) B")
        #expect(MemoryLayout<IdentityFile.Entry>.size <= 32, "Entry: \(MemoryLayout<IdentityFile.Entry>.size) B")
    }

    @Test("each node reports its own figures; the network report assembles them")
    func perNodeReports() async throws {
        let simulation = try await NetworkSimulation(smallConfiguration())
        await simulation.run(until: .endOfDay)
        let nodes = await simulation.nodeReports()
        let report = await simulation.report()
        #expect(nodes.counters.count == simulation.counterNames.count)
        #expect(nodes.prefectures.count == 47 && nodes.others.count == 5)
        #expect(report.counters == nodes.counters.map(\.counter))
        let started = nodes.counters.reduce(0) { $0 + $1.journeys.reduce(0) { $0 + $1.started } }
        #expect(started > 0 && started + nodes.applicationManager.journeys.started <= report.invariants.arrivals)
        #expect(report.faults.outboxes["registerSystem→municipalCS"] == nodes.registerSystem.outbox)
        #expect(report.lettersQueued == nodes.cardSystem.lettersQueued)
        #expect(report.moveInNoticesReceived == nodes.municipalCS.moveInNoticesReceived)
        #expect(report.nodes.first { $0.name == "nationalServer" }?.utilization == nodes.nationalServer.utilization)
        #expect(nodes.portal.filings <= nodes.residents.onlineFilings)
        let home = nodes.registerSystem.identifiers
        #expect(home.residentCodes.count > 15_000 && home.individualNumbers.count <= home.residentCodes.count)
        #expect(report.invariants.holds)
    }

    @Test("simulated time saturates instead of trapping or wrapping into the past")
    func saturatingTime() {
        #expect(SimulatedDuration.adding(Int64.max - 5, 10) == Int64.max)
        #expect(SimulatedDuration.adding(1, 2) == 3)
        #expect(SimulatedDuration.saturating(1e300) == 4_611_686_018_427_387_904)
        #expect(SimulatedDuration.saturating(.nan) == 0)
        #expect(SimulatedDuration.saturating(-.infinity) == 0)
        #expect(SimulatedDuration.saturating(12.6) == 13)
    }

    @Test("every flow has one descriptor, and the counter flows are the ones residents start")
    func flowTable() {
        for flow in Flow.allCases {
            #expect(flow.descriptor.flow == flow)
            #expect(Flow(named: flow.descriptor.name) == flow)
            #expect(flow.descriptor.atCounter == (flow.descriptor.desk != nil))
        }
        #expect(Flow(named: "noSuchFlow") == nil)
        #expect(!Flow.counterFlows.contains(.bulkNumberAssignment))
        // 70 persons a day, 75 % on the special route, ≈ 1.36 persons per notice.
        let w = Workload.typicalWeekday
        #expect(abs(w.counterRate(.specialMoveIn) - 70 * 0.75 / w.meanPersons(.specialMoveIn)) < 1e-9)
        #expect(Workload.typicalWeekday.counterRate(.consistencyCheck) == 0)
    }
}

/// The calibration document and the sensitivity registry agree.
@Suite("Calibration document")
struct CalibrationDocumentTests {
    @Test("every estimated input the sensitivity command moves is listed, with its reason, in docs/calibration.md")
    func everyEstimatedInputIsDocumented() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/calibration.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let missing = EstimatedInput.all.map(\.name).filter { !text.contains("`\($0)`") }
        #expect(missing.isEmpty, "not in docs/calibration.md: \(missing)")
    }
}
