import Foundation
import JukiCore
import Yams

/// A worker-pool plan's outputs: the terminal lines, plan.md, plan.json and a scenario file with the plan's
/// workers under `network.servers`.
public enum PoolPlanReport {
    /// Writes plan.md, plan.json and `<name>-plan.yaml` into `directory`.
    public static func write(_ r: PoolPlanResult, source: String?, file: String, directory: String)
        throws(ScenarioError)
    {
        let yaml = try scenarioFile(r, source: source, file: file)
        try ScenarioRunner.write(directory: directory) {
            try markdown(r).write(toFile: directory + "/plan.md", atomically: true, encoding: .utf8)
            try json(r).write(to: URL(fileURLWithPath: directory + "/plan.json"))
            try yaml.write(toFile: directory + "/\(r.scenario)-plan.yaml", atomically: true, encoding: .utf8)
        }
    }

    /// A wait in milliseconds, as the servers' waits are read.
    static func ms(_ us: Int64) -> String { String(format: "%.2f", Double(us) / 1e3) }

    /// The headline: the plan against today's workers and Erlang C's, and the verification.
    public static func headline(_ r: PoolPlanResult) -> [String] {
        let met = r.verification.met(r.covered, r.target)
        let n = max(r.verificationSeeds.count, 1)
        func total(_ w: [Int]) -> Int { r.covered.reduce(0) { $0 + w[$1] } }
        return [
            "\(r.scenario): worker-pool plan for \(r.target) over \(r.covered.count) server"
                + (r.covered.count == 1 ? "" : "s")
                + (r.hours == .office ? ", requests that arrived in office hours" : ", every request"),
            "plan: \(total(r.plan)) workers (today's \(total(r.current)), Erlang C on the day's mean load "
                + "\(total(r.erlang)))",
            "verification on \(r.verificationSeeds.count) fresh seeds: every server met the target in \(met) of "
                + "\(r.verificationSeeds.count) replications"
                + String(format: " (%.0f %%)", 100 * Double(met) / Double(n)),
            String(
                format: "%d candidate staffings simulated × %d replications, %.1f s", r.evaluations,
                r.tuningSeeds.count, r.wallSeconds),
        ]
    }

    /// One sentence per server: its workers and the wait it gets on fresh seeds.
    public static func capacity(_ r: PoolPlanResult) -> [String] {
        r.covered.map { s in
            let e = r.verification.estimate(server: s)
            return "\(r.servers[s]): \(r.plan[s]) worker\(r.plan[s] == 1 ? "" : "s") (today \(r.current[s])), "
                + "\(r.target.statisticName) wait \(String(format: "%.2f", e.mean * 1e3)) ms "
                + "[\(String(format: "%.2f", max(e.low, 0) * 1e3)), \(String(format: "%.2f", e.high * 1e3))], "
                + String(format: "utilisation %.1f %%", 100 * r.verification.utilization[s])
        }
    }

    /// The terminal output.
    public static func terminal(_ r: PoolPlanResult, directory: String) -> [String] {
        headline(r) + [""] + capacity(r) + ["", "report in \(directory)"]
    }

    static func markdown(_ r: PoolPlanResult) -> String {
        var lines = ["# Worker-pool plan: \(r.scenario)", ""]
        lines += headline(r).map { "- " + $0 }
        lines += ["", "## Capacity", ""] + capacity(r).map { "- " + $0 }
        lines += [
            "", "## Servers (\(r.target.statisticName) of the requests' wait for a worker, ms)", "",
            "| server | workers today | Erlang C | plan | requests a day | offered load | mean service ms | "
                + "today (\(r.tuningSeeds.count) reps) | plan, tuning seeds | plan, fresh seeds (mean [95 % interval]) "
                + "| replications met (fresh) |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for s in r.covered {
            let e = r.verification.estimate(server: s)
            lines.append(
                "| \(r.servers[s]) | \(r.current[s]) | \(r.erlang[s]) | \(r.plan[s]) | "
                    + "\(r.currentEvaluation.requests[s]) | "
                    + String(format: "%.4f", r.currentEvaluation.offeredLoad[s]) + " | "
                    + String(format: "%.2f", r.currentEvaluation.serviceSeconds[s] * 1e3) + " | "
                    + "\(ms(r.currentEvaluation.pooled[s])) | \(ms(r.planEvaluation.pooled[s])) | "
                    + String(format: "%.2f [%.2f, %.2f]", e.mean * 1e3, max(e.low, 0) * 1e3, e.high * 1e3) + " | "
                    + "\(r.verification.met(server: s, r.target)) of "
                    + "\(r.verificationSeeds.count) |")
        }
        lines += [
            "", "## How it was found", "",
            "1. Today's workers were simulated on the tuning seeds: each server's requests, busy time and waits.",
            "2. Erlang C: the fewest workers whose M/M/c wait meets the target at the day's mean offered load.",
            "3. The simulation doubled every pool that missed the target in any tuning replication until it met, "
                + "then bisected between the last count that missed and the first that met.",
            "4. Verification: the plan on \(r.verificationSeeds.count) seeds it was not tuned on.",
            "", "Tuning seeds: " + r.tuningSeeds.map(String.init).joined(separator: ", "),
            "", "Verification seeds: " + r.verificationSeeds.map(String.init).joined(separator: ", "), "",
        ]
        return lines.joined(separator: "\n")
    }

    static func json(_ r: PoolPlanResult) throws -> Data {
        struct Server: Encodable {
            var name: String
            var today: Int
            var erlangC: Int
            var plan: Int
            var verifiedSeconds: Estimate
            var replicationsMet: Int
        }
        struct File: Encodable {
            var kind = "poolPlan"
            var scenario: String
            var target: String
            var servers: [Server]
            var verification: [String: Int]
            var tuningSeeds: [UInt64]
            var verificationSeeds: [UInt64]
        }
        let file = File(
            scenario: r.scenario, target: r.target.text,
            servers: r.covered.map { s in
                Server(
                    name: r.servers[s], today: r.current[s], erlangC: r.erlang[s], plan: r.plan[s],
                    verifiedSeconds: r.verification.estimate(server: s),
                    replicationsMet: r.verification.met(server: s, r.target))
            },
            verification: [
                "replications": r.verificationSeeds.count, "serversMet": r.verification.met(r.covered, r.target),
            ],
            tuningSeeds: r.tuningSeeds, verificationSeeds: r.verificationSeeds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(file)
    }

    /// The scenario with the plan's workers under `network.servers` (and the `plan` key gone).
    static func scenarioFile(_ r: PoolPlanResult, source: String?, file: String) throws(ScenarioError) -> String {
        var root = try PlanReport.planned(
            source, file: file, name: "\(r.scenario)-plan",
            description:
                "The worker pools jukisim plan found for \(r.target.text) on \(r.scenario), applied to its servers.")
        var network = root["network"]?.mapping ?? Node.Mapping([])
        var servers = network["servers"]?.mapping ?? Node.Mapping([])
        for s in r.covered {
            var entry = servers[r.servers[s]]?.mapping ?? Node.Mapping([])
            entry["workers"] = Node("\(r.plan[s])")
            servers[r.servers[s]] = Node.mapping(entry)
        }
        network["servers"] = Node.mapping(servers)
        root["network"] = Node.mapping(network)
        return try PlanReport.serialize(root, file: file, header: "# Written by jukisim plan: \(r.target.text).\n")
    }
}
