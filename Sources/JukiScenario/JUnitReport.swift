import Foundation

/// A run's checks as JUnit XML, the file CI systems (Jenkins, GitLab, GitHub's test reporters) read: one test suite
/// per scenario (per sweep value; a replicated run's on its means), one test case per threshold and per invariant,
/// failures with the measured value and the expression. It validates against the Jenkins xUnit plugin's
/// `junit-10.xsd` (`Scripts/schemas/`).
public enum JUnitReport {
    /// One scenario's results: its summary and, when the run knows better than the summary (every replication of
    /// a replicated run), whether the invariants held.
    public struct Entry: Sendable {
        public var summary: Summary
        public var invariantsHold: Bool?

        public init(summary: Summary, invariantsHold: Bool? = nil) {
            self.summary = summary
            self.invariantsHold = invariantsHold
        }
    }

    /// One test case.
    struct Case {
        var classname: String
        var name: String
        /// The failure's message and body; nil when the case passed.
        var failure: (message: String, type: String, detail: String)?
    }

    /// One test suite.
    struct Suite {
        var name: String
        var seconds: Double?
        var properties: [(String, String)]
        var cases: [Case]
        var failures: Int { cases.filter { $0.failure != nil }.count }
    }

    /// The JUnit document of `entries`, each a scenario of the run (a suite runs several).
    public static func xml(_ entries: [Entry], name: String) -> String {
        let suites = entries.flatMap(suites)
        let tests = suites.reduce(0) { $0 + $1.cases.count }
        let failures = suites.reduce(0) { $0 + $1.failures }
        let seconds = suites.reduce(0) { $0 + ($1.seconds ?? 0) }
        var out = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<testsuites name="\#(escape(name))" tests="\#(tests)" failures="\#(failures)" errors="0" "#
                + #"time="\#(time(seconds))">"#,
        ]
        for suite in suites {
            var open =
                #"  <testsuite name="\#(escape(suite.name))" tests="\#(suite.cases.count)" "#
                + #"failures="\#(suite.failures)" errors="0" skipped="0""#
            if let s = suite.seconds { open += #" time="\#(time(s))""# }
            out.append(open + ">")
            if !suite.properties.isEmpty {
                out.append("    <properties>")
                for (key, value) in suite.properties {
                    out.append(#"      <property name="\#(escape(key))" value="\#(escape(value))"/>"#)
                }
                out.append("    </properties>")
            }
            for c in suite.cases {
                let head = #"    <testcase classname="\#(escape(c.classname))" name="\#(escape(c.name))" time="0""#
                guard let f = c.failure else {
                    out.append(head + "/>")
                    continue
                }
                out.append(head + ">")
                out.append(
                    #"      <failure type="\#(escape(f.type))" message="\#(escape(f.message))">"#
                        + escape(f.detail) + "</failure>")
                out.append("    </testcase>")
            }
            out.append("  </testsuite>")
        }
        out.append("</testsuites>")
        return out.joined(separator: "\n") + "\n"
    }

    /// The suites of one summary: the run, or each value of a sweep, or the replications' means.
    static func suites(_ entry: Entry) -> [Suite] {
        let s = entry.summary
        if let block = s.suite { return block.entries.flatMap(suiteEntry) }
        if let variants = s.variants {
            let parameter = s.sweep?.parameter ?? "value"
            return variants.map { v in
                var suite = run(v.summary, name: "\(s.scenario)[\(parameter)=\(v.value)]", invariantsHold: nil)
                suite.properties.append(("sweep.\(parameter)", v.value))
                return suite
            }
        }
        if let capacity = s.capacity {
            let cases = [
                Case(
                    classname: "\(s.scenario).capacity", name: "a sustainable rate was found",
                    failure: capacity.highestSustainableRate == nil
                        ? (
                            "no step held p(\(format(capacity.percentile)))<\(format(capacity.limitSeconds)) s",
                            "capacity",
                            "\(capacity.steps.count) steps, none within the limit"
                        ) : nil)
            ]
            return [Suite(name: s.scenario, seconds: nil, properties: properties(s), cases: cases)]
        }
        return [run(s, name: s.scenario, invariantsHold: entry.invariantsHold)]
    }

    /// A suite entry's test suites (its own name on its run's), with cases for a run that failed and for the
    /// comparison with its baseline.
    static func suiteEntry(_ e: Summary.SuiteEntry) -> [Suite] {
        var list = e.summary.map { suites(Entry(summary: $0)) } ?? []
        if list.count == 1 { list[0].name = e.name }
        if list.isEmpty {
            list = [Suite(name: e.name, seconds: e.wallSeconds, properties: [("file", e.file)], cases: [])]
        }
        if let error = e.error {
            list[0].cases.insert(
                Case(
                    classname: e.name, name: "the scenario runs", failure: (error, "error", "file: \(e.file)\n\(error)")
                ),
                at: 0)
        }
        if let passed = e.baselinePassed {
            let worse = e.baselineFailures ?? []
            let base = e.baseline.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "the baseline"
            list[0].cases.append(
                Case(
                    classname: e.name + ".baseline", name: "no metric worse than \(base)",
                    failure: passed
                        ? nil
                        : (
                            "\(worse.count) metrics worse than \(base) or missing: "
                                + worse.prefix(5).joined(separator: ", ") + (worse.count > 5 ? ", …" : ""),
                            "baseline", worse.joined(separator: "\n")
                        )))
        }
        list[0].properties.append(("exitCode", String(e.exitCode)))
        return list
    }

    /// The suite of one run: its thresholds (a replicated run's, on the replications' means) and invariants.
    static func run(_ s: Summary, name: String, invariantsHold: Bool?) -> Suite {
        var cases: [Case] = []
        let classname = name
        if let replicated = s.replications {
            for t in replicated.thresholds {
                let mean = t.estimate.map { " mean \(format($0.mean)) [\(format($0.low)), \(format($0.high))]" } ?? ""
                cases.append(
                    Case(
                        classname: classname + ".thresholds", name: "\(t.metric) \(t.expression)",
                        failure: t.ok
                            ? nil
                            : (
                                "\(t.metric): \(t.expression) fails on the mean of \(replicated.count) replications"
                                    + mean, "threshold",
                                "passed in \(t.passedIn) of \(replicated.count) replications;\(mean)"
                            )))
            }
        } else {
            for t in s.thresholds ?? [] { cases.append(threshold(t, classname: classname + ".thresholds")) }
        }
        if let i = s.invariants { cases += invariants(i, classname: classname + ".invariants") }
        if let holds = invariantsHold, s.replications != nil {
            let n = s.replications?.count ?? 0
            cases.append(
                Case(
                    classname: classname + ".invariants", name: "every invariant holds in all \(n) replications",
                    failure: holds
                        ? nil : ("an invariant broke in a replication", "invariant", "see the replications' reports")))
        }
        return Suite(name: name, seconds: s.wall?.seconds, properties: properties(s), cases: cases)
    }

    static func properties(_ s: Summary) -> [(String, String)] {
        var p: [(String, String)] = [("kind", s.kind.rawValue), ("seed", String(s.seed)), ("clock", s.clock.rawValue)]
        if let sim = s.simulated {
            p.append(("simulated.start", sim.start))
            p.append(("simulated.end", sim.end))
        }
        if let d = s.engine?.digest { p.append(("engine.digest", d)) }
        if let n = s.replications?.count { p.append(("replications", String(n))) }
        if let m = s.merged { p.append(("merged.inputs", String(m.inputs.count))) }
        return p
    }

    /// A threshold's case: the failure says the measured value and the expression.
    static func threshold(_ t: Summary.ThresholdOutcome, classname: String) -> Case {
        guard !t.ok else { return Case(classname: classname, name: "\(t.metric) \(t.expression)", failure: nil) }
        let isDuration: Bool
        if case .success(let parsed) = Threshold.parse(t.expression, metric: t.metric) {
            isDuration = parsed.boundIsDuration
        } else {
            isDuration = false
        }
        let measured = t.value.map { isDuration ? "\(format($0)) s" : format($0) } ?? "no data"
        return Case(
            classname: classname, name: "\(t.metric) \(t.expression)",
            failure: (
                "\(t.metric): measured \(measured), the threshold is \(t.expression)", "threshold",
                "metric: \(t.metric)\nexpression: \(t.expression)\nmeasured: \(measured)"
            ))
    }

    /// One case per invariant `Summary.Invariants.hold` joins.
    static func invariants(_ i: Summary.Invariants, classname: String) -> [Case] {
        var checks: [(String, Int)] = [
            ("duplicateResidentCodes", i.duplicateResidentCodes),
            ("duplicateIndividualNumbers", i.duplicateIndividualNumbers), ("lostUpdates", i.lostUpdates),
            ("unhandledMessages", i.unhandledMessages),
        ]
        for (name, value) in [
            ("addresseeMismatches", i.addresseeMismatches), ("copyMismatches", i.copyMismatches),
            ("unrecordedProvisions", i.unrecordedProvisions), ("provisionsOffList", i.provisionsOffList),
            ("unrecordedTransfers", i.unrecordedTransfers), ("numbersOutsideNumberUse", i.numbersOutsideNumberUse),
        ] {
            if let value { checks.append((name, value)) }
        }
        var cases = checks.map { name, value in
            Case(
                classname: classname, name: "\(name) == 0",
                failure: value == 0 ? nil : ("\(name) is \(value), must be 0", "invariant", "\(name): \(value)"))
        }
        let accounted = i.completed + i.failed + i.inProgress
        cases.append(
            Case(
                classname: classname, name: "arrivals == completed + failed + inProgress",
                failure: i.arrivals == accounted
                    ? nil
                    : (
                        "\(i.arrivals) journeys arrived, \(accounted) are accounted for", "invariant",
                        "arrivals \(i.arrivals), completed \(i.completed), failed \(i.failed), in progress \(i.inProgress)"
                    )))
        return cases
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%.6g", v)
    }

    /// Seconds as the schema's SUREFIRE_TIME wants them: digits, a point, digits.
    static func time(_ seconds: Double) -> String { String(format: "%.3f", max(seconds, 0)) }

    /// Text for an attribute or element: XML's five special characters escaped, and characters XML 1.0 cannot hold
    /// dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\t", "\r": out += "&#\(scalar.value);"
            default:
                let v = scalar.value
                if v >= 0x20 && !(0xFFFE...0xFFFF).contains(v) { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
