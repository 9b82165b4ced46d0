import Foundation

/// The verdict on an audit trail file.
public struct AuditVerification: Sendable, Hashable {
    /// Records whose chain held, before the first break (all of them when `problem` is nil).
    public var verified: Int
    /// The first broken rule: line number (1-based) and what is wrong.
    public var problem: (line: Int, rule: String)?
    /// Records removed by retention before the first kept line (from the anchor line).
    public var expired = 0
    /// The hash of the last record that verified, hex (the genesis or the anchor before any).
    public var lastHash = ""
    /// Set when the file is not an audit trail at all (its first line is not a JSON object): unreadable rather
    /// than tampered.
    public var unreadable: String?

    public static func == (a: AuditVerification, b: AuditVerification) -> Bool {
        a.verified == b.verified && a.problem?.line == b.problem?.line && a.problem?.rule == b.problem?.rule
            && a.expired == b.expired && a.lastHash == b.lastHash && a.unreadable == b.unreadable
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(verified)
        hasher.combine(problem?.line)
        hasher.combine(lastHash)
    }

    public var intact: Bool { problem == nil && unreadable == nil }

    /// Every record the trail ever appended: the expired ones and those in the file.
    public var records: Int { expired + verified }

    /// Checks the trail's end against the head and record count a run's summary.json holds: a cut tail verifies
    /// on its own (every remaining line chains), but no longer ends at the recorded head. Nil when they match.
    public func tailProblem(expectedHead: String, expectedRecords: Int) -> String? {
        guard intact else { return nil }
        if records == expectedRecords && lastHash == expectedHead { return nil }
        return "the chain ends after \(records) records at hash \(lastHash.prefix(12))…, but summary.json "
            + "records \(expectedRecords) records ending at \(expectedHead.prefix(12))…: "
            + (records < expectedRecords ? "the tail was cut" : "the trail is not the one this summary describes")
    }
}

extension AuditTrail {
    /// Checks a trail written by ``jsonLines()``: every line parses, sequence numbers run 1, 2, 3, …, each `prev`
    /// is the previous line's `hash`, and each `hash` is the SHA-256 of `prev` and the line's fields.
    public static func verify(jsonLines text: String) -> AuditVerification {
        var previous = genesis
        var verified = 0
        var expired = 0
        var lineNumber = 0
        func verdict(_ problem: (Int, String)?) -> AuditVerification {
            AuditVerification(verified: verified, problem: problem, expired: expired, lastHash: hex(previous))
        }
        var first = true
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if raw.isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any] else {
                if first {
                    var v = verdict(nil)
                    v.unreadable = "line \(lineNumber) is not a JSON object: an audit trail is JSON Lines"
                    return v
                }
                return verdict((lineNumber, "not a JSON object"))
            }
            first = false
            // Retention's anchor: only as the first line; the rest chains from its hash and numbering.
            if let anchorHex = object["anchor"] as? String {
                guard verified == 0, expired == 0, let bytes = bytes(hex: anchorHex),
                    let n = (object["expired"] as? NSNumber)?.intValue, n > 0
                else {
                    return verdict((lineNumber, "an anchor line must come first, with expired > 0"))
                }
                previous = bytes
                expired = n
                continue
            }
            func int<T: FixedWidthInteger>(_ key: String, _: T.Type) -> T? {
                guard let n = object[key] as? NSNumber else { return nil }
                return T(exactly: n.int64Value) ?? T(exactly: n.uint64Value)
            }
            guard let seq = int("seq", UInt64.self), let time = int("timeUs", Int64.self),
                let op = int("operator", UInt32.self), let terminal = int("terminal", UInt32.self),
                let code = int("op", UInt8.self), let subject = int("subject", UInt64.self),
                let count = int("count", UInt32.self), let outcome = int("outcome", UInt8.self),
                let destination = int("destination", UInt32.self),
                let actionName = object["action"] as? String,
                let action = AuditAction.allCases.first(where: { $0.description == actionName }),
                let prevHex = object["prev"] as? String, let hashHex = object["hash"] as? String
            else {
                return verdict((lineNumber, "a field is missing or out of range"))
            }
            guard seq == UInt64(expired + verified + 1) else {
                return verdict((lineNumber, "seq is \(seq), expected \(expired + verified + 1)"))
            }
            guard prevHex == hex(previous) else {
                return verdict((lineNumber, "prev does not match the previous record's hash"))
            }
            let record = AuditRecord(
                sequence: seq, time: time, operatorID: op, terminal: terminal, action: action, operation: code,
                subject: subject, count: count, outcome: outcome, destination: destination)
            let h = hash(record, after: previous)
            guard hashHex == hex(h) else {
                return verdict((lineNumber, "hash does not match the record (changed after writing)"))
            }
            previous = h
            verified += 1
        }
        return verdict(nil)
    }

    /// 64 hex digits as 32 bytes, or nil.
    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for i in stride(from: 0, to: 64, by: 2) {
            guard let hi = nibble(digits[i]), let lo = nibble(digits[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
        }
        return out
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
