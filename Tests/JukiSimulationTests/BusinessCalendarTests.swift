import JukiCore
import JukiSimulation
import Testing

@Suite("Japanese national holidays")
struct JapaneseHolidaysTests {
    @Test("the 祝日法 rules reproduce the published table", arguments: 2024...2030)
    func ruleMatchesTable(year: Int) {
        let published = JapaneseHolidays.holidays(in: year).map { "\($0.date) \($0.name)" }
        let computed = JapaneseHolidays.computedHolidays(in: year).map { "\($0.date) \($0.name)" }
        #expect(!published.isEmpty)
        #expect(computed == published)
    }

    @Test("counts the holidays of each covered year")
    func counts() {
        let counts = JapaneseHolidays.coveredYears.map { JapaneseHolidays.holidays(in: $0).count }
        #expect(counts == [21, 19, 18, 17, 16, 19, 19])
    }

    @Test("every table entry is named by lookup and falls in its year, in date order")
    func lookupAgreesWithTable() {
        for year in JapaneseHolidays.coveredYears {
            let holidays = JapaneseHolidays.holidays(in: year)
            #expect(holidays.map(\.date) == holidays.map(\.date).sorted())
            for holiday in holidays {
                #expect(holiday.date.components.year == year)
                #expect(JapaneseHolidays.name(of: holiday.date) == holiday.name)
            }
        }
    }

    @Test("names specific holidays")
    func specificDates() throws {
        let expected: [(String, String?)] = [
            ("2024-02-12", "振替休日"), ("2024-08-12", "振替休日"), ("2025-02-24", "振替休日"),
            ("2025-05-05", "こどもの日"), ("2025-05-06", "振替休日"), ("2025-11-24", "振替休日"),
            ("2026-05-06", "振替休日"), ("2026-09-22", "国民の休日"), ("2027-03-22", "振替休日"),
            ("2029-04-30", "振替休日"), ("2030-03-20", "春分の日"), ("2025-05-01", nil), ("2024-12-30", nil),
        ]
        for (text, name) in expected {
            #expect(JapaneseHolidays.name(of: try CivilDate(parsing: text)) == name, "\(text)")
        }
    }

    @Test("the rule carries on past the table")
    func ruleBeyondTable() {
        let names = Dictionary(
            uniqueKeysWithValues: (2031...2034).flatMap(JapaneseHolidays.computedHolidays(in:)).map {
                ($0.date.description, $0.name)
            })
        #expect(names["2032-09-21"] == "国民の休日")
        #expect(names["2033-03-21"] == "振替休日")
        #expect(names["2034-01-02"] == "振替休日")
        #expect(names["2031-03-21"] == "春分の日")
        #expect(JapaneseHolidays.computedHolidays(in: 2021).isEmpty)
    }

    @Test("knows nothing outside the covered years")
    func outsideCoverage() {
        #expect(JapaneseHolidays.name(of: CivilDate(year: 2023, month: 12, day: 31)) == nil)
        #expect(JapaneseHolidays.name(of: CivilDate(year: 2031, month: 1, day: 1)) == nil)
        #expect(JapaneseHolidays.holidays(in: 2031).isEmpty)
        #expect(!JapaneseHolidays.computedHolidays(in: 2031).isEmpty)
    }
}

@Suite("Municipal business calendar")
struct BusinessCalendarTests {
    let calendar = BusinessCalendar.standard

    func date(_ text: String) throws -> CivilDate { try CivilDate(parsing: text) }

    func time(_ text: String, _ hour: Int, _ minute: Int, _ second: Int = 0) throws -> SimulatedTime {
        SimulatedTime(date: try date(text), hour: hour, minute: minute, second: second)
    }

    @Test(
        "tells business days from closed days",
        arguments: [
            ("2025-05-01", true),  // Thursday before Golden Week
            ("2025-05-05", false),  // こどもの日
            ("2025-05-06", false),  // 振替休日
            ("2026-09-22", false),  // 国民の休日
            ("2024-12-28", false),  // Saturday
            ("2024-12-30", false),  // Monday inside the year-end closure
            ("2025-01-03", false),  // Friday inside the closure
            ("2025-01-06", true),  // first Monday after the closure
        ])
    func businessDays(text: String, open: Bool) throws {
        #expect(calendar.isBusinessDay(try date(text)) == open)
    }

    @Test("opens at 08:30 and closes at 17:00, as Fujisawa's counters do")
    func hours() throws {
        #expect(!calendar.isOpen(at: try time("2025-05-01", 8, 29, 59)))
        #expect(calendar.isOpen(at: try time("2025-05-01", 8, 30)))
        #expect(calendar.isOpen(at: try time("2025-05-01", 16, 59, 59)))
        #expect(!calendar.isOpen(at: try time("2025-05-01", 17, 0)))
        #expect(!calendar.isOpen(at: try time("2025-05-05", 10, 0)))
        #expect(calendar.closing(on: try date("2025-05-01")) == (try time("2025-05-01", 17, 0)))
    }

    @Test("finds the next opening")
    func nextOpening() throws {
        let during = try time("2025-05-01", 10, 0)
        #expect(calendar.nextOpening(atOrAfter: during) == during)
        #expect(calendar.nextOpening(atOrAfter: try time("2025-05-01", 7, 0)) == (try time("2025-05-01", 8, 30)))
        // Friday evening to Monday morning.
        #expect(calendar.nextOpening(atOrAfter: try time("2025-05-09", 17, 15)) == (try time("2025-05-12", 8, 30)))
        // Golden Week 2025: Friday 05-02 is open, then 05-03 … 05-06 are all closed.
        #expect(calendar.nextOpening(atOrAfter: try time("2025-05-02", 18, 0)) == (try time("2025-05-07", 8, 30)))
        // Year end: Friday 2024-12-27 evening to Monday 2025-01-06.
        #expect(calendar.nextOpening(atOrAfter: try time("2024-12-27", 17, 15)) == (try time("2025-01-06", 8, 30)))
    }

    @Test("adds and counts business days across holidays")
    func addingBusinessDays() throws {
        #expect(calendar.addingBusinessDays(0, to: try date("2025-05-01")) == (try date("2025-05-01")))
        #expect(calendar.addingBusinessDays(0, to: try date("2025-05-03")) == (try date("2025-05-07")))
        #expect(calendar.addingBusinessDays(1, to: try date("2025-05-03")) == (try date("2025-05-08")))
        #expect(calendar.addingBusinessDays(2, to: try date("2025-05-01")) == (try date("2025-05-07")))
        #expect(calendar.addingBusinessDays(5, to: try date("2026-09-17")) == (try date("2026-09-29")))
        #expect(calendar.businessDays(from: try date("2025-05-01"), through: try date("2025-05-07")) == 3)
        #expect(calendar.businessDays(from: try date("2025-05-07"), through: try date("2025-05-01")) == 0)
        #expect(calendar.businessDays(from: try date("2025-01-01"), through: try date("2025-12-31")) == 241)
    }

    @Test("reports whether holidays are known")
    func coverage() throws {
        #expect(calendar.covers(try date("2024-01-01")))
        #expect(calendar.covers(try date("2030-12-31")))
        #expect(!calendar.covers(try date("2031-01-01")))
        // Outside the table only weekends and the closure count: 2031-01-13 would be 成人の日.
        #expect(calendar.isBusinessDay(try date("2031-01-13")))
        #expect(!calendar.isBusinessDay(try date("2031-01-02")))
    }

    @Test("can ignore holidays and the year-end closure")
    func options() throws {
        let open = try BusinessCalendar(
            opening: 0, closing: SimulatedTime.microsecondsPerDay, closedOnHolidays: false, yearEndClosure: false)
        #expect(open.isBusinessDay(try date("2025-05-05")))
        #expect(open.isBusinessDay(try date("2024-12-30")))
        #expect(!open.isBusinessDay(try date("2024-12-28")))
        #expect(open.isOpen(at: try time("2024-12-30", 23, 59, 59)))
        #expect(open.closing(on: try date("2024-12-30")) == (try time("2024-12-31", 0, 0)))
    }

    @Test(
        "refuses invalid hours, naming the field",
        arguments: [
            (-1, 1_000_000, "opening"),
            (SimulatedTime.microsecondsPerDay, SimulatedTime.microsecondsPerDay + 1, "opening"),
            (0, SimulatedTime.microsecondsPerDay + 1, "closing"),
            (0, 0, "closing"),
            (62_100_000_000, 30_600_000_000, "closing"),
        ] as [(Int64, Int64, String)])
    func refusesInvalidHours(opening: Int64, closing: Int64, field: String) {
        let error = #expect(throws: CalendarError.self) {
            try BusinessCalendar(opening: opening, closing: closing)
        }
        #expect(error?.field == field)
        #expect(error?.description.contains(field) == true)
    }

    @Test("the main counter's Saturdays are the 2nd and 4th, not holidays or the year-end closure; Mondays follow none")
    func saturdayOpenings() throws {
        let calendar = BusinessCalendar.standard
        // March 2026: Saturdays 7, 14, 21, 28.
        #expect(!calendar.isSaturdayOpening(try date("2026-03-07")))
        #expect(calendar.isSaturdayOpening(try date("2026-03-14")))
        #expect(!calendar.isSaturdayOpening(try date("2026-03-21")))
        #expect(calendar.isSaturdayOpening(try date("2026-03-28")))
        // A Sunday or a Friday is no Saturday opening.
        #expect(!calendar.isSaturdayOpening(try date("2026-03-15")))
        #expect(!calendar.isSaturdayOpening(try date("2026-03-13")))
        #expect(calendar.isSaturdayOpening(try date("2026-01-10")))
        // A 2nd or 4th Saturday that is a holiday stays closed:
        // 2024-11-23 (勤労感謝の日) is the 4th Saturday of November 2024.
        #expect(!calendar.isSaturdayOpening(try date("2024-11-23")))
        #expect(calendar.isSaturdayOpening(try date("2024-11-09")))
        // The first weekday after a weekend does not follow a business day; a Tuesday does.
        #expect(!calendar.followsBusinessDay(try date("2026-03-02")))
        #expect(calendar.followsBusinessDay(try date("2026-03-03")))
        // After a Monday holiday (2026-01-12, 成人の日) the Tuesday is the first day back.
        #expect(!calendar.followsBusinessDay(try date("2026-01-13")))
    }
}
