import JukiCore
import Testing

@Suite("Civil dates and simulated time")
struct CivilDateTests {
    @Test("round-trips every day from 1900 to 2100")
    func roundTrip() {
        let start = CivilDate(year: 1900, month: 1, day: 1).daysSinceEpoch
        let end = CivilDate(year: 2100, month: 12, day: 31).daysSinceEpoch
        for d in start...end {
            let date = CivilDate(daysSinceEpoch: d)
            let (y, m, day) = date.components
            #expect(CivilDate(year: y, month: m, day: day) == date)
        }
    }

    @Test("adds months keeping the day, or the month's last day when it has fewer")
    func addingMonths() {
        #expect(CivilDate(year: 2026, month: 3, day: 3).adding(months: 12) == CivilDate(year: 2027, month: 3, day: 3))
        #expect(CivilDate(year: 2026, month: 1, day: 31).adding(months: 1) == CivilDate(year: 2026, month: 2, day: 28))
        #expect(CivilDate(year: 2024, month: 1, day: 31).adding(months: 1) == CivilDate(year: 2024, month: 2, day: 29))
        #expect(CivilDate(year: 2026, month: 11, day: 15).adding(months: 3) == CivilDate(year: 2027, month: 2, day: 15))
        #expect(CivilDate(year: 2026, month: 3, day: 3).adding(months: -3) == CivilDate(year: 2025, month: 12, day: 3))
    }

    @Test("knows the epoch, leap days and weekdays")
    func knownDates() throws {
        #expect(CivilDate(year: 1970, month: 1, day: 1).daysSinceEpoch == 0)
        #expect(try CivilDate(parsing: "2024-02-29").description == "2024-02-29")
        #expect(CivilDate(year: 2025, month: 5, day: 1).weekday == 4)  // Thursday
        #expect(CivilDate(year: 2015, month: 10, day: 5).weekday == 1)  // Monday: the 2015 designation date
    }

    @Test(
        "refuses malformed and impossible dates, naming the field",
        arguments: ["2023-02-29", "2024-13-01", "20240101", "2024-1-1", "abcd-ef-gh"])
    func rejects(text: String) {
        let error = #expect(throws: ValueError.self) { try CivilDate(parsing: text, field: "birthDate") }
        #expect(error?.field == "birthDate")
    }

    @Test("computes ages on a date")
    func ages() {
        let birth = CivilDate(year: 1980, month: 5, day: 2)
        #expect(birth.age(on: CivilDate(year: 2025, month: 5, day: 1)) == 44)
        #expect(birth.age(on: CivilDate(year: 2025, month: 5, day: 2)) == 45)
    }

    @Test("formats simulated time in JST")
    func simulatedTime() {
        let t = SimulatedTime(date: CivilDate(year: 2026, month: 3, day: 31), hour: 8, minute: 30, second: 5)
        #expect(t.description == "2026-03-31T08:30:05+09:00")
        #expect(t.date == CivilDate(year: 2026, month: 3, day: 31))
        #expect(SimulatedTime(microseconds: -1).date == CivilDate(year: 1969, month: 12, day: 31))
    }
}

@Suite("Kana: katakana folding and 清音化")
struct KanaTests {
    @Test(
        "removes voicing marks and enlarges small kana, as the glossary lists",
        arguments: [
            ("ガ", "カ"), ("パ", "ハ"), ("ッ", "ツ"), ("ャ", "ヤ"), ("ヴ", "ウ"), ("ジョウ", "シヨウ"),
            ("ワタナベ", "ワタナヘ"), ("ヤマザキ", "ヤマサキ"), ("ナカジマ", "ナカシマ"), ("キョウコ", "キヨウコ"),
        ])
    func seion(input: String, expected: String) {
        #expect(Kana.seion(input) == expected)
    }

    @Test("folds hiragana to katakana and drops spaces")
    func folding() {
        #expect(Kana.katakana("さとう　たろう") == "サトウタロウ")
        #expect(Kana.seion("やまざき") == "ヤマサキ")
        #expect(Kana.isKatakana("サトウ"))
        #expect(!Kana.isKatakana("佐藤"))
    }

    @Test("writes 丁目 numbers in kanji")
    func kanjiNumerals() {
        #expect(KanjiNumerals.format(1) == "一")
        #expect(KanjiNumerals.format(10) == "十")
        #expect(KanjiNumerals.format(14) == "十四")
        #expect(KanjiNumerals.format(23) == "二十三")
    }
}
