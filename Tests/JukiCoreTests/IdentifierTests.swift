import JukiCore
import Testing

@Suite("Individual number (個人番号) check digit")
struct IndividualNumberTests {
    @Test("accepts the published test number 123456789018")
    func publishedVector() throws {
        let n = try IndividualNumber(parsing: "123456789018")
        #expect(n.rawValue == 123_456_789_018)
        #expect(IndividualNumber.checkDigit(body: 12_345_678_901) == 8)
    }

    @Test(
        "computes the check digit by 総務省令第85号 第5条",
        arguments: [
            // (body, check): worked by hand with P(n)·Q(n), Q = 2..7 then 2..6 from the right.
            (UInt64(12_345_678_901), UInt8(8)),
            (UInt64(0), UInt8(0)),
            (UInt64(1), UInt8(9)),  // r = 1·2 = 2 → 11 − 2
            (UInt64(99_999_999_999), UInt8(6)),  // r = 9·(2+3+4+5+6+7+2+3+4+5+6) = 423, 423 mod 11 = 5
        ])
    func checkDigitVectors(body: UInt64, check: UInt8) {
        #expect(IndividualNumber.checkDigit(body: body) == check)
        #expect(IndividualNumber(body: body).rawValue % 10 == UInt64(check))
    }

    @Test("gives check digit 0 when the remainder is 0 or 1")
    func remainderZeroOrOne() {
        // Search small bodies for both remainders and check the rule's first branch.
        var seen: Set<UInt64> = []
        for body in UInt64(0)..<2000 {
            var b = body
            var sum: UInt64 = 0
            for n in UInt64(1)...11 {
                sum += (b % 10) * (n <= 6 ? n + 1 : n - 5)
                b /= 10
            }
            let r = sum % 11
            if r <= 1 {
                seen.insert(r)
                #expect(IndividualNumber.checkDigit(body: body) == 0)
            } else {
                #expect(IndividualNumber.checkDigit(body: body) == UInt8(11 - r))
            }
        }
        #expect(seen == [0, 1])
    }

    @Test("refuses a wrong check digit and names the expected one")
    func wrongCheckDigit() {
        let error = #expect(throws: IdentifierError.self) { try IndividualNumber(parsing: "123456789012") }
        #expect(error?.rule == .checkDigit(expected: 8, actual: 2))
        #expect(error?.kind == .individualNumber)
        #expect(error?.description.contains("expected check digit 8") == true)
    }

    @Test(
        "refuses wrong lengths and non-digits",
        arguments: [
            ("12345678901", IdentifierError.Rule.length(expected: 12, actual: 11)),
            ("1234567890188", .length(expected: 12, actual: 13)),
            ("", .length(expected: 12, actual: 0)),
            ("12345678901A", .character(position: 12, character: "A")),
            ("1234-5678-9018", .character(position: 5, character: "-")),
            ("一二三四五六七八九〇一八", .character(position: 1, character: "一")),
        ])
    func rejects(input: String, rule: IdentifierError.Rule) {
        let error = #expect(throws: IdentifierError.self) { try IndividualNumber(parsing: input) }
        #expect(error?.rule == rule)
    }

    @Test("accepts full-width digits and surrounding spaces")
    func fullWidth() throws {
        #expect(try IndividualNumber(parsing: "１２３４５６７８９０１８").rawValue == 123_456_789_018)
        #expect(try IndividualNumber(parsing: " 123456789018\n").description == "123456789018")
    }

    @Test("masks all but the last four digits")
    func masked() throws {
        #expect(try IndividualNumber(parsing: "123456789018").masked == "********9018")
    }
}

@Suite("Resident code (住民票コード) check digit")
struct ResidentCodeTests {
    @Test(
        "computes the mod-11 check digit with weights 2–7, 2–5 from the right",
        arguments: [
            (UInt64(1_234_567_890), UInt8(3)),  // Σ = 195, 195 mod 11 = 8 → 3
            (UInt64(0), UInt8(0)),  // 11 − 0 = 11 → 0
            (UInt64(1), UInt8(9)),  // Σ = 2 → 9
            (UInt64(5), UInt8(1)),  // Σ = 10 → 1
        ])
    func vectors(body: UInt64, check: UInt8) {
        #expect(ResidentCode.checkDigit(body: body) == check)
    }

    @Test("maps 10 to 0")
    func tenBecomesZero() {
        // Σ mod 11 = 1 gives 11 − 1 = 10 → 0: body 6 has Σ = 12, 12 mod 11 = 1.
        #expect(ResidentCode.checkDigit(body: 6) == 0)
    }

    @Test("parses valid codes and refuses wrong ones")
    func parse() throws {
        #expect(try ResidentCode(parsing: "12345678903").body == 1_234_567_890)
        let error = #expect(throws: IdentifierError.self) { try ResidentCode(parsing: "12345678904") }
        #expect(error?.rule == .checkDigit(expected: 3, actual: 4))
        let length = #expect(throws: IdentifierError.self) { try ResidentCode(parsing: "123456789") }
        #expect(length?.rule == .length(expected: 11, actual: 9))
    }
}

@Suite("Municipality code (全国地方公共団体コード) check digit")
struct MunicipalityCodeTests {
    @Test(
        "accepts published codes",
        arguments: ["142051", "141003", "011002", "131016", "271004", "472018", "141305", "141500"])
    func published(code: String) throws {
        let parsed = try MunicipalityCode(parsing: code)
        #expect(parsed.description == code)
        #expect(MunicipalityCode(body: parsed.body) == parsed)
    }

    @Test("Fujisawa is 142051 in prefecture 14")
    func fujisawa() {
        #expect(MunicipalityCode.fujisawa.rawValue == 142_051)
        #expect(MunicipalityCode.fujisawa.prefectureCode == 14)
        #expect(MunicipalityCode.checkDigit(body: 14205) == 1)
    }

    @Test("refuses a wrong check digit")
    func wrong() {
        let error = #expect(throws: IdentifierError.self) { try MunicipalityCode(parsing: "142052") }
        #expect(error?.rule == .checkDigit(expected: 1, actual: 2))
        #expect(error?.code == "identifier.checkDigit")
    }

    @Test("detects kinds by length")
    func detect() {
        #expect(IdentifierKind.detect(digitCount: 12) == .individualNumber)
        #expect(IdentifierKind.detect(digitCount: 11) == .residentCode)
        #expect(IdentifierKind.detect(digitCount: 6) == .municipalityCode)
        #expect(IdentifierKind.detect(digitCount: 7) == nil)
    }
}
