import JukiAudit
import JukiCore
import JukiRegister
import JukiSimulation

/// A 戸籍 notice filed at a counter: the family-register system reviews and records it, then has the register record
/// what it means for the 住民票.
public enum FamilyRegisterRequest: Sendable, Hashable {
    /// 出生届: a child born to the resident in `parent`.
    case birth(parent: RowID, sex: Sex)
    /// 死亡届 of the resident in `row`.
    case death(row: RowID)
}

/// One 戸籍の附票 notice (別添1 ⑩, 住基法第19条第1項): a resident's record was written, removed, or had its name,
/// birth date, sex or address changed, and the 附票 at the 本籍地 must follow.
public struct AttachmentNotice: Sendable, Hashable {
    public var residentCode: ResidentCode
    public var reason: ChangeReason
    /// The change log's sequence number of the change (what makes each notice's check its own draw).
    public var sequence: UInt64
    /// The name as the register holds it (附票記載事項: the 本籍地 compares it with the 戸籍).
    public var name: PersonName

    public init(residentCode: ResidentCode, reason: ChangeReason, sequence: UInt64, name: PersonName) {
        self.residentCode = residentCode
        self.reason = reason
        self.sequence = sequence
        self.name = name
    }
}

/// A 本籍地's answer that a 附票 notice does not match the 戸籍 (別添1 ⑦, 住基法第19条第2項): the name as the 戸籍
/// writes it, which the register takes over ex officio (職権修正).
public struct FamilyRegisterCorrection: Sendable, Hashable {
    public var residentCode: ResidentCode
    public var name: PersonName

    public init(residentCode: ResidentCode, name: PersonName) {
        self.residentCode = residentCode
        self.name = name
    }
}

/// Messages between the register system and the family-register system (戸籍情報システム).
public enum FamilyRegisterMessage: Sendable {
    /// 別添1 ⑩: the register's 附票 notices, register → family-register system (which keeps the 附票 of those whose
    /// 本籍 is here and sends the others on to their 本籍地).
    case attachmentNotices([AttachmentNotice])
    /// 別添1 ⑦: notices that did not match the 戸籍, family-register system → register.
    case corrections([FamilyRegisterCorrection])
}

/// How the family-register work is shared between here and elsewhere [E].
public struct FamilyRegisterConfiguration: Sendable, Hashable {
    /// Of residents, the share whose 本籍 is in the municipality [E: 0.45; a commuter city that grew by moves in, so
    /// fewer than half; no published figure].
    public var domicileHereShare = 0.45
    /// Births and deaths of residents filed elsewhere (the hospital's or the 本籍地's office) that reach the register
    /// as notices (別添1 ⑨, 住基法第9条第2項), a business day, per 445,283 residents [E: 0.15 of 3,058 births and
    /// 0.25 of 4,393 deaths a year (藤沢市統計年報 2022) over 243 business days].
    public var birthNoticesPerDay = 1.9
    public var deathNoticesPerDay = 4.5
    /// Of 附票 notices for persons whose name can be written with a variant character, the share whose 戸籍 writes it
    /// the other way (字形の相違, the usual 第19条第2項 mismatch) [E: 0.1; no figure].
    public var mismatchShare = 0.1
    /// When the day's notices from elsewhere arrive and when the 附票 work is done, µs after midnight on business
    /// days [E: 09:00, the morning's post and 戸籍情報連携; 17:00, the end of the day].
    public var noticesAt: Int64 = 9 * 3_600_000_000
    public var attachmentWorkAt: Int64 = 17 * 3_600_000_000
    /// Business days a 本籍地 elsewhere takes to answer a notice that does not match [E: 3, by post or 戸籍情報連携].
    public var elsewhereAnswerDays = 3
    /// The family-register system's time to enter a filing and link it to the register [E: 2 s; the clerk's review
    /// is desk time].
    public var entryTime: Int64 = 2_000_000
    /// The residents the rates are per.
    public var residents = 445_283

    public init() {}
}

/// The family-register system (戸籍情報システム, connected to the register system: I 2 システム1 ③ "戸籍システム"): the
/// 戸籍 side of births and deaths and of the 附票.
///
/// - A birth or death filed at a counter is entered here (recorded in the 戸籍 when the 本籍 is here, else the 届書 is
///   sent to the 本籍地), and the register records what it means for the 住民票 (住民票の記載・消除, 住基法施行令
///   第12条第2項): the counter's answer comes when the register has.
/// - Births and deaths of residents filed elsewhere arrive as notices (別添1 ⑨, 住基法第9条第2項) each business
///   morning and go to the register the same way.
/// - The register's 附票 notices (⑩, 住基法第19条第1項) update the 附票 here when the 本籍 is here, and go on to the
///   本籍地 otherwise. Where the 戸籍 writes the name the other way (a variant character), the answer (⑦, 第19条第2項)
///   goes back to the register: the same day from here, ``FamilyRegisterConfiguration/elsewhereAnswerDays`` later
///   from a 本籍地 elsewhere (which this node stands for: they are outside the model).
///
/// Whose 本籍 is here is a fixed draw from the resident code (``FamilyRegisterConfiguration/domicileHereShare``).
public struct FamilyRegisterSystem: NodeBehavior {
    let configuration: FamilyRegisterConfiguration
    let registerSystem: NodeID
    let lan: Latency
    let begin: Int64
    let days: Int
    /// Rows that can be a parent (aged 18–49 at the start) and rows of residents aged 65 or more, for the notices
    /// from elsewhere.
    let parents: [UInt32]
    let elderly: [UInt32]
    /// The register's residents over ``FamilyRegisterConfiguration/residents``: what the rates are scaled by.
    let scale: Double
    /// Filings and notices waiting for the register's answer, by journey (nil: a notice from elsewhere).
    var pending: [UInt64: Request?] = [:]
    /// Corrections waiting to be sent, with the business day they go.
    var corrections: [(due: Int32, correction: FamilyRegisterCorrection)] = []
    var nextJourney: UInt64 = 0
    public private(set) var figures = FamilyRegisterFigures()
    public private(set) var audit = AuditTrail()

    /// The family-register system's timers.
    public enum Timer: Sendable, Hashable {
        /// The morning's notices from elsewhere (⑨).
        case notices
        /// The day's 附票 work: the answers (⑦) due go to the register.
        case attachmentWork
    }

    public init(
        register: ResidentRegister, registerSystem: NodeID, links: LinkTable, date: CivilDate, days: Int,
        configuration: FamilyRegisterConfiguration = FamilyRegisterConfiguration()
    ) {
        self.configuration = configuration
        self.registerSystem = registerSystem
        lan = links.latency(.counterLAN)
        begin = SimulatedTime(date: date).microseconds
        self.days = max(days, 1)
        let today = date.daysSinceEpoch
        var parents: [UInt32] = []
        var elderly: [UInt32] = []
        let c = register.columns
        for i in 0..<register.count where c.status[i] == 0 && c.flags[i] & RowFlags.foreign.rawValue == 0 {
            let age = (today - c.birthDate[i]) / 365
            if age >= 65 { elderly.append(UInt32(i)) } else if age >= 18 && age < 50 { parents.append(UInt32(i)) }
        }
        self.parents = parents
        self.elderly = elderly
        scale = Double(register.activeCount) / Double(max(configuration.residents, 1))
    }

    /// Whether the 本籍 of the person with `code` is here: a fixed draw from the code.
    public static func domicileHere(_ code: ResidentCode, share: Double) -> Bool {
        Mixing.unit(Mixing.combine(code.rawValue, 0x6b6f_7365_6b69)) < share
    }

    public mutating func start(_ context: inout NodeContext<NetworkMessage>) {
        for d in 0..<days {
            let day = SimulatedTime(microseconds: begin).date.adding(days: d)
            guard BusinessCalendar.standard.isBusinessDay(day) else { continue }
            let midnight = SimulatedTime(date: day).microseconds
            context.schedule(.timer(.familyRegister(.notices)), at: midnight + configuration.noticesAt)
            context.schedule(.timer(.familyRegister(.attachmentWork)), at: midnight + configuration.attachmentWorkAt)
        }
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        switch event.message {
        case .request(let request):
            guard case .familyRegister(let filing) = request.payload else {
                context.countUnhandled(kind: event.message.kind.rawValue)
                return
            }
            file(filing, request, &context)
        case .response(let response):
            guard let entry = pending.removeValue(forKey: response.ticket.journey) else { return }
            guard let original = entry else {
                // A notice from elsewhere: the person may have left the register since.
                if response.failure != .none { figures.noticesUnmatched += 1 }
                return
            }
            context.send(
                .response(Response(to: original, failure: response.failure, result: response.result)),
                to: original.replyTo, delay: max(lan.sample(&context.random), context.lookahead))
        case .familyRegister(.attachmentNotices(let notices)):
            attachmentNotices(notices, &context)
        case .timer(.familyRegister(.notices)):
            noticesFromElsewhere(&context)
        case .timer(.familyRegister(.attachmentWork)):
            sendCorrections(&context)
        case .familyRegister(.corrections), .visit, .deskDone, .served, .identityUpdates, .updateAck, .numberRequest,
            .numberReply, .deliveryRecords, .deliveryAck, .timer, .consistency, .addressees, .sharing, .immigration:
            context.countUnhandled(kind: event.message.kind.rawValue)
        }
    }

    /// A filing from a counter: entered here, then the register records the 住民票 side; the counter is answered
    /// when the register answers.
    mutating func file(
        _ filing: FamilyRegisterRequest, _ request: Request, _ context: inout NodeContext<NetworkMessage>
    ) {
        let subject: RowID
        let payload: RegisterRequest
        switch filing {
        case .birth(let parent, let sex):
            figures.birthsFiled += 1
            subject = parent
            payload = .recordBirth(parent: parent, sex: sex)
        case .death(let row):
            figures.deathsFiled += 1
            subject = row
            payload = .remove(row: row, reason: .death, destination: nil)
        }
        // Whose 戸籍 (a child is entered in the parent's): a draw, as the filing carries the row, not the code.
        if context.random.chance(configuration.domicileHereShare) {
            figures.recordedHere += 1
        } else {
            figures.sentToDomicile += 1
        }
        audit.append(
            AuditRecord(
                time: context.now, operatorID: UInt32(request.operatorID), terminal: UInt32(request.terminal),
                action: .change, operation: Operation.familyRegisterFiling.rawValue, subject: UInt64(subject.rawValue)))
        pending[request.ticket.journey] = request
        var forward = Request(.register(payload), ticket: request.ticket, replyTo: context.id, sentAt: context.now)
        forward.operatorID = request.operatorID
        forward.terminal = request.terminal
        context.send(
            .request(forward), to: registerSystem,
            delay: max(configuration.entryTime + lan.sample(&context.random), context.lookahead))
    }

    /// The morning's births and deaths of residents filed elsewhere (⑨): each goes to the register like a filing
    /// made here, with nobody waiting at a counter.
    mutating func noticesFromElsewhere(_ context: inout NodeContext<NetworkMessage>) {
        let births = RegisterSystem.poisson(configuration.birthNoticesPerDay * scale, &context.random)
        let deaths = RegisterSystem.poisson(configuration.deathNoticesPerDay * scale, &context.random)
        for k in 0..<(births + deaths) {
            let isBirth = k < births
            let pool = isBirth ? parents : elderly
            guard !pool.isEmpty else { continue }
            let row = RowID(pool[Int(context.random.next(below: UInt64(pool.count)))])
            let sex: Sex = context.random.chance(0.512) ? .male : .female
            if isBirth { figures.birthNotices += 1 } else { figures.deathNotices += 1 }
            nextJourney += 1
            let journey = UInt64(context.id) << 40 | 1 << 38 | nextJourney
            let payload: RegisterRequest =
                isBirth ? .recordBirth(parent: row, sex: sex) : .remove(row: row, reason: .death, destination: nil)
            pending[journey] = .some(nil)
            let request = Request(
                .register(payload),
                ticket: Ticket(
                    journey: journey, slot: nil, flow: isBirth ? .birth : .death,
                    hop: isBirth ? .recordBirth : .removeRecord),
                replyTo: context.id, sentAt: context.now)
            context.send(
                .request(request), to: registerSystem, delay: max(lan.sample(&context.random), context.lookahead))
        }
        audit.append(
            AuditRecord(
                time: context.now, operatorID: 0, terminal: 0, action: .batch,
                operation: Operation.familyRegisterFiling.rawValue, subject: 0, count: UInt32(clamping: births + deaths)
            ))
    }

    /// The register's 附票 notices (⑩): kept here or sent on; those whose 戸籍 writes the name the other way are
    /// answered (⑦) at the day's 附票 work, here the same day, from elsewhere some days later.
    mutating func attachmentNotices(_ notices: [AttachmentNotice], _ context: inout NodeContext<NetworkMessage>) {
        let today = SimulatedTime(microseconds: context.now).date.daysSinceEpoch
        for n in notices {
            figures.attachmentNotices += 1
            let here = Self.domicileHere(n.residentCode, share: configuration.domicileHereShare)
            if here { figures.attachmentsKept += 1 } else { figures.attachmentsSentOn += 1 }
            // A removed record is closed: the 附票 is closed with it, and nothing is left to correct.
            guard !n.reason.isRemoval, let other = Self.otherForm(of: n.name),
                Mixing.unit(Mixing.combine(n.residentCode.rawValue, n.sequence)) < configuration.mismatchShare
            else { continue }
            figures.mismatches += 1
            var due = today
            if !here {
                var day = CivilDate(daysSinceEpoch: today)
                for _ in 0..<max(configuration.elsewhereAnswerDays, 0) {
                    day = BusinessCalendar.standard.nextBusinessDay(after: day)
                }
                due = day.daysSinceEpoch
            }
            corrections.append((due, FamilyRegisterCorrection(residentCode: n.residentCode, name: other)))
        }
    }

    /// The answers (⑦) due today go to the register in one batch.
    mutating func sendCorrections(_ context: inout NodeContext<NetworkMessage>) {
        let today = SimulatedTime(microseconds: context.now).date.daysSinceEpoch
        let due = corrections.filter { $0.due <= today }.map(\.correction)
        corrections.removeAll { $0.due <= today }
        guard !due.isEmpty else { return }
        figures.correctionsSent += due.count
        context.send(
            .familyRegister(.corrections(due)), to: registerSystem,
            delay: max(lan.sample(&context.random), context.lookahead))
    }

    /// The name as a 戸籍 that writes it the other way would (``VariantCharacters``): its variant characters replaced
    /// by their standard forms, or the surname's characters that have a variant written as that variant; nil when
    /// neither applies.
    static func otherForm(of name: PersonName) -> PersonName? {
        var other = name
        if VariantCharacters.containsVariant(name.surname) || VariantCharacters.containsVariant(name.givenName) {
            other.surname = VariantCharacters.substituted(name.surname)
            other.givenName = VariantCharacters.substituted(name.givenName)
        } else if VariantCharacters.hasVariantForm(name.surname) {
            other.surname = VariantCharacters.variantForm(name.surname)
        } else {
            return nil
        }
        return other
    }
}

/// The family-register system's figures.
public struct FamilyRegisterFigures: Sendable, Hashable {
    /// Births and deaths filed at the counters; of their 戸籍 entries, those made here and those sent to the 本籍地.
    public var birthsFiled = 0
    public var deathsFiled = 0
    public var recordedHere = 0
    public var sentToDomicile = 0
    /// Births and deaths of residents filed elsewhere (⑨), and those for nobody on the register any more.
    public var birthNotices = 0
    public var deathNotices = 0
    public var noticesUnmatched = 0
    /// 附票 notices from the register (⑩): kept here, sent on to the 本籍地; those that did not match the 戸籍 and
    /// the answers (⑦) sent back.
    public var attachmentNotices = 0
    public var attachmentsKept = 0
    public var attachmentsSentOn = 0
    public var mismatches = 0
    public var correctionsSent = 0

    public init() {}
}

extension FamilyRegisterSystem: ReportingBehavior {
    public func report(_ period: ReportPeriod) -> FamilyRegisterFigures { figures }
}
