import ArgumentParser
import Foundation
import JukiNetwork
import JukiScenario
import JukiSimulation

/// `jukisim sensitivity FILE`: which estimated inputs decide the counter waits.
struct SensitivityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Move each estimated input down and up and rank the inputs by their effect on the counter waits.",
        discussion: """
            Runs the scenario once as written and twice per estimated input ([E]: a default no source gives), with
            the input moved down and up by --factor and the same seed, and ranks the inputs by the swing of the
            counter wait (--metric). Writes sensitivity.json, sensitivity.md and sensitivity.html (a tornado chart).

            Exit codes: 0 done; 2 invalid scenario, option or output folder; 3 an invariant broke in a case, or an
            I/O or internal error.

            Examples:
              jukisim sensitivity Scenarios/fujisawa-typical-day.yaml
              jukisim sensitivity Scenarios/smoke.yaml --factor 10% --metric mean --only counters. --top 5
              jukisim sensitivity Scenarios/fujisawa-typical-day.yaml --replications 3
            """
    )

    @Argument(help: "The scenario file (YAML): a virtual-clock scenario without sweep or canary.")
    var file: String

    @Option(help: "How far to move each input down and up: 1% to 90%, as 20% or 0.2.")
    var factor = "20%"

    @Option(help: "The wait that ranks the inputs: p95 (every visitor), mean, or worst (the worst counter's p95).")
    var metric = "p95"

    @Option(help: "Seeds per case, from the scenario's seed on (1 to 20); more than 1 reports the noise.")
    var replications = 1

    @Option(help: "Only inputs whose name starts with this prefix, e.g. counters. or workload.perDay.")
    var only: String?

    @Option(help: "Rows of the terminal table (the files have every input).")
    var top = 15

    @Option(help: "Simulations at once (default: the number of cores); the results do not depend on it.")
    var jobs: Int?

    @Option(help: "Override the scenario's seed.")
    var seed: UInt64?

    @Option(help: "Report folder (default: Reports/<name>-sensitivity-<UTC timestamp>/).")
    var output: String?

    @Flag(help: "Print one line instead of the table (errors still go to standard error).")
    var quiet = false

    /// The options, or the first flag out of its range (ArgumentParser exits 2 with the message).
    func options() throws -> SensitivityOptions {
        var o = SensitivityOptions()
        switch SensitivityOptions.parseFactor(factor) {
        case .success(let f): o.factor = f
        case .failure(let e): throw ValidationError(e.description)
        }
        guard let m = SensitivityMetric(rawValue: metric) else {
            throw ValidationError("--metric must be p95, mean or worst, found '\(metric)'")
        }
        o.metric = m
        guard (1...20).contains(replications) else {
            throw ValidationError("--replications must be between 1 and 20, found \(replications)")
        }
        o.replications = replications
        guard top >= 1 else { throw ValidationError("--top must be at least 1, found \(top)") }
        if let jobs {
            guard (1...256).contains(jobs) else {
                throw ValidationError("--jobs must be between 1 and 256, found \(jobs)")
            }
            o.jobs = jobs
        }
        o.only = only
        if case .failure(let e) = o.selectedInputs() { throw ValidationError(e.description) }
        return o
    }

    func validate() throws { _ = try options() }

    func run() async throws {
        let options = try options()
        let scenario = try RunCommand.loadScenario(file, seed: seed)
        let directory = output ?? ScenarioRunner.defaultFolder(scenario.name + "-sensitivity")
        try RunCommand.prepareOutput(directory)
        let live = !quiet && Output.isTerminal
        let clock = WallClock()
        let result: SensitivityResult
        do throws(ScenarioError) {
            result = try await Sensitivity.run(scenario, options) { done, total in
                guard live else { return }
                let elapsed = clock.seconds
                let eta = elapsed * Double(total - done) / Double(max(done, 1))
                let line = String(format: "\r\u{1B}[2K  case %d of %d  ETA %.0f s", done, total, eta)
                FileHandle.standardError.write(Data(line.utf8))
            }
            if live { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
            try SensitivityReport.write(result, description: scenario.description, directory: directory)
        } catch {
            if live { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
            let code: ExitStatus =
                error.code == .file || error.path == "invariants" ? .internalError : .usage
            throw JukisimExit(code: code, message: error.description)
        }
        if quiet {
            let first = result.inputs.first.map { "; largest swing \($0.name)" } ?? ""
            print(
                "\(scenario.name): \(result.inputs.count) inputs ranked by \(result.metric.title), "
                    + "\(result.noEffect.count) without effect\(first); report in \(directory)")
        } else {
            print(SensitivityReport.terminal(result, top: top, directory: directory).joined(separator: "\n"))
        }
    }
}
