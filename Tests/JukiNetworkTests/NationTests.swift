import JukiCore
import JukiNetwork
import JukiPopulation
import JukiSimulation
import Testing

/// A small nation: the home town of 20,000 and every municipality of 鳥取県 and 島根県 at half a percent of its size,
/// for three weeks (long enough for movers to arrive: they take up to 14 days).
func nationConfiguration(seed: UInt64 = 3) -> NetworkConfiguration {
    var c = smallConfiguration(seed: seed)
    c.nation = NationScope(prefectures: [31, 32], scale: 0.005)
    c.days = 21
    return c
}

func runDays(_ configuration: NetworkConfiguration) async throws -> NetworkReport {
    let simulation = try await NetworkSimulation(configuration)
    await simulation.run(until: .time(SimulatedTime(date: configuration.date.adding(days: configuration.days))))
    return await simulation.report()
}

@Suite("The nationwide network")
struct NationTests {
    @Test("every municipality of the prefectures is modelled at its size, with code blocks that never overlap")
    func members() throws {
        let c = nationConfiguration()
        let populations = try NetworkPopulations(c)
        let expected = MunicipalityDirectory.all.filter { [31, 32].contains($0.prefectureCode) }
        #expect(populations.others.count == expected.count)
        #expect(populations.others.map(\.register.municipality.code) == expected.map(\.code))
        for (p, e) in zip(populations.others, expected) {
            #expect(p.register.count == max(1, Int((Double(e.population) * 0.005).rounded())))
        }
        // The home's block first, then each municipality's after the last.
        var end = NationalPopulation.blockSize(residents: 20_000)
        for m in populations.otherMembers {
            #expect(m.codeSequenceBase == end)
            end += m.blockSize
        }
    }

    @Test("residents move between the municipalities, wait at their counters, and the invariants hold")
    func moves() async throws {
        let report = try await runDays(nationConfiguration())
        let nation = try #require(report.nation)
        #expect(nation.municipalities == 38)
        #expect(nation.clerks >= nation.municipalities)
        #expect(nation.moves.movedOut > 0 && nation.moves.movedIn > 0)
        // Everyone who arrived was recorded, and every 転入通知 reached the municipality they left.
        #expect(nation.moves.refused == 0)
        #expect(nation.moves.noticesSent == nation.moves.noticesReceived)
        #expect(nation.moves.noticesAcknowledged <= nation.moves.noticesSent)
        #expect(nation.moves.noticesSent > 0)
        for notice in LocalNotice.allCases { #expect(nation.counter.served[Int(notice.rawValue)] > 0, "\(notice)") }
        #expect(nation.utilization > 0 && nation.utilization < 1)
        let inv = report.invariants
        #expect(inv.holds)
        #expect(inv.duplicateResidentCodes == 0 && inv.duplicateIndividualNumbers == 0 && inv.lostUpdates == 0)
        #expect(inv.unhandledMessages == 0)
    }

    @Test("fanning windows out over the cores does not change the run")
    func determinism() async throws {
        var c = nationConfiguration()
        c.days = 8
        c.fanOutThreshold = 2
        let a = try await runDays(c)
        c.fanOutThreshold = Int.max
        let b = try await runDays(c)
        #expect(a.digest == b.digest)
        #expect(a.nation == b.nation)
    }

    @Test("the staffing rule: Fujisawa's residents per clerk, at least one")
    func clerks() {
        #expect(NationScope.clerks(residents: Workload.baseResidents) == NationScope.fujisawaClerks)
        #expect(NationScope.clerks(residents: 1) == 1)
        #expect(NationScope.clerks(residents: 2 * Workload.baseResidents) == 2 * NationScope.fujisawaClerks)
    }

    @Test("a scale outside (0, 1] is refused, naming the field")
    func badScale() {
        var c = nationConfiguration()
        c.nation?.scale = 1.5
        #expect(throws: NetworkError.self) { try NetworkPopulations(c) }
        do {
            _ = try NetworkPopulations(c)
        } catch {
            #expect(error.field == "nation.scale")
        }
    }
}
