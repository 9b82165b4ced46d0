/// A cohort's results: one row per trainee (CSV), and the errors by rule and trainee (the trainer's heat map).
public enum Cohort {
    /// The CSV's columns.
    public static let columns = [
        "trainee", "decisions", "decisions_right", "reasons_right", "fields_right", "fields_total",
        "median_handling_ratio", "waiting_caused_s", "privacy_violations", "hard_fail", "errors",
    ]

    /// One line per trainee, marked synthetic in a comment line first.
    public static func csv(_ scores: [SessionScore]) -> String {
        var lines = ["# " + CaseSheets.syntheticNotice, columns.joined(separator: ",")]
        for s in scores {
            let ratio = s.medianHandlingRatio.map { String(format: "%.2f", $0) } ?? ""
            let row: [String] = [
                quoted(s.trainee), "\(s.decisions)", "\(s.decisionsRight)", "\(s.reasonsRight)", "\(s.fieldsRight)",
                "\(s.fieldsTotal)", ratio, String(format: "%.0f", s.waitingCaused), "\(s.privacyViolations)",
                s.hardFail ? "true" : "false", "\(s.errors.count)",
            ]
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func quoted(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// A row of the heat map: a rule (or a privacy error) and its error count per trainee.
    public struct HeatRow: Sendable, Hashable, Codable {
        public var label: String
        public var citation: String
        public var counts: [Int]
        public var total: Int { counts.reduce(0, +) }
    }

    /// Errors by rule (rows, the catalog's order, then privacy and undecided rows) and trainee (columns); rows
    /// without an error are left out.
    public static func heatMap(_ scores: [SessionScore]) -> [HeatRow] {
        var rows: [HeatRow] = []
        for rule in TrainingRule.allCases {
            let counts = scores.map { s in s.errors.filter { $0.rule == rule && !$0.hardFail }.count }
            rows.append(HeatRow(label: rule.rawValue, citation: rule.citation, counts: counts))
        }
        let unattributed: [(ScoreError.Kind, String)] = [
            (.wrongRefusal, "refused a valid request"), (.undecided, "left undecided"),
            (.unrelatedRecord, "privacy: unrelated record opened"), (.numberShown, "privacy: number shown"),
        ]
        for (kind, label) in unattributed {
            let counts = scores.map { s in
                s.errors.filter { $0.kind == kind && (kind != .wrongRefusal || $0.rule == nil) }.count
            }
            let citation =
                kind == .unrelatedRecord
                ? Scoring.unrelatedCitation : kind == .numberShown ? Scoring.numberCitation : ""
            rows.append(HeatRow(label: label, citation: citation, counts: counts))
        }
        return rows.filter { $0.total > 0 }
    }
}
