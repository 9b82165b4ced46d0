import Hummingbird
import HummingbirdTesting
import JukiCore
import JukiNetwork
import JukiTraining
import Testing

@testable import JukiTrainingServer

/// The rest of the office beside the trainees: accepted cases run through the simulated network at each trainee's
/// desk, the network finds what the case held, and the counters' load is the simulation's.
@Suite struct OfficeSimulationTests {
    @Test func acceptedCasesRunThroughTheNetworkAndFailWhereItWould() async throws {
        let w = try #require(ServerTests.world)
        let sim = try await OfficeSimulation(
            scenario: w.0, populations: w.1, trainees: ["aoki", "baba"], start: 36_000_000_000)
        #expect(sim.counterNames.suffix(2) == ["研修 aoki", "研修 baba"])
        await sim.accept(.moveIn, failure: .none, trainee: "aoki", now: 0)
        await sim.accept(.specialMoveIn, failure: .cardExpired, trainee: "aoki", now: 1)
        await sim.accept(.specialMoveIn, failure: .deadlinePassed, trainee: "aoki", now: 2)
        await sim.accept(.certificate, failure: .none, trainee: "aoki", now: 3)
        let status = await sim.status(trainee: "aoki", now: 600)
        #expect(status.clock.timeOfDay == 36_600_000_000)
        #expect(status.counters.count == w.0.configuration.counters.count)
        let byFlow = Dictionary(uniqueKeysWithValues: status.own.map { ($0.flow, $0) })
        #expect(byFlow[.moveIn]?.completed == 1)
        #expect(
            byFlow[.certificate]?.completed == 1,
            "\(byFlow[.certificate].map { "\($0.started) \($0.failed.map(\.reason))" } ?? "none")")
        let special = try #require(byFlow[.specialMoveIn])
        #expect(special.started == 2)
        #expect(special.completed == 0)
        #expect(Set(special.failed.map(\.reason)) == [.cardExpired, .deadlinePassed])
        // The other trainee's desk is their own.
        #expect(await sim.status(trainee: "baba", now: 600).own.isEmpty)
        // At 10:10 the simulated residents keep the city's counters busy.
        #expect(status.counters.map(\.inProgress).reduce(0, +) > 0)
    }

    @Test func theCaseCarriesWhatTheNetworkCanFind() throws {
        let w = try #require(ServerTests.world)
        let drill = try Drill.parse("name: t\ncases: 30\ndifficulty: 1\nmix: { specialMoveIn: 1 }")
        let book = CaseGenerator.book(drill, scenario: w.0, populations: w.1)
        let found: Set<FailureReason> = [
            .cardNotBrought, .pinFailure, .cardExpired, .cardSuspended, .cardRevoked, .certificateDataNotFound,
            .deadlinePassed,
        ]
        for c in book.cases {
            let first = c.planted.compactMap(\.failure).first { found.contains($0) }
            #expect(c.networkFailure == (first ?? FailureReason.none))
        }
        #expect(book.cases.contains { $0.networkFailure != .none })
    }

    @Test func theCounterPageShowsTheOfficeAndTheTraineesJourneys() async throws {
        let office = try ServerTests.office()
        let w = try #require(ServerTests.world)
        let sim = try await OfficeSimulation(scenario: w.0, populations: w.1, trainees: ["aoki", "baba"])
        let clock = OfficeClock()
        let first = try #require(office.book.cases.first)
        try await Application(router: TrainingServer.router(office: office, clock: clock, simulation: sim)).test(
            .router
        ) { client in
            _ = try await ServerTests.post(client, "/counter/call", ServerTests.aoki)
            var form = "verdict=accept"
            for f in first.request.fields {
                let value = first.expected.fields.first { $0.field == f }?.value ?? Self.filler(f, first)
                form += "&\(f.rawValue)=\(ServerTests.encoded(value))"
            }
            #expect(try await ServerTests.post(client, "/counter/decide", ServerTests.aoki, form).0 == .seeOther)
            clock.advance(by: 300)
            let (_, page, _) = try await ServerTests.get(client, "/counter", ServerTests.aoki)
            #expect(page.contains("The office now (simulated 10:0"))
            #expect(page.contains("id=\"network\""))
            #expect(page.contains("<td>\(first.request.flow)</td>"))
        }
    }

    static func filler(_ f: CaseField, _ c: TrainingCase) -> String {
        switch f {
        case .birthDate, .movedIn, .dateOfDeath: "2026-01-01"
        case .copies: "1"
        case .includeNumber: "no"
        case .sex: "男"
        case .residentCode: c.personCode ?? ""
        case .name, .address: "x"
        }
    }
}
