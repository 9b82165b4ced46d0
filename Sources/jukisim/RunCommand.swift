import ArgumentParser
import Foundation
import JukiCore
import JukiScenario
import JukiSimulation

/// `jukisim run FILE`: play a scenario, write its report, check its thresholds.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario file and write its report (summary.json, report.md, latency.csv).",
        discussion: """
            Exit codes: 0 every threshold passed; 1 a threshold failed; 2 invalid scenario or usage;
            3 an invariant broke or an internal error.

            Examples:
              jukisim run Scenarios/fujisawa-typical-day.yaml
              jukisim run Scenarios/smoke.yaml --seed 7 --output /tmp/smoke
            """
    )

    @Argument(help: "The scenario file (YAML); Scenarios/README.md documents every key.")
    var file: String

    @Option(help: "Override the scenario's seed.")
    var seed: UInt64?

    @Option(help: "Report folder (default: Reports/<name>-<UTC timestamp>/).")
    var output: String?

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func run() async throws {
        var scenario: Scenario
        do {
            scenario = try Scenario.load(path: file)
        } catch {
            throw JukisimExit(code: .usage, message: error.description)
        }
        if let seed { scenario.setSeed(seed) }
        let directory = output ?? "Reports/\(scenario.name)-\(Self.timestamp())"
        let outcome: RunOutcome
        do {
            let live = !quiet && Output.isTerminal
            let clock = WallClock()
            outcome = try await ScenarioRunner.run(scenario, directory: directory) { time, handled, fraction in
                guard live else { return }
                // Simulated clock, share done, events per wall second, and a naive ETA.
                let elapsed = clock.seconds
                let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
                let line = String(
                    format: "\r\u{1B}[2K  %@  %3.0f%%  %.0f events/s  ETA %.1f s", time.description, fraction * 100,
                    Double(handled) / max(elapsed, 1e-9), eta)
                FileHandle.standardError.write(Data(line.utf8))
            }
            if live { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        } catch {
            throw JukisimExit(code: error.code == .file ? .internalError : .usage, message: error.description)
        }
        if !quiet {
            print(outcome.summaryLine)
            for r in outcome.thresholds where !r.ok { print("threshold failed: \(r.threshold)") }
        }
        if !outcome.invariantsHold {
            throw JukisimExit(code: .internalError, message: "an invariant broke; see \(directory)/report.md")
        }
        if outcome.thresholds.contains(where: { !$0.ok }) { throw JukisimExit(code: .checkFailed, message: nil) }
    }

    static func timestamp() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return f.string(from: Date())
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
            let scenario = try Scenario.load(path: file)
            print("\(file): valid (\(scenario.name), \(scenario.thresholds.count) thresholds)")
        } catch {
            throw JukisimExit(code: .usage, message: error.description)
        }
    }
}
