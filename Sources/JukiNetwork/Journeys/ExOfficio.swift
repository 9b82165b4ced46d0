import JukiAudit
import JukiCore
import JukiRegister
import JukiSimulation

/// When the register system runs its ex-officio work (職権記載・消除) and how much there is.
public struct ExOfficioSchedule: Sendable, Hashable {
    /// µs after midnight, each business day; nil: never (the load mode).
    public var at: Int64? = 17 * 3_600_000_000 + 30 * 60_000_000
    /// Removals (職権消除) a business day at Fujisawa's size (445,283 residents; another population gets the same rate
    /// per resident): residents an investigation (実態調査) found no longer living at their
    /// address [E: ≈ 0.05 % of residents a year, `docs/calibration-research.md` § 6: 445,283 × 0.0005 / 243].
    public var removalsPerDay = 0.9
    /// Entries (職権記載) a business day: people found living in the city with no record [E: a tenth of the
    /// removals; no count published].
    public var entriesPerDay = 0.1
    public var days = 1

    public init() {}
}

/// What the ex-officio work did in the run.
public struct ExOfficioReport: Sendable, Hashable {
    public var runs = 0
    public var removals = 0
    public var entries = 0
    /// Cards that lost their validity with the removal.
    public var cardsRevoked = 0

    public init() {}
}

extension RegisterSystem {
    /// The day's ex-officio work (住基法第8条, 第34条; 施行令第12条: 職権で住民票を記載・消除), as a batch the register
    /// system runs after an investigation: removals of residents found gone (a card holder's card loses its
    /// validity with the record and is revoked at the card management system) and entries of people found living
    /// here with no record, who get new resident codes and numbers from J-LIS as movers from abroad do. Each
    /// change is the batch operator's; the whole run is one audited batch line.
    mutating func exOfficioWork(_ context: inout NodeContext<NetworkMessage>) {
        exOfficio.runs += 1
        let removals = Self.poisson(exOfficioSchedule.removalsPerDay, &context.random)
        let entries = Self.poisson(exOfficioSchedule.entriesPerDay, &context.random)
        var done = 0
        for _ in 0..<removals {
            guard let row = activeRow(&context.random) else { break }
            let card = register.columns.cardStatus[row.index] == CardStatus.issued.rawValue
            guard (try? register.remove(row, reason: .exOfficioRemoval, context: .batch(context))) != nil else {
                continue
            }
            exOfficio.removals += 1
            done += 1
            if card {
                exOfficio.cardsRevoked += 1
                revokeCard(of: row, &context)
            }
        }
        var newcomers: [RowID] = []
        for _ in 0..<entries {
            if let rows = try? recordNewcomers(
                persons: 1, reason: .exOfficioEntry, change: .batch(context), &context)
            {
                newcomers += rows
                exOfficio.entries += rows.count
                done += rows.count
            }
        }
        forwardChanges(&context)
        if !newcomers.isEmpty {
            let journey = UInt64(context.id) << 40 | 1 << 39 | UInt64(exOfficio.runs)
            requestNumbers(
                Ticket(journey: journey, slot: nil, flow: .exOfficio, hop: .numberCandidate), rows: newcomers,
                &context)
        }
        audit.append(
            AuditRecord(
                time: context.now, operatorID: 0, terminal: 0, action: .batch, operation: Flow.exOfficio.rawValue,
                subject: 0, count: UInt32(clamping: done)))
    }

    /// The card of a resident removed ex officio lapses with the record: the card management system revokes it
    /// (through the CS; nobody waits for the answer).
    mutating func revokeCard(of row: RowID, _ context: inout NodeContext<NetworkMessage>) {
        let revoke = Request(
            .cardSystem(.revocation(code(row))),
            ticket: Ticket(journey: code(row).rawValue, slot: nil, flow: .exOfficio, hop: .cardRevocation),
            replyTo: context.id, sentAt: context.now)
        context.sendReliably(.request(revoke), to: layout.municipalCS, over: .registerToCS, wire: &wire)
    }

    /// A random active resident (a few tries), if any.
    func activeRow(_ random: inout RandomStream) -> RowID? {
        for _ in 0..<16 {
            let row = RowID(UInt32(random.next(below: UInt64(max(register.count, 1)))))
            if isActive(row) { return row }
        }
        return nil
    }

    /// A Poisson count of mean `mean`: the arrivals of a unit-rate-`mean` stream within one unit of time (bounded;
    /// the means here are small).
    static func poisson(_ mean: Double, _ random: inout RandomStream) -> Int {
        guard mean > 0 else { return 0 }
        var t = random.nextExponential(mean: 1 / mean)
        var k = 0
        while t < 1 && k < 10_000 {
            k += 1
            t += random.nextExponential(mean: 1 / mean)
        }
        return k
    }
}
