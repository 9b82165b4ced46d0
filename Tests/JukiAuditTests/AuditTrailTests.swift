import Foundation
import JukiAudit
import JukiCore
import Testing

@Suite("The audit trail's hash chain")
struct AuditTrailTests {
    static func trail(_ n: Int, retain: Bool = true) -> AuditTrail {
        var t = AuditTrail(retain: retain)
        for i in 0..<n {
            t.append(
                AuditRecord(
                    time: 1_000 * Int64(i), operatorID: 101, terminal: 7, action: i % 3 == 0 ? .view : .change,
                    operation: UInt8(i % 20), subject: 12_345_678_901 + UInt64(i)))
        }
        return t
    }

    @Test("an untouched trail verifies, record by record")
    func intact() {
        let t = Self.trail(50)
        let v = AuditTrail.verify(jsonLines: t.jsonLines())
        #expect(v.intact && v.verified == 50)
        #expect(t.records.map(\.sequence) == Array(1...50))
        #expect(t.count(of: .view) == 17 && t.count(of: .change) == 33 && t.count == 50)
        let headOnly = Self.trail(50, retain: false)
        #expect(headOnly.records.isEmpty && headOnly.count == 50 && headOnly.head == t.head)
        #expect(AuditTrail.verify(jsonLines: "").verified == 0)
    }

    @Test(
        "any change, removal, insertion or reordering is found at its line",
        arguments: [
            ("changed subject", 10), ("changed operator", 20), ("removed line", 31), ("swapped lines", 5),
            ("inserted copy", 12), ("changed hash", 40), ("changed action", 4), ("not JSON", 8),
        ])
    func tampering(kind: String, line: Int) {
        var lines = Self.trail(50).jsonLines().split(separator: "\n").map(String.init)
        let i = line - 1
        switch kind {
        case "changed subject":
            lines[i] = lines[i].replacingOccurrences(of: "\"subject\":", with: "\"subject\":9")
        case "changed operator":
            lines[i] = lines[i].replacingOccurrences(of: "\"operator\":101", with: "\"operator\":102")
        case "removed line": lines.remove(at: i)
        case "swapped lines": lines.swapAt(i, i + 1)
        case "inserted copy": lines.insert(lines[i - 1], at: i)
        case "changed hash":
            let h = lines[i].range(of: "\"hash\":\"")!.upperBound
            lines[i].replaceSubrange(h..<lines[i].index(after: h), with: lines[i][h] == "0" ? "1" : "0")
        case "changed action":
            lines[i] = lines[i].replacingOccurrences(of: "\"action\":\"view\"", with: "\"action\":\"change\"")
        default: lines[i] = "garbage"
        }
        let v = AuditTrail.verify(jsonLines: lines.joined(separator: "\n"))
        #expect(!v.intact)
        #expect(v.problem?.line == line, "found at \(String(describing: v.problem))")
        #expect(v.verified == line - 1)
    }

    @Test("records carry UTC epoch time: the simulated clock counts in Japan Standard Time")
    func utcTime() {
        var t = AuditTrail()
        // 2026-04-01 08:30 JST on the simulated clock is 2026-03-31 23:30 UTC, 1,774,999,800 s after the epoch.
        let jst = SimulatedTime(date: CivilDate(year: 2026, month: 4, day: 1), hour: 8, minute: 30).microseconds
        t.append(AuditRecord(time: jst, operatorID: 1, terminal: 1, action: .view, operation: 0, subject: 1))
        #expect(t.records.first?.time == 1_774_999_800_000_000)
        #expect(t.jsonLines().contains("\"timeUs\":1774999800000000,"))
    }

    @Test("a file that is not JSON Lines is unreadable, not tampered; a cut tail shows against the summary's head")
    func unreadableAndCutTail() {
        let notJSON = AuditTrail.verify(jsonLines: "name: x\nseed: 1\n")
        #expect(notJSON.unreadable != nil && notJSON.problem == nil && !notJSON.intact)
        let t = Self.trail(20)
        let full = AuditTrail.verify(jsonLines: t.jsonLines())
        #expect(full.tailProblem(expectedHead: t.headHex, expectedRecords: t.count) == nil)
        let lines = t.jsonLines().split(separator: "\n")
        let cut = AuditTrail.verify(jsonLines: lines.prefix(17).joined(separator: "\n"))
        // The cut trail verifies on its own, but not against the head the run recorded.
        #expect(cut.intact && cut.verified == 17)
        #expect(
            cut.tailProblem(expectedHead: t.headHex, expectedRecords: t.count)?.contains("the tail was cut") == true)
        // A line that is not JSON after good ones is tampering.
        let broken = AuditTrail.verify(jsonLines: lines.prefix(3).joined(separator: "\n") + "\ngarbage")
        #expect(broken.unreadable == nil && broken.problem?.line == 4)
    }

    @Test("the chain is SHA-256 over the previous hash and 43 bytes of fields")
    func vector() {
        let r = AuditRecord(
            sequence: 1, time: 0, operatorID: 0, terminal: 0, action: .view, operation: 0, subject: 0, count: 0)
        #expect(r.canonicalBytes.count == 43)
        let h = AuditTrail.hash(r, after: AuditTrail.genesis)
        #expect(h.count == 32)
        #expect(h != AuditTrail.hash(r, after: h))
    }
}

@Suite("Audit retention")
struct AuditRetentionTests {
    @Test("expiring the oldest records keeps the rest verifiable from an anchor, and tampering still shows")
    func expire() {
        var t = AuditTrailTests.trail(30)
        let head = t.head
        #expect(t.expire(before: 10_000) == 10)
        #expect(t.expired == 10 && t.records.count == 20 && t.records.first?.sequence == 11)
        #expect(t.head == head)
        #expect(t.expire(before: 10_000) == 0)
        let text = t.jsonLines()
        #expect(text.hasPrefix("{\"anchor\":\""))
        let v = AuditTrail.verify(jsonLines: text)
        #expect(v.intact && v.verified == 20)
        var lines = text.split(separator: "\n").map(String.init)
        // A forged anchor, a dropped anchor, or a changed record after it all break the chain.
        var forged = lines
        forged[0] = forged[0].replacingOccurrences(of: "\"expired\":10", with: "\"expired\":9")
        #expect(AuditTrail.verify(jsonLines: forged.joined(separator: "\n")).problem?.line == 2)
        #expect(!AuditTrail.verify(jsonLines: lines.dropFirst().joined(separator: "\n")).intact)
        lines[5] = lines[5].replacingOccurrences(of: "\"terminal\":7", with: "\"terminal\":8")
        #expect(AuditTrail.verify(jsonLines: lines.joined(separator: "\n")).problem?.line == 6)
    }
}

@Suite("The audit spool")
struct AuditSpoolTests {
    static func record(_ i: Int, operatorID: UInt32 = 101) -> AuditRecord {
        AuditRecord(
            time: 1_000 * Int64(i), operatorID: operatorID, terminal: 7, action: i % 3 == 0 ? .view : .change,
            operation: UInt8(i % 20), subject: 12_345_678_901 + UInt64(i))
    }

    static func trail(_ range: Range<Int>, spillAt: Int) -> AuditTrail {
        var t = AuditTrail(spillAt: spillAt)
        for i in range { t.append(record(i)) }
        return t
    }

    @Test("a trail that spools its records writes the same lines as one that keeps them all")
    func sameLines() throws {
        let kept = Self.trail(0..<50, spillAt: 1_000)
        let spooled = Self.trail(0..<50, spillAt: 4)
        #expect(spooled.jsonLines() == kept.jsonLines())
        #expect(spooled.records == kept.records && spooled.kept == 50 && spooled.head == kept.head)
        var visited: [UInt64] = []
        #expect(spooled.forEachKept { visited.append($0.sequence) })
        #expect(visited == Array(1...50))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "spool-\(UInt64.random(in: 0...UInt64.max)).jsonl"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try spooled.write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == kept.jsonLines())
        #expect(AuditTrail.verify(jsonLines: spooled.jsonLines()).verified == 50)
    }

    @Test("retention expires spooled records and the tail alike, with the same anchor")
    func retention() {
        var kept = Self.trail(0..<50, spillAt: 1_000)
        var spooled = Self.trail(0..<50, spillAt: 4)
        for cutoff: Int64 in [0, 3_000, 9_500, 22_000, 22_000, 47_000, 60_000] {
            #expect(spooled.expire(before: cutoff) == kept.expire(before: cutoff))
            #expect(spooled.jsonLines() == kept.jsonLines() && spooled.kept == kept.kept)
        }
        #expect(spooled.kept == 0 && spooled.expired == 50)
        for i in 50..<57 {
            kept.append(Self.record(i))
            spooled.append(Self.record(i))
        }
        #expect(spooled.jsonLines() == kept.jsonLines())
        #expect(AuditTrail.verify(jsonLines: spooled.jsonLines()).intact)
    }

    @Test("a copy of a spooled trail appends on its own: neither sees the other's records")
    func copies() {
        var a = Self.trail(0..<30, spillAt: 4)
        var b = a
        for i in 30..<45 { a.append(Self.record(i)) }
        for i in 30..<37 { b.append(Self.record(i, operatorID: 202)) }
        var expectedB = Self.trail(0..<30, spillAt: 1_000)
        for i in 30..<37 { expectedB.append(Self.record(i, operatorID: 202)) }
        #expect(a.jsonLines() == Self.trail(0..<45, spillAt: 1_000).jsonLines())
        #expect(b.jsonLines() == expectedB.jsonLines())
        #expect(AuditTrail.verify(jsonLines: b.jsonLines()).verified == 37)
    }

    @Test("a path that cannot be written is an error naming it")
    func unwritable() {
        let t = Self.trail(0..<5, spillAt: 2)
        let path = "/nonexistent-folder-\(UInt64.random(in: 0...UInt64.max))/a.jsonl"
        #expect {
            try t.write(to: path)
        } throws: { error in
            (error as? AuditWriteError)?.description.contains(path) == true
        }
    }
}
