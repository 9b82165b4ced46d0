import Foundation
import Testing

/// `jukisim cases generate`: files written, the same seed the same cases, bad input exit 2.
@Suite("jukisim cases generate")
struct CasesCommandTests {
    static func drillFile(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "drill-\(UUID().uuidString).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func writesSheetsKeyAndJSON() throws {
        let drill = try Self.drillFile("name: cli\nseed: 4\ncases: 5\nresidents: 3000\notherResidents: 300\n")
        let out = NSTemporaryDirectory() + "cases-\(UUID().uuidString)"
        let r = try jukisim(["cases", "generate", "--drill", drill, "--output", out])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("5 cases"))
        for file in ["cases.html", "answer-key.html", "cases.json"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file))
        }
        let again = NSTemporaryDirectory() + "cases-\(UUID().uuidString)"
        _ = try jukisim(["cases", "generate", "--drill", drill, "--output", again, "--quiet"])
        let a = try String(contentsOfFile: out + "/cases.json", encoding: .utf8)
        let b = try String(contentsOfFile: again + "/cases.json", encoding: .utf8)
        #expect(a == b)
        let other = NSTemporaryDirectory() + "cases-\(UUID().uuidString)"
        _ = try jukisim(["cases", "generate", "--drill", drill, "--output", other, "--seed", "5", "--quiet"])
        #expect(try String(contentsOfFile: other + "/cases.json", encoding: .utf8) != a)
    }

    @Test(arguments: [
        ("name: bad\ncases: 9999\n", "cases: must be 1 to 500"),
        ("name: bad\nscenario: missing.yaml\n", "missing.yaml"),
        ("name: bad\nmix: { moving: 1 }\n", "unknown request 'moving'"),
    ])
    func badDrillsExit2(text: String, message: String) throws {
        let r = try jukisim([
            "cases", "generate", "--drill", try Self.drillFile(text), "--output",
            NSTemporaryDirectory() + "x-\(UUID().uuidString)",
        ])
        #expect(r.status == 2)
        #expect(r.err.contains(message), "\(r.err)")
    }

    @Test func aMissingDrillExits2() throws {
        let r = try jukisim(["cases", "generate", "--drill", "/nonexistent.yaml"])
        #expect(r.status == 2)
        #expect(r.err.contains("/nonexistent.yaml"))
    }
}

/// `jukisim train` hands its arguments to `jukisim-train`, built beside it (every product is built for the tests).
@Suite("jukisim train")
struct TrainCommandTests {
    @Test func forwardsToTheTrainingServer() throws {
        let r = try jukisim(["train", "/nonexistent-drill.yaml"])
        #expect(r.status == 2)
        #expect(r.err.contains("/nonexistent-drill.yaml"), "\(r.err)")
        let bad = try jukisim(["train", "Scenarios/drills/first-week.yaml", "--port", "0"])
        #expect(bad.status == 2)
        #expect(bad.err.contains("--port: must be 1 to 65535"), "\(bad.err)")
    }
}
