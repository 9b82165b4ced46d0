/// What an audit record says was done (操作ログ and 提供記録 of the protection assessment).
public enum AuditAction: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A person's record was read (a certificate, a search hit, a query).
    case view = 1
    /// A person's record was changed.
    case change
    /// A batch job ran (bulk designation, consistency check, delivery records).
    case batch
    /// Data went to another system: the prefecture, the card system, another municipality.
    case provision
    /// An attempt was refused (rights, a revoked peer, a rule).
    case refusal

    public var description: String {
        switch self {
        case .view: "view"
        case .change: "change"
        case .batch: "batch"
        case .provision: "provision"
        case .refusal: "refusal"
        }
    }
}

/// One line of an audit trail: who did what to whom, when, from which terminal, and how it ended.
public struct AuditRecord: Sendable, Hashable {
    /// 1, 2, 3, … within a trail.
    public var sequence: UInt64
    /// When it happened: µs since the Unix epoch in UTC (the trail converts the simulated clock, which counts
    /// in Japan Standard Time, when it appends), so `timeUs` in the JSON Lines reads right in log tools.
    public var time: Int64
    public var operatorID: UInt32
    public var terminal: UInt32
    public var action: AuditAction
    /// The operation's code in the network's vocabulary (an `Operation` or batch kind raw value).
    public var operation: UInt8
    /// The person concerned (a resident code), or 0 for a batch.
    public var subject: UInt64
    /// Items concerned: 1 for a person, the batch size for a batch or a provision.
    public var count: UInt32
    /// 0 when it succeeded, else the failure's code.
    public var outcome: UInt8
    /// Where data went for a provision (a node or municipality code), else 0.
    public var destination: UInt32

    public init(
        sequence: UInt64 = 0, time: Int64, operatorID: UInt32, terminal: UInt32, action: AuditAction,
        operation: UInt8, subject: UInt64, count: UInt32 = 1, outcome: UInt8 = 0, destination: UInt32 = 0
    ) {
        self.sequence = sequence
        self.time = time
        self.operatorID = operatorID
        self.terminal = terminal
        self.action = action
        self.operation = operation
        self.subject = subject
        self.count = count
        self.outcome = outcome
        self.destination = destination
    }

    /// The bytes the chain hashes: every field, fixed width, little-endian (43 bytes).
    public var canonicalBytes: [UInt8] {
        withCanonicalBytes { Array($0) }
    }

    /// Calls `body` with the canonical bytes in a stack buffer: hashing a record allocates no array.
    public func withCanonicalBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeTemporaryAllocation(byteCount: 48, alignment: 8) { buffer in
            // The offset is passed inout, not captured by a nested function: a captured variable is boxed and
            // every increment paid a dynamic exclusivity check.
            var offset = 0
            Self.put(sequence, buffer, &offset)
            Self.put(time, buffer, &offset)
            Self.put(operatorID, buffer, &offset)
            Self.put(terminal, buffer, &offset)
            Self.put(action.rawValue, buffer, &offset)
            Self.put(operation, buffer, &offset)
            Self.put(subject, buffer, &offset)
            Self.put(count, buffer, &offset)
            Self.put(outcome, buffer, &offset)
            Self.put(destination, buffer, &offset)
            return body(UnsafeRawBufferPointer(rebasing: buffer[0..<offset]))
        }
    }

    /// Writes `value` little-endian at `offset` and moves past it.
    @inline(__always)
    static func put<T: FixedWidthInteger>(_ value: T, _ buffer: UnsafeMutableRawBufferPointer, _ offset: inout Int) {
        buffer.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
    }
}
