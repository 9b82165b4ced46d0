import Foundation
import Testing

/// `jukisim plan` from the command line: its exit codes, the flags' rules and the files it writes.
@Suite("jukisim plan")
struct PlanCommandTests {
    static let small = """
        name: cli-plan
        population: {residents: 2000, others: {residents: 100}}
        workload: {followPopulation: false, scale: 0.1}
        """

    func scenario(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("bad targets and flags exit 2 naming the flag and the rule")
    func usage() throws {
        let file = try scenario(Self.small)
        let shifts = try scenario("shifts: [{name: day, start: '17:00', end: '08:30'}]")
        let cases: [([String], String)] = [
            (["plan", file, "--target", "counters.*.wait p(90)<20m", "--shifts", shifts], "shifts[0].end"),
            (["plan", file], "--target"),
            (["plan", file, "--target", "counters.*.wait p(90)>20m"], "upper bound"),
            (["plan", file, "--target", "counters.鵠沼.wait p(90)<20m"], "unknown counter"),
            (["plan", file, "--target", "servers.cs.wait p(99)<5ms"], "unknown server"),
            (["plan", file, "--target", "servers.*.wait p(99)<5ms", "--server-hours", "night"], "--server-hours"),
            (["plan", file, "--target", "counters.*.wait p(90)<20m", "--tuning", "0"], "--tuning"),
            (["plan", file, "--target", "counters.*.wait p(90)<20m", "--interval", "5m"], "--interval"),
            (["plan", file, "--target", "counters.*.wait p(90)<20m", "--reliability", "2"], "--reliability"),
        ]
        for (arguments, rule) in cases {
            let r = try jukisim(arguments)
            #expect(r.status == 2, "\(arguments)")
            #expect(r.err.contains(rule), "\(arguments): \(r.err)")
        }
    }

    @Test("a plan writes its files and a scenario that validates; exit 0 or 1 by the verification")
    func writes() throws {
        let file = try scenario(Self.small)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("jk-plan-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try jukisim([
            "plan", file, "--target", "counters.*.wait p(90)<30m", "--interval", "3h", "--tuning", "2",
            "--verification", "2", "--output", out, "--quiet",
        ])
        #expect(r.status == 0 || r.status == 1, "\(r.err)")
        #expect(r.out.contains("cli-plan: plan for counters.*.wait p(90)<30m in 3h intervals"))
        for name in ["plan.md", "plan.csv", "plan.html", "plan.json", "cli-plan-plan.yaml"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + name), "\(name)")
        }
        #expect(try jukisim(["validate", out + "/cli-plan-plan.yaml"]).status == 0)
    }
}
