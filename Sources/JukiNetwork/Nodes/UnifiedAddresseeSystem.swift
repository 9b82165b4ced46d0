import JukiAudit
import JukiCore
import JukiRegister
import JukiSimulation

/// A person as the register system hands them to the unified addressee system: the numbers that tie them
/// together, the individual number and the keys of the basic facts (4情報).
public struct AddresseeRecord: Sendable, Hashable {
    /// The unified addressee number (団体内統合宛名番号) the register shows for the person.
    public var unified: UInt64
    /// The register's addressee number (宛名番号).
    public var addressee: UInt32
    public var residentCode: ResidentCode
    /// Nil until a number is designated.
    public var individualNumber: IndividualNumber?
    public var facts: BasicFactsKeys
    /// False once the record is removed (転出, 死亡, 職権消除).
    public var active: Bool
    /// The household number (世帯番号) and relationship to the head (続柄): the 住民票関係情報 the intermediate server's
    /// copy provides (別添4 ③).
    public var household: UInt32
    public var relationship: UInt8

    public init(
        unified: UInt64, addressee: UInt32, residentCode: ResidentCode, individualNumber: IndividualNumber?,
        facts: BasicFactsKeys, active: Bool, household: UInt32 = 0, relationship: UInt8 = 0
    ) {
        self.unified = unified
        self.addressee = addressee
        self.residentCode = residentCode
        self.individualNumber = individualNumber
        self.facts = facts
        self.active = active
        self.household = household
        self.relationship = relationship
    }
}

/// The records of the persons whose identity items, household or relationship changed, sent by the register system
/// after each change (and passed on by the unified addressee system to the intermediate server's copy).
public struct AddresseeBatch: Sendable {
    public var records: [AddresseeRecord]

    public init(records: [AddresseeRecord]) { self.records = records }
}

/// The unified addressee system (団体内統合宛名システム, I 2 システム4): it issues the unified addressee number and ties
/// it to the register's addressee number (団体内統合宛名番号管理機能), keeps the basic facts under it (宛名情報管理機能),
/// and keeps the number through a change of the individual number, recording the number before and after
/// ("個人番号に変更が発生しても団体内統合宛名番号に変更はなく、個人番号変更時には、変更前と変更後の個人番号を必須として団体内統合宛名番号を
/// 管理している", III(1)2 リスク3), checking the check digit of every number it takes ("個人番号の入手にあたっては、チェック
/// デジットを確認している", same item). A returning resident's removed record is matched (II(1)3⑧): the register
/// carries the addressee number over, so the unified number is the one they had.
///
/// The register system sends it the records whose identity items changed, over the municipality's LAN; it works
/// through them one record at a time (a FIFO server of ``ServiceModel/addresseeRecord`` a record [E]), which is the
/// load the reports show.
public struct UnifiedAddresseeSystem: NodeBehavior {
    /// What the system keeps of one addressee.
    struct Entry: Sendable, Hashable {
        var residentCode: UInt64
        /// 0 until a number is designated.
        var number: UInt64
        var facts: BasicFactsKeys
        var active: Bool
        var household: UInt32
        var relationship: UInt8
    }

    /// The municipality the unified numbers belong to.
    let municipality: MunicipalityCode
    /// The persons numbered before the run: the generated register, shared with the other nodes' snapshots and
    /// never written, so holding it costs nothing.
    let initial: ResidentRegister
    /// Entries the run changed or issued, by addressee number.
    var changed: [UInt32: Entry] = [:]
    /// Individual numbers a person held before, oldest first, by addressee number.
    public private(set) var previousNumbers: [UInt32: [UInt64]] = [:]
    let perRecord: Int64
    /// The FIFO worker: busy until this time (µs), busy time and waits.
    var busyUntil: Int64 = 0
    public private(set) var busyTime: Int64 = 0
    public private(set) var waits = LatencyHistogram()
    public private(set) var batches = 0
    public private(set) var records = 0
    public private(set) var issued = 0
    public private(set) var numberDesignations = 0
    public private(set) var numberChanges = 0
    public private(set) var returnsMatched = 0
    /// Records refused: a number whose check digit is wrong, or a unified number that is not the addressee's.
    public private(set) var refusedNumbers = 0
    public private(set) var refusedRecords = 0
    /// The intermediate server it registers copy records with (nil: none), the LAN's delay to it, and the records
    /// sent there.
    let intermediateServer: NodeID?
    let copyDelay: Int64
    public private(set) var copiesSent = 0
    /// Departments' look-ups (他課照会): answered, not found, and answers whose number was masked because the work
    /// is not number-use work (L419: "個人番号利用事務以外では個人番号表示時にマスキング処理が実施される").
    public private(set) var lookups = 0
    public private(set) var lookupsNotFound = 0
    public private(set) var numbersMasked = 0
    /// Who looked up whom (L431: <団体内統合宛名システムにおける措置> "操作者がどの個人に対して照会を行ったかを記録").
    public private(set) var audit = AuditTrail()

    /// A system holding the persons of `register` (the initial state: numbers issued before the run), passing every
    /// record it takes on to `intermediateServer` (中間サーバ連携機能, I 2 システム4 ②) after `copyDelay` µs.
    public init(
        register: ResidentRegister, service: ServiceModel, intermediateServer: NodeID? = nil, copyDelay: Int64 = 500
    ) {
        municipality = register.municipality.code
        perRecord = service.addresseeRecord
        initial = register
        self.intermediateServer = intermediateServer
        self.copyDelay = copyDelay
    }

    /// The record of `row` as the register system sends it.
    public static func record(of row: RowID, in register: ResidentRegister) -> AddresseeRecord {
        let number = register.columns.individualNumber[row.index]
        return AddresseeRecord(
            unified: register.unifiedAddresseeNumber(of: row), addressee: register.addresseeNumber(of: row),
            residentCode: ResidentCode(uncheckedRawValue: register.columns.residentCode[row.index]),
            individualNumber: number == 0 ? nil : IndividualNumber(uncheckedRawValue: number),
            facts: register.basicFactsKeys(of: row), active: register.columns.status[row.index] == 0,
            household: register.householdNumber(of: row), relationship: register.columns.relationship[row.index])
    }

    /// The unified number of addressee number `addressee`.
    func unified(_ addressee: UInt32) -> UInt64 {
        ResidentRegister.unifiedAddresseeNumber(municipality: municipality, addressee: addressee)
    }

    /// The entry of addressee number `addressee`: as the run left it, or as numbered before the run.
    func entry(_ addressee: UInt32) -> Entry? {
        if let e = changed[addressee] { return e }
        guard let row = initial.row(addresseeNumber: addressee) else { return nil }
        return Entry(Self.record(of: row, in: initial))
    }

    /// Takes one record from the register system: issues, matches or updates the entry by the rules above. Returns the
    /// record as kept (nil when refused).
    mutating func apply(_ r: AddresseeRecord) -> AddresseeRecord? {
        records += 1
        guard r.addressee >= 1, r.unified == unified(r.addressee) else {
            refusedRecords += 1
            return nil
        }
        let old = entry(r.addressee)
        var number = r.individualNumber?.rawValue ?? 0
        if number != 0 && !IndividualNumber(uncheckedRawValue: number).hasValidCheckDigit {
            // A number that fails its check digit is not taken: the entry keeps the one it had.
            refusedNumbers += 1
            number = old?.number ?? 0
        }
        var new = Entry(r)
        new.number = number
        changed[r.addressee] = new
        var kept = r
        kept.individualNumber = number == 0 ? nil : IndividualNumber(uncheckedRawValue: number)
        guard let old else {
            issued += 1
            if number != 0 { numberDesignations += 1 }
            return kept
        }
        if !old.active && r.active { returnsMatched += 1 }
        if old.number == 0 && number != 0 {
            numberDesignations += 1
        } else if old.number != 0 && number != old.number && number != 0 {
            // Both numbers are kept: the one before in the history, the one after in the entry.
            previousNumbers[r.addressee, default: []].append(old.number)
            numberChanges += 1
        }
        return kept
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        switch event.message {
        case .addressees(let batch):
            batches += 1
            let start = max(context.now, busyUntil)
            waits.record(start - context.now)
            let work = perRecord * Int64(batch.records.count)
            busyUntil = SimulatedDuration.adding(start, work)
            busyTime += work
            var kept: [AddresseeRecord] = []
            kept.reserveCapacity(batch.records.count)
            for r in batch.records {
                if let k = apply(r) { kept.append(k) }
            }
            // The copy goes to the intermediate server once the records are taken: the server's copy follows the
            // register through this system only (III(1)6 リスク5, 団体内統合宛名システムにおける措置).
            if let server = intermediateServer, !kept.isEmpty {
                copiesSent += kept.count
                context.send(
                    .sharing(.copies(AddresseeBatch(records: kept))), to: server,
                    delay: SimulatedDuration.adding(busyUntil - context.now, max(copyDelay, context.lookahead)))
            }
        case .request(let request):
            guard case .addressee(let lookup) = request.payload else {
                context.countUnhandled(kind: event.message.kind.rawValue)
                return
            }
            answer(request, lookup, &context)
        case .sharing, .immigration, .familyRegister:
            context.countUnhandled(kind: event.message.kind.rawValue)
        case .visit, .deskDone, .response, .served, .identityUpdates, .updateAck, .numberRequest,
            .numberReply, .deliveryRecords, .deliveryAck, .timer, .consistency:
            context.countUnhandled(kind: event.message.kind.rawValue)
        }
    }

    /// A department's look-up (他課照会): the person's identity record, the number shown to number-use work only;
    /// one record's work on the FIFO worker.
    mutating func answer(
        _ request: Request, _ lookup: AddresseeLookup, _ context: inout NodeContext<NetworkMessage>
    ) {
        lookups += 1
        let found =
            lookup.unified / 100_000_000 == UInt64(municipality.rawValue)
            ? entry(UInt32(truncatingIfNeeded: lookup.unified % 100_000_000)) : nil
        var result = ResponseResult.none
        if let e = found {
            let show = OperatorRights.of(request.operatorID).numberUse
            if !show && e.number != 0 { numbersMasked += 1 }
            result = .record(
                IdentityRecord(
                    residentCode: ResidentCode(uncheckedRawValue: e.residentCode),
                    individualNumber: show && e.number != 0 ? IndividualNumber(uncheckedRawValue: e.number) : nil,
                    municipality: municipality, status: e.active ? .active : .removed, removedByDeath: false))
        } else {
            lookupsNotFound += 1
        }
        audit.append(
            AuditRecord(
                time: context.now, operatorID: UInt32(request.operatorID), terminal: UInt32(request.terminal),
                action: .view, operation: request.operation.rawValue, subject: found?.residentCode ?? lookup.unified,
                outcome: (found == nil ? FailureReason.notFound : .none).rawValue))
        let start = max(context.now, busyUntil)
        busyUntil = SimulatedDuration.adding(start, perRecord)
        busyTime += perRecord
        context.send(
            .response(Response(to: request, failure: found == nil ? .notFound : .none, result: result)),
            to: request.replyTo,
            delay: SimulatedDuration.adding(busyUntil - context.now, max(copyDelay, context.lookahead)))
    }

    /// The entry of addressee number `addressee`, as a record (nil for none).
    public func record(addressee: UInt32) -> AddresseeRecord? {
        entry(addressee).map {
            AddresseeRecord(
                unified: unified(addressee), addressee: addressee,
                residentCode: ResidentCode(uncheckedRawValue: $0.residentCode),
                individualNumber: $0.number == 0 ? nil : IndividualNumber(uncheckedRawValue: $0.number),
                facts: $0.facts, active: $0.active, household: $0.household, relationship: $0.relationship)
        }
    }

    /// A digest of the entries the run changed, in addressee order, for the comparison with the register (the
    /// others are the initial state on both sides).
    public var fingerprint: UInt64 { Self.fingerprint(changed.map { ($0.key, $0.value) }) }

    /// The same digest over what `register` holds now for the addressees of the changes from change `from` on.
    public static func fingerprint(of register: ResidentRegister, changesFrom from: UInt64) -> UInt64 {
        var rows: [UInt32: RowID] = [:]
        register.changeLog.forEachChange(from: from, touching: isForwarded) { _, row, _, _ in
            rows[register.addresseeNumber(of: row)] = row
        }
        return fingerprint(rows.map { ($0.key, Entry(record(of: $0.value, in: register))) })
    }

    /// The fields whose change the register system forwards: the identity items and the household and relationship
    /// (住民票関係情報 for the intermediate server's copy); card changes are not the system's business.
    public static func isForwarded(_ field: RecordField) -> Bool {
        field.isIdentityItem || field == .household || field == .relationship
    }

    static func fingerprint(_ entries: [(UInt32, Entry)]) -> UInt64 {
        var f: UInt64 = 0
        for (a, e) in entries.sorted(by: { $0.0 < $1.0 }) {
            f = Mixing.combine(f, UInt64(a) ^ e.residentCode)
            f = Mixing.combine(f, e.number ^ (e.active ? 1 << 63 : 0))
            f = Mixing.combine(f, e.facts.nameAndBirthDate ^ e.facts.nameAndAddress)
            f = Mixing.combine(f, UInt64(e.household) << 8 | UInt64(e.relationship))
        }
        return f
    }
}

extension UnifiedAddresseeSystem.Entry {
    init(_ r: AddresseeRecord) {
        self.init(
            residentCode: r.residentCode.rawValue, number: r.individualNumber?.rawValue ?? 0, facts: r.facts,
            active: r.active, household: r.household, relationship: r.relationship)
    }
}

extension UnifiedAddresseeSystem: ReportingBehavior {
    /// The unified addressee system's figures after a run.
    public struct Report: Sendable, Hashable {
        public var entries: Int
        public var batches: Int
        public var records: Int
        public var issued: Int
        public var numberDesignations: Int
        public var numberChanges: Int
        public var returnsMatched: Int
        public var refusedNumbers: Int
        public var refusedRecords: Int
        /// Records passed on to the intermediate server's copy.
        public var copiesSent: Int
        /// Busy time over the run, and the waits of batches before the worker took them (µs).
        public var utilization: Double
        public var waits: LatencyHistogram
        public var fingerprint: UInt64
        /// Departments' look-ups, not found, numbers masked, and the audit trail's records.
        public var lookups = 0
        public var lookupsNotFound = 0
        public var numbersMasked = 0
        public var auditRecords = 0
    }

    public func report(_ period: ReportPeriod) -> Report {
        Report(
            entries: initial.count + issued, batches: batches, records: records,
            issued: issued, numberDesignations: numberDesignations, numberChanges: numberChanges,
            returnsMatched: returnsMatched, refusedNumbers: refusedNumbers, refusedRecords: refusedRecords,
            copiesSent: copiesSent, utilization: Double(busyTime) / 1e6 / max(period.runSeconds, 1e-9), waits: waits,
            fingerprint: fingerprint, lookups: lookups, lookupsNotFound: lookupsNotFound, numbersMasked: numbersMasked,
            auditRecords: audit.count)
    }
}
