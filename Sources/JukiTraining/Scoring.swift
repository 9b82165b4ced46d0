/// One error of a session, with the rule it broke and where the rule comes from.
public struct ScoreError: Sendable, Hashable, Codable {
    /// What went wrong.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Accepted a case a rule refuses.
        case wrongAcceptance
        /// Refused a case no rule refuses.
        case wrongRefusal
        /// Refused rightly, citing a rule the case does not break.
        case wrongReason
        /// A field entered wrongly in an accepted case.
        case wrongField
        /// A search the rules refuse.
        case refusedSearch
        /// A case called to the desk and never decided.
        case undecided
        /// Opened the record of a person unrelated to the case (a hard fail).
        case unrelatedRecord
        /// Showed the individual number where the work does not need it (a hard fail).
        case numberShown
    }

    public var kind: Kind
    public var caseID: Int?
    /// The rule broken (the case's, for a wrong acceptance; the one wrongly cited, for a wrong refusal).
    public var rule: TrainingRule?
    public var field: CaseField?
    /// Where the rule comes from: the seed's section and the law.
    public var citation: String
    /// What happened, in words.
    public var detail: String
    /// A privacy violation: the session fails whatever else it scores.
    public var hardFail: Bool { kind == .unrelatedRecord || kind == .numberShown }
}

/// One case's part of the score.
public struct CaseScore: Sendable, Hashable, Codable {
    public var caseID: Int
    public var request: CaseRequest
    public var expected: ExpectedDecision.Verdict
    /// The trainee's decision (nil: never decided).
    public var verdict: ExpectedDecision.Verdict?
    public var reason: TrainingRule?
    /// Accept/refuse right.
    public var decisionRight: Bool
    /// For a right refusal: a rule the case breaks was cited.
    public var reasonRight: Bool?
    public var fieldsRight: Int
    public var fieldsTotal: Int
    /// Seconds from calling the resident to the decision.
    public var handlingSeconds: Double?
    public var standardSeconds: Int
    /// Seconds the resident waited in the queue before being called (wall mode).
    public var waitSeconds: Double?
    /// Seconds of waiting the trainee's time beyond the standard added to the residents queued behind.
    public var waitingCaused: Double
}

/// A scored session: a rubric, not one number.
public struct SessionScore: Sendable, Hashable, Codable {
    public var trainee: String
    public var drill: String
    public var seed: UInt64
    public var cases: [CaseScore]
    public var decisions: Int
    public var decisionsRight: Int
    public var reasonsRight: Int
    public var fieldsRight: Int
    public var fieldsTotal: Int
    /// The median of handling time over standard desk time, over decided cases (1: on the standard).
    public var medianHandlingRatio: Double?
    public var waitingCaused: Double
    public var privacyViolations: Int
    /// A privacy violation fails the session.
    public var hardFail: Bool
    public var errors: [ScoreError]
    /// Every step in order, in words: the after-action review.
    public var timeline: [TimelineEntry]
}

/// One line of the after-action timeline.
public struct TimelineEntry: Sendable, Hashable, Codable {
    public var at: Double
    public var caseID: Int?
    public var text: String
}

/// Scores a session log against the drill's cases: a pure function, so a recorded session scores the same on any
/// machine and at any time.
public enum Scoring {
    /// Why opening an unrelated person's record fails a session.
    public static let unrelatedCitation =
        "seed III(1)3 リスク1 (L418: use only within the work's need, every access recorded); 住基法第35条 (秘密保持)"
    /// Why showing the number without need fails a session.
    public static let numberCitation =
        "seed I 2 措置 (L419: 個人番号が非表示 outside number-use work), III(1)2 リスク2 (L401); 番号法第19条"

    public static func score(_ log: SessionLog, cases: [TrainingCase]) -> SessionScore {
        var byID: [Int: TrainingCase] = [:]
        for c in cases { byID[c.id] = c }
        var arrived: [Int: Double] = [:]
        var called: [Int: Double] = [:]
        var decided: [Int: SessionEvent] = [:]
        var errors: [ScoreError] = []
        var timeline: [TimelineEntry] = []
        var current: Int?
        for e in log.events {
            timeline.append(TimelineEntry(at: e.at, caseID: e.caseID ?? current, text: describe(e, byID)))
            switch e.kind {
            case .arrived: if let id = e.caseID { arrived[id] = e.at }
            case .called:
                if let id = e.caseID {
                    called[id] = e.at
                    current = id
                }
            case .opened:
                if let code = e.residentCode, !(current.flatMap { byID[$0]?.related.contains(code) } ?? false) {
                    errors.append(
                        ScoreError(
                            kind: .unrelatedRecord, caseID: current, citation: unrelatedCitation,
                            detail:
                                "opened the record of \(code), who is not part of case \(current.map(String.init) ?? "–")"
                        ))
                }
            case .revealedNumber:
                let needed = current.flatMap { byID[$0]?.numberNeeded } ?? false
                if !needed {
                    errors.append(
                        ScoreError(
                            kind: .numberShown, caseID: current, citation: numberCitation,
                            detail: "showed the individual number of \(e.residentCode ?? "a person") without need"))
                }
            case .searched:
                if e.refused == true {
                    errors.append(
                        ScoreError(
                            kind: .refusedSearch, caseID: current,
                            rule: e.search == "number" ? .numberUseRequired : .tooFewFacts,
                            citation: (e.search == "number" ? TrainingRule.numberUseRequired : .tooFewFacts).citation,
                            detail: "searched with \(e.search ?? "too few facts"): the rules refuse it"))
                }
            case .decided:
                if let id = e.caseID, decided[id] == nil { decided[id] = e }
                current = nil
            case .finished: current = nil
            }
        }
        var scores: [CaseScore] = []
        for c in cases where called[c.id] != nil || decided[c.id] != nil {
            let (s, caseErrors) = scoreCase(c, decided[c.id], called: called[c.id], arrived: arrived[c.id])
            scores.append(s)
            errors += caseErrors
        }
        let decidedScores = scores.filter { $0.verdict != nil }
        let ratios = decidedScores.compactMap { s in
            s.handlingSeconds.map { $0 / Double(max(s.standardSeconds, 1)) }
        }.sorted()
        let privacy = errors.filter(\.hardFail).count
        return SessionScore(
            trainee: log.trainee, drill: log.drill, seed: log.seed, cases: scores, decisions: decidedScores.count,
            decisionsRight: scores.filter(\.decisionRight).count,
            reasonsRight: scores.filter { $0.reasonRight == true }.count,
            fieldsRight: scores.reduce(0) { $0 + $1.fieldsRight },
            fieldsTotal: scores.reduce(0) { $0 + $1.fieldsTotal },
            medianHandlingRatio: median(ratios), waitingCaused: scores.reduce(0) { $0 + $1.waitingCaused },
            privacyViolations: privacy, hardFail: privacy > 0, errors: errors, timeline: timeline)
    }

    static func scoreCase(
        _ c: TrainingCase, _ decision: SessionEvent?, called: Double?, arrived: Double?
    ) -> (CaseScore, [ScoreError]) {
        var errors: [ScoreError] = []
        let expected = c.expected
        let verdict = decision?.verdict
        let decisionRight = verdict == expected.verdict
        var reasonRight: Bool?
        var fieldsRight = 0
        let fieldsTotal = expected.verdict == .accept ? expected.fields.count : 0
        switch (expected.verdict, verdict) {
        case (_, nil):
            errors.append(
                ScoreError(
                    kind: .undecided, caseID: c.id, citation: "",
                    detail: "case \(c.id) (\(c.request)) was called and never decided"))
        case (.refuse, .accept):
            for rule in expected.reasons {
                errors.append(
                    ScoreError(
                        kind: .wrongAcceptance, caseID: c.id, rule: rule, citation: rule.citation,
                        detail: "accepted case \(c.id) although \(rule.summary)"))
            }
        case (.accept, .refuse):
            let cited = decision?.reason
            errors.append(
                ScoreError(
                    kind: .wrongRefusal, caseID: c.id, rule: cited, citation: cited?.citation ?? "",
                    detail: "refused case \(c.id)"
                        + (cited.map { " citing \($0.rawValue), which the case does not break" } ?? " without a reason")
                ))
        case (.refuse, .refuse):
            let cited = decision?.reason
            reasonRight = cited.map { expected.reasons.contains($0) } ?? false
            if reasonRight == false {
                errors.append(
                    ScoreError(
                        kind: .wrongReason, caseID: c.id, rule: expected.reasons.first,
                        citation: expected.reasons.first?.citation ?? "",
                        detail: "refused case \(c.id) rightly, citing \(cited?.rawValue ?? "no rule") instead of "
                            + expected.reasons.map(\.rawValue).joined(separator: " or ")))
            }
        case (.accept, .accept):
            let entered = decision?.fields ?? [:]
            for f in expected.fields {
                let given = entered[f.field.rawValue] ?? ""
                if f.field.normalized(given) == f.field.normalized(f.value) {
                    fieldsRight += 1
                    continue
                }
                let rule = c.planted.first { $0.effect == .correct && $0.correctedField == f.field }
                errors.append(
                    ScoreError(
                        kind: .wrongField, caseID: c.id, rule: rule, field: f.field, citation: rule?.citation ?? "",
                        detail: "case \(c.id): \(f.field.rawValue) entered as '\(given)', expected '\(f.value)'"))
            }
        }
        var handling: Double?
        if let called, let at = decision?.at { handling = max(0, at - called) }
        let excess = max(0, (handling ?? 0) - Double(c.standardSeconds))
        let behind = Double(max(decision?.queueLength ?? 0, 0))
        let score = CaseScore(
            caseID: c.id, request: c.request, expected: expected.verdict, verdict: verdict, reason: decision?.reason,
            decisionRight: decisionRight, reasonRight: reasonRight, fieldsRight: fieldsRight, fieldsTotal: fieldsTotal,
            handlingSeconds: handling, standardSeconds: c.standardSeconds,
            waitSeconds: called.flatMap { t in arrived.map { max(0, t - $0) } }, waitingCaused: excess * behind)
        return (score, errors)
    }

    static func median(_ sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    static func describe(_ e: SessionEvent, _ cases: [Int: TrainingCase]) -> String {
        let request = e.caseID.flatMap { cases[$0]?.request.rawValue } ?? ""
        switch e.kind {
        case .arrived: return "case \(e.caseID ?? 0) (\(request)) joined the queue"
        case .called: return "called case \(e.caseID ?? 0) (\(request)) to the desk"
        case .opened: return "opened the record \(e.residentCode ?? "")"
        case .searched:
            return "searched by \(e.search ?? "?")" + (e.refused == true ? ": refused by the rules" : "")
        case .revealedNumber: return "showed the individual number of \(e.residentCode ?? "")"
        case .decided:
            let fields = (e.fields ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return "decided case \(e.caseID ?? 0): \(e.verdict?.rawValue ?? "?")"
                + (e.reason.map { " (\($0.rawValue))" } ?? "")
                + (fields.isEmpty ? "" : "; " + fields.joined(separator: ", "))
        case .finished: return "finished the session"
        }
    }
}

extension TrainingRule {
    /// The field a correcting rule is about.
    public var correctedField: CaseField? {
        switch self {
        case .variantName: .name
        case .numberNotRequested: .includeNumber
        default: nil
        }
    }
}
