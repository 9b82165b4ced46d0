#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a long trail's older records wait for export: an unnamed temporary file of (record, chain hash) pairs.
///
/// A simulated year appends about 1.3 million audit records; kept in memory they grew the process by a few
/// megabytes every simulated week. The trail moves full chunks here instead, so its memory stays one chunk. The
/// file is unlinked as soon as it is opened, so it disappears with the process however the run ends. Records are
/// written by one owner (the trail copies the spool before writing when it is shared) and read with `pread`.
public final class AuditSpool: @unchecked Sendable {
    /// One spooled record with its chain hash.
    struct Entry {
        var record: AuditRecord
        var hash: ChainHash
    }

    static let entrySize = MemoryLayout<Entry>.stride

    let descriptor: Int32
    /// Entries written.
    private(set) var count = 0

    /// A new empty spool in the temporary directory (`TMPDIR`, else /tmp), or nil when no file can be made there:
    /// the trail then keeps its records in memory as before.
    init?() {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((directory + "/jukisim-audit-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { return nil }
        _ = template.withUnsafeBufferPointer { buffer in buffer.baseAddress.map { unlink($0) } }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Appends `records` with their hashes; false when the file could not take them (the disk is full).
    func append(_ records: [AuditRecord], hashes: [ChainHash]) -> Bool {
        var entries = [Entry]()
        entries.reserveCapacity(records.count)
        for (r, h) in zip(records, hashes) { entries.append(Entry(record: r, hash: h)) }
        let ok = entries.withUnsafeBytes { bytes -> Bool in
            var done = 0
            while done < bytes.count {
                guard let base = bytes.baseAddress else { return false }
                let n = pwrite(
                    descriptor, base + done, bytes.count - done, off_t(count * Self.entrySize + done))
                if n <= 0 { return false }
                done += n
            }
            return true
        }
        if ok { count += records.count }
        return ok
    }

    /// Entries `range` (within `0..<count`), read back; nil when the file cannot be read.
    func read(_ range: Range<Int>) -> [Entry]? {
        guard !range.isEmpty else { return [] }
        let blank = AuditRecord(time: 0, operatorID: 0, terminal: 0, action: .view, operation: 0, subject: 0)
        var entries = [Entry](repeating: Entry(record: blank, hash: ChainHash(AuditTrail.genesis)), count: range.count)
        let ok = entries.withUnsafeMutableBytes { bytes -> Bool in
            var done = 0
            while done < bytes.count {
                guard let base = bytes.baseAddress else { return false }
                let n = pread(
                    descriptor, base + done, bytes.count - done, off_t(range.lowerBound * Self.entrySize + done))
                if n <= 0 { return false }
                done += n
            }
            return true
        }
        return ok ? entries : nil
    }

    /// A copy of the first `n` entries in a spool of its own, for a trail that was copied and appends again.
    func copy(prefix n: Int) -> AuditSpool? {
        guard let other = AuditSpool() else { return nil }
        var start = 0
        while start < n {
            guard let chunk = read(start..<min(n, start + 65_536)), !chunk.isEmpty,
                other.append(chunk.map(\.record), hashes: chunk.map(\.hash))
            else { return nil }
            start += chunk.count
        }
        return other
    }
}

/// A spooled audit trail could not be read back for export (the temporary file was lost or the disk failed).
public struct AuditSpoolError: Error, Sendable, CustomStringConvertible {
    public var description: String {
        "audit: the trail's spooled records could not be read back from the temporary directory (TMPDIR)"
    }
}
