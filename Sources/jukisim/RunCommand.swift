import ArgumentParser
import Foundation
import JukiCore
import JukiNetwork
import JukiPopulation
import JukiScenario
import JukiSimulation
import Synchronization

/// `jukisim run FILE`: play a scenario, write its report, check its thresholds.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario file and write its report (summary.json, junit.xml, report.md, latency.csv).",
        discussion: """
            Exit codes: 0 every threshold passed; 1 a threshold failed; 2 invalid scenario or usage;
            3 an invariant broke or an internal error. A suite (a file with `suite:`, Scenarios/README.md) runs
            its scenarios into one report folder and exits with the worst of their codes.

            Examples:
              jukisim run Scenarios/fujisawa-typical-day.yaml
              jukisim run Scenarios/smoke.yaml --seed 7 --output /tmp/smoke
              jukisim run Scenarios/smoke.yaml --junit results/jukisim.xml   # JUnit XML for CI (also junit.xml)
              jukisim run Scenarios/ci-suite.yaml --output Reports/ci       # a suite of scenarios
            """
    )

    @Argument(help: "The scenario file (YAML); Scenarios/README.md documents every key.")
    var file: String

    @Option(help: "Override the scenario's seed.")
    var seed: UInt64?

    @Option(help: "Report folder (default: Reports/<name>-<UTC timestamp>/).")
    var output: String?

    @Flag(help: "Print one line instead of the summary table (errors still go to standard error).")
    var quiet = false

    @Option(
        help: ArgumentHelp(
            "Wall-clock scenarios: serve the figures so far at http://HOST:PORT/metrics for Prometheus (runs "
                + "jukisim-live, built beside jukisim), e.g. 127.0.0.1:9464."))
    var metricsListen: String?

    @Option(help: "With --metrics-listen: keep serving the final figures this long after the run, e.g. 10s.")
    var metricsLinger: String?

    @Option(
        help: ArgumentHelp(
            "The share of journeys written as OpenTelemetry traces to traces.jsonl, e.g. 1%, 10%, 100% or 0 "
                + "(head sampling by journey; default 1%)."))
    var traceSample: String?

    @Option(
        help: ArgumentHelp(
            "Also write the checks as JUnit XML here (a test case per threshold and invariant; the report folder "
                + "always has junit.xml)."))
    var junit: String?

    @Flag(help: "Wall-clock scenarios: raise the rate step by step and report the highest sustainable rate.")
    var findCapacity = false

    @Option(help: "With --find-capacity: the percentile of the corrected latency to hold (0 < P < 100).")
    var percentile = 99.0

    @Option(help: "With --find-capacity: the latency limit, e.g. 1ms or 0.5ms.")
    var limit = "1ms"

    @Option(help: "With --find-capacity: seconds per step.")
    var step = "2s"

    @Option(
        help: ArgumentHelp(
            "Run the day N times (2–1000) with independent seeds from the root seed; every metric gets its mean "
                + "and 95 % confidence interval (overrides the scenario's replications)."))
    var replications: Int?

    @Option(help: "With --replications: simulations at once (default: one per core); results do not depend on it.")
    var jobs: Int?

    func validate() throws {
        guard percentile > 0 && percentile < 100 else {
            throw ValidationError("--percentile must be above 0 and below 100")
        }
        guard (try? Durations.parse(limit)).map({ $0 > 0 }) == true else {
            throw ValidationError("--limit must be a duration above 0, e.g. 1ms")
        }
        guard let s = try? Durations.parse(step), (100_000...600_000_000).contains(s) else {
            throw ValidationError("--step must be a duration from 0.1s to 10m, e.g. 2s")
        }
        if let n = replications, !Replications.range.contains(n) {
            throw ValidationError("--replications must be from 2 to 1000, found \(n)")
        }
        if let j = jobs, !(1...256).contains(j) {
            throw ValidationError("--jobs must be from 1 to 256, found \(j)")
        }
        if jobs != nil && replications == nil {
            throw ValidationError("--jobs applies with --replications")
        }
        if findCapacity && replications != nil {
            throw ValidationError("--find-capacity and --replications do not go together")
        }
        if metricsListen != nil && (findCapacity || replications != nil) {
            throw ValidationError(
                "--metrics-listen serves one wall-clock run: not with --find-capacity or --replications")
        }
        if let t = traceSample, Self.share(t) == nil {
            throw ValidationError("--trace-sample must be a share from 0 to 100%, e.g. 1% or 0.01; got '\(t)'")
        }
        if metricsLinger != nil && metricsListen == nil {
            throw ValidationError("--metrics-linger applies with --metrics-listen")
        }
    }

    /// Refuses a nationwide network the machine lacks the memory for, rather than swapping or being killed: about
    /// 325 B a resident were measured (the nation at 10 %, 12.4 M residents, peaked at 4.03 GB: registers, the identity
    /// base and its build), so 400 B a resident are asked for.
    static func checkMemory(_ scenario: Scenario) throws {
        guard let nation = scenario.configuration.nation else { return }
        let members =
            (try? NationalPopulation.plan(
                prefectures: nation.prefectures.isEmpty ? nil : nation.prefectures, scale: nation.scale)) ?? []
        let home = scenario.configuration.municipality
        let residents = members.reduce(home.residentCount) {
            $0 + ($1.municipality.code == home.municipality ? 0 : $1.residents)
        }
        try PeakMemory.require(
            residents * 400, for: "population.others: \(StatsTable.grouped(residents)) residents",
            hint: "lower population.others.scale or list fewer population.others.prefectures")
    }

    /// The scenario in `file`, with `seed` in place of its own; an invalid one ends the command with exit 2.
    static func loadScenario(_ file: String, seed: UInt64?) throws -> Scenario {
        var scenario: Scenario
        do {
            scenario = try Scenario.load(path: file)
        } catch {
            throw JukisimExit(code: .usage, message: error.description)
        }
        if let seed { scenario.setSeed(seed) }
        return scenario
    }

    func run() async throws {
        if let metricsListen { try live(metricsListen) }
        if ScenarioSuite.isSuite(path: file) {
            try await runSuite()
            return
        }
        var scenario = try Self.loadScenario(file, seed: seed)
        try Self.checkMemory(scenario)
        if let share = traceSample.flatMap(Self.share) { scenario.traceSample = share }
        if let n = replications {
            var r = scenario.replications ?? Replications(count: n)
            r.count = n
            if let jobs { r.jobs = jobs }
            scenario.replications = r
            do {
                try scenario.checkReplications()
            } catch {
                throw JukisimExit(code: .usage, message: error.description)
            }
        }
        let directory = output ?? ScenarioRunner.defaultFolder(scenario.name)
        try Self.prepareOutput(directory)
        try checkJUnitFolder()
        let outcome: RunOutcome
        let live = !quiet && Output.isTerminal
        let status = SetupStatus()
        // Set-up (the population, keys) can take seconds: say what it is doing once it has taken one.
        let ticker = live ? Task { await status.tick() } : nil
        do {
            let clock = WallClock()
            var capacity: CapacitySearch?
            if findCapacity {
                var c = CapacitySearch()
                c.percentile = percentile
                c.limit = (try? Durations.parse(limit)) ?? 1_000
                c.stepSeconds = Double((try? Durations.parse(step)) ?? 2_000_000) / 1e6
                capacity = c
            }
            let log: ((String) -> Void)? = quiet ? nil : { print($0) }
            outcome = try await ScenarioRunner.run(
                scenario, directory: directory, capacity: capacity, log: log, setup: { status.enter($0) }
            ) { time, handled, fraction in
                status.finish()
                guard live else { return }
                // Simulated clock, share done, events per wall second, and a naive ETA.
                let elapsed = clock.seconds
                let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
                let line = String(
                    format: "\r\u{1B}[2K  %@  %3.0f%%  %.0f events/s  ETA %.1f s", time.description, fraction * 100,
                    Double(handled) / max(elapsed, 1e-9), eta)
                FileHandle.standardError.write(Data(line.utf8))
            }
            status.finish()
            ticker?.cancel()
            if live { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        } catch {
            status.finish()
            ticker?.cancel()
            throw JukisimExit(code: error.code == .file ? .internalError : .usage, message: error.description)
        }
        if quiet {
            print(outcome.summaryLine)
        } else {
            print((outcome.table.isEmpty ? [outcome.summaryLine] : outcome.table).joined(separator: "\n"))
        }
        try copyJUnit(from: directory)
        try await exportTelemetry(directory)
        if !outcome.invariantsHold {
            throw JukisimExit(code: .internalError, message: "an invariant broke; see \(directory)/report.md")
        }
        if outcome.thresholds.contains(where: { !$0.ok }) { throw JukisimExit(code: .checkFailed, message: nil) }
    }

    /// Runs a suite (a YAML file with `suite:`): its entries, one report folder, the worst exit code.
    func runSuite() async throws {
        if replications != nil || findCapacity {
            throw JukisimExit(
                code: .usage, message: "\(file) is a suite: --replications and --find-capacity apply to a scenario")
        }
        var suite: ScenarioSuite
        do {
            suite = try ScenarioSuite.load(path: file)
        } catch {
            throw JukisimExit(code: .usage, message: error.description)
        }
        if let seed { suite.setSeed(seed) }
        if let share = traceSample.flatMap(Self.share) {
            for i in suite.entries.indices { suite.entries[i].scenario.traceSample = share }
        }
        let directory = output ?? ScenarioRunner.defaultFolder(suite.name)
        try Self.prepareOutput(directory)
        try checkJUnitFolder()
        var log: (@Sendable (String) -> Void)?
        if !quiet { log = { @Sendable (line: String) in print(line) } }
        let outcome: RunOutcome
        do {
            outcome = try await SuiteRunner.run(suite, directory: directory, log: log)
        } catch {
            throw JukisimExit(code: .internalError, message: error.description)
        }
        print((quiet ? [outcome.summaryLine] : outcome.table).joined(separator: "\n"))
        try copyJUnit(from: directory)
        try await exportTelemetry(directory)
        switch outcome.exitCode ?? 0 {
        case 0: return
        case 1: throw JukisimExit(code: .checkFailed, message: nil)
        case 2: throw JukisimExit(code: .usage, message: nil)
        default:
            throw JukisimExit(
                code: .internalError,
                message: "an entry's invariant broke or its run failed; see \(directory)/report.md")
        }
    }

    /// Exports the run's traces and metrics when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (see ``OTelHandoff``).
    func exportTelemetry(_ directory: String) async throws(JukisimExit) {
        if let line = try await OTelHandoff.afterRun(
            directory: directory, environment: ProcessInfo.processInfo.environment)
        {
            print(line)
        }
    }

    /// A share written as 1%, 0.01 or 100%, within 0–1; nil otherwise.
    static func share(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let value = t.hasSuffix("%") ? Double(t.dropLast()).map { $0 / 100 } : Double(t)
        guard let v = value, v.isFinite, (0...1).contains(v) else { return nil }
        return v
    }

    /// Hands the run to `jukisim-live` (the web server is a product of its own: Hummingbird costs minutes of build
    /// time that other runs do not need).
    func live(_ address: String) throws {
        var arguments = [file, "--metrics-listen", address]
        if let seed { arguments += ["--seed", String(seed)] }
        if let output { arguments += ["--output", output] }
        if quiet { arguments.append("--quiet") }
        if let junit { arguments += ["--junit", junit] }
        if let metricsLinger { arguments += ["--metrics-linger", metricsLinger] }
        try Sibling.exec("jukisim-live", arguments, build: "swift build -c release --product jukisim-live")
    }

    /// Refuses a `--junit` path whose folder does not exist, before anything runs.
    func checkJUnitFolder() throws(JukisimExit) {
        guard let junit else { return }
        var isFolder: ObjCBool = false
        let parent = URL(fileURLWithPath: junit).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isFolder), isFolder.boolValue else {
            throw JukisimExit(code: .usage, message: "--junit: the folder \(parent) does not exist")
        }
    }

    /// Copies the report folder's junit.xml to `--junit`.
    func copyJUnit(from directory: String) throws(JukisimExit) {
        guard let junit else { return }
        do {
            try Data(contentsOf: URL(fileURLWithPath: directory + "/junit.xml")).write(to: URL(fileURLWithPath: junit))
        } catch {
            throw JukisimExit(
                code: .internalError, message: "--junit: cannot write \(junit) (\(error.localizedDescription))")
        }
    }

    /// Creates the report folder before anything runs, so a path that cannot hold a report is refused at once
    /// (exit 2) rather than after a long simulation.
    static func prepareOutput(_ directory: String) throws(JukisimExit) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), !isFolder.boolValue {
            throw JukisimExit(
                code: .usage, message: "--output: \(directory) exists and is not a folder (the report is a folder)")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw JukisimExit(
                code: .usage,
                message:
                    "--output: cannot create the folder \(directory) (a part of the path is a file, or no permission)")
        }
        let probe = directory + "/.jukisim-write-check"
        guard FileManager.default.createFile(atPath: probe, contents: Data()) else {
            throw JukisimExit(code: .usage, message: "--output: cannot write in \(directory) (no permission)")
        }
        try? FileManager.default.removeItem(atPath: probe)
    }

}

/// `jukisim validate FILE`: check a scenario without running it.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario file without running it (exit 0 valid, 2 invalid).",
        discussion: """
            Example:
              jukisim validate Scenarios/fujisawa-typical-day.yaml
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var file: String

    func run() throws {
        do {
            if ScenarioSuite.isSuite(path: file) {
                let suite = try ScenarioSuite.load(path: file)
                print("\(file): valid suite (\(suite.name), \(suite.entries.count) scenarios)")
                return
            }
            let scenario = try Scenario.load(path: file)
            print("\(file): valid (\(scenario.name), \(scenario.thresholds.count) thresholds)")
        } catch {
            throw JukisimExit(code: .usage, message: error.description)
        }
    }
}

/// The set-up phase a run is in, shown on a terminal once set-up has taken more than a second.
final class SetupStatus: Sendable {
    struct State {
        var phase: NetworkSimulation.SetupPhase?
        var finished = false
        var shown = false
    }

    let state = Mutex(State())
    let clock = WallClock()

    func enter(_ phase: NetworkSimulation.SetupPhase) { state.withLock { $0.phase = phase } }

    func finish() {
        let clear = state.withLock { s -> Bool in
            defer { s.finished = true }
            return !s.finished && s.shown
        }
        if clear { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }

    /// Every quarter second until the simulation starts: the current phase and the time so far.
    func tick() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(250))
            let line = state.withLock { s -> String? in
                guard !s.finished, let phase = s.phase, clock.seconds > 1 else { return nil }
                s.shown = true
                return String(format: "\r\u{1B}[2K  set-up: %@ (%.1f s)", phase.description, clock.seconds)
            }
            guard !state.withLock({ $0.finished }) else { return }
            if let line { FileHandle.standardError.write(Data(line.utf8)) }
        }
    }
}
