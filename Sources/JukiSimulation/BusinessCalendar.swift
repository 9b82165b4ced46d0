public import JukiCore

/// A business calendar refused its hours: names the field, the value and the rule.
public struct CalendarError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The argument at fault: `opening` or `closing`.
    public var field: String
    /// The refused time, microseconds since midnight.
    public var value: Int64
    /// The rule the value broke.
    public var rule: String

    /// An error naming `field`, its `value` and the `rule` it broke.
    public init(field: String, value: Int64, rule: String) {
        self.field = field
        self.value = value
        self.rule = rule
    }

    /// `business calendar: <field> <value> µs: <rule>`.
    public var description: String { "business calendar: \(field) \(value) µs: \(rule)" }
}

/// A municipal office's days and hours, in JST.
///
/// The office is closed on Saturdays and Sundays, optionally on national holidays and over the year-end/new-year
/// closure (12-29 to 01-03). Holidays are known only for ``JapaneseHolidays/coveredYears``: other years are treated
/// as having none, so ask ``covers(_:)`` before trusting an answer far from the present.
public struct BusinessCalendar: Sendable, Hashable {
    /// Opening time, microseconds since midnight.
    public let opening: Int64
    /// Closing time, microseconds since midnight; the office is open on `[opening, closing)`.
    public let closing: Int64
    /// Whether national holidays, substitute holidays and citizens' holidays are closed days.
    public let closedOnHolidays: Bool
    /// Whether 12-29 to 01-03 are closed days, as municipal ordinances under 地方自治法第4条の2 usually make them.
    public let yearEndClosure: Bool

    static let microsecondsPerMinute: Int64 = 60_000_000

    /// Weekdays 08:30–17:00, closed on national holidays and over the year-end closure: Fujisawa's 市民窓口センター
    /// ("月曜日から金曜日まで(祝日・年末年始を除く):午前8時30分から午後5時まで", city page 電子証明書の更新, 2024).
    public static let standard = BusinessCalendar(
        validOpening: (8 * 60 + 30) * microsecondsPerMinute,
        closing: 17 * 60 * microsecondsPerMinute,
        closedOnHolidays: true,
        yearEndClosure: true
    )

    /// A calendar open `[opening, closing)` each business day; refuses hours outside `0 <= opening < closing <= 24h`.
    public init(
        opening: Int64,
        closing: Int64,
        closedOnHolidays: Bool = true,
        yearEndClosure: Bool = true
    ) throws(CalendarError) {
        let day = SimulatedTime.microsecondsPerDay
        guard opening >= 0, opening < day else {
            throw CalendarError(field: "opening", value: opening, rule: "must be in 0 ..< 24h (µs since midnight)")
        }
        guard closing > 0, closing <= day else {
            throw CalendarError(field: "closing", value: closing, rule: "must be in 0 <.. 24h (µs since midnight)")
        }
        guard opening < closing else {
            throw CalendarError(field: "closing", value: closing, rule: "must be later than opening (\(opening) µs)")
        }
        self.init(
            validOpening: opening, closing: closing, closedOnHolidays: closedOnHolidays, yearEndClosure: yearEndClosure)
    }

    /// No checks: for hours known to be valid, so ``standard`` needs no `try!`.
    private init(validOpening: Int64, closing: Int64, closedOnHolidays: Bool, yearEndClosure: Bool) {
        opening = validOpening
        self.closing = closing
        self.closedOnHolidays = closedOnHolidays
        self.yearEndClosure = yearEndClosure
    }

    /// Whether the office opens on `date`.
    public func isBusinessDay(_ date: CivilDate) -> Bool {
        let weekday = date.weekday
        if weekday == 0 || weekday == 6 { return false }
        if yearEndClosure {
            let (_, month, day) = date.components
            if (month == 12 && day >= 29) || (month == 1 && day <= 3) { return false }
        }
        if closedOnHolidays, JapaneseHolidays.name(of: date) != nil { return false }
        return true
    }

    /// Whether `date` is a Saturday opening of the main counter: the 2nd and 4th Saturday of the month, unless a
    /// holiday or the year-end closure (Fujisawa's 市民窓口センター: "第2・第4土曜日:午前8時30分から正午まで、午後1時から
    /// 午後5時まで", city page 電子証明書の更新, 2024). Only counters that open on Saturdays serve then.
    public func isSaturdayOpening(_ date: CivilDate) -> Bool {
        guard date.weekday == 6 else { return false }
        let (_, month, day) = date.components
        guard (8...14).contains(day) || (22...28).contains(day) else { return false }
        if yearEndClosure && ((month == 12 && day >= 29) || (month == 1 && day <= 3)) { return false }
        if closedOnHolidays, JapaneseHolidays.name(of: date) != nil { return false }
        return true
    }

    /// The Saturday lunch closure (12:00–13:00), µs since midnight: no arrivals then.
    public static let saturdayLunch: Range<Int64> =
        (12 * 60 * microsecondsPerMinute)..<(13 * 60 * microsecondsPerMinute)

    /// Whether the office opened on the business day before `date` (false after a weekend or a holiday: the first
    /// day back is the busiest, "休日明けの開庁日…窓口が大変込み合います").
    public func followsBusinessDay(_ date: CivilDate) -> Bool { isBusinessDay(date.adding(days: -1)) }

    /// Whether the office is open at `time`.
    public func isOpen(at time: SimulatedTime) -> Bool {
        let timeOfDay = time.timeOfDay
        return timeOfDay >= opening && timeOfDay < closing && isBusinessDay(time.date)
    }

    /// `time` itself if the office is open then, else the next opening after it.
    public func nextOpening(atOrAfter time: SimulatedTime) -> SimulatedTime {
        if isOpen(at: time) { return time }
        let today = time.date
        if time.timeOfDay < opening, isBusinessDay(today) { return openingInstant(on: today) }
        return openingInstant(on: nextBusinessDay(after: today))
    }

    /// The instant the office closes on `date`, computed from the hours alone, whether or not `date` is a business day.
    public func closing(on date: CivilDate) -> SimulatedTime {
        SimulatedTime(microseconds: Int64(date.daysSinceEpoch) * SimulatedTime.microsecondsPerDay + closing)
    }

    /// The business day `n` business days after the first business day on or after `date`.
    ///
    /// Rolling forward first keeps each step exactly one business day, so a Saturday plus 0 and plus 1 are Monday and
    /// Tuesday, never both Monday.
    public func addingBusinessDays(_ n: Int, to date: CivilDate) -> CivilDate {
        precondition(n >= 0, "addingBusinessDays counts forward only")
        var result = isBusinessDay(date) ? date : nextBusinessDay(after: date)
        for _ in 0..<n { result = nextBusinessDay(after: result) }
        return result
    }

    /// The number of business days in `from ... through`, both ends included; 0 if `through` is before `from`.
    public func businessDays(from: CivilDate, through: CivilDate) -> Int {
        guard from <= through else { return 0 }
        var count = 0
        for day in from.daysSinceEpoch...through.daysSinceEpoch where isBusinessDay(CivilDate(daysSinceEpoch: day)) {
            count += 1
        }
        return count
    }

    /// Whether the holiday table covers `date`'s year; if not, answers for it ignore national holidays.
    public func covers(_ date: CivilDate) -> Bool {
        JapaneseHolidays.coveredYears.contains(date.components.year)
    }

    /// The first business day strictly after `date`; terminates because every week has weekdays outside the closure.
    public func nextBusinessDay(after date: CivilDate) -> CivilDate {
        var day = date.adding(days: 1)
        while !isBusinessDay(day) { day = day.adding(days: 1) }
        return day
    }

    func openingInstant(on date: CivilDate) -> SimulatedTime {
        SimulatedTime(microseconds: Int64(date.daysSinceEpoch) * SimulatedTime.microsecondsPerDay + opening)
    }
}
