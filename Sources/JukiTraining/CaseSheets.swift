import Foundation
import JukiScenario

/// Printable case sheets (one case per page) and the separate answer key, for a classroom without computers. Every
/// page says the data is synthetic.
public enum CaseSheets {
    /// The banner on every page, sheet and export.
    public static let syntheticNotice =
        "SYNTHETIC DATA — 訓練用の架空データ: every person, number and address here was generated; none is a real resident."

    static let style = """
        body{font-family:"Noto Sans CJK JP","Hiragino Sans",sans-serif;margin:1.5em;color:#111}
        .synthetic{border:2px solid #b00;color:#b00;padding:.3em .6em;font-weight:bold;margin-bottom:1em}
        .case{page-break-after:always;break-after:page;margin-bottom:2em}
        .case:last-child{page-break-after:auto;break-after:auto}
        table{border-collapse:collapse;margin:.4em 0 1em}td,th{border:1px solid #999;padding:.2em .5em;text-align:left}
        th{background:#eee;font-weight:normal;width:16em}h2{margin:.2em 0}.doc{margin-left:1em}
        .write{height:1.6em;min-width:20em}.meta{color:#555}
        @media print{body{margin:0}}
        """

    /// The case sheets: the request, the visitor's words, the documents, what the systems show, and blank fields.
    public static func sheets(_ book: CaseBook) -> String {
        var html = page(title: "\(book.drill.name): case sheets", book: book)
        for c in book.cases {
            html += "<section class=\"case\" id=\"case-\(c.id)\">\n"
            html += "<div class=\"synthetic\">\(e(syntheticNotice))</div>\n"
            html += "<h2>Case \(c.id): \(e(c.request.japanese)) (\(e(c.request.rawValue)))</h2>\n"
            html += "<p class=\"meta\">\(e(book.municipality)), \(book.date); standard desk time "
            html += "\(c.standardSeconds / 60) min</p>\n"
            html += "<p><b>At the desk:</b> \(e(c.filerName)) — “\(e(c.story))”</p>\n"
            for d in c.documents {
                html += "<div class=\"doc\"><h3>\(e(d.kind.title))</h3><table>\n"
                for line in d.lines { html += "<tr><th>\(e(line.label))</th><td>\(e(line.value))</td></tr>\n" }
                html += "</table></div>\n"
            }
            if !c.checks.isEmpty {
                html += "<h3>When you check (register and Juki-net)</h3><table>\n"
                for check in c.checks { html += "<tr><th>\(e(check.check))</th><td>\(e(check.result))</td></tr>\n" }
                html += "</table>\n"
            }
            html += "<h3>Your decision</h3><table>\n"
            html += "<tr><th>受理 / 不受理 (accept / refuse)</th><td class=\"write\"></td></tr>\n"
            html += "<tr><th>理由 (rule, if refused)</th><td class=\"write\"></td></tr>\n"
            for f in c.request.fields { html += "<tr><th>\(e(f.label))</th><td class=\"write\"></td></tr>\n" }
            html += "</table>\n</section>\n"
        }
        return html + "</body></html>\n"
    }

    /// The answer key: per case the decision, the rule with its citation, the fields and what follows.
    public static func answerKey(_ book: CaseBook) -> String {
        var html = page(title: "\(book.drill.name): answer key", book: book)
        html += "<div class=\"synthetic\">\(e(syntheticNotice))</div>\n"
        html += "<h1>Answer key: \(e(book.drill.name))</h1>\n"
        html += "<p class=\"meta\">seed \(book.drill.seed), \(book.cases.count) cases, \(e(book.municipality)) "
        html += "(\(book.residents) synthetic residents), \(book.date)</p>\n"
        for c in book.cases {
            html += "<section id=\"answer-\(c.id)\"><h2>Case \(c.id): \(e(c.request.rawValue))</h2>\n<table>\n"
            html += "<tr><th>Decision</th><td><b>\(c.expected.verdict == .accept ? "accept (受理)" : "refuse (不受理)")"
            html += "</b></td></tr>\n"
            for rule in c.planted {
                html += "<tr><th>\(rule.effect == .refuse ? "Refused for" : "Correction"): \(e(rule.rawValue))</th>"
                html += "<td>\(e(rule.summary))<br><small>\(e(rule.citation))</small></td></tr>\n"
            }
            for f in c.expected.fields {
                html += "<tr><th>\(e(f.field.label))</th><td>\(e(f.value))</td></tr>\n"
            }
            html += "<tr><th>What follows</th><td>\(e(c.expected.followUp))</td></tr>\n"
            html += "</table></section>\n"
        }
        return html + "</body></html>\n"
    }

    static func page(title: String, book: CaseBook) -> String {
        "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><title>\(e(title))</title>\n"
            + "<meta name=\"description\" content=\"\(e(syntheticNotice))\">\n<style>\(style)</style></head><body>\n"
    }

    static func e(_ s: String) -> String { HTMLReport.escape(s) }
}

extension CaseBook {
    /// The cases as JSON for tools and the training server: the drill's name, seed, day and every case with its
    /// expected decision; marked synthetic.
    public func json() throws -> String {
        struct Export: Encodable {
            var synthetic: String
            var drill: String
            var seed: UInt64
            var date: String
            var municipality: String
            var residents: Int
            var cases: [TrainingCase]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(
            Export(
                synthetic: CaseSheets.syntheticNotice, drill: drill.name, seed: drill.seed, date: "\(date)",
                municipality: municipality, residents: residents, cases: cases))
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
