import Foundation
import JukiScenario
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("jukisim merge")
struct MergeCommandTests {
    @Test("merges two runs to standard output or a file; exit 1 for a failing threshold, 2 for bad input")
    func exitCodes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/s.yaml"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try (RunCommandTests.small + "\nthresholds: {journeys.certificate.latency: [\"p(50)<10m\"]}\n").write(
            toFile: file, atomically: true, encoding: .utf8)
        for seed in ["1", "2"] {
            #expect(try jukisim(["run", file, "--seed", seed, "--output", "\(dir)/\(seed)", "--quiet"]).status == 0)
        }
        let a = dir + "/1/summary.json"
        let b = dir + "/2/summary.json"
        let printed = try jukisim(["merge", a, b])
        #expect(printed.status == 0, "\(printed.err)")
        let merged = try Summary.decode(Data(printed.out.utf8), path: "stdout")
        let one = try Summary.read(a)
        let two = try Summary.read(b)
        #expect(merged.merged?.inputs.map(\.seed) == [1, 2])
        #expect(
            merged.journeys?["certificate"]?.completed
                == (one.journeys?["certificate"]?.completed ?? 0) + (two.journeys?["certificate"]?.completed ?? 0))
        #expect(try jukisim(["merge", a, b, "--output", dir + "/m.json"]).status == 0)
        #expect(try Summary.read(dir + "/m.json") == merged)
        // A threshold that fails on the merged figures: the summary is still written, exit 1.
        var strict = one
        strict.thresholds?[0].expression = "p(50)<1s"
        var strictToo = two
        strictToo.thresholds?[0].expression = "p(50)<1s"
        try strict.json().write(to: URL(fileURLWithPath: dir + "/x.json"))
        try strictToo.json().write(to: URL(fileURLWithPath: dir + "/y.json"))
        let failing = try jukisim(["merge", dir + "/x.json", dir + "/y.json", "-o", dir + "/xy.json"])
        #expect(failing.status == 1 && failing.err.contains("journeys.certificate.latency: p(50)<1s"))
        #expect(try Summary.read(dir + "/xy.json").thresholds?.first?.ok == false)
        // Bad input: one file, a missing file, another scenario, a summary without histograms.
        #expect(try jukisim(["merge", a]).status == 2)
        let missing = try jukisim(["merge", a, dir + "/none.json"])
        #expect(missing.status == 2 && missing.err.contains("none.json"))
        var other = two
        other.scenario = "another"
        try other.json().write(to: URL(fileURLWithPath: dir + "/other.json"))
        let refused = try jukisim(["merge", a, dir + "/other.json"])
        #expect(refused.status == 2 && refused.err.contains("scenario: 'another' differs"), "\(refused.err)")
        var bare = two
        bare.journeys?["certificate"]?.latencySeconds.histogram = nil
        try bare.json().write(to: URL(fileURLWithPath: dir + "/bare.json"))
        let noHistogram = try jukisim(["merge", a, dir + "/bare.json"])
        #expect(noHistogram.status == 2 && noHistogram.err.contains("journeys.certificate.latencySeconds: holds"))
    }

    @Test("run --junit copies junit.xml where CI looks; a folder that does not exist is refused before the run")
    func junitFlag() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = dir + "/s.yaml"
        try (RunCommandTests.small + "\nthresholds: {journeys.certificate.completed: [\"count>999999\"]}\n").write(
            toFile: file, atomically: true, encoding: .utf8)
        let run = try jukisim(["run", file, "--output", dir + "/r", "--quiet", "--junit", dir + "/ci.xml"])
        #expect(run.status == 1)
        let xml = try String(contentsOfFile: dir + "/ci.xml", encoding: .utf8)
        #expect(xml == (try String(contentsOfFile: dir + "/r/junit.xml", encoding: .utf8)))
        #expect(xml.contains(#"message="journeys.certificate.completed: measured "#) && xml.contains("count&gt;999999"))
        let refused = try jukisim(["run", file, "--output", dir + "/s", "--junit", dir + "/none/ci.xml"])
        #expect(refused.status == 2 && refused.err.contains("--junit: the folder \(dir)/none does not exist"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/s/summary.json"))
    }
}

@Suite("jukisim run with OTEL_EXPORTER_OTLP_ENDPOINT")
struct OTelEndpointTests {
    @Test(
        "without the OTel trait one line says the build cannot export; with it, a dead endpoint or a bad setting fails")
    func endpoint() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = dir + "/s.yaml"
        try RunCommandTests.small.write(toFile: file, atomically: true, encoding: .utf8)
        // Port 9 (discard): nothing listens on loopback, so a connection is refused at once.
        let dead = "http://127.0.0.1:9"
        let run = try jukisim(
            ["run", file, "--output", dir + "/r", "--quiet"],
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": dead, "OTEL_EXPORTER_OTLP_TIMEOUT": "2000"])
        #expect(FileManager.default.fileExists(atPath: dir + "/r/traces.jsonl"))
        #if OTel
            #expect(run.status == 3, "\(run.err)")
            #expect(run.err.contains("OpenTelemetry: exporting \(dir)/r to \(dead) failed"), "\(run.err)")
            // Settings swift-otel would trap on, send wrongly, or cannot read: exit 2 naming the variable.
            let refused = [
                ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", "OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported"),
                ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json", "ids in base64"),
                ("OTEL_PROPAGATORS", "tracecontext,baggage", "OTEL_PROPAGATORS: 'baggage' is not supported"),
                ("OTEL_TRACES_SAMPLER", "xray", "OTEL_TRACES_SAMPLER=xray is not supported"),
                ("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip", "would ignore gzip"),
                ("OTEL_BSP_MAX_QUEUE_SIZE", "-5", "environment_key=OTEL_BSP_MAX_QUEUE_SIZE"),
            ]
            for (name, value, message) in refused {
                let r = try jukisim(
                    ["run", file, "--output", dir + "/g", "--quiet"],
                    environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": dead, name: value])
                #expect(r.status == 2 && r.err.contains(message), "\(name)=\(value): \(r.err)")
            }
        #else
            #expect(run.status == 0, "\(run.err)")
            #expect(
                run.err.contains("OTEL_EXPORTER_OTLP_ENDPOINT is set, but this build has no OpenTelemetry exporter"))
        #endif
        // Switched off by the standard variable: no export, no line.
        let off = try jukisim(
            ["run", file, "--output", dir + "/o", "--quiet"],
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": dead, "OTEL_SDK_DISABLED": "true"])
        #expect(off.status == 0 && !off.err.contains("OpenTelemetry") && !off.out.contains("OpenTelemetry"))
    }
}

/// `jukisim run --metrics-listen` hands the run to `jukisim-live`, built beside it, which serves /metrics.
@Suite("jukisim run --metrics-listen")
struct LiveMetricsCommandTests {
    @Test("serves the figures at /metrics while it runs and after; refuses virtual-time runs and bad addresses")
    func serves() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = dir + "/wall.yaml"
        try """
        name: live-cli
        seed: 2
        clock: wall
        population: {residents: 3000, others: {residents: 200}}
        load: {rate: 300, duration: 2s}
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let port = 20_000 + Int(UInt16.random(in: 0..<20_000))
        let address = "127.0.0.1:\(port)"
        let run = Task.detached {
            try jukisim([
                "run", file, "--metrics-listen", address, "--metrics-linger", "20s", "--output", dir + "/r", "--quiet",
            ])
        }
        // Poll the endpoint until the run's final figures are there (up to a minute). The whole test suite runs
        // beside it: other tests' blocking process calls can hold the cooperative threads for seconds, so the run
        // lingers 20 s to be sure the poller sees the final figures.
        var final: String?
        let url = try #require(URL(string: "http://\(address)/metrics"))
        for _ in 0..<600 {
            if let (data, _) = try? await URLSession.shared.data(from: url) {
                let text = String(decoding: data, as: UTF8.self)
                if text.contains("\njukisim_run_finished 1.0") {
                    final = text
                    break
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let result = try await run.value
        #expect(result.status == 0, "\(result.err)")
        let served = try #require(final)
        #expect(served == (try String(contentsOfFile: dir + "/r/metrics.prom", encoding: .utf8)))
        let virtual = try jukisim(["run", "Scenarios/smoke.yaml", "--metrics-listen", address])
        #expect(virtual.status == 2 && virtual.err.contains("is not a wall-clock scenario"))
        let bad = try jukisim(["run", file, "--metrics-listen", "nowhere"])
        #expect(bad.status == 2 && bad.err.contains("--metrics-listen: write HOST:PORT"))
        let linger = try jukisim(["run", file, "--metrics-linger", "5s"])
        #expect(linger.status == 2 && linger.err.contains("--metrics-linger applies with --metrics-listen"))
    }
}

@Suite("jukisim run SUITE.yaml")
struct SuiteCommandTests {
    @Test("runs the suite's scenarios: the worst exit code, --junit, validate; a bad suite exits 2 before running")
    func suite() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try (RunCommandTests.small + "\nthresholds: {invariants.lostUpdates: [\"count==0\"]}\n").write(
            toFile: dir + "/pass.yaml", atomically: true, encoding: .utf8)
        try
            (RunCommandTests.small.replacingOccurrences(of: "cli-smoke", with: "cli-fail")
            + "\nthresholds: {journeys.certificate.completed: [\"count>999999\"]}\n").write(
                toFile: dir + "/fail.yaml", atomically: true, encoding: .utf8)
        try "suite: both\nscenarios:\n  - file: pass.yaml\n  - file: fail.yaml\n".write(
            toFile: dir + "/suite.yaml", atomically: true, encoding: .utf8)
        let run = try jukisim(["run", dir + "/suite.yaml", "--output", dir + "/out", "--junit", dir + "/ci.xml"])
        #expect(run.status == 1, "\(run.err)")
        #expect(run.out.contains("✓ cli-smoke: passed") && run.out.contains("✗ cli-fail: a threshold"), "\(run.out)")
        let xml = try String(contentsOfFile: dir + "/ci.xml", encoding: .utf8)
        #expect(xml.contains(#"<testsuite name="cli-smoke""#) && xml.contains(#"<testsuite name="cli-fail""#))
        #expect(FileManager.default.fileExists(atPath: dir + "/out/cli-fail/summary.json"))
        let valid = try jukisim(["validate", dir + "/suite.yaml"])
        #expect(valid.status == 0 && valid.out.contains("valid suite (both, 2 scenarios)"))
        try "suite: bad\nscenarios:\n  - file: pass.yaml\n  - file: none.yaml\n".write(
            toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let bad = try jukisim(["run", dir + "/bad.yaml", "--output", dir + "/bad-out"])
        #expect(bad.status == 2 && bad.err.contains("none.yaml"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/bad-out/cli-smoke"))
    }
}
