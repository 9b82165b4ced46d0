import Foundation
import JukiScenario
import Testing

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
