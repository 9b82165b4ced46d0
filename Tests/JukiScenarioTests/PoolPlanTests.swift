import Foundation
import JukiCore
import JukiNetwork
import Testing

@testable import JukiScenario

/// Worker-pool plans: the servers' target grammar, the fewest workers that meet a wait target (one fewer misses),
/// and the scenario file that applies them.
@Suite("Worker-pool plans")
struct PoolPlanTests {
    @Test("servers.<name or *>.wait targets; an unknown server lists the servers")
    func targets() async throws {
        let t = try PlanTarget.parse("servers.municipalCS.wait p(99)<50ms", counters: []).get()
        #expect(t.servers && t.counter == "municipalCS" && t.bound == 50_000 && t.quantile == 0.99)
        let all = try PlanTarget.parse("servers.*.wait avg<=10ms", counters: []).get()
        #expect(all.servers && all.counter == "*" && all.quantile == nil)
        guard case .failure(let e) = PlanTarget.parse("servers.cs.wait p(99)<5ms", counters: []) else {
            Issue.record("an unknown server was accepted")
            return
        }
        #expect(e.field == "target" && e.message.contains("unknown server 'cs'") && e.message.contains("municipalCS"))
        // The counters' planner refuses a servers target rather than planning nothing.
        var options = PlanOptions(target: t)
        options.tuning = 1
        options.verification = 1
        await #expect(throws: ScenarioError.self) { try await Planner.plan(try PlanTests.smallScenario(), options) }
    }

    @Test("the plan is the fewest workers that meet the target: one fewer misses it on the tuning seeds")
    func fewest() async throws {
        let scenario = try PlanTests.smallScenario()
        var options = try PlanTests.options("servers.*.wait p(99)<20ms", replications: 3)
        options.target = try PlanTarget.parse("servers.*.wait p(99)<20ms", counters: []).get()
        let result = try await PoolPlanner.plan(scenario, options)
        #expect(result.covered == Array(0..<5))
        let populations = try NetworkPopulations(scenario.configuration).loadingIdentityFiles(
            headroom: scenario.configuration.growthHeadroom)
        let z = Planner.normalQuantile(1 - 0.05 / 5)
        #expect(result.covered.allSatisfy { result.planEvaluation.meets($0, result.target, z: z) })
        for s in result.covered where result.plan[s] > 1 {
            var fewer = result.plan
            fewer[s] -= 1
            let e = try await PoolPlanner.evaluate(
                scenario, workers: fewer, target: result.target, seeds: result.tuningSeeds, populations: populations,
                jobs: 0)
            #expect(!e.meets(s, result.target, z: z), "\(result.servers[s]) meets with \(fewer[s])")
        }
        #expect(result.verification.replications == 3)
        let yaml = try PoolPlanReport.scenarioFile(
            result, source: "name: pools\nseed: 11\nstart: 2026-03-03\nduration: 1d\n", file: "x.yaml")
        let back = try Scenario.parse(yaml)
        #expect(PoolPlanner.workers(back.configuration) == result.plan)
        #expect(PoolPlanReport.markdown(result).contains("## Servers"))
        #expect(PoolPlanReport.capacity(result).count == 5)
    }

    @Test("office hours: the pools keep the waits of requests that arrived on a business day's opening hours apart")
    func officeHours() async throws {
        let scenario = try PlanTests.smallScenario()
        let populations = try NetworkPopulations(scenario.configuration).loadingIdentityFiles(
            headroom: scenario.configuration.growthHeadroom)
        let simulation = try await NetworkSimulation(scenario.configuration, populations: populations)
        await simulation.run(
            until: .time(SimulatedTime(microseconds: simulation.dayStart.microseconds + scenario.duration)))
        let pools = await simulation.serverPools()
        #expect(pools.map(\.name) == PoolPlanner.servers)
        for p in pools { #expect(p.pool.officeWaits.count <= p.pool.waits.count, "\(p.name)") }
        let cs = try #require(pools.first { $0.name == "municipalCS" })
        #expect(cs.pool.officeWaits.count > 0)
        // The night job's requests are in the day's waits only.
        #expect(pools.contains { $0.pool.waits.count > $0.pool.officeWaits.count })
        do {
            _ = try Scenario.parse("name: x\nplan: {target: \"servers.*.wait p(99)<5ms\", serverHours: night}\n")
            Issue.record("serverHours: night was accepted")
        } catch {
            #expect(error.path == "plan.serverHours" && error.message.contains("office or all"))
        }
    }
}
