import Foundation
import JukiNetwork
import JukiScenario
import Testing

@Suite("Sensitivity")
struct SensitivityTests {
    /// A small town with one clerk per counter, so visitors queue: certificates (rate 250 a day) dominate the
    /// waits, J-LIS queries never happen (rate 0).
    static let queueing = """
        name: sensitivity-test
        seed: 3
        start: 2026-03-02
        duration: 1d
        population:
          residents: 4000
          others:
            residents: 200
            ownEvents: false
        counters:
          clerks:
            "*": 1
          # Notices by hand: counter support's extra hop would reorder the counters' draws between cases.
          support: off
        workload:
          followPopulation: false
          scale: 0.2
          perDay:
            jlisQuery: 0
            # Hand-overs (20 min each, half at the main counter) and e-certificate renewals (本庁 only) would swamp
            # its one clerk: not this test's subject.
            cardIssuance: 0
            certificateRenewal: 0
          # Every visitor at their district's counter: one clerk each, no overloaded main counter.
          mainCounterShare: {certificate: 0, relocation: 0, birth: 0, death: 0, moveOut: 0, moveIn: 0,
                             specialMoveIn: 0, oneStopMove: 0, identitySearch: 0, cardLinkage: 0,
                             moveInFromAbroad: 0}
        """

    static func inputs(_ names: [String]) throws -> [EstimatedInput] {
        try names.map { try #require(EstimatedInput.named($0)) }
    }

    static let names = [
        "counters.desk.certificate", "workload.perDay.jlisQuery", "counters.desk.jlisQuery",
        "network.links.csToPrefecture",
    ]

    @Test("certificate desk time outranks inputs that cannot matter; those are listed as without effect")
    func ranking() async throws {
        let scenario = try Scenario.parse(Self.queueing)
        var options = SensitivityOptions()
        options.jobs = 2
        let r = try await Sensitivity.run(scenario, options, inputs: try Self.inputs(Self.names))
        #expect(r.schemaVersion == 1 && r.base.served > 100 && r.base.p95 > 0)
        let first = try #require(r.inputs.first)
        #expect(first.name == "counters.desk.certificate" && first.rank == 1)
        #expect(first.swing > 0 && first.direction == 1 && first.up.p95 > first.down.p95)
        let quiet = r.noEffect.map(\.name)
        #expect(quiet.contains("workload.perDay.jlisQuery") && quiet.contains("counters.desk.jlisQuery"))
        #expect(r.noEffect.first { $0.name == "workload.perDay.jlisQuery" }?.why == "is 0 in this scenario")
        // The rate of 0 is never simulated: base + two cases for each of the three others.
        #expect(r.simulations == 7)
        for e in r.inputs.dropFirst() { #expect(e.swing <= first.swing) }
        #expect(r.inputs.map(\.rank) == Array(1...r.inputs.count))
    }

    @Test("the same result twice, on one simulation at a time and on several")
    func determinism() async throws {
        let scenario = try Scenario.parse(Self.queueing)
        let inputs = try Self.inputs(["counters.desk.certificate", "counters.clerks", "workload.perDay.certificate"])
        var one = SensitivityOptions()
        one.jobs = 1
        var many = SensitivityOptions()
        many.jobs = 4
        let a = try await Sensitivity.run(scenario, one, inputs: inputs)
        let b = try await Sensitivity.run(scenario, many, inputs: inputs)
        let c = try await Sensitivity.run(scenario, many, inputs: inputs)
        #expect(a.inputs == b.inputs && b.inputs == c.inputs)
        #expect(a.base == b.base && a.noEffect == b.noEffect)
    }

    @Test("replications report the base case's spread and each swing per seed")
    func replications() async throws {
        let scenario = try Scenario.parse(Self.queueing)
        var options = SensitivityOptions()
        options.replications = 2
        options.metric = .mean
        let r = try await Sensitivity.run(scenario, options, inputs: try Self.inputs(["counters.desk.certificate"]))
        #expect(r.seeds == [3, 4])
        let noise = try #require(r.noise)
        #expect(noise.minimum <= noise.maximum && noise.standardDeviation >= 0)
        let e = try #require(r.inputs.first)
        #expect(e.swingBySeed?.count == 2 && e.withinNoise != nil)
        #expect(abs(e.swing - abs(e.up.mean - e.down.mean)) < 1e-9)
        // Per-seed differences carry their sign: longer desk times lengthen the mean wait on every seed.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sensitivity-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try SensitivityReport.write(r, directory: folder)
        let md = try String(contentsOfFile: folder + "/sensitivity.md", encoding: .utf8)
        let row = try #require(md.split(separator: "\n").first { $0.hasPrefix("| 1 | `counters.desk.certificate`") })
        #expect(row.contains("| +") && !row.contains("−") && md.contains("up − down per seed"), "\(row)")
    }

    @Test("--factor accepts 20% and 0.2 and refuses values outside 1 % to 90 %")
    func factor() {
        #expect((try? SensitivityOptions.parseFactor("20%").get()) == 0.2)
        #expect((try? SensitivityOptions.parseFactor("0.2").get()) == 0.2)
        #expect((try? SensitivityOptions.parseFactor("1%").get()) == 0.01)
        #expect((try? SensitivityOptions.parseFactor("90%").get()) == 0.9)
        for bad in ["0%", "0.5%", "95%", "1", "-20%", "abc", "", "nan"] {
            guard case .failure(let e) = SensitivityOptions.parseFactor(bad) else {
                Issue.record("\(bad) accepted")
                continue
            }
            #expect(e.description.hasPrefix("--factor must be"), "\(bad): \(e.description)")
        }
    }

    @Test("--only selects by prefix and names the prefixes when it selects nothing")
    func only() throws {
        var options = SensitivityOptions()
        options.only = "counters.desk."
        let chosen = try options.selectedInputs().get()
        #expect(!chosen.isEmpty && chosen.allSatisfy { $0.name.hasPrefix("counters.desk.") })
        options.only = "nonsense"
        guard case .failure(let e) = options.selectedInputs() else {
            Issue.record("nonsense selected inputs")
            return
        }
        #expect(e.description.contains("--only 'nonsense' matches no estimated input"))
        #expect(e.description.contains("counters.desk"))
    }

    @Test("sweeps, canaries and wall-clock scenarios are refused")
    func refused() async throws {
        let sweep = try Scenario.parse(Self.queueing + "\nsweep: {parameter: seed, values: [1, 2]}\n")
        await #expect(throws: ScenarioError.self) {
            _ = try await Sensitivity.run(sweep, SensitivityOptions(), inputs: [])
        }
    }

    @Test("sensitivity.json round-trips; the HTML has a tornado chart and no script; the table ranks")
    func files() async throws {
        let scenario = try Scenario.parse(Self.queueing)
        let r = try await Sensitivity.run(scenario, SensitivityOptions(), inputs: try Self.inputs(Self.names))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sensitivity-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try SensitivityReport.write(r, directory: folder)
        let decoded = try JSONDecoder().decode(
            SensitivityResult.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/sensitivity.json")))
        #expect(decoded.inputs == r.inputs && decoded.schemaVersion == SensitivityResult.currentSchemaVersion)
        let html = try String(contentsOfFile: folder + "/sensitivity.html", encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("counters.desk.certificate") && !html.contains("<script"))
        #expect(!html.contains("http://") || html.contains("xmlns=\"http://www.w3.org/2000/svg\""))
        let md = try String(contentsOfFile: folder + "/sensitivity.md", encoding: .utf8)
        #expect(md.contains("| 1 | `counters.desk.certificate` |") && md.contains("## No effect in this scenario"))
        let table = SensitivityReport.terminal(r, top: 1, directory: folder)
        #expect(table.contains { $0.contains("   1  counters.desk.certificate") })
        let none = SensitivityReport.terminal(r, top: 0, directory: folder)
        #expect(none.contains { $0.contains("\(r.inputs.count) more in sensitivity.md") })
        #expect(none.contains { $0.contains("no effect here: ") && $0.contains("workload.perDay.jlisQuery") })
    }
}
