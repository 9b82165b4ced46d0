import JukiCore
import JukiSimulation

/// Identifies a journey and where it waits: the counter slot that drives it.
public struct Ticket: Sendable, Hashable {
    /// Unique in the run: the starting node in the high bits, a sequence below.
    public var journey: UInt64
    /// The journey's slot at its counter (or `UInt32.max` for batch journeys).
    public var slot: UInt32
    public var flow: Flow
    public var hop: Hop

    @inlinable
    public init(journey: UInt64, slot: UInt32, flow: Flow, hop: Hop) {
        self.journey = journey
        self.slot = slot
        self.flow = flow
        self.hop = hop
    }
}

/// An operation a server performs for a requester.
public enum Operation: UInt8, Sendable, Hashable {
    case issueCertificate
    case relocate
    case recordBirth
    case remove
    case recordMoveIn
    case verifyCard
    case certificateData
    case moveInNotice
    case cardContinuation
    case cardRevocation
    /// 本人確認情報検索: `value` is a ``SearchKey``.
    case search
    /// 機構への照会 by individual number.
    case query
    /// A card event for the card management system (issue, return, suspension lift, collection).
    case cardEvent
    /// A one-stop visitor's reservation (転入予約) at the application manager.
    case reservation
    /// An online move-out notice (転出届, via Myna Portal) for the municipality to process.
    case onlineMoveOut
    /// Certificate data sent ahead to the destination of a move (one-stop, or the destination of a move-out).
    case certificateAhead
    /// A move-in notice (転入通知) arriving from the municipality a resident moved to.
    case incomingMoveInNotice
    /// A relocation reservation (転居予約) looked up at the application manager.
    case relocationReservation
    /// A card holder moved in without the special route: card continuation falls due (継続利用期限).
    case continuationDue
}

/// A person's data as it travels between municipalities (転出証明書情報).
public struct MoveOutCertificate: Sendable, Hashable {
    public var residentCode: ResidentCode
    public var individualNumber: IndividualNumber?
    public var name: PersonName
    public var birthDate: CivilDate
    public var sex: Sex
    public var cardStatus: CardStatus
    public var cardExpiry: CivilDate?
    public var origin: MunicipalityCode
    public var plannedMoveOut: CivilDate

    public init(
        residentCode: ResidentCode, individualNumber: IndividualNumber?, name: PersonName, birthDate: CivilDate,
        sex: Sex, cardStatus: CardStatus, cardExpiry: CivilDate?, origin: MunicipalityCode, plannedMoveOut: CivilDate
    ) {
        self.residentCode = residentCode
        self.individualNumber = individualNumber
        self.name = name
        self.birthDate = birthDate
        self.sex = sex
        self.cardStatus = cardStatus
        self.cardExpiry = cardExpiry
        self.origin = origin
        self.plannedMoveOut = plannedMoveOut
    }
}

/// A request to a server. `relayFor` names the original requester when a CS relays it onwards.
public struct Request: Sendable {
    public var op: Operation
    public var ticket: Ticket
    public var replyTo: NodeID
    public var relayFor: NodeID = NodeID.max
    /// The subject: a row in the receiver's register, or a resident code.
    public var subject: UInt64
    public var value: UInt64 = 0
    public var value2: UInt64 = 0
    /// When the request was sent (for spans).
    public var sentAt: Int64 = 0
    /// The service time the worker drew for it (for utilisation).
    public var serviceTime: Int64 = 0
    /// Who asked, from where: the clerk's operator ID and terminal (0 for systems and batches).
    public var operatorID: UInt16 = 0
    public var terminal: UInt16 = 0
    /// The truncated HMAC between Juki-net nodes (0 elsewhere).
    public var mac: UInt64 = 0
    var personBox: CertificateBox?
    /// The move-out certificate carried (move-ins only).
    public var person: MoveOutCertificate? {
        get { personBox?.value }
        set { personBox = newValue.map(CertificateBox.init) }
    }

    public init(op: Operation, ticket: Ticket, replyTo: NodeID, subject: UInt64, value: UInt64 = 0, value2: UInt64 = 0)
    {
        self.op = op
        self.ticket = ticket
        self.replyTo = replyTo
        self.subject = subject
        self.value = value
        self.value2 = value2
    }
}

/// A server's answer.
public struct Response: Sendable {
    public var op: Operation
    public var ticket: Ticket
    public var relayFor: NodeID
    public var failure: FailureReason
    public var value: UInt64
    public var mac: UInt64 = 0
    var personBox: CertificateBox?
    /// The move-out certificate carried back (move-ins only).
    public var person: MoveOutCertificate? {
        get { personBox?.value }
        set { personBox = newValue.map(CertificateBox.init) }
    }

    public init(
        to request: Request, failure: FailureReason = .none, value: UInt64 = 0, person: MoveOutCertificate? = nil
    ) {
        op = request.op
        ticket = request.ticket
        relayFor = request.relayFor
        self.failure = failure
        self.value = value
        personBox = person.map(CertificateBox.init)
    }
}

/// A move-out certificate behind a reference: most requests carry none, and every message is copied a few
/// times on its way, so keeping the 112 bytes out of line halves a message's size.
final class CertificateBox: Sendable {
    let value: MoveOutCertificate

    init(_ value: MoveOutCertificate) { self.value = value }
}

/// One identity record update (本人確認情報の更新), idempotent by version.
public struct IdentityUpdate: Sendable, Hashable {
    public var residentCode: UInt64
    public var individualNumber: UInt64
    public var municipality: UInt32
    public var status: UInt8
    /// Simulated time of the change (µs): later versions win, so replays and reordering are harmless.
    public var version: Int64
    /// A digest of the record's basic facts, compared by the consistency check.
    public var fingerprint: UInt64
    public var reason: UInt8

    public init(
        residentCode: UInt64, individualNumber: UInt64, municipality: UInt32, status: UInt8, version: Int64,
        fingerprint: UInt64, reason: UInt8
    ) {
        self.residentCode = residentCode
        self.individualNumber = individualNumber
        self.municipality = municipality
        self.status = status
        self.version = version
        self.fingerprint = fingerprint
        self.reason = reason
    }
}

/// A batch of identity updates travelling CS → prefecture → national.
public struct IdentityBatch: Sendable {
    public var updates: [IdentityUpdate]
    /// The municipality CS that sent it.
    public var source: NodeID
    /// The sender's batch number: the receiver applies each batch once and acknowledges it (store-and-forward).
    public var sequence: UInt64 = 0
    public var mac: UInt64 = 0
}

/// A batch of resident codes for number candidates, or the candidates coming back.
public struct NumberBatch: Sendable {
    public var ticket: Ticket
    public var rows: [UInt32]
    public var codes: [UInt64]
    /// Filled in by the national server.
    public var candidates: [UInt64]
    public var replyTo: NodeID
    public var relayFor: NodeID
    public var sentAt: Int64
    public var mac: UInt64 = 0
}

/// Delivery records (送付先情報) for notification letters, sent to the card management system.
public struct DeliveryBatch: Sendable {
    public var ticket: Ticket
    public var codes: [UInt64]
    public var replyTo: NodeID
    public var relayFor: NodeID
    public var sentAt: Int64
    public var mac: UInt64 = 0
}

/// A resident arriving at a counter with a notice.
public struct Visit: Sendable {
    public var flow: Flow
    public var journey: UInt64
    /// The resident's row in the local register (local flows), or the origin register's row (move-ins).
    public var row: UInt32
    /// The resident code on the card the resident presents (local flows), or 0.
    public var code: UInt64
    /// The state of that card, as the resident brings it (``JukiCore/CardStatus`` raw value).
    public var cardStatus: UInt8
    /// For special move-ins: the origin holds no move-out certificate data (an error path).
    public var certificateDataMissing: Bool
    /// For searches: a packed ``SearchKey``; for card linkage: a ``CardEvent``.
    public var searchKey: UInt64 = 0
    /// The resident reserved the visit online (one-stop move-in, or a relocation reservation, 転居予約).
    public var reserved = false
    /// For move-ins: the origin municipality's node.
    public var origin: NodeID
    public var plannedMoveOut: CivilDate
    public var movedIn: CivilDate
    /// Whether the resident brings a My Number card, and whether the PIN is entered correctly.
    public var cardBrought: Bool
    public var pinCorrect: Bool
    /// When the journey counts from: arrival at the counter, or in the load mode the intended start.
    public var arrivedAt: Int64
    /// In the load mode: when the generator actually issued the journey (for the uncorrected latency).
    public var issuedAt: Int64 = 0
}

/// Every message of the network.
public enum NetworkMessage: Sendable {
    /// A resident arrives at a counter.
    case visit(Visit)
    /// A clerk's desk work for a journey slot is done (the counter's own event).
    case deskDone(slot: UInt32)
    case request(Request)
    case response(Response)
    /// A server's worker finished a request (the server's own event).
    case served(Request)
    case identityUpdates(IdentityBatch)
    /// The receiver applied an identity-update batch (store-and-forward's acknowledgement).
    case updateAck(UpdateAck)
    case numberRequest(NumberBatch)
    case numberReply(NumberBatch)
    case deliveryRecords(DeliveryBatch)
    case deliveryAck(DeliveryBatch)
    /// A timer: arrivals of a flow, or a batch job.
    case tick(kind: UInt8, value: UInt64)
    /// A consistency-check extract travelling CS → prefecture → national, and the differences coming back.
    case consistency(ConsistencyBatch)
}

/// A consistency check (整合性確認): the CS's extract, and the differences each server found.
public struct ConsistencyBatch: Sendable {
    public var ticket: Ticket
    public var extract: [IdentityUpdate]
    public var source: NodeID
    public var prefectureDifferences: Int
    public var nationalDifferences: Int
    /// Differences left after each server reconciled.
    public var prefectureRemaining = 0
    public var nationalRemaining = 0
    public var sentAt: Int64
    public var mac: UInt64 = 0
}
