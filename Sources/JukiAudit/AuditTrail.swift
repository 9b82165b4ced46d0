import Crypto
import Foundation
import JukiCore

/// An append-only audit trail whose records are chained by SHA-256: each record's hash covers the previous
/// hash and every field of the record, so changing, removing, inserting or reordering any line breaks the chain
/// from there on (`jukisim audit verify`).
public struct AuditTrail: Sendable {
    public private(set) var records: [AuditRecord] = []
    /// The hash of the last record (32 zero bytes before the first).
    var chainHead = ChainHash(AuditTrail.genesis)
    /// The hash just before the first kept record: the genesis, or the last expired record's hash.
    var anchor = ChainHash(AuditTrail.genesis)
    /// Records expired by retention (the oldest ones; the chain goes on from the anchor).
    public private(set) var expired = 0
    /// The hash of the last record (32 zero bytes before the first).
    public var head: [UInt8] { withUnsafeBytes(of: chainHead) { Array($0) } }
    /// Records appended (kept or not).
    public private(set) var count = 0
    /// Counts by action, kept as records are appended.
    public private(set) var actions = [Int](repeating: 0, count: AuditAction.allCases.count + 1)
    /// Whether records are kept for export; the load mode keeps only the chain's head and the counts, as a
    /// long run appends millions.
    public let retain: Bool

    public static let genesis = [UInt8](repeating: 0, count: 32)

    public init(retain: Bool = true) { self.retain = retain }

    /// The chained hash of `record` after `previous`.
    public static func hash(_ record: AuditRecord, after previous: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: hash(record, after: ChainHash(previous))) { Array($0) }
    }

    /// The same without arrays: the digest context is swift-crypto's only allocation per record.
    static func hash(_ record: AuditRecord, after previous: ChainHash) -> ChainHash {
        var hasher = SHA256()
        withUnsafeBytes(of: previous) { hasher.update(bufferPointer: $0) }
        record.withCanonicalBytes { hasher.update(bufferPointer: $0) }
        return hasher.finalize().withUnsafeBytes { ChainHash($0) }
    }

    /// Appends `record`, whose `time` is on the simulated clock (JST), numbering it, recording its time as UTC
    /// epoch µs and extending the chain.
    public mutating func append(_ record: AuditRecord) {
        var r = record
        r.time = SimulatedTime(microseconds: record.time).utcEpochMicroseconds
        count += 1
        r.sequence = UInt64(count)
        chainHead = Self.hash(r, after: chainHead)
        actions[Int(r.action.rawValue)] += 1
        if retain { records.append(r) }
    }

    /// Expires the oldest records, up to the first one at or after `cutoff` (simulated µs): retention keeps
    /// records for a period, then deletes them. The chain stays checkable: the hash of the last expired record
    /// becomes the anchor that the first kept record's `prev` must match. Returns how many expired.
    @discardableResult
    public mutating func expire(before cutoff: Int64) -> Int {
        let utcCutoff = SimulatedTime(microseconds: cutoff).utcEpochMicroseconds
        let n = records.prefix { $0.time < utcCutoff }.count
        guard n > 0 else { return 0 }
        for r in records.prefix(n) { anchor = Self.hash(r, after: anchor) }
        records.removeFirst(n)
        expired += n
        return n
    }

    /// Records of `action` so far.
    public func count(of action: AuditAction) -> Int { actions[Int(action.rawValue)] }

    /// The head as hex, for reports.
    public var headHex: String { Self.hex(head) }

    /// The trail as JSON Lines: every field, the previous hash and the record's hash (hex).
    public func jsonLines() -> String {
        var out = ""
        let start = withUnsafeBytes(of: anchor) { Array($0) }
        // After retention, a first line says how many records expired and which hash the rest chains from.
        if expired > 0 { out += "{\"anchor\":\"\(Self.hex(start))\",\"expired\":\(expired)}\n" }
        var previous = start
        for r in records {
            let h = Self.hash(r, after: previous)
            out += Self.line(r, previous: previous, hash: h) + "\n"
            previous = h
        }
        return out
    }

    static func line(_ r: AuditRecord, previous: [UInt8], hash: [UInt8]) -> String {
        "{\"seq\":\(r.sequence),\"timeUs\":\(r.time),\"operator\":\(r.operatorID),\"terminal\":\(r.terminal),"
            + "\"action\":\"\(r.action)\",\"op\":\(r.operation),\"subject\":\(r.subject),\"count\":\(r.count),"
            + "\"outcome\":\(r.outcome),\"destination\":\(r.destination),\"prev\":\"\(hex(previous))\","
            + "\"hash\":\"\(hex(hash))\"}"
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A 32-byte hash held inline (no array), as the chain's head.
struct ChainHash: Sendable, Hashable {
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init(_ bytes: some Collection<UInt8>) {
        withUnsafeMutableBytes(of: &words) { target in
            for (i, b) in bytes.prefix(32).enumerated() { target[i] = b }
        }
    }

    init(_ raw: UnsafeRawBufferPointer) {
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw.prefix(32))) }
    }

    static func == (a: ChainHash, b: ChainHash) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
