import JukiCore
import JukiSimulation

/// A counter's clerks through the day: from a time of day on, how many are at the desks (the rest of the counter's
/// clerks do back-office work, take a break or have gone home). A staffing plan or a shift pattern is one of these.
public struct StaffSchedule: Sendable, Hashable {
    /// One change: from `from` (µs after midnight) on day `day` of the run (every day when nil; a day with entries of
    /// its own takes only those), `clerks` serve, of whom `contractors` are the contractor's staff (by the
    /// counter's own share when nil).
    public struct Entry: Sendable, Hashable {
        public var day: Int?
        public var from: Int64
        public var clerks: Int
        public var contractors: Int?

        public init(day: Int? = nil, from: Int64, clerks: Int, contractors: Int? = nil) {
            self.day = day
            self.from = from
            self.clerks = clerks
            self.contractors = contractors
        }
    }

    public var entries: [Entry]

    public init(_ entries: [Entry] = []) { self.entries = entries }

    public var isEmpty: Bool { entries.isEmpty }

    /// The entries that apply on day `day`, in time order.
    func entries(onDay day: Int) -> [Entry] {
        let own = entries.filter { $0.day == day }
        return (own.isEmpty ? entries.filter { $0.day == nil } : own).sorted { $0.from < $1.from }
    }
}

/// Staggered lunch breaks: every clerk at the desk takes `length` somewhere in [from, to), in turns, so that the
/// counter stays open (市民センター are open through the lunch hour). With `length` fitting k times into the window,
/// the clerks split into k turns and about 1/k of them are away at a time; one clerk always stays.
public struct LunchBreaks: Sendable, Hashable {
    public var from: Int64
    public var to: Int64
    public var length: Int64

    public init(from: Int64, to: Int64, length: Int64) {
        self.from = from
        self.to = to
        self.length = length
    }

    /// 45 minutes between 11:30 and 13:30 [E: 労働基準法第34条 asks 45 minutes of rest in a working day over
    /// 6 hours; counters that stay open at noon stagger it, and the 11:30–13:30 window is the usual one].
    public static let standard = LunchBreaks(
        from: 11 * 3_600_000_000 + 1_800_000_000, to: 13 * 3_600_000_000 + 1_800_000_000, length: 2_700_000_000)

    /// Turns in the window (at least one).
    var turns: Int { Int(max(1, (to - from) / max(length, 1))) }

    /// Clerks away at `timeOfDay` when `clerks` are on duty: the turn's share of them, never the last one.
    func away(at timeOfDay: Int64, clerks: Int) -> Int {
        guard clerks > 1, timeOfDay >= from, timeOfDay < from + Int64(turns) * length else { return 0 }
        let turn = Int((timeOfDay - from) / max(length, 1))
        // Clerk i takes turn i mod k: turn j has ⌈(n − j) / k⌉ of them.
        let n = (clerks - turn + turns - 1) / turns
        return min(max(n, 0), clerks - 1)
    }

    /// The times of day at which the number away changes.
    var boundaries: [Int64] { (0...turns).map { from + Int64($0) * length } }
}

/// One step of a counter's staffing in simulated time: from `at` (µs) on, `clerks` at the desks, `contractors` of
/// them the contractor's staff.
public struct StaffStep: Sendable, Hashable {
    public var at: Int64
    public var clerks: Int
    public var contractors: Int

    public init(at: Int64, clerks: Int, contractors: Int) {
        self.at = at
        self.clerks = clerks
        self.contractors = contractors
    }

    /// A counter's steps over `days` days from `date`: the schedule's entries (the configured clerks before the
    /// first of a day), less the clerks on a lunch break. Empty when neither asks for a change, so a counter
    /// without them keeps its clerks all day. Contractors follow the counter's share of them (`contractors` of
    /// `clerks`) unless an entry names them; at least one employee always stays.
    public static func steps(
        _ schedule: StaffSchedule, breaks: LunchBreaks?, date: CivilDate, days: Int, clerks: Int, contractors: Int
    ) -> [StaffStep] {
        guard !schedule.isEmpty || breaks != nil else { return [] }
        let base = max(1, clerks)
        let share = Double(min(max(contractors, 0), base - 1)) / Double(base)
        var steps: [StaffStep] = []
        for d in 0..<max(days, 1) {
            let midnight = SimulatedTime(date: date.adding(days: d)).microseconds
            let entries = schedule.entries(onDay: d)
            // Every time of day where something changes: the entries and the break turns.
            var times = [Int64(0)] + entries.map(\.from)
            if let breaks { times += breaks.boundaries }
            for t in Set(times).sorted() where t >= 0 && t < SimulatedTime.microsecondsPerDay {
                let entry = entries.last { $0.from <= t }
                let scheduled = max(0, entry?.clerks ?? base)
                let away = breaks?.away(at: t, clerks: scheduled) ?? 0
                let present = scheduled - away
                let named = entry?.contractors ?? Int((Double(scheduled) * share).rounded())
                let kept =
                    scheduled > 0 ? Int((Double(named) * Double(present) / Double(scheduled)).rounded()) : 0
                let step = StaffStep(
                    at: midnight + t, clerks: present, contractors: min(max(kept, 0), max(present - 1, 0)))
                if let last = steps.last, last.clerks == step.clerks, last.contractors == step.contractors {
                    continue
                }
                steps.append(step)
            }
        }
        return steps
    }

    /// Clerk time (µs) the steps put inside [open, close) of each day in `period` days from `date`: the
    /// denominator of a counter's utilisation when its staffing changes through the day.
    static func clerkTime(_ steps: [StaffStep], openDays: [(open: Int64, close: Int64)], initial: Int) -> Int64 {
        var total: Int64 = 0
        for (open, close) in openDays where close > open {
            var clerks = steps.last { $0.at <= open }?.clerks ?? initial
            var t = open
            for step in steps where step.at > open && step.at < close {
                total = SimulatedDuration.adding(total, Int64(clerks) * (step.at - t))
                t = step.at
                clerks = step.clerks
            }
            total = SimulatedDuration.adding(total, Int64(clerks) * (close - t))
        }
        return total
    }
}

/// How visitors behave in the queue: reneging (a visitor whose patience runs out leaves) and balking (a visitor who
/// finds the queue too long does not join it, and tries another counter or another day, or gives up).
///
/// Both are off by default [E: the visitors to these counters mostly come for notices the law requires
/// (住民基本台帳法第22–25条, within 14 days) or a certificate they need that day; the city publishes no
/// abandonment figures]; a scenario turns them on.
public struct VisitorBehaviour: Sendable, Hashable {
    /// Patience by flow: a visitor still waiting after it leaves; a flow without one waits as long as it takes.
    public var patience: [Flow: ServiceTime] = [:]
    /// A visitor who finds this many or more waiting ahead does not join the queue (nil: everyone joins). Visitors
    /// with a reservation always join.
    public var balkingQueue: Int?
    /// Of the visitors who balk, the share who go to the main counter (本庁) instead, and the share who come back
    /// on the next business day at the same time; the rest give up.
    public var balkAnotherCounter = 0.0
    public var balkAnotherDay = 0.0

    public init() {}

    /// Whether anything is on (a run without it draws nothing extra, so its random streams stay as they were).
    public var isActive: Bool { !patience.isEmpty || balkingQueue != nil }
}

/// Every visitor's arrival and wait at a counter (µs), in the order their waits ended, and whether they left
/// without service (patience, closing): columns, not objects.
public struct CounterWaitLog: Sendable, Hashable {
    public private(set) var arrivals: [Int64] = []
    public private(set) var waits: [Int64] = []
    public private(set) var left: [Bool] = []
    /// Whether visitors are logged: the staffing planner reads the log; a plain run (a year has 600,000
    /// visitors) keeps only its histograms.
    var keep = true

    public init(keep: Bool = true) { self.keep = keep }

    public var count: Int { arrivals.count }

    mutating func record(arrived: Int64, wait: Int64, left gone: Bool) {
        guard keep else { return }
        arrivals.append(arrived)
        waits.append(max(wait, 0))
        left.append(gone)
    }
}
