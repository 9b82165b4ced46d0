import Foundation
import Testing

@testable import JukiScenario

@Suite("JUnit XML of a run's checks")
struct JUnitReportTests {
    static let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scripts/schemas/junit-10.xsd").path

    /// Validates `xml` against the Jenkins xUnit plugin's JUnit schema with xmllint (Debian: libxml2-utils); CI
    /// installs it, so there a missing xmllint fails the test rather than skipping the check.
    static func validate(_ xml: String) throws -> (ok: Bool, output: String)? {
        let xmllint = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let xmllint else {
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "xmllint (libxml2-utils) is missing in CI")
            return nil
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("junit-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: file) }
        try xml.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: xmllint)
        process.arguments = ["--noout", "--schema", schema, file.path]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus == 0, output)
    }

    @Test("a failing threshold is a failed test case with the measured value and the expression; the file validates")
    func failingThreshold() async throws {
        let scenario = try Scenario.parse(
            """
            name: junit-test
            seed: 4
            population: {residents: 2000, others: {residents: 100}}
            workload: {followPopulation: false, scale: 0.1}
            thresholds:
              journeys.certificate.latency: ["p(95)<2h", "p(50)<1s"]
              invariants.lostUpdates: ["count==0"]
            """)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try await ScenarioRunner.run(scenario, directory: dir)
        let xml = try String(contentsOfFile: dir + "/junit.xml", encoding: .utf8)
        let summary = try Summary.read(dir + "/summary.json")
        let p50 = try #require(summary.journeys?["certificate"]?.latencySeconds.p50)
        #expect(xml.contains(#"<testsuite name="junit-test" tests="14" failures="1" errors="0""#), "\(xml)")
        #expect(
            xml.contains(
                #"<testcase classname="junit-test.thresholds" name="journeys.certificate.latency p(95)&lt;2h" time="0"/>"#
            ))
        #expect(
            xml.contains(
                #"<failure type="threshold" message="journeys.certificate.latency: measured "#
                    + "\(JUnitReport.format(p50)) s, the threshold is p(50)&lt;1s\""))
        #expect(xml.contains(#"name="lostUpdates == 0" time="0"/>"#))
        #expect(xml.contains(#"<property name="seed" value="4"/>"#))
        if let result = try Self.validate(xml) { #expect(result.ok, "\(result.output)") }
    }

    @Test("a broken invariant fails its case; names are escaped; an invalid document is refused by the schema check")
    func invariantsAndEscaping() throws {
        var s = Summary(kind: .run, scenario: #"a <b> & "c""#, seed: 1, clock: .virtual)
        s.invariants = Summary.Invariants(
            duplicateResidentCodes: 0, duplicateIndividualNumbers: 2, pendingUpdates: 0, pendingReasons: [:],
            lostUpdates: 0, unhandledMessages: 0, arrivals: 10, completed: 8, failed: 1, inProgress: 0, hold: false)
        let xml = JUnitReport.xml([JUnitReport.Entry(summary: s)], name: "jukisim")
        #expect(xml.contains(#"<testsuite name="a &lt;b&gt; &amp; &quot;c&quot;" tests="5" failures="2""#), "\(xml)")
        #expect(xml.contains(#"message="duplicateIndividualNumbers is 2, must be 0""#))
        #expect(xml.contains(#"message="10 journeys arrived, 9 are accounted for""#))
        if let result = try Self.validate(xml) { #expect(result.ok, "\(result.output)") }
        // The check itself can fail: a test case without its name does not validate.
        let broken = xml.replacingOccurrences(of: #" name="lostUpdates == 0""#, with: "")
        if let result = try Self.validate(broken) { #expect(!result.ok) }
    }

    @Test("a sweep has a suite per value; a replicated run judges its thresholds on the means")
    func sweepAndReplications() throws {
        var run = Summary(kind: .run, scenario: "s", seed: 1, clock: .virtual)
        run.thresholds = try JSONDecoder().decode(
            [Summary.ThresholdOutcome].self,
            from: Data(
                #"[{"metric":"journeys.certificate.latency","expression":"p(95)<1m","ok":false,"value":75}]"#.utf8))
        var sweep = Summary(kind: .sweep, scenario: "s", seed: 1, clock: .virtual)
        sweep.sweep = try JSONDecoder().decode(
            Summary.Sweep.self, from: Data(#"{"parameter":"workload.scale","values":["1","2"]}"#.utf8))
        let empty = #"{"count":0,"mean":0,"p50":0,"p90":0,"p95":0,"p99":0,"p999":0,"max":0}"#
        let runJSON = String(decoding: run.json(), as: UTF8.self)
        sweep.variants = try ["1", "2"].map { value in
            let text =
                #"{"value":"\#(value)","folder":"f","summary":\#(runJSON),"#
                + #""counters":{"served":0,"waitSeconds":\#(empty),"utilization":0,"maxQueue":0}}"#
            return try JSONDecoder().decode(Summary.Variant.self, from: Data(text.utf8))
        }
        let xml = JUnitReport.xml([JUnitReport.Entry(summary: sweep)], name: "jukisim")
        #expect(xml.contains(#"<testsuite name="s[workload.scale=1]" tests="1" failures="1""#), "\(xml)")
        #expect(xml.contains(#"<testsuite name="s[workload.scale=2]""#))
        #expect(xml.contains(#"message="journeys.certificate.latency: measured 75 s, the threshold is p(95)&lt;1m""#))
        #expect(xml.contains(#"<testsuites name="jukisim" tests="2" failures="2""#))
        if let result = try Self.validate(xml) { #expect(result.ok, "\(result.output)") }
    }
}
