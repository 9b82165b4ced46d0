import Foundation
import JukiCore
import JukiNetwork
import JukiScenario
import JukiTraining
import Mustache

/// The server's pages: Mustache templates (HTML-escaped by default) rendered from plain dictionaries. Every page
/// carries the synthetic-data banner; no page needs a JavaScript build step (one small script refreshes the queue).
enum Pages {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in templates {
            // The templates are constants of this file; a test renders every one, so a syntax error fails there.
            try? library.register(layout(text), named: name)
        }
        return library
    }()

    static func render(_ name: String, _ values: [String: Any]) -> String {
        var context = values
        context["synthetic"] = CaseSheets.syntheticNotice
        return library.render(context, withTemplate: name) ?? "<!DOCTYPE html><p>template \(name) missing</p>"
    }

    static func layout(_ body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="ja"><head><meta charset="utf-8"><title>{{title}} — jukisim training</title>
        <link rel="stylesheet" href="/assets/style.css"></head><body>
        <div class="synthetic" id="synthetic">{{synthetic}}</div>
        \(body)
        </body></html>
        """
    }

    static let templates: [String: String] = [
        "login": """
        <h1>jukisim training</h1>
        {{#message}}<p class="error" id="message">{{message}}</p>{{/message}}
        <form method="post" action="/login"><label>Access token <input id="token" name="token" size="40"
        autocomplete="off"></label> <button id="login" type="submit">Enter</button></form>
        <p>The trainer hands every trainee a token of their own; the trainer's token opens the trainer's view.</p>
        """,
        "error": """
        <h1>{{status}}</h1><p class="error" id="message">{{message}}</p><p><a href="/">Back</a></p>
        """,
        "counter": """
        <header><b>{{drill}}</b> — counter of <span id="trainee">{{trainee}}</span> ·
        <span id="clock">{{clock}}</span> · waiting: <b id="queue">{{queue}}</b> · cases left: <b id="remaining">{{remaining}}</b>
        {{#nextArrival}} · next resident in <span id="next">{{nextArrival}}</span>{{/nextArrival}}
        · <a href="/counter/score" id="score-link">score</a>
        <form method="post" action="/counter/finish" class="inline"><button id="finish">Finish the session</button></form>
        </header>
        {{#message}}<p class="error" id="message">{{message}}</p>{{/message}}
        {{#finished}}<p id="finished">The session is finished. <a href="/counter/score">See the score</a>.</p>{{/finished}}
        <div class="columns"><section class="desk">
        {{#case}}
        <h2 id="case-title">Case {{id}}: {{japanese}} ({{request}})</h2>
        <p><b>At the desk:</b> <span id="filer">{{filerName}}</span> — “<span id="story">{{story}}</span>”</p>
        {{#documents}}<h3>{{title}}</h3><table class="doc">{{#lines}}<tr><th>{{label}}</th><td>{{value}}</td></tr>{{/lines}}</table>{{/documents}}
        {{#hasChecks}}<details id="checks"><summary>Juki-net and register checks</summary><table>
        {{#checks}}<tr><th>{{check}}</th><td>{{result}}</td></tr>{{/checks}}</table></details>{{/hasChecks}}
        <h3>Decision</h3>
        <form method="post" action="/counter/decide" id="decision">
        <label><input type="radio" name="verdict" value="accept" id="verdict-accept"> accept (受理)</label>
        <label><input type="radio" name="verdict" value="refuse" id="verdict-refuse"> refuse (不受理)</label>
        <p><label>Rule broken (to refuse) <select name="reason" id="reason"><option value="">—</option>
        {{#rules}}<option value="{{name}}">{{name}}: {{summary}}</option>{{/rules}}</select></label></p>
        <table>{{#fields}}<tr><th><label for="field-{{name}}">{{label}}</label></th>
        <td><input name="{{name}}" id="field-{{name}}" size="40"></td></tr>{{/fields}}</table>
        <button type="submit" id="decide">Decide</button></form>
        {{/case}}
        {{^case}}{{^finished}}<form method="post" action="/counter/call"><button id="call">Call the next resident</button></form>{{/finished}}{{/case}}
        {{#hasOutcomes}}<h3>Decided</h3><ul id="outcomes">{{#outcomes}}<li>Case {{id}}: {{text}}</li>{{/outcomes}}</ul>{{/hasOutcomes}}
        </section>
        <section class="register"><h2>Register (既存住基)</h2>
        <form method="post" action="/counter/search" id="search">
        <table><tr><th>住民票コード</th><td><input name="residentCode" id="search-code" size="14"></td></tr>
        <tr><th>個人番号{{^numberUse}} (number-use rights only){{/numberUse}}</th><td><input name="individualNumber" id="search-number" size="14"></td></tr>
        <tr><th>氏 (surname)</th><td><input name="surname" id="search-surname"></td></tr>
        <tr><th>名 (given name)</th><td><input name="givenName" id="search-given"></td></tr>
        <tr><th>生年月日</th><td><input name="birthDate" id="search-birth" placeholder="YYYY-MM-DD"></td></tr>
        <tr><th>性別</th><td><input name="sex" id="search-sex" size="4"></td></tr>
        <tr><th>町名 / 丁目 / 番地 / 号</th><td><input name="town" id="search-town" size="10">
        <input name="chome" size="2"> <input name="banchi" size="4"> <input name="go" size="4"></td></tr></table>
        <button id="search-button">Search</button></form>
        {{#searchMessage}}<p id="search-message">{{searchMessage}}</p>{{/searchMessage}}
        <table id="results">{{#hits}}<tr><td><a href="/counter/record/{{residentCode}}">{{residentCode}}</a></td>
        <td>{{name}}</td><td>{{birthDate}}</td><td>{{address}}</td><td>{{status}}</td></tr>{{/hits}}</table>
        {{#office}}<h2>The office now (simulated {{clock}})</h2>
        <table id="office"><tr><th>counter</th><th>in progress</th></tr>
        {{#counters}}<tr><td>{{name}}</td><td>{{load}}</td></tr>{{/counters}}</table>
        {{#hasOwn}}<h3>Your accepted cases in the network</h3><table id="network"><tr><th>flow</th><th>started</th>
        <th>completed</th><th>failed</th><th>median</th></tr>{{#own}}<tr><td>{{flow}}</td><td>{{started}}</td>
        <td>{{completed}}</td><td>{{failed}}</td><td>{{median}}</td></tr>{{/own}}</table>{{/hasOwn}}{{/office}}
        </section></div>
        <script src="/assets/counter.js"></script>
        """,
        "record": """
        <h1>住民票 {{code}}</h1><table id="record">
        <tr><th>氏名</th><td>{{name}}</td></tr><tr><th>ふりがな</th><td>{{kana}}</td></tr>
        <tr><th>生年月日</th><td>{{birthDate}}</td></tr><tr><th>性別</th><td>{{sex}}</td></tr>
        <tr><th>住所</th><td>{{address}}</td></tr><tr><th>世帯番号 / 続柄</th><td>{{household}} / {{relationship}}</td></tr>
        <tr><th>個人番号</th><td id="number">{{number}}</td></tr><tr><th>状態</th><td>{{status}}</td></tr>
        <tr><th>個人番号カード</th><td>{{card}}</td></tr>
        <tr><th>住民となった日</th><td>{{since}}</td></tr><tr><th>最終異動 (latest change)</th><td>{{change}}</td></tr></table>
        <h2>異動履歴 (history)</h2>
        {{#hasHistory}}<table id="history"><tr><th>when</th><th>reason</th><th>fields changed</th></tr>
        {{#history}}<tr><td>{{time}}</td><td>{{reason}}</td><td>{{fields}}</td></tr>{{/history}}</table>{{/hasHistory}}
        {{^hasHistory}}<p id="history">No change since the register was loaded: the record as it stands.</p>{{/hasHistory}}
        {{#canReveal}}<form method="post" action="/counter/record/{{code}}/number"><button id="reveal">Show the individual number</button></form>{{/canReveal}}
        <p><a href="/counter" id="back">Back to the counter</a></p>
        """,
        "score": """
        <h1>Score: {{trainee}}</h1>{{#hardFail}}<p class="error" id="hard-fail">Privacy violation: the session fails.</p>{{/hardFail}}
        <table id="rubric"><tr><th>Decisions right</th><td id="decisions-right">{{decisionsRight}} of {{decisions}}</td></tr>
        <tr><th>Refusals citing the right rule</th><td>{{reasonsRight}}</td></tr>
        <tr><th>Fields right</th><td id="fields-right">{{fieldsRight}} of {{fieldsTotal}}</td></tr>
        <tr><th>Handling time / standard desk time (median)</th><td>{{ratio}}</td></tr>
        <tr><th>Waiting caused to others</th><td>{{waiting}}</td></tr>
        <tr><th>Privacy violations</th><td id="privacy">{{privacy}}</td></tr></table>
        <h2>Cases</h2><table id="cases"><tr><th>case</th><th>request</th><th>expected</th><th>decided</th><th>time / standard</th></tr>
        {{#cases}}<tr><td>{{id}}</td><td>{{request}}</td><td>{{expected}}</td><td>{{decided}}</td><td>{{time}}</td></tr>{{/cases}}</table>
        <h2>Errors</h2><ul id="errors">{{#errors}}<li><b>{{kind}}</b> {{detail}}{{#citation}}<br><small>{{citation}}</small>{{/citation}}</li>{{/errors}}</ul>
        <h2>Timeline</h2><ol id="timeline">{{#timeline}}<li>{{at}} {{text}}</li>{{/timeline}}</ol>
        <p><a href="{{back}}">Back</a></p>
        """,
        "trainer": """
        <h1>Trainer: {{drill}}</h1><p>{{cases}} cases, seed {{seed}}, {{municipality}} on {{date}}; pace {{pace}}.
        <a href="/trainer/results.csv" id="csv">results.csv</a> · <a href="/trainer/results.json">results.json</a> ·
        <a href="/trainer/cases">case sheets</a> · <a href="/trainer/answer-key">answer key</a></p>
        <table id="cohort"><tr><th>trainee</th><th>decided</th><th>right</th><th>fields</th><th>time / standard</th>
        <th>privacy</th><th>session</th></tr>
        {{#trainees}}<tr><td>{{name}}</td><td>{{decisions}}</td><td>{{right}}</td><td>{{fields}}</td><td>{{ratio}}</td>
        <td>{{privacy}}</td><td><a href="/trainer/session/{{name}}" class="replay">replay</a></td></tr>{{/trainees}}</table>
        <h2>Errors by rule</h2><table id="heatmap"><tr><th>rule</th>{{#names}}<th>{{.}}</th>{{/names}}</tr>
        {{#heat}}<tr><th title="{{citation}}">{{label}}</th>{{#cells}}<td style="background:rgba(200,0,0,{{alpha}})">{{count}}</td>{{/cells}}</tr>{{/heat}}</table>
        {{^heat}}<p id="no-errors">No errors yet.</p>{{/heat}}
        """,
    ]

    static let style = """
        body{font-family:"Noto Sans CJK JP","Hiragino Sans",sans-serif;margin:1em;color:#111}
        .synthetic{border:2px solid #b00;color:#b00;padding:.3em .6em;font-weight:bold;margin-bottom:.8em}
        .error{background:#fee;border:1px solid #c00;padding:.4em}
        table{border-collapse:collapse;margin:.3em 0 .8em}td,th{border:1px solid #aaa;padding:.2em .4em;text-align:left}
        th{background:#f0f0f0;font-weight:normal}.columns{display:flex;gap:2em}.desk{flex:3}.register{flex:2}
        .inline{display:inline}header{padding:.3em 0;border-bottom:1px solid #ccc;margin-bottom:.6em}
        """

    /// The tab's icon: a counter's red 訓 (training) mark.
    static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#b00"/>\
        <text x="8" y="12.5" font-size="11" text-anchor="middle" fill="#fff">訓</text></svg>
        """

    /// Refreshes the queue figures every two seconds from /counter/status.json (no build step, no framework).
    static let script = """
        (function(){function tick(){fetch('/counter/status.json',{credentials:'same-origin'}).then(function(r){
        return r.ok?r.json():null}).then(function(s){if(!s)return;document.getElementById('queue').textContent=s.queue;
        document.getElementById('remaining').textContent=s.remaining;document.getElementById('clock').textContent=s.clock;
        }).catch(function(){})}setInterval(tick,2000)})();
        """

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.down))
        let m = s / 60
        let r = s % 60
        return "\(m):\(r < 10 ? "0" : "")\(r)"
    }

    static func counter(_ state: CounterState, office: OfficeStatus?, drill: Drill, message: String?) -> String {
        var values: [String: Any] = [
            "title": "Counter", "drill": drill.name, "trainee": state.trainee, "clock": clock(state.elapsed),
            "queue": state.queue, "remaining": state.remaining, "finished": state.finished,
            "numberUse": state.rights.numberUse, "hits": state.lastSearch.map(hit),
        ]
        if let message { values["message"] = message }
        if !state.searchMessage.isEmpty { values["searchMessage"] = state.searchMessage }
        if let next = state.nextArrivalIn { values["nextArrival"] = clock(next) }
        let outcomes = state.outcomes.keys.sorted().map {
            ["id": $0, "text": state.outcomes[$0] ?? ""] as [String: Any]
        }
        values["outcomes"] = outcomes
        values["hasOutcomes"] = !outcomes.isEmpty
        if let office {
            values["office"] =
                [
                    "clock": Durations.clock(office.clock.timeOfDay),
                    "counters": office.counters.map { ["name": $0.name, "load": $0.inProgress] as [String: Any] },
                    "hasOwn": !office.own.isEmpty,
                    "own": office.own.map { j in
                        [
                            "flow": j.flow.description, "started": j.started, "completed": j.completed,
                            "failed": j.failed.map { "\($0.reason) × \($0.count)" }.joined(separator: ", "),
                            "median": j.medianSeconds.map { String(format: "%.1f s", $0) } ?? "–",
                        ] as [String: Any]
                    },
                ] as [String: Any]
        }
        if let c = state.current {
            values["case"] =
                [
                    "id": c.id, "japanese": c.request.japanese, "request": c.request.rawValue, "filerName": c.filerName,
                    "story": c.story,
                    "documents": c.documents.map { d in
                        ["title": d.kind.title, "lines": d.lines.map { ["label": $0.label, "value": $0.value] }]
                            as [String: Any]
                    },
                    "hasChecks": !c.checks.isEmpty,
                    "checks": c.checks.map { ["check": $0.check, "result": $0.result] },
                    "rules": TrainingRule.allCases.filter { $0.effect == .refuse }.map {
                        ["name": $0.rawValue, "summary": $0.summary]
                    },
                    "fields": c.request.fields.map { ["name": $0.rawValue, "label": $0.label] },
                ] as [String: Any]
        }
        return render("counter", values)
    }

    static func hit(_ h: SearchHit) -> [String: Any] {
        [
            "residentCode": h.residentCode, "name": h.name, "birthDate": h.birthDate, "address": h.address,
            "status": h.status,
        ]
    }

    static func record(_ view: RecordView) -> String {
        let r = view.record
        return render(
            "record",
            [
                "title": "Record", "code": r.residentCode.description, "name": r.name.fullName, "kana": r.name.fullKana,
                "birthDate": "\(r.birthDate)", "sex": r.sex.japanese, "address": r.address.description,
                "household": r.householdNumber, "relationship": r.relationship.japanese, "number": view.number,
                "status": r.status == .active ? "住民 (active)" : "除票 (removed)", "card": "\(r.cardStatus)",
                "since": "\(r.residentSince)", "change": "\(r.changeReason.map { "\($0)" } ?? "–") \(r.changeDate)",
                "canReveal": view.numberUse && !view.numberShown && r.individualNumber != nil,
                "history": view.history.map { ["time": $0.time, "reason": $0.reason, "fields": $0.fields] },
                "hasHistory": !view.history.isEmpty,
            ])
    }

    static func score(_ s: SessionScore, back: String) -> String {
        render(
            "score",
            [
                "title": "Score", "trainee": s.trainee, "hardFail": s.hardFail, "decisions": s.decisions,
                "decisionsRight": s.decisionsRight, "reasonsRight": s.reasonsRight, "fieldsRight": s.fieldsRight,
                "fieldsTotal": s.fieldsTotal, "ratio": s.medianHandlingRatio.map { String(format: "%.2f", $0) } ?? "–",
                "waiting": clock(s.waitingCaused), "privacy": s.privacyViolations, "back": back,
                "cases": s.cases.map { c in
                    [
                        "id": c.caseID, "request": c.request.rawValue, "expected": c.expected.rawValue,
                        "decided": (c.verdict?.rawValue ?? "–") + (c.reason.map { " (\($0.rawValue))" } ?? ""),
                        "time": (c.handlingSeconds.map(clock) ?? "–") + " / " + clock(Double(c.standardSeconds)),
                    ] as [String: Any]
                },
                "errors": s.errors.map { e in
                    ["kind": e.kind.rawValue, "detail": e.detail, "citation": e.citation] as [String: Any]
                },
                "timeline": s.timeline.map { ["at": clock($0.at), "text": $0.text] as [String: Any] },
            ])
    }

    static func trainer(_ book: CaseBook, scores: [SessionScore]) -> String {
        let heat = Cohort.heatMap(scores)
        let top = max(1, heat.flatMap(\.counts).max() ?? 1)
        return render(
            "trainer",
            [
                "title": "Trainer", "drill": book.drill.name, "cases": book.cases.count, "seed": book.drill.seed,
                "municipality": book.municipality, "date": "\(book.date)", "pace": book.drill.pace.mode.rawValue,
                "names": scores.map(\.trainee),
                "trainees": scores.map { s in
                    [
                        "name": s.trainee, "decisions": s.decisions, "right": s.decisionsRight,
                        "fields": "\(s.fieldsRight)/\(s.fieldsTotal)",
                        "ratio": s.medianHandlingRatio.map { String(format: "%.2f", $0) } ?? "–",
                        "privacy": s.privacyViolations,
                    ] as [String: Any]
                },
                "heat": heat.map { row in
                    [
                        "label": row.label, "citation": row.citation,
                        "cells": row.counts.map {
                            ["count": $0, "alpha": String(format: "%.2f", Double($0) / Double(top) * 0.7)]
                        },
                    ] as [String: Any]
                },
            ])
    }
}
