public import JukiCore
import JukiNetwork
public import JukiRegister
public import JukiTraining

/// A refused step in the training server: which field (or action), the rule, and the HTTP status it maps to.
public struct TrainingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status the server answers with.
    public enum Status: Int, Sendable, Hashable {
        case badRequest = 400
        case forbidden = 403
        case notFound = 404
        case conflict = 409
    }

    public var status: Status
    public var field: String
    public var message: String

    public init(_ status: Status, field: String, _ message: String) {
        self.status = status
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// The training office: the drill's cases, the synthetic register the trainees' screens read, and every trainee's
/// counter. One actor owns it; every method takes the office time (`now`, seconds) from the caller, so the
/// behaviour under a test clock is the behaviour under the wall clock.
public actor TrainingOffice {
    public nonisolated let book: CaseBook
    let register: ResidentRegister
    let tokens: TokenSet
    var sessions: [String: TraineeSession] = [:]
    /// When each case joins a trainee's queue in `wall` pace, seconds after the session starts: drawn once from
    /// the drill's seed, so every trainee meets the same residents at the same moments.
    let arrivalOffsets: [Double]

    public init(book: CaseBook, register: ResidentRegister, tokens: TokenSet) {
        self.book = book
        self.register = register
        self.tokens = tokens
        var random = RandomStream(seed: book.drill.seed, stream: 0x4152_5256)
        var t = 0.0
        var offsets: [Double] = []
        let mean = 3600 / max(book.drill.pace.arrivalsPerHour, 0.5)
        for _ in book.cases {
            offsets.append(t)
            t += random.nextExponential(mean: mean)
        }
        arrivalOffsets = offsets
        for name in tokens.trainees.map(\.name) { sessions[name] = TraineeSession(name: name, drill: book.drill) }
    }

    /// The role a token grants, if any.
    public func role(token: String) -> Role? { tokens.role(of: token) }

    /// The trainees' names, in the order the tokens list them.
    public var traineeNames: [String] { tokens.trainees.map(\.name) }

    func session(_ name: String) throws(TrainingError) -> TraineeSession {
        guard let s = sessions[name] else { throw TrainingError(.notFound, field: "trainee", "no trainee '\(name)'") }
        return s
    }

    /// Starts the trainee's clock on first use and lets the residents due by `now` join the queue.
    func advance(_ name: String, now: Double) throws(TrainingError) -> TraineeSession {
        var s = try session(name)
        if s.startedAt == nil { s.startedAt = now }
        if book.drill.pace.mode == .wall {
            let t = s.elapsed(now)
            while s.nextArrival < book.cases.count, arrivalOffsets[s.nextArrival] <= t {
                let id = book.cases[s.nextArrival].id
                s.queue.append(id)
                s.record(SessionEvent(at: arrivalOffsets[s.nextArrival], .arrived, caseID: id))
                s.nextArrival += 1
            }
        }
        sessions[name] = s
        return s
    }

    func store(_ s: TraineeSession) { sessions[s.name] = s }

    func trainingCase(_ id: Int) -> TrainingCase? { book.cases.first { $0.id == id } }

    // MARK: The counter

    /// What the trainee's counter page shows.
    public func counter(_ name: String, now: Double) throws(TrainingError) -> CounterState {
        let s = try advance(name, now: now)
        return CounterState(
            trainee: name, elapsed: s.elapsed(now), queue: s.queue.count,
            remaining: book.cases.count - s.log.events.filter { $0.kind == .decided }.count,
            current: s.current.flatMap(trainingCase), finished: s.finished, lastSearch: s.lastSearch,
            searchMessage: s.searchMessage, outcomes: s.outcomes, rights: book.drill.rights,
            paused: book.drill.pace.mode == .paused,
            nextArrivalIn: s.nextArrival < arrivalOffsets.count && book.drill.pace.mode == .wall
                ? max(0, arrivalOffsets[s.nextArrival] - s.elapsed(now)) : nil)
    }

    /// Calls the next resident to the desk (in `paused` pace the next case arrives now).
    public func call(_ name: String, now: Double) throws(TrainingError) {
        var s = try advance(name, now: now)
        guard !s.finished else { throw TrainingError(.conflict, field: "call", "the session is finished") }
        guard s.current == nil else {
            throw TrainingError(
                .conflict, field: "call", "decide the case at the desk before calling the next resident")
        }
        let t = s.elapsed(now)
        if book.drill.pace.mode == .paused, s.queue.isEmpty, s.nextArrival < book.cases.count {
            let id = book.cases[s.nextArrival].id
            s.queue.append(id)
            s.record(SessionEvent(at: t, .arrived, caseID: id))
            s.nextArrival += 1
        }
        guard !s.queue.isEmpty else {
            throw TrainingError(
                .conflict, field: "call",
                s.nextArrival < book.cases.count ? "nobody is waiting yet" : "every case of the drill has been called")
        }
        let id = s.queue.removeFirst()
        s.current = id
        s.lastSearch = []
        s.searchMessage = ""
        s.record(SessionEvent(at: t, .called, caseID: id, queueLength: s.queue.count))
        store(s)
    }

    /// Searches the register as the trainee's screen does: by resident code, by individual number (number-use
    /// rights only), or by basic facts (the name with the birth date or the address: the register's own rule).
    public func search(_ name: String, _ form: SearchForm, now: Double) throws(TrainingError) {
        var s = try advance(name, now: now)
        let t = s.elapsed(now)
        let query = try form.validated()
        var rows: [RowID] = []
        var refused = false
        var message = ""
        switch query {
        case .code(let code):
            rows = register.row(residentCode: code).map { [$0] } ?? []
        case .number(let number):
            if book.drill.rights.numberUse {
                rows = register.row(individualNumber: number).map { [$0] } ?? []
            } else {
                refused = true
                message =
                    "refused: a search by individual number is number-use work, and this operator has no number-use "
                    + "rights (III(1)3 リスク1)"
            }
        case .facts(let facts):
            do {
                rows = try register.search(facts)
            } catch  where error.code == .insufficientFacts {
                refused = true
                message = "refused: \(error.message)"
            } catch {
                throw TrainingError(.badRequest, field: error.field, error.message)
            }
        }
        s.record(SessionEvent(at: t, .searched, search: query.kind, refused: refused))
        s.lastSearch = rows.prefix(20).map { row in
            let r = register.record(row)
            return SearchHit(
                residentCode: r.residentCode.description, name: r.name.fullName, birthDate: "\(r.birthDate)",
                address: r.address.description, status: r.status == .active ? "住民" : "除票")
        }
        s.searchMessage =
            refused ? message : rows.isEmpty ? "no record matches" : "\(rows.count) record\(rows.count == 1 ? "" : "s")"
        store(s)
    }

    /// Opens a record (logged: opening a person unrelated to the case fails the session).
    public func open(
        _ name: String, code text: String, revealNumber: Bool, now: Double
    ) throws(TrainingError) -> RecordView {
        var s = try advance(name, now: now)
        let code: ResidentCode
        do {
            code = try ResidentCode(parsing: text)
        } catch {
            throw TrainingError(.badRequest, field: "residentCode", "\(error)")
        }
        guard let row = register.row(residentCode: code) else {
            throw TrainingError(.notFound, field: "residentCode", "no record with resident code \(code)")
        }
        if revealNumber, !book.drill.rights.numberUse {
            throw TrainingError(
                .forbidden, field: "number",
                "showing the individual number needs number-use rights (I 2 措置 L419; III(1)3 リスク1)")
        }
        let t = s.elapsed(now)
        s.record(SessionEvent(at: t, .opened, residentCode: code.description))
        let r = register.record(row)
        if revealNumber { s.record(SessionEvent(at: t, .revealedNumber, residentCode: code.description)) }
        store(s)
        let history = register.history(of: row).map { c in
            RecordView.HistoryLine(
                time: "\(c.time)", reason: "\(c.reason)", fields: c.fields.map { "\($0.field)" }.joined(separator: ", ")
            )
        }
        return RecordView(
            record: r, numberShown: revealNumber, numberUse: book.drill.rights.numberUse, history: history)
    }

    /// Decides the case at the desk; returns the case when it was accepted (its flow then runs in the network).
    @discardableResult
    public func decide(_ name: String, _ form: DecisionForm, now: Double) throws(TrainingError) -> TrainingCase? {
        var s = try advance(name, now: now)
        guard let id = s.current, let c = trainingCase(id) else {
            throw TrainingError(.conflict, field: "decision", "no case at the desk: call the next resident first")
        }
        if SearchForm.text(form.verdict) == "accept", book.drill.rights.inquiryOnly {
            throw TrainingError(
                .forbidden, field: "verdict",
                "an inquiry-only operator cannot accept a notice (the register refuses it: notAuthorized)")
        }
        let decision = try form.validated(for: c.request)
        let t = s.elapsed(now)
        s.record(
            SessionEvent(
                at: t, .decided, caseID: id, verdict: decision.verdict, reason: decision.reason,
                fields: decision.fields, queueLength: s.queue.count))
        s.outcomes[id] =
            decision.verdict == .accept
            ? "accepted: \(c.request.flow) went into the network" : "refused (\(decision.reason?.rawValue ?? ""))"
        s.current = nil
        store(s)
        return decision.verdict == .accept ? c : nil
    }

    /// Ends the trainee's session.
    public func finish(_ name: String, now: Double) throws(TrainingError) {
        var s = try advance(name, now: now)
        guard !s.finished else { return }
        s.finished = true
        s.record(SessionEvent(at: s.elapsed(now), .finished))
        store(s)
    }

    // MARK: Scores and the trainer

    /// The trainee's session log.
    public func log(_ name: String) throws(TrainingError) -> SessionLog { try session(name).log }

    /// The trainee's score so far.
    public func score(_ name: String) throws(TrainingError) -> SessionScore {
        Scoring.score(try session(name).log, cases: book.cases)
    }

    /// Every trainee's score, in the tokens' order.
    public func cohort() -> [SessionScore] {
        traineeNames.compactMap { sessions[$0].map { Scoring.score($0.log, cases: book.cases) } }
    }
}

/// What a counter page shows.
public struct CounterState: Sendable {
    public var trainee: String
    public var elapsed: Double
    /// Residents waiting.
    public var queue: Int
    /// Cases not yet decided.
    public var remaining: Int
    public var current: TrainingCase?
    public var finished: Bool
    var lastSearch: [SearchHit]
    public var searchMessage: String
    public var outcomes: [Int: String]
    public var rights: Drill.Rights
    public var paused: Bool
    /// Seconds until the next resident arrives (wall pace).
    public var nextArrivalIn: Double?
}

/// A record as the screen shows it: the number masked unless shown on purpose.
public struct RecordView: Sendable {
    public var record: ResidentRecord
    public var numberShown: Bool
    public var numberUse: Bool
    /// The person's changes in the register's change log, oldest first (異動履歴).
    public var history: [HistoryLine]

    /// One change of the record: when, why, and the fields it changed (never their values: the screen shows the
    /// current record; the values stay in the log).
    public struct HistoryLine: Sendable {
        public var time: String
        public var reason: String
        public var fields: String
    }

    /// The number as displayed.
    public var number: String {
        guard let n = record.individualNumber else { return "(none)" }
        return numberShown ? n.description : "●●●● ●●●● ●●●●"
    }
}
