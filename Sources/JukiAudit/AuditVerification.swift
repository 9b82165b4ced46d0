import Foundation

/// The verdict on an audit trail file.
public struct AuditVerification: Sendable, Hashable {
    /// Records whose chain held, before the first break (all of them when `problem` is nil).
    public var verified: Int
    /// The first broken rule: line number (1-based) and what is wrong.
    public var problem: (line: Int, rule: String)?

    public static func == (a: AuditVerification, b: AuditVerification) -> Bool {
        a.verified == b.verified && a.problem?.line == b.problem?.line && a.problem?.rule == b.problem?.rule
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(verified)
        hasher.combine(problem?.line)
    }

    public var intact: Bool { problem == nil }
}

extension AuditTrail {
    /// Checks a trail written by ``jsonLines()``: every line parses, sequence numbers run 1, 2, 3, …, each `prev`
    /// is the previous line's `hash`, and each `hash` is the SHA-256 of `prev` and the line's fields.
    public static func verify(jsonLines text: String) -> AuditVerification {
        var previous = genesis
        var verified = 0
        var expired = 0
        var lineNumber = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if raw.isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any] else {
                return AuditVerification(verified: verified, problem: (lineNumber, "not a JSON object"))
            }
            // Retention's anchor: only as the first line; the rest chains from its hash and numbering.
            if let anchorHex = object["anchor"] as? String {
                guard verified == 0, expired == 0, let bytes = bytes(hex: anchorHex),
                    let n = (object["expired"] as? NSNumber)?.intValue, n > 0
                else {
                    return AuditVerification(
                        verified: verified, problem: (lineNumber, "an anchor line must come first, with expired > 0"))
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
                return AuditVerification(
                    verified: verified, problem: (lineNumber, "a field is missing or out of range"))
            }
            guard seq == UInt64(expired + verified + 1) else {
                return AuditVerification(
                    verified: verified, problem: (lineNumber, "seq is \(seq), expected \(expired + verified + 1)"))
            }
            guard prevHex == hex(previous) else {
                return AuditVerification(
                    verified: verified, problem: (lineNumber, "prev does not match the previous record's hash"))
            }
            let record = AuditRecord(
                sequence: seq, time: time, operatorID: op, terminal: terminal, action: action, operation: code,
                subject: subject, count: count, outcome: outcome, destination: destination)
            let h = hash(record, after: previous)
            guard hashHex == hex(h) else {
                return AuditVerification(
                    verified: verified, problem: (lineNumber, "hash does not match the record (changed after writing)"))
            }
            previous = h
            verified += 1
        }
        return AuditVerification(verified: verified, problem: nil)
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
