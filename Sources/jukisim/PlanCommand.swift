import ArgumentParser
import Foundation
import JukiScenario
import JukiSimulation

/// `jukisim plan FILE --target …`: the fewest clerks per counter and interval that meet a wait target.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Find the fewest clerks per counter and interval that meet a wait target, verified by simulation.",
        discussion: """
            Starts from Erlang C interval by interval (SIPP), corrects by simulation until every interval of every
            counter meets the target over the tuning replications, trims a clerk at a time where the target still
            holds, and checks the plan on fresh seeds. Writes plan.md (with one capacity sentence per counter),
            plan.csv (one row per counter, day and interval), plan.html (a heat map), plan.json and
            <name>-plan.yaml (the scenario with the plan as its counters' staffing). With --shifts, the plan is
            rostered with the shift patterns (the fewest hours at work that keep the plan's clerks at the desks at
            every moment), the roster is verified on the fresh seeds, and it is the staffing the scenario file gets.

            The target reads like a threshold: counters.<name or *>.wait, a space, then p(N)<duration or
            avg<duration. servers.<name or *>.wait (registerSystem, municipalCS, prefectureServer,
            nationalServer, cardManagementSystem) plans the servers' worker pools instead: the fewest workers
            whose requests' wait for a worker meets the target in every tuning replication (the requests that
            arrived in office hours, unless --server-hours all). The scenario's `plan` key gives the defaults;
            the options override it.

            Exit codes: 0 the plan meets the target on the fresh seeds; 1 it does not (the files are written);
            2 invalid scenario, target or option; 3 an I/O or internal error.

            Examples:
              jukisim plan Scenarios/march-peak-plan.yaml
              jukisim plan Scenarios/fujisawa-typical-day.yaml --target 'counters.*.wait p(90)<20m'
              jukisim plan Scenarios/fujisawa-typical-day.yaml --target 'counters.*.wait avg<10m' --interval 30m
              jukisim plan Scenarios/march-peak-plan.yaml --shifts Scenarios/shifts/fujisawa-counters.yaml
              jukisim plan Scenarios/fujisawa-typical-day.yaml --target 'servers.*.wait p(99)<5ms'
            """
    )

    @Argument(help: "The scenario file (YAML): a virtual-clock day (or days) of the municipality.")
    var file: String

    @Option(help: "The target, e.g. 'counters.*.wait p(90)<20m' (default: the scenario's plan.target).")
    var target: String?

    @Option(help: "Interval width, 15m to 9h (default: the scenario's, else 1h).")
    var interval: String?

    @Option(help: "Replications the plan is tuned on, 1 to 100 (default 4).")
    var tuning: Int?

    @Option(help: "Replications with fresh seeds the plan is verified on, 1 to 1000 (default 20).")
    var verification: Int?

    @Option(help: "The chance that every counter meets the target over a day, 0.5 to 0.9999 (default 0.95).")
    var reliability: Double?

    @Option(help: "Shift patterns (YAML: shifts: [{name, start, end, breaks}]) to roster the plan with.")
    var shifts: String?

    @Option(
        help: "For a servers.… target: judge the requests that arrived in office hours (office, the default) or all.")
    var serverHours: String?

    @Option(help: "Simulations at once (default: the number of cores); the results do not depend on it.")
    var jobs: Int?

    @Option(help: "Override the scenario's seed.")
    var seed: UInt64?

    @Option(help: "Report folder (default: Reports/<name>-plan-<UTC timestamp>/).")
    var output: String?

    @Flag(help: "Print the headline only (errors still go to standard error).")
    var quiet = false

    func validate() throws {
        if let tuning, !PlanOptions.tuningRange.contains(tuning) {
            throw ValidationError("--tuning must be between 1 and 100, found \(tuning)")
        }
        if let verification, !PlanOptions.verificationRange.contains(verification) {
            throw ValidationError("--verification must be between 1 and 1000, found \(verification)")
        }
        if let reliability, !(0.5...0.9999).contains(reliability) {
            throw ValidationError("--reliability must be between 0.5 and 0.9999, found \(reliability)")
        }
        if let serverHours, ServerHours(rawValue: serverHours) == nil {
            throw ValidationError("--server-hours must be office or all, found '\(serverHours)'")
        }
        if let jobs, !(1...256).contains(jobs) {
            throw ValidationError("--jobs must be between 1 and 256, found \(jobs)")
        }
        if let interval {
            guard let us = try? Durations.parse(interval), PlanOptions.intervalRange.contains(us) else {
                throw ValidationError(
                    "--interval must be a duration from 15m to 9h, e.g. 1h or 30m, found '\(interval)'")
            }
        }
    }

    /// The options: the scenario's `plan` key, overridden by the flags.
    func options(_ scenario: JukiScenario.Scenario) throws -> PlanOptions {
        var options: PlanOptions
        if let target {
            switch PlanTarget.parse(target, counters: scenario.configuration.counters.map(\.name)) {
            case .success(let t):
                options = scenario.plan ?? PlanOptions(target: t)
                options.target = t
            case .failure(let e):
                throw JukisimExit(code: .usage, message: "--\(e.field): \(e.message)")
            }
        } else if let planned = scenario.plan {
            options = planned
        } else {
            throw JukisimExit(
                code: .usage,
                message:
                    "--target: the scenario has no plan.target; give one, e.g. --target 'counters.*.wait p(90)<20m'")
        }
        if let interval, let us = try? Durations.parse(interval) { options.interval = us }
        if let tuning { options.tuning = tuning }
        if let verification { options.verification = verification }
        if let jobs { options.jobs = jobs }
        if let reliability { options.reliability = reliability }
        if let hours = serverHours.flatMap(ServerHours.init(rawValue:)) { options.serverHours = hours }
        if let shifts {
            do throws(ScenarioError) {
                options.shifts = try ShiftPattern.load(path: shifts)
            } catch {
                throw JukisimExit(code: error.code == .file ? .internalError : .usage, message: error.description)
            }
        }
        return options
    }

    func run() async throws {
        let scenario = try RunCommand.loadScenario(file, seed: seed)
        let options = try options(scenario)
        let directory = output ?? ScenarioRunner.defaultFolder(scenario.name + "-plan")
        try RunCommand.prepareOutput(directory)
        let live = !quiet && Output.isTerminal
        let source = try? String(contentsOfFile: file, encoding: .utf8)
        if options.target.servers {
            try await report(directory: directory, live: live) { progress async throws(ScenarioError) -> Outcome in
                let r = try await PoolPlanner.plan(scenario, options, progress: progress)
                try PoolPlanReport.write(r, source: source, file: file, directory: directory)
                return (PoolPlanReport.headline(r), PoolPlanReport.terminal(r, directory: directory), r.meetsTarget)
            }
        } else {
            try await report(directory: directory, live: live) { progress async throws(ScenarioError) -> Outcome in
                let r = try await Planner.plan(scenario, options, progress: progress)
                try PlanReport.write(r, source: source, file: file, directory: directory)
                return (PlanReport.headline(r), PlanReport.terminal(r, directory: directory), r.meetsTarget)
            }
        }
    }

    /// What a planner's run prints (with `--quiet`, and without) and whether it met its target.
    typealias Outcome = (headline: [String], terminal: [String], meets: Bool)

    /// Runs a planner with its live progress line, then prints its lines and exits 1 when it missed the target.
    func report(
        directory: String, live: Bool,
        _ work: (@escaping @Sendable (String) -> Void) async throws(ScenarioError) -> Outcome
    ) async throws {
        let outcome: Outcome
        do throws(ScenarioError) {
            outcome = try await work { phase in
                guard live else { return }
                FileHandle.standardError.write(Data("\r\u{1B}[2K  \(phase)…".utf8))
            }
            if live { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        } catch {
            if live { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
            throw JukisimExit(code: error.code == .file ? .internalError : .usage, message: error.description)
        }
        print((quiet ? outcome.headline : outcome.terminal).joined(separator: "\n"))
        if !outcome.meets {
            throw JukisimExit(
                code: .checkFailed,
                message: "the plan misses the target on some fresh seeds: see \(directory)/plan.md")
        }
    }
}
