import Crypto
import Foundation
import JukiCore

/// An append-only audit trail whose records are chained by SHA-256: each record's hash covers the previous
/// hash and every field of the record, so changing, removing, inserting or reordering any line breaks the chain
/// from there on (`jukisim audit verify`).
public struct AuditTrail: Sendable {
    /// Records not yet spooled (all of them in a short run), with their chain hashes.
    var tail: [AuditRecord] = []
    var tailHashes: [ChainHash] = []
    /// Older records, once the tail reached ``spillAt`` (see ``AuditSpool``): this trail's are the spool's first
    /// `spooled`, of which the first `spoolStart` have expired.
    var spool: AuditSpool?
    var spooled = 0
    var spoolStart = 0
    /// The time (UTC µs) of the oldest spooled record not expired, so that retention reads the file only when
    /// something there is due.
    var spoolHeadTime = Int64.max
    /// Set when the spool could not be written: the trail keeps everything in memory from then on.
    var spillFailed = false
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
    /// How many records the trail holds in memory before it moves them to its spool.
    public let spillAt: Int

    public static let genesis = [UInt8](repeating: 0, count: 32)

    /// A trail that keeps its records (`retain`) in memory up to `spillAt` at a time (8,192 records, 0.6 MB, by
    /// default: two or three days of the busiest trail) and spools older ones to a temporary file.
    public init(retain: Bool = true, spillAt: Int = 8_192) {
        self.retain = retain
        self.spillAt = max(1, spillAt)
    }

    /// Every kept record, oldest first (reads the spool back: for tests and short trails).
    public var records: [AuditRecord] {
        (spooledEntries(spoolStart..<spooled) ?? []).map(\.record) + tail
    }

    /// Records kept (not expired).
    public var kept: Int { spooled - spoolStart + tail.count }

    /// Calls `body` with every kept record, oldest first, reading the spool back a chunk at a time; false when the
    /// spool could not be read.
    @discardableResult
    public func forEachKept(_ body: (AuditRecord) -> Void) -> Bool {
        (try? forEachKeptEntry { record, _ in body(record) }) != nil
    }

    /// Calls `body` with every kept record and its chain hash, oldest first: the spool read back a chunk at a
    /// time, then the tail. Throws ``AuditSpoolError`` when the spool cannot be read.
    func forEachKeptEntry(_ body: (AuditRecord, ChainHash) throws -> Void) throws {
        var start = spoolStart
        while start < spooled {
            guard let chunk = spooledEntries(start..<min(spooled, start + 65_536)), !chunk.isEmpty else {
                throw AuditSpoolError()
            }
            for e in chunk { try body(e.record, e.hash) }
            start += chunk.count
        }
        for (r, h) in zip(tail, tailHashes) { try body(r, h) }
    }

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
        guard retain else { return }
        tail.append(r)
        tailHashes.append(chainHead)
        if tail.count >= spillAt && !spillFailed { spill() }
    }

    /// Moves the tail to the spool (a spool of its own when a copy of this trail has written to the shared one).
    mutating func spill() {
        var target = spool
        if let shared = target, shared.count != spooled { target = shared.copy(prefix: spooled) }
        if spool == nil { target = AuditSpool() }
        guard let target, target.append(tail, hashes: tailHashes) else {
            spillFailed = true
            return
        }
        if spoolStart == spooled, let first = tail.first { spoolHeadTime = first.time }
        spool = target
        spooled += tail.count
        tail.removeAll(keepingCapacity: true)
        tailHashes.removeAll(keepingCapacity: true)
    }

    func spooledEntries(_ range: Range<Int>) -> [AuditSpool.Entry]? {
        guard !range.isEmpty else { return [] }
        return spool?.read(range)
    }

    /// Expires the oldest records, up to the first one at or after `cutoff` (simulated µs): retention keeps
    /// records for a period, then deletes them. The chain stays checkable: the hash of the last expired record
    /// becomes the anchor that the first kept record's `prev` must match. Returns how many expired.
    @discardableResult
    public mutating func expire(before cutoff: Int64) -> Int {
        let utcCutoff = SimulatedTime(microseconds: cutoff).utcEpochMicroseconds
        var n = 0
        while spoolStart < spooled && spoolHeadTime < utcCutoff {
            guard let chunk = spooledEntries(spoolStart..<min(spooled, spoolStart + 65_536)) else { break }
            var k = 0
            while k < chunk.count && chunk[k].record.time < utcCutoff {
                anchor = chunk[k].hash
                k += 1
            }
            spoolStart += k
            n += k
            spoolHeadTime = k < chunk.count ? chunk[k].record.time : Int64.max
            if k < chunk.count { break }
        }
        if spoolStart == spooled {
            let m = tail.prefix { $0.time < utcCutoff }.count
            if m > 0 {
                anchor = tailHashes[m - 1]
                tail.removeFirst(m)
                tailHashes.removeFirst(m)
                n += m
            }
        }
        expired += n
        return n
    }

    /// Records of `action` so far.
    public func count(of action: AuditAction) -> Int { actions[Int(action.rawValue)] }

    /// The head as hex, for reports.
    public var headHex: String { Self.hex(head) }

    /// The trail as JSON Lines: every field, the previous hash and the record's hash (hex).
    public func jsonLines() -> String {
        var out = [UInt8]()
        // A trail whose spool cannot be read gives its readable part: `write(to:)` reports the failure.
        _ = try? encode { out += $0 }
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes ``jsonLines()`` to `path` a chunk at a time, without the whole text in memory.
    public func write(to path: String) throws {
        guard let file = fopen(path, "w") else { throw AuditWriteError(path: path, code: errno) }
        var failed = false
        do {
            try encode { bytes in
                if !failed && fwrite(bytes, 1, bytes.count, file) != bytes.count { failed = true }
            }
        } catch {
            fclose(file)
            throw error
        }
        if fclose(file) != 0 || failed { throw AuditWriteError(path: path, code: errno) }
    }

    /// The JSON lines in chunks of about a megabyte: the anchor line after retention, then every kept record.
    func encode(_ emit: ([UInt8]) throws -> Void) throws {
        var out = [UInt8]()
        out.reserveCapacity(1 << 20 + 512)
        // After retention, a first line says how many records expired and which hash the rest chains from.
        if expired > 0 {
            out += Array("{\"anchor\":\"".utf8)
            Self.appendHex(anchor, to: &out)
            out += Array("\",\"expired\":".utf8)
            Self.appendDecimal(UInt64(expired), to: &out)
            out += Array("}\n".utf8)
        }
        var previous = anchor
        try forEachKeptEntry { record, hash in
            Self.line(record, previous: previous, hash: hash, to: &out)
            previous = hash
            if out.count >= 1 << 20 {
                try emit(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        if !out.isEmpty { try emit(out) }
    }

    static let keys: [[UInt8]] = [
        "{\"seq\":", ",\"timeUs\":", ",\"operator\":", ",\"terminal\":", ",\"action\":\"", "\",\"op\":",
        ",\"subject\":", ",\"count\":", ",\"outcome\":", ",\"destination\":", ",\"prev\":\"", "\",\"hash\":\"", "\"}\n",
    ].map { Array($0.utf8) }
    static let actionNames: [[UInt8]] = (0...AuditAction.allCases.count).map { raw in
        Array((AuditAction(rawValue: UInt8(raw))?.description ?? "").utf8)
    }

    static func line(_ r: AuditRecord, previous: ChainHash, hash: ChainHash, to out: inout [UInt8]) {
        out += keys[0]
        appendDecimal(r.sequence, to: &out)
        out += keys[1]
        if r.time < 0 { out.append(UInt8(ascii: "-")) }
        appendDecimal(r.time.magnitude, to: &out)
        out += keys[2]
        appendDecimal(UInt64(r.operatorID), to: &out)
        out += keys[3]
        appendDecimal(UInt64(r.terminal), to: &out)
        out += keys[4]
        out += actionNames[Int(r.action.rawValue)]
        out += keys[5]
        appendDecimal(UInt64(r.operation), to: &out)
        out += keys[6]
        appendDecimal(r.subject, to: &out)
        out += keys[7]
        appendDecimal(UInt64(r.count), to: &out)
        out += keys[8]
        appendDecimal(UInt64(r.outcome), to: &out)
        out += keys[9]
        appendDecimal(UInt64(r.destination), to: &out)
        out += keys[10]
        appendHex(previous, to: &out)
        out += keys[11]
        appendHex(hash, to: &out)
        out += keys[12]
    }

    static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var n = 0
        var v = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[n] = UInt8(truncatingIfNeeded: v % 10) &+ 48
                v /= 10
                n += 1
            } while v > 0
            while n > 0 {
                n -= 1
                out.append(buffer[n])
            }
        }
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    static func appendHex(_ hash: ChainHash, to out: inout [UInt8]) {
        withUnsafeBytes(of: hash.words) { bytes in
            for b in bytes {
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 15)])
            }
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// An audit trail's file could not be written: names the path and the system's reason.
public struct AuditWriteError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var code: Int32

    public var description: String { "audit: cannot write \(path): \(String(cString: strerror(code)))" }
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
