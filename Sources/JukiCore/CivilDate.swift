/// A calendar date (proleptic Gregorian), stored as days since 1970-01-01 so it fits a 4-byte column.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before).
    public var daysSinceEpoch: Int32

    @inlinable
    public init(daysSinceEpoch: Int32) { self.daysSinceEpoch = daysSinceEpoch }

    /// The date `year`-`month`-`day`; the caller guarantees a valid date (see ``init(parsing:)``).
    @inlinable
    public init(year: Int, month: Int, day: Int) {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        daysSinceEpoch = Int32(era * 146_097 + doe - 719_468)
    }

    /// Parses `YYYY-MM-DD`, checking that the date exists.
    public init(parsing text: String, field: String = "date") throws(ValueError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else {
            throw ValueError(field: field, value: text, rule: "a date is written YYYY-MM-DD")
        }
        guard (1...12).contains(m), d >= 1, d <= CivilDate.daysIn(month: m, year: y) else {
            throw ValueError(field: field, value: text, rule: "the date must exist in the calendar")
        }
        self.init(year: y, month: m, day: d)
    }

    /// Year, month and day.
    @inlinable
    public var components: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's civil_from_days.
        let z = Int(daysSinceEpoch) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// The day of the week, 0 = Sunday … 6 = Saturday.
    @inlinable
    public var weekday: Int {
        let d = (Int(daysSinceEpoch) + 4) % 7
        return d < 0 ? d + 7 : d
    }

    /// The date `days` later.
    @inlinable
    public func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + Int32(days)) }

    /// The date `months` later, the day kept (the month's last day when it has fewer): the end of a period of
    /// stay granted in months.
    public func adding(months: Int) -> CivilDate {
        let (y, m, d) = components
        let total = y * 12 + (m - 1) + months
        let year = total >= 0 ? total / 12 : (total - 11) / 12
        let month = total - year * 12 + 1
        return CivilDate(year: year, month: month, day: min(d, CivilDate.daysIn(month: month, year: year)))
    }

    /// This date's month and day in `year` (a 29 February falls on the 28th in a common year): a birthday.
    public func sameDay(inYear year: Int) -> CivilDate {
        let (_, m, d) = components
        return CivilDate(year: year, month: m, day: min(d, CivilDate.daysIn(month: m, year: year)))
    }

    /// Whole years from `self` (a birth date) to `date`: the age on `date`.
    @inlinable
    public func age(on date: CivilDate) -> Int {
        let b = components
        let d = date.components
        var age = d.year - b.year
        if d.month < b.month || (d.month == b.month && d.day < b.day) { age -= 1 }
        return age
    }

    /// The number of days in `month` of `year`.
    @inlinable
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    @inlinable
    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public var description: String {
        let (y, m, d) = components
        return DecimalDigits.format(UInt64(max(y, 0)), width: 4) + "-" + DecimalDigits.format(UInt64(m), width: 2) + "-"
            + DecimalDigits.format(UInt64(d), width: 2)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
}

/// Simulated time: integer microseconds since 1970-01-01 00:00 in Japan Standard Time.
public struct SimulatedTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Microseconds since the epoch, JST.
    public var microseconds: Int64

    public static let microsecondsPerDay: Int64 = 86_400_000_000

    /// Japan Standard Time is UTC+9 all year (no daylight saving time).
    public static let japanOffsetMicroseconds: Int64 = 9 * 3_600_000_000

    /// The same instant as microseconds since the Unix epoch in UTC, as log tools read time stamps.
    public var utcEpochMicroseconds: Int64 { microseconds &- Self.japanOffsetMicroseconds }

    @inlinable public init(microseconds: Int64) { self.microseconds = microseconds }

    /// Midnight JST at the start of `date`, plus an offset.
    @inlinable
    public init(date: CivilDate, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        microseconds =
            Int64(date.daysSinceEpoch) * SimulatedTime.microsecondsPerDay
            + Int64(hour * 3600 + minute * 60 + second) * 1_000_000
    }

    /// The calendar date this instant falls on (JST).
    @inlinable
    public var date: CivilDate {
        let d =
            microseconds >= 0
            ? microseconds / Self.microsecondsPerDay : (microseconds + 1) / Self.microsecondsPerDay - 1
        return CivilDate(daysSinceEpoch: Int32(d))
    }

    /// Microseconds since midnight JST.
    @inlinable
    public var timeOfDay: Int64 { microseconds - Int64(date.daysSinceEpoch) * Self.microsecondsPerDay }

    public var description: String {
        let t = timeOfDay / 1_000_000
        return date.description + "T" + DecimalDigits.format(UInt64(t / 3600), width: 2) + ":"
            + DecimalDigits.format(UInt64(t / 60 % 60), width: 2) + ":" + DecimalDigits.format(UInt64(t % 60), width: 2)
            + "+09:00"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.microseconds < rhs.microseconds }
}

/// A value that broke a rule: names the field, the value and the rule.
public struct ValueError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var value: String
    public var rule: String

    public init(field: String, value: String, rule: String) {
        self.field = field
        self.value = value
        self.rule = rule
    }

    public var description: String { "\(field) '\(value)': \(rule)" }
}
