import Foundation
import JukiCore
import JukiNetwork
import JukiScenario
import Testing

@Suite("Scenario parsing and validation")
struct ScenarioParsingTests {
    @Test("the shipped scenarios are valid")
    func shipped() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 3)
        for f in files {
            let path = root.appendingPathComponent(f).path
            if ScenarioSuite.isSuite(path: path) {
                #expect(try ScenarioSuite.load(path: path).entries.count >= 2)
            } else {
                _ = try Scenario.load(path: path)
            }
        }
    }

    @Test("the fault scenarios: a 15-minute prefecture outage at 10:00, and a storm of at least 100 faults")
    func faultScenarios() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios")
        let outage = try Scenario.load(path: root.appendingPathComponent("prefecture-outage.yaml").path)
        let f = try #require(outage.configuration.faults.first)
        #expect(outage.configuration.faults.count == 1)
        #expect(f.kind == .outage && f.node == .prefectureServer(nil) && f.duration == 15 * 60_000_000)
        #expect(f.start - SimulatedTime(date: outage.configuration.date).microseconds == 10 * 3_600_000_000)
        #expect(outage.configuration.workload.seasonal[2] == 2.0)
        let storm = try Scenario.load(path: root.appendingPathComponent("fault-storm.yaml").path)
        #expect(storm.configuration.faults.count >= 100)
        #expect(Set(storm.configuration.faults.map(\.kind)) == Set(FaultKind.allCases))
        let again = try Scenario.load(path: root.appendingPathComponent("fault-storm.yaml").path)
        #expect(again.configuration.faults == storm.configuration.faults)
        // Another seed draws another storm of the same size.
        var reseeded = storm
        reseeded.setSeed(storm.seed + 1)
        #expect(reseeded.configuration.faults.count == storm.configuration.faults.count)
        #expect(reseeded.configuration.faults != storm.configuration.faults)
        for scenario in [outage, storm] {
            for metric in ["faults.lostUpdates", "faults.divergence"] {
                #expect(scenario.thresholds.contains { $0.metric == metric }, "\(scenario.name) lacks \(metric)")
            }
        }
    }

    @Test("reads every kind of key into the configuration")
    func reads() throws {
        let s = try Scenario.parse(
            """
            name: test-1
            seed: 42
            start: 2026-04-01
            duration: 12h
            population:
              residents: 1000
              undesignatedShare: 5%
            network:
              links:
                csToPrefecture: {minimum: 2ms, meanExtra: 1ms}
              servers:
                nationalServer: {workers: 3, serviceMinimum: 1ms}
            counters:
              clerks: {"*": 2, 市民窓口センター: 9}
              perExtraPerson: {moveIn: {minimum: 4m, meanExtra: 1m}}
            workload:
              perDay: {certificate: 100}
              errors: {pinFailure: 0.5}
              personsPerNotice: {moves: [0.5, 0.5], relocations: [1]}
              jlisQuery: {basicFactsShare: 50%, codeShare: 0.25}
            batches:
              bulkNumberAssignment: {at: "18:30", batch: 500}
            informationSharing:
              requestsPerResidentYear: 2
              items: {"5": 30}
              offListShare: 1%
              reviewClerks: 3
              reviewTime: {minimum: 4m, meanExtra: 1m}
            thresholds:
              journeys.certificate.latency: ["p(95)<45m", "avg <= 10m"]
              informationSharing.answerTime: ["p(95)<1s"]
            """)
        #expect(s.name == "test-1" && s.seed == 42)
        #expect(s.duration == 12 * 3_600_000_000)
        let nation = try Scenario.parse("name: x\npopulation:\n  others: {prefectures: [31, 32], scale: 1%}\n")
        #expect(nation.configuration.nation == NationScope(prefectures: [31, 32], scale: 0.01))
        let all = try Scenario.parse("name: x\npopulation:\n  others: {prefectures: all}\n")
        #expect(all.configuration.nation == NationScope(prefectures: [], scale: 1))
        let year = try Scenario.parse("name: x\nstart: 2028-01-01\nduration: 366d\n")
        #expect(year.configuration.days == 366)
        #expect(s.configuration.municipality.residents == 1000)
        #expect(abs(s.configuration.municipality.undesignatedShare - 0.05) < 1e-12)
        #expect(s.configuration.links.latency(.csToPrefecture).minimum == 2000)
        #expect(s.configuration.service.nationalWorkers == 3)
        #expect(s.configuration.counters.first?.clerks == 9)
        #expect(s.configuration.counters.last?.clerks == 2)
        #expect(s.configuration.workload.perDay[.certificate] == 100)
        #expect(s.configuration.workload.pinFailure == 0.5)
        #expect(s.configuration.service.perExtraPerson[.moveIn]?.minimum == 240_000_000)
        #expect(s.configuration.workload.movePersons == [0.5, 0.5])
        #expect(s.configuration.workload.meanPersons(.relocation) == 1)
        #expect(s.configuration.workload.basicFactsQueryShare == 0.5)
        #expect(s.configuration.workload.codeQueryShare == 0.25)
        #expect(s.configuration.bulkAssignmentAt.map { $0 == 66_600_000_000 } == true)
        #expect(s.configuration.bulkBatchSize == 500)
        #expect(s.thresholds.count == 3)
        let x = s.configuration.informationSharing
        #expect(x.requestsPerResidentYear == 2 && x.itemRates[ProvisionItem(5)] == 30 && x.offListShare == 0.01)
        #expect(x.reviewClerks == 3 && x.reviewTime.minimum == 240_000_000 && x.reviewTime.meanExtra == 60_000_000)
        #expect(x.requestsOn)
        #expect(
            try Scenario.parse("name: y\ninformationSharing: off\n").configuration.informationSharing.requestsOn
                == false)
        // Counter support: on by default, `off` or a mapping.
        #expect(try Scenario.parse("name: y\n").configuration.service.counterSupport.enabled)
        #expect(
            try Scenario.parse("name: y\ncounters:\n  support: off\n").configuration.service.counterSupport.enabled
                == false)
        let support = try Scenario.parse(
            "name: y\ncounters:\n  support: {enabled: true, deskSaving: 0.4, ocrFailureShare: 0.1, manualFallback: 2m, "
                + "ocrTime: 10s}\n"
        ).configuration.service.counterSupport
        #expect(support.enabled && support.deskSaving == 0.4 && support.ocrFailureShare == 0.1)
        #expect(support.manualFallback == 120_000_000 && support.ocrTime == 10_000_000)
        // Contract staff: 本庁's by default, following the clerks a scenario sets; set per counter or for all.
        let main = { (c: NetworkConfiguration) in c.counters.first { $0.name == "市民窓口センター" }?.contractors }
        #expect(main(try Scenario.parse("name: y\n").configuration) == 12)
        #expect(main(try Scenario.parse("name: y\ncounters:\n  clerks: {市民窓口センター: 5}\n").configuration) == 4)
        let staffed = try Scenario.parse(
            "name: y\ncounters:\n  contractors: {\"*\": 1, 市民窓口センター: 3}\n  contractorDeskFactor: 1.2\n"
        ).configuration
        #expect(main(staffed) == 3 && staffed.counters.allSatisfy { $0.contractors >= 1 })
        #expect(staffed.service.contractorDeskFactor == 1.2)
    }

    @Test(
        "refuses bad files with file:line:column, the key path and the rule",
        arguments: [
            ("name: x\nseeed: 3\n", ScenarioError.Code.unknownKey, 2, "seeed", "did you mean 'seed'?"),
            (
                "name: x\nworkload:\n  perDay: {certficate: 10}\n", .unknownKey, 3, "workload.perDay.certficate",
                "did you mean 'certificate'?"
            ),
            ("name: x\nseed: -4\n", .type, 2, "seed", "whole number"),
            ("name: x\nduration: 10 minutes\n", .duration, 2, "duration", "unit"),
            ("name: x\nduration: 10m\n", .range, 2, "duration", "between"),
            // A year (leap years included) is the longest run.
            ("name: x\nduration: 367d\n", .range, 2, "duration", "between"),
            ("name: x\nworkload:\n  specialMoveInShare: 1.5\n", .range, 3, "workload.specialMoveInShare", "0.0 to 1.0"),
            (
                "name: x\nworkload:\n  jlisQuery: {basicFactsShare: 0.8, codeShare: 0.3}\n", .range, 3,
                "workload.jlisQuery", "at most 1"
            ),
            ("seed: 3\n", .missingKey, 1, "", "'name' is required"),
            ("name: x\nclock: wall\n", .missingKey, 1, "", "needs a 'load' mapping"),
            ("name: x\nload: {rate: 10, duration: 1s}\n", .value, 2, "load", "add 'clock: wall'"),
            ("name: x\nclock: wall\nload: {duration: 1s}\n", .missingKey, 3, "load", "'rate'"),
            ("name: x\nclock: wall\nload: {rate: 10}\n", .missingKey, 3, "load", "'duration' or 'stages'"),
            ("name: x\nfaults: [outage]\n", .type, 2, "faults", "mapping"),
            (
                "name: x\nfaults:\n  scheduled:\n    - {kind: meltdown, node: municipalCS, at: \"10:00\", duration: 5m}\n",
                .value, 4, "faults.scheduled", "unknown fault kind 'meltdown'"
            ),
            (
                "name: x\nfaults:\n  scheduled:\n    - {kind: outage, link: csToCS, at: \"10:00\", duration: 5m}\n",
                .missingKey, 4, "faults.scheduled", "needs 'node'"
            ),
            (
                "name: x\nfaults:\n  scheduled:\n    - {kind: loss, link: csToCS, at: \"10:00\", duration: 5m}\n",
                .missingKey, 4, "faults.scheduled", "needs 'rate'"
            ),
            (
                "name: x\nfaults:\n  scheduled:\n    - {kind: outage, node: mars, at: \"10:00\", duration: 5m}\n",
                .value, 4, "faults.scheduled", "unknown node 'mars'"
            ),
            (
                "name: x\nfaults:\n  scheduled:\n    - {kind: partition, link: portal, at: \"10:00\", duration: 5m}\n",
                .value, 4, "faults.scheduled", "unknown link 'portal'"
            ),
            (
                "name: x\nfaults:\n  scheduled:\n    - {kind: outage, node: nationalServer, at: \"10:00\", duration: 5m, rate: 0.5}\n",
                .value, 4, "faults.scheduled", "'rate' does not apply"
            ),
            (
                "name: x\nfaults:\n  scheduled:\n    - {kind: loss, link: csToCS, at: \"10:00\", duration: 5m, rate: 2}\n",
                .range, 4, "faults.scheduled", "0.0 to 1.0"
            ),
            ("name: x\nfaults:\n  random: {from: \"09:00\"}\n", .missingKey, 3, "faults.random", "'count'"),
            (
                "name: x\nfaults:\n  random: {count: 5, from: \"12:00\", until: \"09:00\"}\n", .range, 3,
                "faults.random", "later than"
            ),
            ("name: x\npopulation:\n  municipality: \"142052\"\n", .value, 3, "population.municipality", "check digit"),
            ("name: x\nstart: 2026-02-30\n", .value, 2, "start", "YYYY-MM-DD"),
            (
                "name: x\nthresholds:\n  journeys.certificate.latency: [\"p(95)45m\"]\n", .value, 3, "thresholds",
                "comparison"
            ),
            (
                "name: x\nthresholds:\n  journeys.nothing.latency: [\"p(95)<45m\"]\n", .unknownKey, 3, "thresholds",
                "unknown metric"
            ),
            (
                "name: x\nworkload:\n  personsPerNotice:\n    moves: [0.5, 0.2]\n", .value, 4,
                "workload.personsPerNotice.moves", "add up to 1"
            ),
            (
                "name: x\nworkload:\n  personsPerNotice:\n    moves: []\n", .value, 4,
                "workload.personsPerNotice.moves", "1 to 20 shares"
            ),
            (
                "name: x\nworkload:\n  personsPerNotice:\n    households: [1]\n", .unknownKey, 4,
                "workload.personsPerNotice", "households"
            ),
            (
                "name: x\ncounters:\n  perExtraPerson:\n    moveIn: {minimum: -1m}\n", .duration, 4,
                "counters.perExtraPerson.moveIn.minimum", "unit"
            ),
            (
                "name: x\nbatches:\n  exOfficio: {removalsPerDay: -1}\n", .range, 3,
                "batches.exOfficio.removalsPerDay", "0.0 to 10000.0"
            ),
            (
                "name: x\nbatches:\n  exOfficio: {daily: 3}\n", .unknownKey, 3, "batches.exOfficio", "daily"
            ),
            (
                "name: x\nworkload:\n  oneStop: {cancellationShare: 0.5, outsideWindowShare: 0.5}\n", .range, 3,
                "workload.oneStop", "at most 0.9"
            ),
            (
                "name: x\nworkload:\n  oneStop: {leadDays: 90}\n", .range, 3, "workload.oneStop.leadDays",
                "0.0 to 60.0"
            ),
            (
                "name: x\nworkload:\n  oneStop: {cancelShare: 0.1}\n", .unknownKey, 3, "workload.oneStop",
                "cancelShare"
            ),
            (
                "name: x\ninformationSharing:\n  items: {\"4\": 10}\n", .value, 3, "informationSharing.items",
                "no row of the permission list"
            ),
            (
                "name: x\ninformationSharing:\n  reviewShare: 2\n", .range, 3, "informationSharing.reviewShare",
                "0.0 to 1.0"
            ),
            (
                "name: x\ninformationSharing:\n  reviewClerks: 0\n", .range, 3, "informationSharing.reviewClerks",
                "1 to 1000"
            ),
            (
                "name: x\ninformationSharing:\n  clerks: 3\n", .unknownKey, 3, "informationSharing", "clerks"
            ),
            (
                "name: x\ncounters:\n  support: {deskSaving: 1.5}\n", .range, 3, "counters.support.deskSaving",
                "0.0 to 1.0"
            ),
            ("name: x\ncounters:\n  support: {ocr: 0.1}\n", .unknownKey, 3, "counters.support", "ocr"),
            ("name: x\ncounters:\n  support: sometimes\n", .type, 3, "counters.support", "mapping"),
            (
                "name: x\nfaults:\n  scheduled:\n    - {kind: slowdown, node: counterSupport, at: \"10:00\", duration: 5m, factor: 2}\n",
                .value, 4, "faults.scheduled", "outage only"
            ),
            (
                "name: x\ncounters:\n  clerks: {\"*\": 2}\n  contractors: {\"*\": 2}\n", .range, 4,
                "counters.contractors", "at most 1"
            ),
            (
                "name: x\ncounters:\n  contractors: {本庁: 1}\n", .unknownKey, 3, "counters.contractors",
                "unknown counter"
            ),
            (
                "name: x\npopulation:\n  others: {prefectures: [13, 48]}\n", .range, 3,
                "population.others.prefectures", "1 to 47"
            ),
            (
                "name: x\npopulation:\n  others: {scale: 0}\n", .range, 3, "population.others.scale",
                "above 0"
            ),
            (
                "name: x\npopulation:\n  others: {residents: 500, scale: 0.1}\n", .value, 3,
                "population.others.residents", "drop 'residents'"
            ),
            (
                "name: x\npopulation:\n  others: {prefectures: some}\n", .type, 3,
                "population.others.prefectures", "'all' or a list"
            ),
            ("name: x\n  bad: [\n", .syntax, 2, "", "YAML syntax"),
            ("name: has spaces\n", .value, 1, "name", "letters"),
        ])
    func refusals(text: String, code: ScenarioError.Code, line: Int, path: String, message: String) {
        let error = #expect(throws: ScenarioError.self) { try Scenario.parse(text, file: "bad.yaml") }
        #expect(error?.code == code)
        #expect(error?.line == line)
        #expect(error?.path.hasPrefix(path) == true, "path was \(error?.path ?? "nil")")
        #expect(error?.description.contains(message) == true, "message was \(error?.description ?? "nil")")
        #expect(error?.description.hasPrefix("bad.yaml:\(line):") == true)
    }

    @Test("refuses binary and missing files")
    func files() throws {
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("binary-\(UUID().uuidString).yaml")
        try Data([0, 1, 2, 255, 254]).write(to: binary)
        defer { try? FileManager.default.removeItem(at: binary) }
        #expect((#expect(throws: ScenarioError.self) { try Scenario.load(path: binary.path) })?.code == .file)
        #expect((#expect(throws: ScenarioError.self) { try Scenario.load(path: "/nonexistent.yaml") })?.code == .file)
    }
}

@Suite("Threshold grammar")
struct ThresholdGrammarTests {
    @Test(
        "parses k6-style expressions",
        arguments: [
            ("p(95)<45m", 45 * 60_000_000.0, true), ("p(99.9) <= 500ms", 500_000, true), ("avg<10s", 10_000_000, true),
            ("max<2h", 7_200_000_000, true), ("count==0", 0, false), ("rate<0.05", 0.05, false),
        ])
    func parses(expression: String, bound: Double, duration: Bool) throws {
        let t = try Threshold.parse(expression, metric: "journeys.certificate.latency").get()
        #expect(t.bound == bound)
        #expect(t.boundIsDuration == duration)
    }

    @Test(
        "refuses what is not the grammar",
        arguments: ["p(95)45m", "p(0)<1s", "p(101)<1s", "median<1s", "p(95)<soon", "count", "p(95)<1e300s"])
    func refuses(expression: String) {
        guard case .failure = Threshold.parse(expression, metric: "m") else {
            Issue.record("'\(expression)' parsed")
            return
        }
    }

    @Test("compares as written")
    func compares() throws {
        let t = try Threshold.parse("count==0", metric: "m").get()
        #expect(t.passes(0) && !t.passes(1))
        let u = try Threshold.parse("p(95)<45m", metric: "m").get()
        #expect(u.passes(44 * 60_000_000) && !u.passes(45 * 60_000_000))
    }
}

@Suite("Running scenarios")
struct RunTests {
    static let smoke = """
        name: smoke-test
        seed: 7
        population:
          residents: 3000
          others: {residents: 200}
        workload:
          followPopulation: false
          scale: 0.2
        thresholds:
          invariants.lostUpdates: ["count==0"]
          journeys.certificate.latency: ["p(95)<4h"]
        """

    @Test("two runs with the same seed write the same summary.json apart from wall")
    func deterministicSummary() async throws {
        let scenario = try Scenario.parse(Self.smoke)
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let a = try await ScenarioRunner.run(scenario, directory: base.appendingPathComponent("a").path)
        let b = try await ScenarioRunner.run(scenario, directory: base.appendingPathComponent("b").path)
        #expect(a.thresholds.allSatisfy { $0.ok })
        func load(_ dir: String) throws -> NSDictionary {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/summary.json"))
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            return object.filter { $0.key != "wall" } as NSDictionary
        }
        let sa = try load(a.directory)
        let sb = try load(b.directory)
        #expect(sa == sb)
        for key in [
            "schemaVersion", "scenario", "seed", "clock", "simulated", "journeys", "counters", "nodes", "invariants",
            "thresholds",
        ] {
            #expect(sa[key] != nil, "summary.json lacks \(key)")
        }
        let csv = try String(contentsOfFile: a.directory + "/latency.csv", encoding: .utf8)
        #expect(csv.hasPrefix("flow,hop,count,meanSeconds"))
        let md = try String(contentsOfFile: a.directory + "/report.md", encoding: .utf8)
        #expect(md.contains("## Journeys") && md.contains("住民票の写し等の交付"))
        let html = try String(contentsOfFile: a.directory + "/report.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 7)
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href="))
        #expect(html.contains("minutes") && html.contains("窓口") && html.contains("Erlang C"))
    }

    @Test("a threshold that cannot hold fails, with its measured value")
    func failing() async throws {
        let scenario = try Scenario.parse(Self.smoke + "\n  journeys.certificate.completed: [\"count>1000000\"]")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = try await ScenarioRunner.run(scenario, directory: dir)
        let failed = outcome.thresholds.filter { !$0.ok }
        #expect(failed.count == 1)
        #expect((failed.first?.value ?? 0) > 0)
    }
}

@Suite("Comparing summaries")
struct ComparisonTests {
    static func latency(p50: Double, p95: Double, max: Double) -> String {
        "{\"count\": 10, \"mean\": \(p50), \"p50\": \(p50), \"p90\": \(p50), \"p95\": \(p95), \"p99\": \(max), "
            + "\"p999\": \(max), \"max\": \(max)}"
    }

    static func summary(p95: Double, eps: Double) throws -> Summary {
        let json = """
            {"schemaVersion": \(Summary.currentSchemaVersion), "kind": "run", "scenario": "s", "seed": 1,
             "clock": "virtual",
             "journeys": {"certificate": {"started": 10, "completed": 10, "persons": 10, "failed": {}, "hops": {},
                          "latencySeconds": \(latency(p50: 100, p95: p95, max: 900))}},
             "counters": {"c": {"clerks": 1, "served": 10, "utilization": 0.5, "maxQueue": 2, "overtimeSeconds": 0,
                                "servedAfterHours": 0, "sentHome": 0, "secondChecks": 0, "secondCheckSeconds": 0,
                                "waitSeconds": \(latency(p50: 5, p95: 10, max: 20))}},
             "wall": {"seconds": 1, "eventsPerSecond": \(eps)}}
            """
        return try Summary.decode(Data(json.utf8), path: "test.json")
    }

    static func options(_ budget: Double, _ throughput: Double, gateWall: Bool = false) -> ComparisonOptions {
        ComparisonOptions(budget: budget, throughputBudget: throughput, gateWall: gateWall)
    }

    @Test("identical runs have no worse metric; a latency over budget is worse; throughput has its own budget")
    func budgets() throws {
        let base = try Self.summary(p95: 600, eps: 1000)
        #expect(SummaryComparison.compare(base: base, new: base, Self.options(0, 0)).passed)
        let slower = SummaryComparison.compare(
            base: base, new: try Self.summary(p95: 660, eps: 1000), Self.options(0.05, 0.05))
        #expect(slower.failures.map(\.name) == ["journeys.certificate.latencySeconds.p95"])
        let within = SummaryComparison.compare(
            base: base, new: try Self.summary(p95: 620, eps: 1000), Self.options(0.05, 0.05))
        #expect(within.passed && within.count(.worseWithinBudget) == 1)
        let fewer = SummaryComparison.compare(
            base: base, new: try Self.summary(p95: 600, eps: 800), Self.options(0, 0.1, gateWall: true))
        #expect(fewer.failures.map(\.name) == ["wall.eventsPerSecond"])
        let faster = SummaryComparison.compare(
            base: base, new: try Self.summary(p95: 500, eps: 2000), Self.options(0, 0))
        #expect(faster.passed && faster.count(.better) == 2)
        #expect(SummaryComparison.table(slower, markdown: true).contains("| journeys.certificate.latencySeconds.p95 |"))
    }

    @Test("wall-clock throughput is reported but gates only with gateWall")
    func wallClockDoesNotGate() throws {
        let base = try Self.summary(p95: 600, eps: 1000)
        let noisy = SummaryComparison.compare(
            base: base, new: try Self.summary(p95: 600, eps: 500), Self.options(0, 0))
        #expect(noisy.passed && noisy.count(.worse) == 1)
        let text = SummaryComparison.table(noisy, markdown: false)
        #expect(text.contains("worse (wall clock, not gated)") && text.contains("0 failed (0 worse than the budget"))
        #expect(text.contains("not gated (--gate-wall): 1 worse than the budget"))
        #expect(
            !SummaryComparison.compare(
                base: base, new: try Self.summary(p95: 600, eps: 500), Self.options(0, 0, gateWall: true)
            ).passed)
    }

    @Test("a metric of the base missing from the new run fails, named; one only in the new run does not")
    func missingMetrics() throws {
        let base = try Self.summary(p95: 600, eps: 1000)
        var new = base
        new.journeys = [:]
        let counter = new.counters?["c"]
        new.counters?["c2"] = counter
        let result = SummaryComparison.compare(base: base, new: new, Self.options(1, 1))
        #expect(!result.passed)
        #expect(result.failures.count == 7 && result.failures.allSatisfy { $0.verdict == .missing })
        #expect(result.failures.allSatisfy { $0.name.hasPrefix("journeys.certificate.latencySeconds.") })
        #expect(result.count(.added) == 7)
        let text = SummaryComparison.table(result, markdown: false)
        #expect(text.contains("MISSING") && text.contains("7 missing from the new run"))
        // Failures come first.
        #expect(result.rows.prefix(7).allSatisfy { $0.fails })
    }

    @Test("summaries of different scenarios, kinds or clocks are not comparable")
    func mismatches() throws {
        let base = try Self.summary(p95: 600, eps: 1000)
        #expect(SummaryComparison.mismatch(base: base, new: base) == nil)
        var other = base
        other.scenario = "other"
        #expect(SummaryComparison.mismatch(base: base, new: other)?.contains("scenario 's' ≠ 'other'") == true)
        var sweep = base
        sweep.kind = .sweep
        #expect(SummaryComparison.mismatch(base: base, new: sweep)?.contains("kind run ≠ sweep") == true)
        var wall = base
        wall.clock = .wall
        #expect(SummaryComparison.mismatch(base: base, new: wall)?.contains("clock virtual ≠ wall") == true)
    }

    @Test("the table shows what changed, worst first; all rows with all")
    func tableRows() throws {
        let base = try Self.summary(p95: 600, eps: 1000)
        var new = try Self.summary(p95: 900, eps: 1000)
        new.journeys?["certificate"]?.latencySeconds.p50 = 90
        new.journeys?["certificate"]?.latencySeconds.max = 950
        let result = SummaryComparison.compare(base: base, new: new, Self.options(0, 0))
        let lines = SummaryComparison.table(result, markdown: false).split(separator: "\n")
        // Header, p95 (+50 %), max (+5.6 %), p50 (−10 %: better), blank line skipped by split, totals.
        #expect(lines.count == 5, "\(lines)")
        #expect(lines[1].hasPrefix("journeys.certificate.latencySeconds.p95"))
        #expect(lines[2].hasPrefix("journeys.certificate.latencySeconds.max"))
        #expect(lines[3].hasPrefix("journeys.certificate.latencySeconds.p50"))
        #expect(lines[4].contains("2 failed") && lines[4].contains("not shown (--all)"))
        let all = SummaryComparison.table(result, markdown: false, all: true).split(separator: "\n")
        #expect(all.count == result.rows.count + 2)
    }
}

@Suite("Scenario flows come from the flow table")
struct ScenarioFlowTableTests {
    @Test("a batch flow has no counter rate or desk time: refused with the counter flows listed")
    func batchFlowRefused() {
        for yaml in [
            "name: x\nworkload:\n  perDay:\n    bulkNumberAssignment: 3\n",
            "name: x\ncounters:\n  desk:\n    consistencyCheck:\n      minimum: 1m\n",
        ] {
            #expect {
                _ = try Scenario.parse(yaml, file: "x.yaml")
            } throws: { error in
                let text = "\(error)"
                return text.contains("batch job") && text.contains("counter flows: certificate")
            }
        }
    }
}

@Suite("The editors' schema follows the flow table")
struct ScenarioSchemaFlowTests {
    @Test("counters.desk names every counter flow and workload.perDay every one with a rate of its own")
    func schemaFlows() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios/scenario.schema.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        func keys(_ path: [String]) -> Set<String> {
            var node: Any? = schema
            for p in path { node = (node as? [String: Any])?[p] }
            return Set(((node as? [String: Any]) ?? [:]).keys)
        }
        let counter = Set(Flow.counterFlows.map(\.descriptor.name))
        #expect(keys(["properties", "counters", "properties", "desk", "properties"]) == counter)
        let rated = counter.subtracting(Workload.derivedRates.map(\.descriptor.name))
        #expect(keys(["properties", "workload", "properties", "perDay", "properties"]) == rated)
    }
}

@Suite("Scenarios/README.md agrees with the parser")
struct ScenarioDocumentationTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios/README.md")

    @Test("every YAML snippet in Scenarios/README.md validates")
    func snippets() throws {
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        let blocks = text.components(separatedBy: "```yaml\n").dropFirst().map {
            $0.components(separatedBy: "```").first ?? ""
        }
        #expect(blocks.count >= 4)
        for (i, block) in blocks.enumerated() {
            if block.hasPrefix("suite:") {
                // A suite names files beside it: read it from the Scenarios folder, where they are.
                let file = Self.readme.deletingLastPathComponent().appendingPathComponent(".readme-suite-\(i).yaml")
                    .path
                try block.write(toFile: file, atomically: true, encoding: .utf8)
                defer { try? FileManager.default.removeItem(atPath: file) }
                #expect(throws: Never.self, "snippet \(i):\n\(block)") { _ = try ScenarioSuite.load(path: file) }
                continue
            }
            let yaml = block.contains("name:") ? block : "name: snippet\(i)\n" + block
            #expect(throws: Never.self, "snippet \(i):\n\(block)") { _ = try Scenario.parse(yaml) }
        }
    }

    @Test("the counters table lists every counter with its default clerks")
    func countersTable() throws {
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        for counter in NetworkConfiguration().counters {
            #expect(text.contains("| \(counter.name) | \(counter.clerks) |"), "\(counter.name) is not in the table")
        }
    }

    @Test("the consistency check runs yearly and on demand, and is switched off as the docs say, both ways")
    func consistencyCheckSchedule() throws {
        for yaml in ["batches: {consistencyCheck: off}", "batches: {consistencyCheck: {at: off}}"] {
            let s = try Scenario.parse("name: x\n" + yaml + "\n")
            #expect(s.configuration.consistencyCheck.times(from: s.configuration.date, days: 400).isEmpty, "\(yaml)")
        }
        let hour: Int64 = 3_600_000_000
        // Not every night: a day run on the default date (2 March) has none; a year has one, on 1 November.
        let typical = try Scenario.parse("name: x\n")
        #expect(typical.configuration.consistencyCheck.times(from: typical.configuration.date, days: 1).isEmpty)
        let year = typical.configuration.consistencyCheck.times(
            from: CivilDate(year: 2026, month: 1, day: 1), days: 365)
        #expect(year == [SimulatedTime(date: CivilDate(year: 2026, month: 11, day: 1)).microseconds + 20 * hour])
        let moved = try Scenario.parse(
            "name: x\nbatches: {consistencyCheck: {yearly: \"03-02\", onDemand: [2026-03-04], at: \"21:00\"}}\n")
        let times = moved.configuration.consistencyCheck.times(from: CivilDate(year: 2026, month: 3, day: 1), days: 7)
        #expect(
            times
                == [2, 4].map { SimulatedTime(date: CivilDate(year: 2026, month: 3, day: $0)).microseconds + 21 * hour }
        )
        for bad in ["{yearly: \"13-01\"}", "{yearly: \"02-30\"}", "{yearly: \"3-2\"}", "{onDemand: [2026-02-30]}"] {
            #expect(throws: ScenarioError.self, "\(bad)") {
                try Scenario.parse("name: x\nbatches: {consistencyCheck: \(bad)}\n")
            }
        }
    }

    @Test("thresholds on an unknown counter or with a statistic the metric does not keep are refused by validate")
    func thresholdValidation() {
        func error(_ thresholds: String) -> String? {
            do {
                _ = try Scenario.parse("name: x\nthresholds:\n" + thresholds + "\n")
                return nil
            } catch {
                return error.description
            }
        }
        let counter = error("  counters.Honcho.wait: [\"p(95)<1h\"]")
        #expect(counter?.contains("unknown counter 'Honcho'") == true)
        #expect(counter?.contains("市民窓口センター") == true && counter?.contains("六会市民センター石川分館") == true)
        let rate = error("  journeys.certificate.latency: [\"rate<0.1\"]")
        #expect(rate?.contains("'rate' does not apply") == true)
        #expect(error("  invariants.lostUpdates: [\"p(95)<1\"]")?.contains("'p(N)' does not apply") == true)
        #expect(error("  canary.wait: [\"p(95)<1m\"]")?.contains("use avg") == true)
        #expect(error("  counters.*.wait: [\"p(95)<1h\"]\n  counters.鵠沼市民センター.utilization: [\"value<0.9\"]") == nil)
        #expect(error("  journeys.certificate.failed: [\"rate<0.05\"]") == nil)
    }

    @Test("an unknown counter in counters.clerks lists the counters")
    func unknownClerksCounter() {
        do {
            _ = try Scenario.parse("name: x\ncounters:\n  clerks:\n    Kugenuma: 3\n")
            Issue.record("an unknown counter was accepted")
        } catch {
            #expect(error.description.contains("unknown counter 'Kugenuma'"))
            #expect(error.description.contains("counters: 市民窓口センター, 片瀬市民センター"))
        }
    }
}

@Suite("The workload and counters follow the population")
struct PopulationScalingTests {
    @Test(
        "rates per resident: a tenth of the residents has a tenth of the journeys; followPopulation: false keeps Fujisawa's"
    )
    func ratesFollowResidents() throws {
        let full = try Scenario.parse("name: x\n").configuration.workload
        let tenth = try Scenario.parse("name: x\npopulation: {residents: 44528}\n").configuration.workload
        for flow in Flow.counterFlows where (full.perDay[flow] ?? 0) > 0 {
            let ratio = (tenth.perDay[flow] ?? 0) / (full.perDay[flow] ?? 1)
            #expect(abs(ratio - 44_528.0 / 445_283) < 1e-9, "\(flow)")
        }
        #expect(abs(tenth.onlineMoveOutsPerDay / full.onlineMoveOutsPerDay - 44_528.0 / 445_283) < 1e-9)
        let fixed = try Scenario.parse(
            "name: x\npopulation: {residents: 5000}\nworkload: {followPopulation: false}\n"
        ).configuration.workload
        #expect(fixed.perDay == full.perDay)
        // An explicit rate is absolute: it does not follow the population.
        let explicit = try Scenario.parse(
            "name: x\npopulation: {residents: 5000}\nworkload: {perDay: {certificate: 100}}\n"
        ).configuration.workload
        #expect(explicit.perDay[.certificate] == 100)
    }

    @Test("another municipality gets counters by Fujisawa's ratios, and its towns all have one")
    func derivedCounters() throws {
        // Sapporo at 50,000 residents → 1 counter; at its own 1,954,588 (the default): 12 (one per town).
        let light = try Scenario.parse(
            "name: x\npopulation: {municipality: \"011002\", residents: 50000}\n"
        ).configuration
        #expect(light.counters.count == 1 && light.counters[0].name == "本庁")
        #expect(light.counters[0].clerks == 6)
        let sapporo = try Scenario.parse("name: x\npopulation: {municipality: \"011002\"}\n").configuration
        #expect(sapporo.counters.count == 12)
        #expect(sapporo.counters.reduce(0) { $0 + $1.clerks } == (1_954_588 + 3_906) / 7_812)
        let big = try Scenario.parse(
            "name: x\npopulation: {municipality: \"011002\", residents: 1960000}\n"
        ).configuration
        #expect(big.counters.count == 12)
        #expect(big.counters.reduce(0) { $0 + $1.clerks } == 1_960_000 / 7_812 + (1_960_000 % 7_812 >= 3_906 ? 1 : 0))
        let towns = big.counters.flatMap(\.towns)
        #expect(towns.count == 12 && Set(towns).count == 12)
        let mid = CounterConfiguration.derived(residents: 200_000, towns: ["a", "b", "c", "d", "e", "f", "g"])
        #expect(mid.count == 6 && mid.flatMap(\.towns).count == 7 && mid.allSatisfy { $0.clerks >= 1 })
        // Fujisawa keeps its own 13 counters whatever its population.
        let small = try Scenario.parse("name: x\npopulation: {residents: 5000}\n").configuration
        #expect(small.counters == NetworkConfiguration().counters)
    }
}

@Suite("Utilisation, overtime and the closing policy")
struct ClosingPolicyRunTests {
    static func run(_ closing: String) async throws -> Summary {
        let scenario = try Scenario.parse(
            """
            name: overloaded
            seed: 3
            population: {residents: 3000, others: {residents: 200}}
            workload: {followPopulation: false, scale: 0.5}
            counters: {clerks: {"*": 1}, closing: \(closing)}
            """)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try await ScenarioRunner.run(scenario, directory: dir)
        return try Summary.read(dir + "/summary.json")
    }

    @Test("an overloaded day: utilisation stays within 0–1, the rest is overtime; sendHome sends the queue home")
    func overloaded() async throws {
        let served = try await Self.run("serveQueue")
        let counters = try #require(served.counters)
        #expect(counters.values.allSatisfy { (0...1).contains($0.utilization) })
        #expect(counters.values.contains { $0.utilization > 0.9 })
        #expect(counters.values.reduce(0) { $0 + $1.overtimeSeconds } > 3_600)
        #expect(counters.values.reduce(0) { $0 + $1.servedAfterHours } > 0)
        #expect(counters.values.allSatisfy { $0.sentHome == 0 })
        let home = try await Self.run("sendHome")
        let homeCounters = try #require(home.counters)
        let sent = homeCounters.values.reduce(0) { $0 + $1.sentHome }
        let failed = (home.journeys ?? [:]).values.reduce(0) { $0 + ($1.failed["counterClosed"] ?? 0) }
        #expect(sent > 0 && failed == sent)
        #expect(homeCounters.values.allSatisfy { $0.servedAfterHours == 0 })
        #expect(
            homeCounters.values.reduce(0) { $0 + $1.overtimeSeconds }
                < counters.values.reduce(0) { $0 + $1.overtimeSeconds })
        #expect(home.invariants?.hold == true)
    }
}

@Suite("A home municipality among the light ones")
struct HomeAmongOthersTests {
    @Test("is modelled once, as the home: 77 light municipalities, and the consistency check reconciles")
    func sapporoHome() async throws {
        let scenario = try Scenario.parse(
            """
            name: sapporo
            population: {municipality: "011002", residents: 2000, others: {residents: 50}}
            workload: {followPopulation: false, scale: 0.05}
            batches: {consistencyCheck: {onDemand: [2026-03-02]}}
            """)
        let simulation = try await NetworkSimulation(scenario.configuration)
        #expect(simulation.layout.others.count == scenario.configuration.otherMunicipalities.count - 1)
        await simulation.run(until: .endOfDay)
        let report = await simulation.report()
        #expect(report.invariants.holds && report.invariants.duplicateResidentCodes == 0, "\(report.invariants)")
        #expect(report.consistency.map { $0.prefectureRemaining + $0.nationalRemaining } == 0)
    }
}

@Suite("Duplicate keys")
struct DuplicateKeyTests {
    @Test(
        "the second key's line, whatever the line breaks; never a trap",
        arguments: ["\n", "\r", "\r\n"])
    func lineBreaks(newline: String) {
        let text = ["name: x", "seed: 1", "seed: 2", ""].joined(separator: newline)
        do {
            _ = try Scenario.parse(text)
            Issue.record("a duplicate key was accepted")
        } catch {
            #expect(error.line == 3 && error.column == 1, "\(error)")
        }
    }

    @Test("flow mappings and keys at the very end report a place inside the text")
    func edges() {
        for text in [
            "{name: x, name: y}", "name: x\nfaults: {storeAndForward: true, storeAndForward: false}", "a: 1\na: 2",
        ] {
            do {
                _ = try Scenario.parse(text)
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.line >= 0 && error.message.contains("appears twice"), "\(error)")
            }
        }
    }
}

@Suite("Keys that are not plain words")
struct ComplexKeyTests {
    @Test("explicit keys and deeply nested collections are refused before Yams sees them")
    func refused() {
        let nested = "name: x\nd:\n" + String(repeating: "  ? - ? - - ?\n", count: 40)
        let deep = "name: x\nd: " + String(repeating: "[", count: 20) + String(repeating: "]", count: 20) + "\n"
        for (text, message) in [
            (nested, "explicit keys"), ("? name\n: x\n", "explicit keys"), (deep, "nested more than 16 deep"),
        ] {
            do {
                _ = try Scenario.parse(text)
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.message.contains(message), "\(error)")
            }
        }
        // A question mark inside a value, a quoted string or a comment is fine.
        #expect(throws: Never.self) {
            _ = try Scenario.parse("name: x # ? a comment\ndescription: \"? why\"\n")
        }
    }
}
