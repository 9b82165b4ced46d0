import JukiCore
import JukiRegister
import JukiSimulation

/// Another municipality (転出地 / 転入地), lighter: its register and its CS in one node.
///
/// It is the other end of Fujisawa's moves: it hands over move-out certificate data (recording the move-out
/// the resident filed there) and receives move-in notices; its identity updates go to its prefecture server.
public struct OtherMunicipality: NodeBehavior {
    public private(set) var register: ResidentRegister
    public private(set) var identityFile: IdentityFile
    public private(set) var connector = CSConnector()
    let links: LinkTable
    let service: ServiceModel
    let prefecture: NodeID
    let date: CivilDate
    var pool: WorkerPool
    public private(set) var heldCertificates: [UInt64: MoveOutCertificate] = [:]
    public private(set) var moveInNotices = 0
    public private(set) var reservations = 0

    public init(
        register: ResidentRegister, identityFile: IdentityFile, links: LinkTable, service: ServiceModel,
        prefecture: NodeID, date: CivilDate
    ) {
        self.register = register
        self.identityFile = identityFile
        self.links = links
        self.service = service
        self.prefecture = prefecture
        self.date = date
        pool = WorkerPool(workers: service.otherMunicipalityWorkers)
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        switch event.message {
        case .request(var request):
            request.serviceTime = service.registerOperation.sample(&context.random)
            if let start = pool.accept(request) { context.schedule(.served(start), after: start.serviceTime) }
        case .served(let request):
            perform(request, &context)
            if let next = pool.finish(duration: request.serviceTime) {
                context.schedule(.served(next), after: next.serviceTime)
            }
        default:
            break
        }
    }

    mutating func perform(_ request: Request, _ context: inout NodeContext<NetworkMessage>) {
        var failure = FailureReason.none
        var person: MoveOutCertificate?
        switch request.op {
        case .certificateData:
            let row = RowID(UInt32(truncatingIfNeeded: request.subject))
            let plannedMoveOut = CivilDate(daysSinceEpoch: Int32(truncatingIfNeeded: request.value2 >> 8))
            if request.value2 & 1 == 1 || row.index >= register.count {
                failure = .certificateDataNotFound
            } else if register.columns.status[row.index] == 0 {
                person = moveOut(row, plannedMoveOut: plannedMoveOut, &context)
            } else if let held = heldCertificates[register.columns.residentCode[row.index]] {
                person = held
            } else {
                failure = .certificateDataNotFound
            }
        case .moveInNotice:
            moveInNotices += 1
        case .certificateAhead:
            // A one-stop mover's data sent ahead: kept for their reserved visit here.
            reservations += 1
        default:
            failure = .registerRefused
        }
        context.send(
            .response(Response(to: request, failure: failure, person: person)), to: request.replyTo,
            delay: links.latency(.csToCS).sample(&context.random))
    }

    /// Records the move-out the resident filed here (転出届) and keeps its certificate data.
    mutating func moveOut(
        _ row: RowID, plannedMoveOut: CivilDate, _ context: inout NodeContext<NetworkMessage>
    ) -> MoveOutCertificate? {
        let record = register.record(row)
        let person = MoveOutCertificate(
            residentCode: record.residentCode, individualNumber: record.individualNumber, name: record.name,
            birthDate: record.birthDate, sex: record.sex, cardStatus: record.cardStatus, cardExpiry: record.cardExpiry,
            origin: register.municipality.code, plannedMoveOut: plannedMoveOut)
        let change = ChangeContext(
            time: SimulatedTime(microseconds: context.now), operatorID: OperatorID(1), terminalID: TerminalID(1))
        guard (try? register.remove(row, reason: .moveOut, context: change)) != nil else { return nil }
        heldCertificates[record.residentCode.rawValue] = person
        // This node is its own CS: apply to its identity file, then forward to the prefecture.
        var updates: [IdentityUpdate] = []
        register.changeLog.forEachChange(from: connector.forwarded + 1) { _, r, time, reason in
            updates.append(register.identityUpdate(row: r, version: time, reason: reason))
        }
        connector.advance(by: updates.count)
        for u in updates { identityFile.apply(u) }
        if !updates.isEmpty {
            context.send(
                .identityUpdates(IdentityBatch(updates: updates, source: context.id)), to: prefecture,
                delay: links.latency(.csToPrefecture).sample(&context.random))
        }
        return person
    }
}
