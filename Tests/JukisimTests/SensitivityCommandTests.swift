import Foundation
import Testing

@Suite("jukisim sensitivity")
struct SensitivityCommandTests {
    static func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("jukisim-sensitivity-\(UUID())").path
    }

    @Test(
        "exit 2 naming the flag and its rule",
        arguments: [
            (["--factor", "0%"], "--factor must be between 1% and 90%"),
            (["--factor", "150%"], "--factor must be between 1% and 90%"),
            (["--factor", "twenty"], "--factor must be a percentage"),
            (["--metric", "median"], "--metric must be p95, mean or worst"),
            (["--replications", "0"], "--replications must be between 1 and 20"),
            (["--top", "0"], "--top must be at least 1"),
            (["--jobs", "0"], "--jobs must be between 1 and 256"),
            (["--only", "nonsense"], "--only 'nonsense' matches no estimated input"),
        ])
    func badFlags(flags: [String], message: String) throws {
        let r = try jukisim(["sensitivity", "Scenarios/smoke.yaml"] + flags + ["--output", Self.folder()])
        #expect(r.status == 2)
        #expect(r.err.contains(message), "\(r.err)")
    }

    @Test("exit 2 for a missing scenario, a sweep, a canary and a wall-clock scenario")
    func badScenario() throws {
        let missing = try jukisim(["sensitivity", "Scenarios/no-such-file.yaml", "--output", Self.folder()])
        #expect(missing.status == 2)
        let sweep = try jukisim(["sensitivity", "Scenarios/one-stop-adoption.yaml", "--output", Self.folder()])
        #expect(sweep.status == 2 && sweep.err.contains("is a sweep scenario"))
        let canary = try jukisim(["sensitivity", "Scenarios/canary-mmc.yaml", "--output", Self.folder()])
        #expect(canary.status == 2 && canary.err.contains("is a canary scenario"))
        let wall = try jukisim(["sensitivity", "Scenarios/load-smoke.yaml", "--output", Self.folder()])
        #expect(wall.status == 2 && wall.err.contains("is a wall-clock scenario"))
    }

    @Test("exit 0 with the table and the three files")
    func runs() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let r = try jukisim([
            "sensitivity", "Scenarios/smoke.yaml", "--only", "counters.desk.certificate", "--factor", "0.1",
            "--output", folder,
        ])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("counters.desk.certificate") && r.out.contains("down (−10 %)"))
        for name in ["sensitivity.json", "sensitivity.md", "sensitivity.html"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + name), "\(name)")
        }
    }
}
