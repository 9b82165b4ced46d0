import Foundation
import JukiPopulation
import Testing

/// The built `jukisim` binary, next to the test bundle.
func jukisimBinary() throws -> URL {
    let directory = Bundle.main.bundleURL.deletingLastPathComponent()
    let candidates = [
        Bundle.main.bundleURL.appendingPathComponent("jukisim"), directory.appendingPathComponent("jukisim"),
        Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("jukisim"),
    ].compactMap { $0 }
    return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
}

/// Runs the built `jukisim` binary, optionally through a wrapper such as `taskset -c 0`, and captures its output.
func jukisim(
    _ arguments: [String], wrapper: [String] = [], environment: [String: String] = [:]
) throws -> (status: Int32, out: String, err: String) {
    let binary = try jukisimBinary()
    let process = Process()
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    if let tool = wrapper.first {
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = Array(wrapper.dropFirst()) + [binary.path] + arguments
    } else {
        process.executableURL = binary
        process.arguments = arguments
    }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
        process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self)
    )
}

@Suite("jukisim id check")
struct IdCheckCommandTests {
    @Test("exits 0 when every value is valid, naming the kind")
    func valid() throws {
        let r = try jukisim(["id", "check", "123456789018", "142051", "１２３４５６７８９０１８"])
        #expect(r.status == 0)
        #expect(r.out.contains("individualNumber (個人番号)"))
        #expect(r.out.contains("municipalityCode"))
    }

    @Test("exits 1 when any value is invalid, saying why")
    func invalid() throws {
        let r = try jukisim(["id", "check", "123456789018", "123456789019", "12345"])
        #expect(r.status == 1)
        #expect(r.out.contains("expected check digit 8"))
        #expect(r.out.contains("matches no identifier"))
    }

    @Test("thousands of values as arguments, and values on standard input with -")
    func manyValues() throws {
        // 20,000 values: every one answered, in order (ArgumentParser alone took 21 s for 16,000).
        let values = (0..<20_000).map { String(100_000_000_000 + $0 * 7) }
        let r = try jukisim(["id", "check"] + values)
        let lines = r.out.split(separator: "\n")
        #expect(lines.count == 20_000 && lines.first?.hasPrefix(values[0] + "\t") == true)
        #expect(lines.last?.hasPrefix(values[19_999] + "\t") == true && r.status == 1)
        let binary = try jukisimBinary()
        let process = Process()
        process.executableURL = binary
        process.arguments = ["id", "check", "-"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data("123456789018, 142051\n１２３４５６７８９０１８\t\n\n".utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text.split(separator: "\n").count == 3 && text.contains("142051\tvalid"))
    }

    @Test("exits 2 on usage errors", arguments: [["id", "check"], ["id", "check", "--bogus"], ["nonsense"]])
    func usage(arguments: [String]) throws {
        #expect(try jukisim(arguments).status == 2)
    }
}

@Suite("jukisim population")
struct PopulationCommandTests {
    @Test("generate writes one JSON line per resident")
    func generate() throws {
        let r = try jukisim(["population", "generate", "--residents", "1000", "--seed", "3"])
        #expect(r.status == 0)
        #expect(r.out.split(separator: "\n").count == 1000)
        #expect(r.err.isEmpty)
    }

    @Test("generate writes CSV to a file")
    func csvFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jukisim-\(UUID().uuidString).csv")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try jukisim(["population", "generate", "--residents", "500", "--format", "csv", "--output", path])
        #expect(r.status == 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 501)
        #expect(text.hasPrefix("residentCode,individualNumber,"))
    }

    @Test(
        "refuses bad options with exit 2 and names the option",
        arguments: [
            (["population", "generate", "--residents", "0"], "--residents"),
            (["population", "generate", "--municipality", "142052"], "--municipality"),
            (["population", "stats", "--jobs", "0"], "--jobs"),
            (["population", "stats", "--undesignated-share", "2"], "--undesignated-share"),
            (["population", "generate", "--format", "xml"], "--format"),
            (["population", "generate", "--residents", "ten"], "--residents"),
        ])
    func badOptions(arguments: [String], flag: String) throws {
        let r = try jukisim(arguments)
        #expect(r.status == 2)
        #expect(r.err.contains(flag), "stderr was: \(r.err)")
    }

    @Test("an unwritable output is an I/O error, exit 3")
    func unwritable() throws {
        let r = try jukisim(["population", "generate", "--residents", "10", "--output", "/nonexistent/dir/x.jsonl"])
        #expect(r.status == 3)
        #expect(r.err.contains("/nonexistent/dir/x.jsonl"))
    }

    @Test("stats --json prints the marginals beside their targets")
    func statsJSON() throws {
        let r = try jukisim(["population", "stats", "--residents", "3000", "--json"])
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(object["residents"] as? Int == 3000)
        let lines = try #require(object["lines"] as? [[String: Any]])
        #expect(lines.contains { $0["key"] as? String == "share.aged65plus" })
    }

    @Test("stats prints a table with deviations")
    func statsTable() throws {
        let r = try jukisim(["population", "stats", "--residents", "3000"])
        #expect(r.status == 0)
        #expect(r.out.contains("households (世帯)"))
        #expect(r.out.contains("bytes per resident"))
    }
}

@Suite("Determinism across core counts")
struct CoreCountTests {
    @Test("the canary's event digest is the same pinned to one core (taskset -c 0) and unpinned")
    func pinnedEqualsUnpinned() throws {
        let taskset = ["/usr/bin/taskset", "/bin/taskset"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let arguments = ["simulate", "canary", "--customers-per-point", "20000", "--json", "--seed", "77"]
        let free = try jukisim(arguments)
        #expect(free.status == 0)
        let freeObject = try #require(try JSONSerialization.jsonObject(with: Data(free.out.utf8)) as? [String: Any])
        guard let taskset else {
            Issue.record("taskset is not installed (util-linux); cannot pin to one core")
            return
        }
        let pinnedRun = try jukisim(arguments, wrapper: [taskset, "-c", "0"])
        #expect(pinnedRun.status == 0)
        let pinnedOut = pinnedRun.out
        let pinned = try #require(try JSONSerialization.jsonObject(with: Data(pinnedOut.utf8)) as? [String: Any])
        #expect(pinned["digest"] as? String == freeObject["digest"] as? String)
        #expect(pinned["meanTimeInSystem"] as? Double == freeObject["meanTimeInSystem"] as? Double)
        #expect(pinned["events"] as? Int == freeObject["events"] as? Int)
    }
}

@Suite("A simulated day on one core and on all cores")
struct DayCoreCountTests {
    @Test("a day's digest and journey counts are the same under taskset -c 0")
    func dayPinned() throws {
        guard
            let taskset = ["/usr/bin/taskset", "/bin/taskset"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else {
            Issue.record("taskset is not installed (util-linux); cannot pin to one core")
            return
        }
        let arguments = ["simulate", "day", "--residents", "20000", "--seed", "11", "--json"]
        let free = try jukisim(arguments)
        let pinned = try jukisim(arguments, wrapper: [taskset, "-c", "0"])
        #expect(free.status == 0 && pinned.status == 0)
        let a = try #require(try JSONSerialization.jsonObject(with: Data(free.out.utf8)) as? [String: Any])
        let b = try #require(try JSONSerialization.jsonObject(with: Data(pinned.out.utf8)) as? [String: Any])
        #expect(a["digest"] as? String == b["digest"] as? String)
        #expect(a["events"] as? Int == b["events"] as? Int)
        #expect((a["journeys"] as? NSDictionary) == (b["journeys"] as? NSDictionary))
    }
}

@Suite("jukisim run and validate")
struct RunCommandTests {
    func scenario(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let small = """
        name: cli-smoke
        population: {residents: 2000, others: {residents: 100}}
        workload: {followPopulation: false, scale: 0.1}
        """

    @Test("exit 0 when every threshold passes, 1 when one fails, 2 for an invalid file")
    func exitCodes() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let pass = try scenario(Self.small + "\nthresholds: {invariants.lostUpdates: [\"count==0\"]}\n")
        #expect(try jukisim(["run", pass, "--output", out + "/a"]).status == 0)
        let fail = try scenario(Self.small + "\nthresholds: {journeys.certificate.completed: [\"count>999999\"]}\n")
        let failed = try jukisim(["run", fail, "--output", out + "/b"])
        #expect(failed.status == 1)
        #expect(failed.out.contains("✗ journeys.certificate.completed count>999999:") && failed.out.contains("FAILED"))
        // The summary table: journeys with percentiles, the worst counters, the phases; --quiet: one line.
        #expect(failed.out.contains("journey") && failed.out.contains("p95") && failed.out.contains("certificate"))
        #expect(failed.out.contains("counters with the longest waits") && failed.out.contains("time: population"))
        let counterFail = try scenario(Self.small + "\nthresholds: {counters.*.utilization: [\"value<0.0001\"]}\n")
        let named = try jukisim(["run", counterFail, "--output", out + "/c"])
        #expect(named.status == 1 && named.out.contains("✗ counters.*.utilization value<0.0001:"), "\(named.out)")
        #expect(named.out.contains(" at "))
        #expect(named.out.contains("センター"))
        let quiet = try jukisim(["run", counterFail, "--output", out + "/d", "--quiet"])
        #expect(quiet.status == 1 && quiet.out.split(separator: "\n").count == 1)
        // An output path that is a file is refused before anything runs.
        let taken = out + "/taken"
        try Data().write(to: URL(fileURLWithPath: taken))
        let refusedOutput = try jukisim(["run", pass, "--output", taken])
        #expect(
            refusedOutput.status == 2 && refusedOutput.err.contains("--output: \(taken) exists and is not a folder"))
        let invalid = try scenario("name: x\nworklaod: {}\n")
        let refused = try jukisim(["run", invalid])
        #expect(refused.status == 2)
        #expect(refused.err.contains(":2:1: worklaod: unknown key 'worklaod'; did you mean 'workload'?"))
        #expect(try jukisim(["validate", invalid]).status == 2)
        #expect(try jukisim(["validate", pass]).status == 0)
        let absent = try jukisim(["run", "/nonexistent/scenario.yaml"])
        #expect(absent.status == 2 && absent.err.contains("/nonexistent/scenario.yaml: no such file"))
        // A folder or a device: plain words, no Foundation error codes, and no endless read of /dev/zero.
        let folder = try jukisim(["validate", FileManager.default.temporaryDirectory.path])
        #expect(folder.status == 2 && folder.err.contains("is a folder, not a file") && !folder.err.contains("NSCocoa"))
        let device = try jukisim(["validate", "/dev/zero"])
        #expect(device.status == 2 && device.err.contains("/dev/zero: is not a regular file"))
        // A duplicate key: the second occurrence's line and column.
        let twice = try scenario("name: x\nfaults:\n  storeAndForward: true\n  storeAndForward: false\n")
        let duplicate = try jukisim(["validate", twice])
        #expect(
            duplicate.status == 2
                && duplicate.err.contains(":4:3: (top level): the key 'storeAndForward' appears twice"))
        // Truncated, binary and huge files: exit 2, naming the file and the rule.
        let full = try String(contentsOfFile: pass, encoding: .utf8)
        let truncated = try scenario(String(full.prefix(full.count / 2)) + "\nthresholds: {invariants.lost")
        let cut = try jukisim(["run", truncated])
        #expect(cut.status == 2 && cut.err.contains(truncated))
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString).yaml")
        try Data([0x6E, 0x61, 0x6D, 0x65, 0x3A, 0x00, 0xFF, 0xFE]).write(to: binary)
        let bin = try jukisim(["run", binary.path])
        #expect(bin.status == 2 && bin.err.contains("not UTF-8 text"))
        let huge = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString).yaml")
        try Data(repeating: 0x23, count: 5_000_000).write(to: huge)
        let big = try jukisim(["run", huge.path])
        #expect(big.status == 2 && big.err.contains("at most 4 MB"))
        for f in [truncated, binary.path, huge.path] { try? FileManager.default.removeItem(atPath: f) }
        // compare: identical runs pass with a zero budget; a grown latency fails with 1; a bad file is 2.
        let a = out + "/a/summary.json"
        let same = try jukisim(["compare", a, a, "--budget", "0", "--format", "md"])
        #expect(same.status == 0 && same.out.contains(" 0 failed") && !same.out.contains("| metric |"))
        let everything = try jukisim(["compare", a, a, "--budget", "0", "--format", "md", "--all"])
        #expect(everything.status == 0 && everything.out.contains("| metric | base | new | delta |"))
        var grown = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: a))) as? [String: Any])
        var journeys = try #require(grown["journeys"] as? [String: Any])
        var certificate = try #require(journeys["certificate"] as? [String: Any])
        var latency = try #require(certificate["latencySeconds"] as? [String: Any])
        latency["p95"] = ((latency["p95"] as? Double) ?? 1) * 1.5 + 1
        certificate["latencySeconds"] = latency
        journeys["certificate"] = certificate
        grown["journeys"] = journeys
        let slower = out + "/slower.json"
        try JSONSerialization.data(withJSONObject: grown).write(to: URL(fileURLWithPath: slower))
        let worse = try jukisim(["compare", a, slower, "--budget", "5%"])
        #expect(worse.status == 1 && worse.out.contains("journeys.certificate.latencySeconds.p95"))
        // A journey missing from the new run fails, named; a summary of another kind is refused (exit 2).
        journeys["certificate"] = nil
        grown["journeys"] = journeys
        let fewer = out + "/fewer.json"
        try JSONSerialization.data(withJSONObject: grown).write(to: URL(fileURLWithPath: fewer))
        let missing = try jukisim(["compare", a, fewer, "--budget", "100%"])
        #expect(missing.status == 1 && missing.out.contains("MISSING"))
        #expect(missing.out.contains("journeys.certificate.latencySeconds.p95"))
        grown["kind"] = "sweep"
        let sweep = out + "/sweep.json"
        try JSONSerialization.data(withJSONObject: grown).write(to: URL(fileURLWithPath: sweep))
        let other = try jukisim(["compare", a, sweep])
        #expect(other.status == 2 && other.err.contains("kind run ≠ sweep"))
        #expect(try jukisim(["compare", a, sweep, "--allow-different-scenarios"]).status == 1)
        #expect(try jukisim(["compare", a, "/nonexistent.json"]).status == 2)
        // The run's audit trails verify; a changed line is found (exit 1); an unreadable file is exit 2.
        let trail = out + "/a/audit/registerSystem.jsonl"
        #expect(try jukisim(["audit", "verify", trail, out + "/a/audit/municipalCS.jsonl"]).status == 0)
        var lines = try String(contentsOfFile: trail, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[1] = lines[1].replacingOccurrences(of: "\"count\":1", with: "\"count\":2")
        try lines.joined(separator: "\n").write(toFile: out + "/tampered.jsonl", atomically: true, encoding: .utf8)
        let tampered = try jukisim(["audit", "verify", out + "/tampered.jsonl"])
        #expect(tampered.status == 1 && tampered.out.contains(":2: hash does not match"))
        #expect(try jukisim(["audit", "verify", "/nonexistent.jsonl"]).status == 2)
        // The report folder checks its trails against summary.json's heads: a cut tail is caught (exit 1); a file
        // that is not JSON Lines is unreadable (exit 2), not tampered.
        let folderCheck = try jukisim(["audit", "verify", out + "/a"])
        #expect(folderCheck.status == 0 && folderCheck.out.contains("ending at the head"))
        let cutTrail = out + "/cut/audit/registerSystem.jsonl"
        try FileManager.default.createDirectory(atPath: out + "/cut/audit", withIntermediateDirectories: true)
        let kept = try String(contentsOfFile: trail, encoding: .utf8).split(separator: "\n").dropLast(2)
        try kept.joined(separator: "\n").write(toFile: cutTrail, atomically: true, encoding: .utf8)
        #expect(try jukisim(["audit", "verify", cutTrail]).status == 0)
        let cutCheck = try jukisim(["audit", "verify", cutTrail, "--summary", out + "/a/summary.json"])
        #expect(cutCheck.status == 1 && cutCheck.out.contains("the tail was cut"))
        let notTrail = try jukisim(["audit", "verify", out + "/a/summary.json"])
        #expect(notTrail.status == 2 && notTrail.err.contains("not an audit trail"))
        // --find-capacity needs a wall-clock scenario.
        #expect(try jukisim(["run", pass, "--find-capacity", "--output", out + "/c"]).status == 2)
    }
}

@Suite("jukisim run in the wall-clock load mode")
struct LoadModeCommandTests {
    /// A light load run in its own process (its own threads: the parallel tests cannot starve its clock).
    static func run(slow: Bool) throws -> [String: Any] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jk-load-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("load.yaml")
        try """
        name: load-co
        seed: 2
        clock: wall
        population: {residents: 3000, others: {residents: 200}}
        load:
          rate: 1000
          duration: 2s
          maxLateness: 10s
        \(slow ? "  slowHandler: {every: 400, for: 60ms}" : "")
        """.write(to: file, atomically: true, encoding: .utf8)
        let r = try jukisim(["run", file.path, "--output", dir.appendingPathComponent("out").path, "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        let data = try Data(contentsOf: dir.appendingPathComponent("out/summary.json"))
        let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(summary["load"] as? [String: Any])
    }

    static func p99(_ block: Any?) -> Double { ((block as? [String: Any])?["p99"] as? Double) ?? -1 }

    @Test("a deliberately slowed handler shows in the corrected p99, not in the uncorrected")
    func coordinatedOmission() throws {
        // Every 400th register request stalls 60 ms (about every 0.4 s: 15 % of the run). Arrivals due during a
        // stall are issued late; only the corrected latency counts their wait.
        let slowed = try Self.run(slow: true)
        #expect(slowed["issued"] as? Int == 2_000 && slowed["dropped"] as? Int == 0)
        let corrected = Self.p99(slowed["latencySeconds"])
        let uncorrected = Self.p99(slowed["uncorrectedLatencySeconds"])
        #expect(corrected >= 0.03, "corrected p99 \(corrected) s")
        #expect(uncorrected * 2 < corrected, "uncorrected p99 \(uncorrected) s against corrected \(corrected) s")
        let plain = try Self.run(slow: false)
        #expect(Self.p99(plain["latencySeconds"]) * 2 < corrected, "without stalls: \(plain)")
    }
}

@Suite("jukisim population nation")
struct PopulationNationCommandTests {
    @Test("generates the chosen prefectures at the chosen scale; bad prefectures and scales exit 2 naming the flag")
    func nation() throws {
        let r = try jukisim(["population", "nation", "--prefectures", "31", "--scale", "1%", "--copies", "--json"])
        #expect(r.status == 0, "\(r.err)")
        let object = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        // The identity copies' shared base: a sorted code and a 32-byte entry a person, 32 bytes of facts-key pairs,
        // and 16 bytes a number for those designated; capacities, which jemalloc's size classes round up, count.
        let residents = object?["residents"] as? Int ?? 0
        let baseBytes = object?["identityBaseBytes"] as? Int ?? 0
        #expect(baseBytes >= 72 * residents && baseBytes <= 128 * residents, "\(baseBytes) for \(residents)")
        let tottori = MunicipalityDirectory.prefecture(31)
        #expect(object?["municipalities"] as? Int == tottori.count)
        #expect(
            object?["residents"] as? Int
                == tottori.reduce(0) { $0 + max(1, Int((Double($1.population) * 0.01).rounded())) })
        #expect((object?["peakResidentBytes"] as? Int ?? 0) > 0)
        let lines = try jukisim(["population", "nation", "--prefectures", "31,32", "--scale", "0.005"])
        #expect(lines.status == 0 && lines.out.contains("municipalities in 2 prefectures"))
        for (arguments, flag) in [
            (["--prefectures", "0"], "--prefectures"), (["--prefectures", "13,x"], "--prefectures"),
            (["--scale", "0"], "--scale"), (["--scale", "150%"], "--scale"), (["--jobs", "0"], "--jobs"),
        ] {
            let bad = try jukisim(["population", "nation"] + arguments)
            #expect(bad.status == 2 && bad.err.contains(flag), "\(arguments): \(bad.err)")
        }
    }
}
