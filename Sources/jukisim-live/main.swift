import ArgumentParser
import Foundation
import Hummingbird
import JukiScenario
import Logging
import ServiceLifecycle
import Synchronization

/// `jukisim-live SCENARIO --metrics-listen HOST:PORT`: a wall-clock run with a live Prometheus `/metrics` endpoint
/// (also started as `jukisim run SCENARIO --metrics-listen HOST:PORT`).
@main
struct LiveRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jukisim-live",
        abstract: "Run a wall-clock scenario and serve its metrics live at /metrics for Prometheus to scrape.",
        discussion: """
            The run is `jukisim run`'s (the same report folder, metrics.prom and junit.xml), with a web server beside
            it: GET /metrics answers the figures so far in Prometheus' text format, updated about once a second, and
            the final figures (those of metrics.prom, with jukisim_run_finished 1) once the run ends. --metrics-linger
            keeps serving them that long after the run, so a scraper sees the end.

            Exit codes: those of jukisim run (0 passed, 1 a threshold failed, 2 invalid input, 3 an invariant broke,
            the port is taken or another I/O error).

            Example:
              jukisim run Scenarios/load-smoke.yaml --metrics-listen 127.0.0.1:9464 --metrics-linger 10s
            """
    )

    @Argument(help: "The scenario file (YAML); it must be a wall-clock scenario (clock: wall).")
    var file: String

    @Option(help: "Override the scenario's seed.") var seed: UInt64?
    @Option(help: "Report folder (default: Reports/<name>-<UTC timestamp>/).") var output: String?
    @Flag(help: "Print one line instead of the summary table.") var quiet = false
    @Option(help: "Also write the checks as JUnit XML here.") var junit: String?
    @Option(help: "Where to serve /metrics: HOST:PORT (the default keeps it on this machine).")
    var metricsListen = "127.0.0.1:9464"
    @Option(help: "How long to keep serving the final figures after the run, e.g. 10s (0s to 10m).")
    var metricsLinger = "0s"

    func run() async throws {
        let (host, port) = try Self.address(metricsListen)
        guard let linger = try? Durations.parse(metricsLinger), (0...600_000_000).contains(linger) else {
            throw Self.fail(2, "--metrics-linger: write a duration from 0s to 10m, e.g. 10s; got '\(metricsLinger)'")
        }
        var scenario: Scenario
        do {
            scenario = try Scenario.load(path: file)
        } catch {
            throw Self.fail(2, error.description)
        }
        if let seed { scenario.setSeed(seed) }
        guard scenario.load != nil else {
            throw Self.fail(
                2,
                "--metrics-listen: \(file) is not a wall-clock scenario (clock: wall with a load mapping); a "
                    + "virtual-time run writes its metrics to metrics.prom in the report folder")
        }
        let directory = output ?? ScenarioRunner.defaultFolder(scenario.name)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw Self.fail(2, "--output: cannot create the folder \(directory)")
        }
        let live = LiveMetrics()
        let chosen = scenario
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: live.text)))
        }
        var logger = Logger(label: "jukisim-live")
        logger.logLevel = .warning
        // Started, failed (a port taken): the run waits for one of the two, so it never runs without its endpoint.
        let state = Mutex<(running: Bool, failure: String?)>((false, nil))
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "jukisim-live"),
            onServerRunning: { _ in state.withLock { $0.running = true } }, logger: logger)
        let server = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let serving = Task {
            do {
                try await server.run()
            } catch {
                state.withLock { $0.failure = "\(error)" }
            }
        }
        let waited = ContinuousClock.now
        while state.withLock({ !$0.running && $0.failure == nil }), ContinuousClock.now - waited < .seconds(10) {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if let failure = state.withLock({ $0.running ? nil : $0.failure ?? "it did not start in 10 s" }) {
            throw Self.fail(3, "--metrics-listen: cannot serve at \(host):\(port): \(failure) (is the port taken?)")
        }
        FileHandle.standardError.write(Data("serving /metrics at http://\(host):\(port)/metrics\n".utf8))
        let outcome: RunOutcome
        do {
            outcome = try await ScenarioRunner.run(chosen, directory: directory, live: live)
        } catch {
            await server.triggerGracefulShutdown()
            throw Self.fail(error.code == .file ? 3 : 2, error.description)
        }
        let lines = quiet || outcome.table.isEmpty ? [outcome.summaryLine] : outcome.table
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        if let junit {
            do {
                try Data(contentsOf: URL(fileURLWithPath: directory + "/junit.xml")).write(
                    to: URL(fileURLWithPath: junit))
            } catch {
                throw Self.fail(3, "--junit: cannot write \(junit) (\(error.localizedDescription))")
            }
        }
        try? await Task.sleep(nanoseconds: UInt64(linger) * 1_000)
        await server.triggerGracefulShutdown()
        await serving.value
        if !outcome.invariantsHold { throw Self.fail(3, "an invariant broke; see \(directory)/report.md") }
        if outcome.thresholds.contains(where: { !$0.ok }) { throw ExitCode(1) }
    }

    /// HOST:PORT, with the port 1–65535.
    static func address(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port), colon > text.startIndex
        else {
            throw fail(
                2, "--metrics-listen: write HOST:PORT with a port from 1 to 65535, e.g. 127.0.0.1:9464; got '\(text)'")
        }
        return (String(text[..<colon]), port)
    }

    static func fail(_ code: Int32, _ message: String) -> ExitCode {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        return ExitCode(code)
    }
}
