import Foundation
import Testing

@testable import JukiTraining

/// Printable sheets and the answer key: one page per case, every page marked synthetic, the key with each rule's
/// citation; cases.json decodes back to the same cases.
@Suite struct CaseSheetsTests {
    static func book() throws -> CaseBook {
        try CaseGeneratorTests.book(try CaseGeneratorTests.drill("cases: 9\nseed: 5\ndifficulty: { 1: 60%, 2: 40% }"))
    }

    @Test func everySheetIsAPageMarkedSynthetic() throws {
        let book = try Self.book()
        let html = CaseSheets.sheets(book)
        #expect(html.components(separatedBy: "<section class=\"case\"").count - 1 == 9)
        #expect(html.components(separatedBy: "class=\"synthetic\"").count - 1 == 9)
        #expect(html.contains("page-break-after:always"))
        // The answer is not on the sheet.
        for c in book.cases {
            for rule in c.planted { #expect(!html.contains(rule.citation)) }
        }
    }

    @Test func theAnswerKeyCitesEveryPlantedRule() throws {
        let book = try Self.book()
        let key = CaseSheets.answerKey(book)
        #expect(key.contains(CaseSheets.syntheticNotice.replacingOccurrences(of: "—", with: "—")))
        for c in book.cases {
            #expect(key.contains("id=\"answer-\(c.id)\""))
            for rule in c.planted { #expect(key.contains(CaseSheets.e(rule.citation))) }
        }
    }

    @Test func textIsEscaped() {
        #expect(CaseSheets.e("<b>&\"") == "&lt;b&gt;&amp;&quot;")
    }

    @Test func casesJSONRoundTrips() throws {
        let book = try Self.book()
        let text = try book.json()
        struct Export: Decodable {
            var synthetic: String
            var seed: UInt64
            var cases: [TrainingCase]
        }
        let back = try JSONDecoder().decode(Export.self, from: Data(text.utf8))
        #expect(back.cases == book.cases)
        #expect(back.seed == 5)
        #expect(back.synthetic.hasPrefix("SYNTHETIC DATA"))
    }
}
