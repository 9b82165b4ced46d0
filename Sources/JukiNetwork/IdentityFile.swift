import JukiCore
import JukiRegister

/// A node's copy of identity records (本人確認情報ファイル): the municipal CS's, a prefecture's or the nation's.
///
/// Updates are applied idempotently by version (the change's simulated time): a replayed or reordered update
/// never overwrites a newer one. The file is keyed by raw resident codes (its storage format, hashed on every
/// update); what goes in and comes out is typed.
public struct IdentityFile: Sendable {
    /// One person's entry.
    public struct Entry: Sendable, Hashable {
        // Widest first, as in ``IdentityUpdate``: 32 bytes, as the raw fields took.
        public var version: Int64
        public var fingerprint: UInt64
        public var individualNumber: IndividualNumber?
        public var status: RecordStatus
        /// Removed by death: such people are not in the CS's file for searches (II(2)2③ keeps only the removed
        /// "死亡による消除を除く").
        public var removedByDeath: Bool
        /// 外字数 (別添2【2】 item 3), in the padding before the municipality code.
        public var variantCount: UInt8
        public var municipality: MunicipalityCode

        init(_ update: IdentityUpdate) {
            variantCount = update.variantCount
            version = update.version
            fingerprint = update.fingerprint
            individualNumber = update.individualNumber
            status = update.status
            removedByDeath = update.status != .active && update.reason == .death
            municipality = update.municipality
        }

        /// Whether an identity search finds the person: active, or removed other than by death.
        public var searchable: Bool { status == .active || (status == .removed && !removedByDeath) }
    }

    /// The entries as loaded, shared with every other file over the same base (nil: none loaded), and which of
    /// its people this file holds.
    public private(set) var base: IdentityBase?
    public private(set) var scope = IdentityScope.nation
    /// Entries changed or added since the base, by the raw value of their resident code: this file's own part.
    public private(set) var entries: [UInt64: Entry] = [:]
    /// People the file holds: the base's in scope, and those added since.
    public private(set) var count = 0
    /// Individual numbers and basic-facts keys → resident codes, kept where searches and queries by them are
    /// answered: the municipal CS, the prefecture servers and the national server (別添1 2.4-①, 2.5-①).
    var index: SearchIndex
    /// Updates applied, and updates ignored because a newer version was already there.
    public private(set) var applied = 0
    public private(set) var stale = 0

    public init(indexingNumbers: Bool = false, indexingFacts: Bool = false) {
        index = SearchIndex(numbers: indexingNumbers, facts: indexingFacts)
    }

    /// A file holding `scope`'s people of `base` from the start, indexing numbers and facts where asked; `headroom`
    /// reserves room for that many people changing during the run.
    public init(
        base: IdentityBase, scope: IdentityScope, indexingNumbers: Bool = false, indexingFacts: Bool = false,
        headroom: Int = 0
    ) {
        self.base = base
        self.scope = scope
        let shared = base
        let within = scope
        let inScope: (@Sendable (UInt64) -> Bool)? =
            scope == .nation
            ? nil
            : { @Sendable code in
                guard let e = shared.entry(code) else { return false }
                return within.contains(e)
            }
        index = SearchIndex(numbers: indexingNumbers, facts: indexingFacts, loaded: base.loaded, scope: inScope)
        count = base.count(in: scope)
        if headroom > 0 { entries.reserveCapacity(headroom) }
        index.reserve(changes: headroom)
    }

    /// The loaded entry of `code` when this file holds it from the start.
    func baseEntry(_ code: UInt64) -> Entry? {
        guard let e = base?.entry(code), scope.contains(e) else { return nil }
        return e
    }

    /// The file's entry of `code` (raw): changed since the load, or as loaded.
    func current(_ code: UInt64) -> Entry? { entries[code] ?? baseEntry(code) }

    /// The resident code holding `number`, where numbers are indexed.
    public func code(ofNumber number: IndividualNumber) -> ResidentCode? {
        firstCode(of: .number(number)) { _ in true }.map { ResidentCode(uncheckedRawValue: $0) }
    }

    /// The first resident code (raw) `target` finds here whose entry `accept` takes: by resident code anywhere; by
    /// individual number where numbers are indexed (the entry must still hold the number); by basic facts where
    /// facts are indexed (the person's current keys must include the key). The given facts are not checked here:
    /// too few facts is a refusal (``SearchTarget/refusal(for:)``), not a miss.
    func firstCode(of target: SearchTarget, where accept: (Entry) -> Bool) -> UInt64? {
        switch target {
        case .code(let code):
            return current(code.rawValue).flatMap { accept($0) ? code.rawValue : nil }
        case .number(let number):
            return index.firstCode(ofNumber: number.rawValue) { code in
                guard let e = current(code), e.individualNumber == number else { return false }
                return accept(e)
            }
        case .basicFacts(let key, _):
            return index.firstCode(ofFacts: key) { code in current(code).map(accept) ?? false }
        }
    }

    /// Applies `update` if it is newer than what the file holds; returns whether it changed the file.
    @discardableResult
    public mutating func apply(_ update: IdentityUpdate) -> Bool {
        // One hash lookup for a person the file holds (replaced through the index), two for a new one.
        let key = update.residentCode.rawValue
        var previousNumber: IndividualNumber?
        if let i = entries.index(forKey: key) {
            let existing = entries.values[i]
            if existing.version >= update.version {
                stale += 1
                return false
            }
            previousNumber = existing.individualNumber
            entries.values[i] = Entry(update)
        } else if let existing = baseEntry(key) {
            if existing.version >= update.version {
                stale += 1
                return false
            }
            previousNumber = existing.individualNumber
            entries[key] = Entry(update)
        } else {
            entries[key] = Entry(update)
            count += 1
        }
        index.index(update, previousNumber: previousNumber)
        applied += 1
        return true
    }

    /// Loads entries without counting them as applied updates (the initial state).
    public mutating func load(_ updates: [IdentityUpdate], headroom: Int = 0) {
        load(parts: [updates], headroom: headroom)
    }

    /// Loads several registers' entries at once (the initial state): the number and facts indexes are sorted once
    /// for all of them. A file loaded this way holds its own copy of everything (tests and single nodes); a
    /// network's files share one ``IdentityBase`` instead (``init(base:scope:indexingNumbers:indexingFacts:headroom:)``).
    public mutating func load(parts: [[IdentityUpdate]], headroom: Int = 0) {
        // Headroom, so the first births and move-ins do not rehash a national-sized dictionary mid-run.
        let total = parts.reduce(0) { $0 + $1.count }
        entries.reserveCapacity((entries.count + total) * 9 / 8 + 1_024 + headroom)
        for part in parts {
            for u in part {
                if entries.updateValue(Entry(u), forKey: u.residentCode.rawValue) == nil
                    && baseEntry(u.residentCode.rawValue) == nil
                {
                    count += 1
                }
            }
        }
        index.load(parts)
        index.reserve(changes: headroom)
    }

    /// Calls `body` with every entry the file holds (code, entry), the base's in code order, then those added.
    func forEachEntry(_ body: (UInt64, Entry) -> Void) {
        if let base {
            for (i, code) in base.codes.enumerated() where entries[code] == nil && scope.contains(base.entries[i]) {
                body(code, base.entries[i])
            }
        }
        for (code, e) in entries { body(code, e) }
    }

    /// Entries whose name holds 外字 (外字フラグ, 別添2【2】 item 34), active or not.
    public var variantEntries: Int {
        var n = 0
        forEachEntry { _, e in n += e.variantCount > 0 ? 1 : 0 }
        return n
    }

    /// The entry of `code`, if the file holds one.
    public func entry(_ code: ResidentCode) -> Entry? { current(code.rawValue) }

    /// Whether a search finds the person here (``Entry/searchable``): by resident code anywhere; by individual
    /// number where numbers are indexed; by basic facts where facts are indexed. Elsewhere those find nobody.
    public func finds(_ target: SearchTarget) -> Bool { firstCode(of: target, where: \.searchable) != nil }

    /// How a search for `target` by `operatorID` ends here: refused by the rules that hold at every scope
    /// (``SearchTarget/refusal(for:)``), found (`.none`) or `.notFound`.
    public func searchOutcome(_ target: SearchTarget, operatorID: UInt16) -> FailureReason {
        let refusal = target.refusal(for: operatorID)
        if refusal != .none { return refusal }
        return finds(target) ? .none : .notFound
    }

    /// The identity record a query to J-LIS (機構への照会, 別添1 2.5-②: "当該個人の本人確認情報を受領する") returns for
    /// `target`: the person's, whatever the record's state (a removed person's record says so); when several people
    /// share the basic facts given, an active one first. Nil when nobody matches.
    public func record(for target: SearchTarget) -> IdentityRecord? {
        guard
            let code = firstCode(of: target, where: { $0.status == .active })
                ?? firstCode(of: target, where: { _ in true }),
            let e = current(code)
        else { return nil }
        return IdentityRecord(
            residentCode: ResidentCode(uncheckedRawValue: code), individualNumber: e.individualNumber,
            municipality: e.municipality, status: e.status, removedByDeath: e.removedByDeath)
    }

    /// Bytes the file holds (its dictionary's buckets and the index's arrays), for the memory figures: the national
    /// file of the typical day (601,283 people) holds 42 MB of entries and 29 MB of index.
    public var storageBytes: Int {
        SearchIndex.buckets(entries.capacity) * (MemoryLayout<UInt64>.stride + MemoryLayout<Entry>.stride)
            + index.storageBytes
    }

    /// Whether `update` (an extract line) differs from this copy: missing, older, or the same version with other
    /// facts. A newer entry from another municipality is no difference: the person has moved on since.
    public func differs(_ update: IdentityUpdate) -> Bool {
        guard let e = current(update.residentCode.rawValue) else { return true }
        if e.version > update.version && e.municipality != update.municipality { return false }
        return e.version != update.version || e.fingerprint != update.fingerprint
    }

    /// Reconciliation after a consistency check: every extract line that differs from this copy is applied (a
    /// newer version wins, so nothing newer is overwritten); returns the differences found, and those left after.
    public mutating func reconcile(with extract: [IdentityUpdate]) -> (found: Int, remaining: Int) {
        var found = 0
        var remaining = 0
        for line in extract where differs(line) {
            found += 1
            if let e = current(line.residentCode.rawValue), e.version == line.version {
                // Same version, other facts: the municipality's record is the original (原本) and wins.
                entries[line.residentCode.rawValue] = Entry(line)
                index.index(line, previousNumber: e.individualNumber)
            } else {
                apply(line)
            }
            if differs(line) { remaining += 1 }
        }
        return (found, remaining)
    }

    /// Every entry as an extract line, sorted by resident code (never in dictionary order). Its basic-facts keys are
    /// those changed since the load, zero ("unchanged") for the rest: every copy was loaded from the same lines.
    public func extract() -> [IdentityUpdate] {
        var lines: [(UInt64, Entry)] = []
        lines.reserveCapacity(count)
        forEachEntry { lines.append(($0, $1)) }
        lines.sort { $0.0 < $1.0 }
        return lines.map { code, e in
            IdentityUpdate(
                residentCode: ResidentCode(uncheckedRawValue: code), individualNumber: e.individualNumber,
                municipality: e.municipality, status: e.status, version: e.version, fingerprint: e.fingerprint,
                reason: e.removedByDeath ? .death : nil,
                facts: index.changedKeys(of: code) ?? BasicFactsKeys(nameAndBirthDate: 0, nameAndAddress: 0))
        }
    }
}

extension ResidentRegister {
    /// The identity update describing `row` as it is now, versioned `version` (µs). Its basic-facts keys are left
    /// zero ("unchanged") for a change that cannot alter name, birth date or address (a number designated or
    /// changed, a removal): the CS keeps the keys it has, and bulk assignment does not hash 445,283 names.
    public func identityUpdate(row: RowID, version: Int64, reason: ChangeReason?) -> IdentityUpdate {
        let c = columns
        let i = row.index
        let address = RegisterAddress(town: c.town[i], chome: c.chome[i], banchi: c.banchi[i], go: c.go[i]).packed
        var f = Mixing.combine(UInt64(c.surname[i]) << 32 | UInt64(c.givenName[i]), address)
        f = Mixing.combine(f, UInt64(UInt32(bitPattern: c.birthDate[i])) << 8 | UInt64(c.sex[i]))
        f = Mixing.combine(f, c.individualNumber[i] ^ UInt64(c.status[i]) << 60)
        let number = c.individualNumber[i]
        return IdentityUpdate(
            residentCode: ResidentCode(uncheckedRawValue: c.residentCode[i]),
            individualNumber: number == 0 ? nil : IndividualNumber(uncheckedRawValue: number),
            municipality: municipality.code, status: RecordStatus(rawValue: c.status[i]) ?? .active,
            version: version, fingerprint: f, reason: reason,
            facts: reason.map(Self.keepsFacts) == true
                ? BasicFactsKeys(nameAndBirthDate: 0, nameAndAddress: 0) : basicFactsKeys(of: row),
            variantCount: c.variantCount[i])
    }

    /// Whether a change for `reason` leaves the basic facts as they were.
    static func keepsFacts(_ reason: ChangeReason) -> Bool {
        switch reason {
        case .numberDesignation, .numberChange, .moveOut, .death, .exOfficioRemoval: true
        // A new resident code is a new key in the files: its facts go with it.
        case .moveIn, .specialMoveIn, .relocation, .birth, .exOfficioEntry, .exOfficioAmendment, .amendment,
            .householdChange, .headChange, .cardChange, .residentCodeChange:
            false
        }
    }

    /// Identity updates for every row as loaded (versioned by the date each became a resident).
    public func initialIdentityUpdates() -> [IdentityUpdate] {
        (0..<count).map { r in
            let row = RowID(UInt32(r))
            return identityUpdate(
                row: row,
                version: SimulatedTime(date: CivilDate(daysSinceEpoch: columns.residentSince[r])).microseconds,
                reason: nil)
        }
    }
}
