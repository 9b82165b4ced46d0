import JukiCore
import JukiSimulation

/// What one outbox did over a run.
public struct OutboxStatistics: Sendable, Hashable {
    public var batchesSent = 0
    public var updatesSent = 0
    /// Batches sent again after a failed attempt or a missing acknowledgement.
    public var retries = 0
    public var acknowledged = 0
    /// The most identity updates waiting at once.
    public var maxBacklog = 0
    /// The longest time from the end of a fault to an empty outbox, µs.
    public var longestDrain: Int64 = 0
    /// Batches still waiting at the end.
    public var waiting = 0
    /// Updates dropped because store-and-forward was off.
    public var dropped = 0

    public init() {}

    public mutating func merge(_ other: OutboxStatistics) {
        batchesSent += other.batchesSent
        updatesSent += other.updatesSent
        retries += other.retries
        acknowledged += other.acknowledged
        maxBacklog = max(maxBacklog, other.maxBacklog)
        longestDrain = max(longestDrain, other.longestDrain)
        waiting += other.waiting
        dropped += other.dropped
    }
}

/// Store-and-forward of identity updates to one receiver (the CS connector's to the CS, the CS's to the
/// prefecture server, the prefecture server's to the national server, another municipality's to its prefecture
/// server): updates are sent in sequence-numbered batches that stay until the receiver acknowledges them, at most
/// ``window`` at a time; updates arriving while the window is full (or the path is down) wait and go together in
/// the next batch. A batch that could not be sent, or was not acknowledged in time, is sent again with backoff
/// (1 s doubling to 60 s; to 10 min when mutual authentication refuses the session), the oldest one probing for
/// the rest; a batch sent and not acknowledged is sent again after 30 s, then 60 s, doubling to 10 min.
public struct Outbox: Sendable {
    struct Entry: Sendable {
        var sequence: UInt64
        var updates: [IdentityUpdate]
        var extra: Int64
        var nextTry: Int64
        var backoff: Int64
        /// How long to wait for the acknowledgement of the next send: doubled on each send (like TCP's
        /// retransmission timer), so a receiver that never answers is not probed every 30 s all day.
        var acknowledgementWait: Int64
    }

    /// How long an acknowledgement may take before the batch is sent again.
    static let acknowledgementTimeout: Int64 = 30_000_000
    /// The longest wait between sends of an unacknowledged batch, and between attempts at a session mutual
    /// authentication refuses (a revoked or misconfigured peer stays so until an operator acts).
    static let maxAcknowledgementWait: Int64 = 600_000_000
    /// Batches in flight at once: a busy sender's updates coalesce instead of costing a message (and a MAC and
    /// an acknowledgement) each.
    static let window = 4

    let destination: NodeID
    let link: LinkKind
    /// The per-item cost added to a batch's delay (the sender's processing).
    let perItem: Int64
    /// Batches sent and not yet acknowledged, in sequence order (at most ``window``).
    var entries: [Entry] = []
    /// Updates waiting for a place in the window, and the largest processing delay among them.
    var pending: [IdentityUpdate] = []
    var pendingExtra: Int64 = 0
    var nextSequence: UInt64 = 1
    var backlog = 0
    var timerAt: Int64?
    /// When sending first failed in the current episode (for the drain time), and whether the last attempt failed.
    var blockedSince: Int64?
    var pathDown = false
    public private(set) var statistics = OutboxStatistics()

    init(destination: NodeID, link: LinkKind, perItem: Int64) {
        self.destination = destination
        self.link = link
        self.perItem = perItem
    }

    /// Hands `updates` to the outbox: sent at once if the window has room, else with the next batch.
    mutating func send(
        _ updates: [IdentityUpdate], source: NodeID, extra: Int64 = 0, _ context: inout NodeContext<NetworkMessage>,
        wire: inout Wire
    ) {
        guard !updates.isEmpty else { return }
        backlog += updates.count
        statistics.maxBacklog = max(statistics.maxBacklog, backlog)
        statistics.updatesSent += updates.count
        if pending.isEmpty {
            pending = updates
        } else {
            pending.append(contentsOf: updates)
        }
        pendingExtra = max(pendingExtra, extra)
        flush(source: source, &context, wire: &wire)
    }

    /// Opens new batches from the waiting updates while the window has room and the path is up.
    mutating func flush(source: NodeID, _ context: inout NodeContext<NetworkMessage>, wire: inout Wire) {
        // While the path is down the batches in flight probe for it; with none left, the next batch is the probe.
        while entries.count < Self.window && !pending.isEmpty && (!pathDown || entries.isEmpty) {
            entries.append(
                Entry(
                    sequence: nextSequence, updates: pending, extra: pendingExtra, nextTry: 0,
                    backoff: Wire.firstBackoff, acknowledgementWait: Self.acknowledgementTimeout))
            nextSequence += 1
            pending = []
            pendingExtra = 0
            statistics.batchesSent += 1
            attempt(entries.count - 1, source: source, &context, wire: &wire)
        }
    }

    /// Sends entry `index`; returns whether it got through.
    @discardableResult
    mutating func attempt(
        _ index: Int, source: NodeID, _ context: inout NodeContext<NetworkMessage>, wire: inout Wire
    ) -> Bool {
        let e = entries[index]
        let batch = IdentityBatch(updates: e.updates, source: source, sequence: e.sequence)
        let cost = e.extra + perItem * Int64(e.updates.count)
        let delivery = context.deliver(
            .identityUpdates(batch), to: destination, over: link, extra: cost, wire: &wire)
        let sent = delivery == .sent
        if sent {
            pathDown = false
            entries[index].nextTry = context.now + cost + e.acknowledgementWait
            entries[index].acknowledgementWait = min(e.acknowledgementWait * 2, Self.maxAcknowledgementWait)
        } else if !wire.plan.storeAndForward {
            // Fire and forget: the batch is gone (the consistency check is then the only repair).
            statistics.dropped += e.updates.count
            backlog -= e.updates.count
            entries.remove(at: index)
            return false
        } else {
            pathDown = true
            if blockedSince == nil { blockedSince = context.now }
            entries[index].nextTry = context.now + e.backoff
            // A path under a fault is probed up to every minute, so the outbox drains soon after it ends.
            let cap = delivery == .refused ? Self.maxAcknowledgementWait : Wire.maxBackoff
            entries[index].backoff = min(e.backoff * 2, cap)
        }
        arm(at: entries[index].nextTry, &context)
        return sent
    }

    /// Keeps one retry timer armed no later than `time` while batches wait.
    mutating func arm(at time: Int64, _ context: inout NodeContext<NetworkMessage>) {
        if let at = timerAt, at <= time, at >= context.now { return }
        timerAt = time
        context.schedule(.timer(.outboxRetry), at: time)
    }

    /// The retry timer: sends again every batch whose time has come.
    mutating func retry(source: NodeID, _ context: inout NodeContext<NetworkMessage>, wire: inout Wire) {
        guard timerAt == context.now else { return }  // an older timer, superseded
        timerAt = nil
        // In sequence order; once one attempt fails the rest wait with it (one probe per round, not one per batch).
        var blocked: Int64?
        var i = 0
        while i < entries.count {
            defer { i += 1 }
            guard entries[i].nextTry <= context.now else { continue }
            if let next = blocked {
                entries[i].nextTry = next
                continue
            }
            statistics.retries += 1
            let before = entries.count
            let sent = attempt(i, source: source, &context, wire: &wire)
            if entries.count < before {
                i -= 1  // dropped (store-and-forward off)
            } else if !sent {
                blocked = entries[i].nextTry
            }
        }
        if let earliest = entries.lazy.map(\.nextTry).min() { arm(at: earliest, &context) }
        flush(source: source, &context, wire: &wire)
    }

    /// The receiver has applied batch `sequence`: its place in the window goes to the waiting updates.
    mutating func acknowledge(
        _ sequence: UInt64, source: NodeID, _ context: inout NodeContext<NetworkMessage>, wire: inout Wire
    ) {
        guard let i = entries.firstIndex(where: { $0.sequence == sequence }) else { return }
        backlog -= entries[i].updates.count
        entries.remove(at: i)
        statistics.acknowledged += 1
        flush(source: source, &context, wire: &wire)
        if entries.isEmpty && pending.isEmpty, let since = blockedSince {
            // Drained: measured from the end of the last fault on this path (or from when sending first failed).
            let recovered =
                wire.plan.recovery(
                    before: context.now, link: link, nodes: [destination, context.id]) ?? since
            statistics.longestDrain = max(statistics.longestDrain, context.now - max(recovered, since))
            blockedSince = nil
        }
    }

    /// The statistics with what is still waiting.
    public var finalStatistics: OutboxStatistics {
        var s = statistics
        s.waiting = entries.count + (pending.isEmpty ? 0 : 1)
        return s
    }
}

/// The receiving side of store-and-forward: which batches each sender has already delivered, so a batch sent
/// twice is applied once (and acknowledged again).
public struct Inbox: Sendable {
    struct Receipt: Sendable {
        /// Every sequence number up to this one has arrived.
        var watermark: UInt64 = 0
        /// Sequence numbers above the watermark that arrived early.
        var above: Set<UInt64> = []
    }

    var receipts: [NodeID: Receipt] = [:]
    public private(set) var duplicates = 0

    public init() {}

    /// Whether batch `sequence` from `source` is new; records it.
    public mutating func accept(_ sequence: UInt64, from source: NodeID) -> Bool {
        var r = receipts[source] ?? Receipt()
        defer { receipts[source] = r }
        if sequence <= r.watermark || r.above.contains(sequence) {
            duplicates += 1
            return false
        }
        if sequence == r.watermark + 1 {
            r.watermark = sequence
            while r.above.remove(r.watermark + 1) != nil { r.watermark += 1 }
        } else {
            r.above.insert(sequence)
        }
        return true
    }
}

/// An acknowledgement of an identity-update batch.
public struct UpdateAck: Sendable {
    public var sequence: UInt64
    public var mac: UInt64 = 0
}
