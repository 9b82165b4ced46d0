import JukiAudit
import JukiCore
import JukiSimulation

/// The information-sharing network (情報提供ネットワークシステム, I 6; III(1)6 リスク5–7), as Fujisawa sees it: other bodies'
/// requests for its residents' information (住民票関係情報, 別添4) arrive here and go on to the intermediate server.
///
/// - Requests arrive from the bodies of the permission list's rows at a rate per row (``InformationSharingConfiguration``;
///   Poisson, every hour of every day: "照会を受けたら都度", 別添4 ⑦). A share ask outside the list.
/// - It checks each request against the permission list (照会許可照会リスト): a row not on it, or another body's row, is
///   refused here and recorded; a permitted request gets a permit (提供許可証, a keyed tag of the request) and goes to
///   the intermediate server (III(1)6 リスク5 ②, リスク7).
/// - It issues the codes for provision (符号) the intermediate server asks for with a new person's addressee number.
/// - It sends the server its permission list at the start (the server keeps a copy and checks by it too).
/// - It keeps its own record of every request and answer (情報提供等記録, 番号法第23条), 7 years.
///
/// Fujisawa's resident-register work asks nobody through the network ("情報照会: なし", I 6 ②), so nothing goes the
/// other way.
public struct InformationSharingNetwork: NodeBehavior {
    /// The network's own events.
    public enum Timer: Sendable, Hashable {
        /// The next request from another body.
        case nextRequest
    }

    let municipality: MunicipalityCode
    let list: PermissionList
    let sharing: InformationSharingConfiguration
    /// Rows with their cumulative requests per day, for drawing the next request's row.
    let cumulative: [(ProvisionItem, Double)]
    let totalPerDay: Double
    /// Rows of the table not on the list (for requests made outside it).
    let offList: [ProvisionItem]
    /// Persons registered before the run (addressee numbers 1…initialPersons) and those whose codes were issued in it.
    let initialPersons: Int
    public private(set) var issuedAddressees: [UInt32] = []
    let codes: KeyedPermutation
    let permits: SipHash24
    let intermediateServer: NodeID?
    let latency: Latency
    /// Requests are asked from `begin` to `end` (µs): the run's days.
    let begin: Int64
    let end: Int64
    var nextID: UInt64 = 0
    public private(set) var requests = 0
    public private(set) var refused = 0
    public private(set) var forwarded = 0
    public private(set) var codesIssued = 0
    public private(set) var answers = [Int](repeating: 0, count: ProvisionOutcome.allCases.count)
    /// From the request to the answer back at the network (µs): automatic answers and reviewed ones.
    public private(set) var automaticLatency = LatencyHistogram()
    public private(set) var reviewedLatency = LatencyHistogram()
    /// Requests by row (index in the list), refused ones included.
    public private(set) var byItem: [Int]
    public private(set) var records: AuditTrail
    var lastExpiry: Int64 = 0

    /// The codes for provision: a keyed permutation of addressee numbers (10^8 of them per municipality).
    static func codePermutation(key: UInt64) -> KeyedPermutation {
        KeyedPermutation(domainSize: 100_000_000, key: Mixing.fmix64(key ^ 0xC0DE))
    }

    static func permitKey(_ key: UInt64) -> SipHash24 {
        SipHash24(k0: Mixing.fmix64(key ^ 0x9E37_79B9), k1: Mixing.fmix64(key ^ 0x7F4A_7C15))
    }

    /// The permit for `request`: a tag over its number, rows and code.
    static func permit(for request: ProvisionRequest, key: SipHash24) -> UInt64 {
        var fields = (request.id, UInt64(request.item.number) << 16 | UInt64(request.requester.number), request.code)
        let tag = withUnsafeBytes(of: &fields) { key.tag($0) }
        return tag == 0 ? 1 : tag
    }

    /// The network for a municipality whose register held `initialPersons` persons at the start, generating requests
    /// from `begin` to `end` (µs) and passing them to `intermediateServer`.
    public init(
        municipality: MunicipalityCode, initialPersons: Int, sharing: InformationSharingConfiguration,
        list: PermissionList = .residentRegister, key: UInt64, intermediateServer: NodeID?, latency: Latency,
        begin: Int64, end: Int64
    ) {
        self.municipality = municipality
        self.list = list
        self.sharing = sharing
        self.initialPersons = initialPersons
        var sum = 0.0
        cumulative = sharing.dailyRates(list: list, residents: initialPersons).map {
            sum += max(0, $0.1)
            return ($0.0, sum)
        }
        totalPerDay = sum
        offList = (1...ProvisionItem.lastRow).map(ProvisionItem.init).filter { !list.contains($0) }
        codes = Self.codePermutation(key: key)
        permits = Self.permitKey(key)
        self.intermediateServer = intermediateServer
        self.latency = latency
        self.begin = begin
        self.end = end
        byItem = Array(repeating: 0, count: list.items.count)
        records = AuditTrail()
    }

    public mutating func start(_ context: inout NodeContext<NetworkMessage>) {
        guard let server = intermediateServer else { return }
        context.send(.sharing(.permissionList(list)), to: server, delay: latency.sample(&context.random))
        scheduleNext(&context)
    }

    mutating func scheduleNext(_ context: inout NodeContext<NetworkMessage>) {
        guard sharing.requestsOn, totalPerDay > 0, intermediateServer != nil else { return }
        let mean = Double(SimulatedTime.microsecondsPerDay) / totalPerDay
        let gap = max(1, SimulatedDuration.saturating(context.random.nextExponential(mean: mean)))
        let at = SimulatedDuration.adding(max(context.now, begin), gap)
        guard at < end else { return }
        context.schedule(.timer(.informationSharing(.nextRequest)), at: at)
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        switch event.message {
        case .timer(.informationSharing(.nextRequest)):
            ask(&context)
            scheduleNext(&context)
        case .sharing(.codeRequest(let batch)):
            issueCodes(batch, &context)
        case .sharing(.answer(let answer)):
            record(answer, &context)
        case .sharing, .timer, .visit, .deskDone, .request, .response, .served, .identityUpdates, .updateAck,
            .numberRequest, .numberReply, .deliveryRecords, .deliveryAck, .consistency, .addressees, .immigration,
            .familyRegister:
            context.countUnhandled(kind: event.message.kind.rawValue)
        }
    }

    /// The code for provision (符号) the network issues for addressee number `addressee` of its municipality.
    public func code(_ addressee: UInt32) -> UInt64 { codes.apply(UInt64(addressee)) }

    /// The permit (提供許可証) the network would issue for `request`, whether or not the list permits it (for tests
    /// that hand a server requests the network never sends).
    public func issuePermit(_ request: ProvisionRequest) -> UInt64 { Self.permit(for: request, key: permits) }

    /// One request from another body: drawn, checked against the list, refused or passed on with a permit.
    mutating func ask(_ context: inout NodeContext<NetworkMessage>) {
        guard let server = intermediateServer, let last = cumulative.last else { return }
        expireRecords(context.now)
        nextID += 1
        requests += 1
        let u = context.random.nextUnit() * last.1
        var index = 0
        while index < cumulative.count - 1 && cumulative[index].1 <= u { index += 1 }
        var item = cumulative[index].0
        var requester = item
        if context.random.chance(sharing.offListShare) {
            // Half ask under a row not on the list, half under another body's row.
            if context.random.chance(0.5), !offList.isEmpty {
                item = offList[Int(context.random.next(below: UInt64(offList.count)))]
            } else if list.items.count > 1 {
                let other =
                    (index + 1 + Int(context.random.next(below: UInt64(list.items.count - 1)))) % list.items.count
                requester = list.items[other]
            }
        }
        byItem[index] += 1
        let persons = initialPersons + issuedAddressees.count
        guard persons > 0 else { return }
        let pick = Int(context.random.next(below: UInt64(persons)))
        let addressee = pick < initialPersons ? UInt32(pick + 1) : issuedAddressees[pick - initialPersons]
        var request = ProvisionRequest(
            id: nextID, item: item, requester: requester, code: code(addressee), permit: 0, askedAt: context.now)
        guard list.permits(item: item, requester: requester) else {
            refused += 1
            answers[Int(ProvisionOutcome.refusedNotPermitted.rawValue)] += 1
            append(request, outcome: .refusedNotPermitted, context.now)
            return
        }
        request.permit = Self.permit(for: request, key: permits)
        forwarded += 1
        context.send(
            .sharing(.request(request)), to: server,
            delay: SimulatedDuration.adding(sharing.routingTime, latency.sample(&context.random)))
    }

    /// 符号: the codes of the persons the intermediate server names.
    mutating func issueCodes(_ batch: CodeBatch, _ context: inout NodeContext<NetworkMessage>) {
        guard batch.municipality == municipality, let server = intermediateServer else { return }
        var reply = batch
        reply.codes = batch.addressees.map(code)
        issuedAddressees += batch.addressees
        codesIssued += batch.addressees.count
        context.send(
            .sharing(.codeReply(reply)), to: server,
            delay: SimulatedDuration.adding(sharing.routingTime, latency.sample(&context.random)))
    }

    /// The intermediate server's answer: recorded, with its time from the request.
    mutating func record(_ answer: ProvisionAnswer, _ context: inout NodeContext<NetworkMessage>) {
        answers[Int(answer.outcome.rawValue)] += 1
        let latency = context.now - answer.request.askedAt
        if answer.outcome == .providedAfterReview {
            reviewedLatency.record(latency)
        } else {
            automaticLatency.record(latency)
        }
        append(answer.request, outcome: answer.outcome, context.now)
    }

    mutating func append(_ request: ProvisionRequest, outcome: ProvisionOutcome, _ now: Int64) {
        records.append(
            AuditRecord(
                time: now, operatorID: 0, terminal: 0, action: outcome.isProvision ? .provision : .refusal,
                operation: UInt8(truncatingIfNeeded: request.item.number), subject: request.code, count: 1,
                outcome: outcome.rawValue, destination: UInt32(request.requester.number)))
    }

    mutating func expireRecords(_ now: Int64) {
        guard now - lastExpiry >= SimulatedTime.microsecondsPerDay else { return }
        lastExpiry = now
        records.expire(before: now - sharing.recordRetention)
    }
}

extension InformationSharingNetwork: ReportingBehavior {
    /// The network's figures after a run.
    public struct Report: Sendable, Hashable {
        public var requests: Int
        public var refused: Int
        public var forwarded: Int
        public var codesIssued: Int
        /// Requests by outcome (``ProvisionOutcome`` raw values): refusals here and the server's answers.
        public var answers: [Int]
        public var automaticLatency: LatencyHistogram
        public var reviewedLatency: LatencyHistogram
        /// The permission list's rows, and the requests under each (refused ones included).
        public var items: [ProvisionItem]
        public var byItem: [Int]
        public var recordsKept: Int
        public var recordsExpired: Int
        public var recordsHead: String

        /// Forwarded requests with no answer back yet.
        public var inFlight: Int { forwarded - (answers.reduce(0, +) - refused) }
    }

    public func report(_ period: ReportPeriod) -> Report {
        Report(
            requests: requests, refused: refused, forwarded: forwarded, codesIssued: codesIssued, answers: answers,
            automaticLatency: automaticLatency, reviewedLatency: reviewedLatency,
            items: list.items, byItem: byItem, recordsKept: records.kept,
            recordsExpired: records.expired, recordsHead: records.headHex)
    }
}
