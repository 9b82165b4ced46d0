public import JukiCore

/// Japan's national public holidays (国民の祝日), substitute holidays (振替休日) and citizens' holidays (国民の休日).
///
/// Lookups answer from a literal table of the dates for ``coveredYears``, transcribed from the Cabinet Office list,
/// because the equinox days are only fixed by official announcement each February and the law can change; the rule
/// in ``computedHolidays(in:)`` exists so a test can prove the table has no transcription slips.
public enum JapaneseHolidays {
    /// The years the literal table covers; outside them ``name(of:)`` knows of no holidays.
    public static let coveredYears: ClosedRange<Int> = 2024...2030

    /// The years ``computedHolidays(in:)`` answers for: the current 祝日法 applies from 2022 (after the Olympic-year
    /// moves of 2020–2021), and the equinox approximation holds until 2099.
    public static let ruleYears: ClosedRange<Int> = 2022...2099

    /// The holiday's name on `date`, or nil if it is not a holiday or its year is outside ``coveredYears``.
    public static func name(of date: CivilDate) -> String? {
        let offset = Int(date.daysSinceEpoch) - Int(firstCoveredDay.daysSinceEpoch)
        guard offset >= 0, offset < tableIndexByDay.count else { return nil }
        let index = tableIndexByDay[offset]
        return index == 0 ? nil : table[Int(index) - 1].name
    }

    /// The holidays of `year` in date order, from the literal table; empty outside ``coveredYears``.
    public static func holidays(in year: Int) -> [(date: CivilDate, name: String)] {
        guard coveredYears.contains(year) else { return [] }
        return table.filter { $0.date.components.year == year }
    }

    /// The holidays of `year` in date order, derived from the rules of the 祝日法; empty outside ``ruleYears``.
    public static func computedHolidays(in year: Int) -> [(date: CivilDate, name: String)] {
        guard ruleYears.contains(year) else { return [] }
        let sinceBase = year - 1980
        // The standard approximation, scaled by 10^6 so no floating-point rounding can move a day.
        let vernal = (20_843_100 + 242_194 * sinceBase) / 1_000_000 - sinceBase / 4
        let autumnal = (23_248_800 + 242_194 * sinceBase) / 1_000_000 - sinceBase / 4
        let statutory: [(date: CivilDate, name: String)] = [
            (CivilDate(year: year, month: 1, day: 1), "元日"),
            (nthMonday(2, month: 1, year: year), "成人の日"),
            (CivilDate(year: year, month: 2, day: 11), "建国記念の日"),
            (CivilDate(year: year, month: 2, day: 23), "天皇誕生日"),
            (CivilDate(year: year, month: 3, day: vernal), "春分の日"),
            (CivilDate(year: year, month: 4, day: 29), "昭和の日"),
            (CivilDate(year: year, month: 5, day: 3), "憲法記念日"),
            (CivilDate(year: year, month: 5, day: 4), "みどりの日"),
            (CivilDate(year: year, month: 5, day: 5), "こどもの日"),
            (nthMonday(3, month: 7, year: year), "海の日"),
            (CivilDate(year: year, month: 8, day: 11), "山の日"),
            (nthMonday(3, month: 9, year: year), "敬老の日"),
            (CivilDate(year: year, month: 9, day: autumnal), "秋分の日"),
            (nthMonday(2, month: 10, year: year), "スポーツの日"),
            (CivilDate(year: year, month: 11, day: 3), "文化の日"),
            (CivilDate(year: year, month: 11, day: 23), "勤労感謝の日"),
        ]
        let statutoryDays = Set(statutory.map(\.date))
        var result = statutory
        var taken = statutoryDays
        // 第3条第2項: a holiday on Sunday moves to the nearest following day that is not itself a 国民の祝日, which is
        // why 2025-05-04 (Sunday) gives 2025-05-06 rather than the already-festive 05-05.
        for holiday in statutory where holiday.date.weekday == 0 {
            var substitute = holiday.date.adding(days: 1)
            while statutoryDays.contains(substitute) { substitute = substitute.adding(days: 1) }
            if taken.insert(substitute).inserted { result.append((substitute, "振替休日")) }
        }
        // 第3条第3項: a day whose neighbours are both 国民の祝日 becomes a holiday. Since 2007 the law asks only that the
        // day not be a 国民の祝日 itself, so Sundays are not excluded (none can be sandwiched under today's dates).
        for holiday in statutory {
            let between = holiday.date.adding(days: 1)
            if !taken.contains(between), statutoryDays.contains(between.adding(days: 1)) {
                taken.insert(between)
                result.append((between, "国民の休日"))
            }
        }
        return result.sorted { $0.date < $1.date }
    }

    /// The `n`th Monday of `month`: the Happy Monday rule.
    static func nthMonday(_ n: Int, month: Int, year: Int) -> CivilDate {
        let first = CivilDate(year: year, month: month, day: 1)
        let toMonday = (8 - first.weekday) % 7
        return first.adding(days: toMonday + 7 * (n - 1))
    }

    static let firstCoveredDay = CivilDate(year: coveredYears.lowerBound, month: 1, day: 1)

    /// The published dates in date order, a blank line between years, as in the Cabinet Office's 「国民の祝日」 list.
    /// The equinoxes of years not yet announced are the National Astronomical Observatory's forecast: the Cabinet
    /// Office fixes each year's equinox days only the February before.
    static let literal: [(String, String)] = [
        ("2024-01-01", "元日"), ("2024-01-08", "成人の日"), ("2024-02-11", "建国記念の日"),
        ("2024-02-12", "振替休日"), ("2024-02-23", "天皇誕生日"), ("2024-03-20", "春分の日"),
        ("2024-04-29", "昭和の日"), ("2024-05-03", "憲法記念日"), ("2024-05-04", "みどりの日"),
        ("2024-05-05", "こどもの日"), ("2024-05-06", "振替休日"), ("2024-07-15", "海の日"),
        ("2024-08-11", "山の日"), ("2024-08-12", "振替休日"), ("2024-09-16", "敬老の日"),
        ("2024-09-22", "秋分の日"), ("2024-09-23", "振替休日"), ("2024-10-14", "スポーツの日"),
        ("2024-11-03", "文化の日"), ("2024-11-04", "振替休日"), ("2024-11-23", "勤労感謝の日"),

        ("2025-01-01", "元日"), ("2025-01-13", "成人の日"), ("2025-02-11", "建国記念の日"),
        ("2025-02-23", "天皇誕生日"), ("2025-02-24", "振替休日"), ("2025-03-20", "春分の日"),
        ("2025-04-29", "昭和の日"), ("2025-05-03", "憲法記念日"), ("2025-05-04", "みどりの日"),
        ("2025-05-05", "こどもの日"), ("2025-05-06", "振替休日"), ("2025-07-21", "海の日"),
        ("2025-08-11", "山の日"), ("2025-09-15", "敬老の日"), ("2025-09-23", "秋分の日"),
        ("2025-10-13", "スポーツの日"), ("2025-11-03", "文化の日"), ("2025-11-23", "勤労感謝の日"),
        ("2025-11-24", "振替休日"),

        ("2026-01-01", "元日"), ("2026-01-12", "成人の日"), ("2026-02-11", "建国記念の日"),
        ("2026-02-23", "天皇誕生日"), ("2026-03-20", "春分の日"), ("2026-04-29", "昭和の日"),
        ("2026-05-03", "憲法記念日"), ("2026-05-04", "みどりの日"), ("2026-05-05", "こどもの日"),
        ("2026-05-06", "振替休日"), ("2026-07-20", "海の日"), ("2026-08-11", "山の日"),
        ("2026-09-21", "敬老の日"), ("2026-09-22", "国民の休日"), ("2026-09-23", "秋分の日"),
        ("2026-10-12", "スポーツの日"), ("2026-11-03", "文化の日"), ("2026-11-23", "勤労感謝の日"),

        ("2027-01-01", "元日"), ("2027-01-11", "成人の日"), ("2027-02-11", "建国記念の日"),
        ("2027-02-23", "天皇誕生日"), ("2027-03-21", "春分の日"), ("2027-03-22", "振替休日"),
        ("2027-04-29", "昭和の日"), ("2027-05-03", "憲法記念日"), ("2027-05-04", "みどりの日"),
        ("2027-05-05", "こどもの日"), ("2027-07-19", "海の日"), ("2027-08-11", "山の日"),
        ("2027-09-20", "敬老の日"), ("2027-09-23", "秋分の日"), ("2027-10-11", "スポーツの日"),
        ("2027-11-03", "文化の日"), ("2027-11-23", "勤労感謝の日"),

        ("2028-01-01", "元日"), ("2028-01-10", "成人の日"), ("2028-02-11", "建国記念の日"),
        ("2028-02-23", "天皇誕生日"), ("2028-03-20", "春分の日"), ("2028-04-29", "昭和の日"),
        ("2028-05-03", "憲法記念日"), ("2028-05-04", "みどりの日"), ("2028-05-05", "こどもの日"),
        ("2028-07-17", "海の日"), ("2028-08-11", "山の日"), ("2028-09-18", "敬老の日"),
        ("2028-09-22", "秋分の日"), ("2028-10-09", "スポーツの日"), ("2028-11-03", "文化の日"),
        ("2028-11-23", "勤労感謝の日"),

        ("2029-01-01", "元日"), ("2029-01-08", "成人の日"), ("2029-02-11", "建国記念の日"),
        ("2029-02-12", "振替休日"), ("2029-02-23", "天皇誕生日"), ("2029-03-20", "春分の日"),
        ("2029-04-29", "昭和の日"), ("2029-04-30", "振替休日"), ("2029-05-03", "憲法記念日"),
        ("2029-05-04", "みどりの日"), ("2029-05-05", "こどもの日"), ("2029-07-16", "海の日"),
        ("2029-08-11", "山の日"), ("2029-09-17", "敬老の日"), ("2029-09-23", "秋分の日"),
        ("2029-09-24", "振替休日"), ("2029-10-08", "スポーツの日"), ("2029-11-03", "文化の日"),
        ("2029-11-23", "勤労感謝の日"),

        ("2030-01-01", "元日"), ("2030-01-14", "成人の日"), ("2030-02-11", "建国記念の日"),
        ("2030-02-23", "天皇誕生日"), ("2030-03-20", "春分の日"), ("2030-04-29", "昭和の日"),
        ("2030-05-03", "憲法記念日"), ("2030-05-04", "みどりの日"), ("2030-05-05", "こどもの日"),
        ("2030-05-06", "振替休日"), ("2030-07-15", "海の日"), ("2030-08-11", "山の日"),
        ("2030-08-12", "振替休日"), ("2030-09-16", "敬老の日"), ("2030-09-23", "秋分の日"),
        ("2030-10-14", "スポーツの日"), ("2030-11-03", "文化の日"), ("2030-11-04", "振替休日"),
        ("2030-11-23", "勤労感謝の日"),
    ]

    /// The literal table parsed once (the calendar tests compare it with the rules year by year, so a line that failed to parse would show).
    static let table: [(date: CivilDate, name: String)] = literal.compactMap { line in
        (try? CivilDate(parsing: line.0)).map { ($0, line.1) }
    }

    /// For each day from ``firstCoveredDay`` to the end of the covered years, 1 + its index in ``table``, or 0:
    /// a dense array so a lookup is one subscript.
    static let tableIndexByDay: [UInt16] = {
        let end = CivilDate(year: coveredYears.upperBound + 1, month: 1, day: 1)
        var byDay = [UInt16](repeating: 0, count: Int(end.daysSinceEpoch - firstCoveredDay.daysSinceEpoch))
        for (index, holiday) in table.enumerated() {
            byDay[Int(holiday.date.daysSinceEpoch - firstCoveredDay.daysSinceEpoch)] = UInt16(index + 1)
        }
        return byDay
    }()
}
