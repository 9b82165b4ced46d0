import JukiTraining

/// One trainee's counter: the queue of the drill's residents, the case at the desk, and the log every step goes
/// into (scoring reads only the log).
struct TraineeSession: Sendable {
    let name: String
    /// Office seconds when the trainee first opened the counter (the log's zero); nil until then.
    var startedAt: Double?
    var log: SessionLog
    /// Cases that have arrived and wait, in arrival order.
    var queue: [Int] = []
    /// The next case of the drill to arrive (index into the book).
    var nextArrival = 0
    /// The case at the desk.
    var current: Int?
    var finished = false
    /// Cases decided, with what the trainee chose and what the network did with an accepted one.
    var outcomes: [Int: String] = [:]
    /// The last search's result lines, and its message.
    var lastSearch: [SearchHit] = []
    var searchMessage = ""

    init(name: String, drill: Drill) {
        self.name = name
        log = SessionLog(trainee: name, drill: drill.name, seed: drill.seed)
    }

    /// Seconds since the session started, at office time `now`.
    func elapsed(_ now: Double) -> Double { max(0, now - (startedAt ?? now)) }

    mutating func record(_ event: SessionEvent) { log.events.append(event) }
}

/// One row of a register search's result, as the screen shows it.
struct SearchHit: Sendable, Hashable {
    var residentCode: String
    var name: String
    var birthDate: String
    var address: String
    var status: String
}
