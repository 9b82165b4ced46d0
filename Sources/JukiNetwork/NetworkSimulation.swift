import JukiCore
import JukiPopulation
import JukiRegister
import JukiSimulation

/// Builds the Juki-net around a municipality, runs it in virtual time and reports: the programmatic API.
///
/// ```swift
/// var configuration = NetworkConfiguration()
/// configuration.municipality.residents = 50_000
/// let simulation = try await NetworkSimulation(configuration)
/// await simulation.run(until: .endOfDay)
/// let report = await simulation.report()
/// ```
public final class NetworkSimulation {
    public let configuration: NetworkConfiguration
    public let layout: NetworkLayout
    let engine: Engine<NetworkMessage>
    let residents: ResidentsNode
    let counters: [CounterNode]
    let registerSystem: RegisterSystemNode
    let municipalCS: MunicipalCSNode
    let cardSystem: CardSystemNode
    let national: NationalServerNode
    let portal: PortalNode
    let applicationManager: ApplicationManagerNode
    /// The home municipality's unified addressee system (団体内統合宛名システム), when the layout has one.
    let unifiedAddressee: UnifiedAddresseeNode?
    /// The intermediate server and the information-sharing network, when the layout has them.
    let intermediateServer: IntermediateServerNode?
    let sharingNetwork: InformationSharingNetworkNode?
    let certificateSystem: CertificateSystemNode
    let counterSupport: CounterSupportNode
    let departments: [DepartmentNode]
    let immigration: ImmigrationServicesAgencyNode
    let familyRegister: FamilyRegisterSystemNode
    let prefectures: [PrefectureServerNode]
    let others: [OtherMunicipalityNode]
    public let counterNames: [String]
    /// Wall-clock seconds spent building the population and network, and the share of it spent generating the
    /// populations (the home municipality and the others).
    public let setupSeconds: Double
    public let populationSeconds: Double

    /// Set-up phases, announced as they start (for progress on a terminal).
    public enum SetupPhase: Sendable, Hashable, CustomStringConvertible {
        /// `residents` is nil for the calibrated size (Fujisawa: 445,283).
        case population(residents: Int?, municipalities: Int)
        case identityFiles
        case keyAgreement
        case nodes

        public var description: String {
            switch self {
            case .population(let residents, let municipalities):
                "generating the population (" + (residents.map { "\($0) residents" } ?? "its calibrated size")
                    + ", and \(municipalities) other municipalities)"
            case .identityFiles: "loading the identity files (CS, prefectures, nation)"
            case .keyAgreement: "agreeing node keys (mutual authentication)"
            case .nodes: "building the nodes"
            }
        }
    }

    /// When to stop.
    public enum Horizon: Sendable {
        /// Midnight after the simulated day: counters close, nightly batches run, messages drain.
        case endOfDay
        case time(SimulatedTime)
    }

    /// Builds the population and the network; `phase` hears each set-up phase as it starts. `populations`, when
    /// they were generated for this configuration's municipality, seed and other municipalities, are used instead
    /// of generating them again (a sensitivity run shares one generation across its cases).
    public init(
        _ configuration: NetworkConfiguration, populations prebuilt: NetworkPopulations? = nil,
        phase: (@Sendable (SetupPhase) -> Void)? = nil
    ) async throws(NetworkError) {
        let clock = WallClock()
        self.configuration = configuration
        let lookahead: Int64
        if configuration.drivenArrivals {
            // The load mode may skip delays: 1 µs keeps every hop ordered without holding real time back.
            lookahead = max(1, configuration.loadQuantum, configuration.links.latencies.map(\.minimum).min() ?? 1)
        } else {
            do {
                lookahead = try configuration.links.lookahead()
            } catch {
                throw NetworkError(field: "links", error.description)
            }
        }
        guard !configuration.counters.isEmpty else {
            throw NetworkError(field: "counters", "a municipality needs at least one counter")
        }
        let home = NetworkPopulations.homeOptions(configuration)
        let generated: NetworkPopulations
        if let prebuilt, prebuilt.fits(configuration) {
            generated = prebuilt
        } else {
            phase?(
                .population(
                    residents: home.residents, municipalities: NetworkPopulations.otherCodes(configuration).count))
            generated = try NetworkPopulations(configuration)
        }
        let fujisawa = generated.home
        let populations = generated.others
        populationSeconds = clock.seconds
        let layout = NetworkLayout(
            counters: configuration.counters.count, others: populations.count,
            departments: configuration.departments.count)
        self.layout = layout
        let date = configuration.date
        let links = configuration.links
        let service = configuration.service
        let seed = configuration.seed
        var faults = FaultPlan(
            faults: configuration.faults, layout: layout,
            homePrefecture: fujisawa.register.municipality.code.prefectureCode)
        faults.storeAndForward = configuration.storeAndForward
        if configuration.mutualAuthentication.enabled { phase?(.keyAgreement) }
        let trust = try Self.trustStore(configuration, layout: layout, others: populations)
        phase?(.identityFiles)

        // The register system's own copy, with room to grow: new residents never copy a column or rehash an index
        // mid-run, and the snapshots other nodes take of the generated columns are never copied on write.
        var homeRegister = fujisawa.register
        homeRegister.reserveCapacity(
            rows: homeRegister.count + homeRegister.count / 8 + 1_024 + configuration.growthHeadroom)
        // The typical mix logs about 0.2 changes and 0.3 field changes a journey (headroom is a tenth of them).
        homeRegister.reserveChangeLog(
            changes: 3 * configuration.growthHeadroom, fields: 4 * configuration.growthHeadroom)
        let files =
            generated.files.flatMap { $0.headroom == configuration.growthHeadroom ? $0 : nil }
            ?? NetworkPopulations.loadIdentityFiles(
                home: fujisawa, others: populations, headroom: configuration.growthHeadroom)
        let csFile = files.cs
        let prefectureFiles = files.prefectures
        let nationalFile = files.national

        phase?(.nodes)
        // Counters and the mapping of towns to counters.
        let towns = fujisawa.register.towns
        var counterOfTown = [UInt8](repeating: 0, count: towns.count)
        for (t, town) in towns.enumerated() {
            if let c = configuration.counters.firstIndex(where: { $0.towns.contains(town.name) }) {
                counterOfTown[t] = UInt8(c)
            } else if let c = configuration.counters.firstIndex(where: { $0.districts.contains(town.district) }) {
                counterOfTown[t] = UInt8(c)
            }
        }
        let columns = fujisawa.register.columns
        let counterOfRow = columns.town.map { counterOfTown[Int($0)] }
        let chomeCounts = towns.map(\.chomeCount)
        counterNames = configuration.counters.map(\.name)

        let nation = Self.nationMoves(configuration, home: fujisawa, others: generated, layout: layout)
        let officeOpening = BusinessCalendar.standard.opening
        let officeClosing = BusinessCalendar.standard.closing
        var residentsBehavior = Residents(
            layout: layout, links: links, workload: configuration.workload, date: date, opening: officeOpening,
            closing: officeClosing, counterOfRow: counterOfRow, codes: columns.residentCode,
            numbers: columns.individualNumber, cardStatus: columns.cardStatus,
            origins: zip(layout.others, zip(populations, files.otherFacts)).map { node, element in
                let register = element.0.register
                return Origin(
                    node: node, residents: register.count,
                    inKanagawa: register.municipality.code.prefectureCode == 14,
                    prefectureCode: register.municipality.code.prefectureCode, codes: register.columns.residentCode,
                    numbers: register.columns.individualNumber, facts: element.1)
            },
            facts: files.homeFacts, householdSizes: fujisawa.register.householdSizes(),
            days: configuration.days, driven: configuration.drivenArrivals,
            saturdayCounter: configuration.counters.firstIndex(where: \.opensSaturdays),
            removedRows: columns.status.indices.compactMap {
                columns.status[$0] == RecordStatus.removed.rawValue ? UInt32($0) : nil
            }, kioskService: configuration.certificates,
            routes: configuration.counters.contains { $0.procedures != nil || $0.hours != nil }
                ? configuration.counters : [])
        residentsBehavior.originWeights = nation.homeOrigins
        residents = ResidentsNode(
            id: layout.residents, behavior: residentsBehavior, seed: seed, lookahead: lookahead, start: 0)
        counters = zip(layout.counters, configuration.counters).map { id, c in
            CounterNode(
                id: id,
                behavior: BranchCounter(
                    name: c.name, clerks: c.clerks, layout: layout, service: service.deskWork(scaledBy: c.deskScale),
                    links: links, date: date,
                    chomeCounts: chomeCounts, faults: faults, closing: configuration.closingPolicy,
                    days: configuration.days, opensSaturdays: c.opensSaturdays, contractors: c.contractors,
                    staffing: StaffStep.steps(
                        c.staffing, breaks: configuration.lunchBreaks, date: date, days: configuration.days,
                        clerks: c.clerks, contractors: c.contractors)),
                seed: seed, lookahead: lookahead, start: 0)
        }
        var registerBehavior = RegisterSystem(
            register: homeRegister, layout: layout, links: links, service: service, date: date,
            allocator: ResidentCodeAllocator(key: home.codeAllocatorKey),
            nextCodeSequence: UInt64(fujisawa.register.count),
            bulkAt: configuration.bulkAssignmentAt, bulkBatchSize: configuration.bulkBatchSize, faults: faults)
        registerBehavior.departments = zip(layout.departments, configuration.departments).map { ($0, $1.numberUse) }
        registerBehavior.retention.at = configuration.removedRecordJobAt
        registerBehavior.retention.days = configuration.days
        registerBehavior.exOfficioSchedule = configuration.exOfficio
        // The rates are Fujisawa's: the same per resident elsewhere.
        let perResident = Double(fujisawa.register.count) / Double(Workload.baseResidents)
        registerBehavior.exOfficioSchedule.removalsPerDay *= perResident
        registerBehavior.exOfficioSchedule.entriesPerDay *= perResident
        registerBehavior.exOfficioSchedule.days = configuration.days
        registerBehavior.retention.removedRecords = configuration.removedRecordRetention
        registerSystem = RegisterSystemNode(
            id: layout.registerSystem, behavior: registerBehavior, seed: seed, lookahead: lookahead, start: 0)
        municipalCS = MunicipalCSNode(
            id: layout.municipalCS,
            behavior: MunicipalCS(
                identityFile: csFile, layout: layout, links: links, service: service,
                prefecture: layout.prefecture(of: fujisawa.register.municipality.code),
                schedule: {
                    var s = BatchSchedule(
                        dayStart: SimulatedTime(date: date).microseconds,
                        consistencyChecks: configuration.consistencyCheck.times(from: date, days: configuration.days),
                        deliveryBatchAt: configuration.deliveryBatchAt, days: configuration.days)
                    s.provisionRetention = configuration.provisionRetention
                    return s
                }(), faults: faults, trust: trust),
            seed: seed, lookahead: lookahead, start: 0)
        // Card states the run will record (issuances, hand-overs, suspensions: about three in ten journeys of the
        // typical mix at most), so the tables never rehash mid-run.
        let cardHeadroom = 3 * configuration.growthHeadroom
        var cardBehavior = CardManagementSystem(
            links: links, service: service, national: layout.nationalServer, faults: faults, trust: trust)
        cardBehavior.reserveCardStates(cardHeadroom)
        cardSystem = CardSystemNode(
            id: layout.cardSystem, behavior: cardBehavior, seed: seed, lookahead: lookahead, start: 0)
        var nationalBehavior = NationalServer(
            identityFile: nationalFile, conversion: NumberConversion(key: home.conversionKey), links: links,
            service: service, homeCS: layout.municipalCS,
            homePrefecture: layout.prefecture(of: fujisawa.register.municipality.code), faults: faults,
            trust: trust)
        nationalBehavior.reserveCardStates(cardHeadroom)
        national = NationalServerNode(
            id: layout.nationalServer, behavior: nationalBehavior, seed: seed, lookahead: lookahead, start: 0)
        portal = PortalNode(
            id: layout.mynaPortal, behavior: MynaPortal(layout: layout, links: links), seed: seed, lookahead: lookahead,
            start: 0)
        applicationManager = ApplicationManagerNode(
            id: layout.applicationManager,
            behavior: ApplicationManager(
                layout: layout, links: links, calendar: .standard,
                spans: SpanLog(configuration.service)), seed: seed,
            lookahead: lookahead, start: 0)
        prefectures = layout.prefectures.enumerated().map { i, id in
            PrefectureServerNode(
                id: id,
                behavior: PrefectureServer(
                    prefectureCode: i + 1, identityFile: prefectureFiles[i], national: layout.nationalServer,
                    links: links, service: service, faults: faults, trust: trust),
                seed: seed, lookahead: lookahead, start: 0)
        }
        others = zip(layout.others, zip(populations, files.others)).enumerated().map { index, element in
            let (id, pair) = element
            let file = pair.1
            return OtherMunicipalityNode(
                id: id,
                behavior: OtherMunicipality(
                    register: pair.0.register, identityFile: file, links: links, service: service,
                    prefecture: layout.prefecture(of: pair.0.register.municipality.code), date: date,
                    homeCS: layout.municipalCS, homeCounters: layout.counters,
                    homeApplicationManager: layout.applicationManager,
                    localEvents: configuration.otherMunicipalityEvents
                        ? {
                            var local = LocalEvents(
                                allocator: ResidentCodeAllocator(key: home.codeAllocatorKey),
                                conversion: NumberConversion(key: home.conversionKey),
                                nextCodeSequence: generated.otherMembers[index].codeSequenceBase
                                    + UInt64(pair.0.register.count))
                            local.days = configuration.days
                            return local
                        }() : nil,
                    wideArea: WideAreaRequests(
                        perDay: configuration.workload.wideAreaRequestsPerDay / Double(max(layout.others.count, 1)),
                        homeResidents: fujisawa.register.count, days: configuration.days),
                    faults: faults, trust: trust,
                    counter: configuration.nation.map { _ in
                        LocalCounter(clerks: NationScope.clerks(residents: pair.0.register.count))
                    },
                    moves: nation.moves.indices.contains(index) ? nation.moves[index] : nil),
                seed: seed, lookahead: lookahead, start: 0)
        }
        var all: [any WindowRunner<NetworkMessage>] = [residents]
        all += counters as [any WindowRunner<NetworkMessage>]
        all +=
            [registerSystem, municipalCS, cardSystem, national, portal, applicationManager]
            as [any WindowRunner<NetworkMessage>]
        all += prefectures as [any WindowRunner<NetworkMessage>]
        all += others as [any WindowRunner<NetworkMessage>]
        let lan = links.latency(.registerToCS).minimum
        if let id = layout.unifiedAddressee {
            let node = UnifiedAddresseeNode(
                // The generated register, not the register system's copy: sharing that one would make the register
                // system copy every column on its first change.
                id: id,
                behavior: UnifiedAddresseeSystem(
                    register: fujisawa.register, service: service, intermediateServer: layout.intermediateServer,
                    copyDelay: lan),
                seed: seed, lookahead: lookahead, start: 0)
            unifiedAddressee = node
            all.append(node)
        } else {
            unifiedAddressee = nil
        }
        // The permits' and codes' key: the network's secret, from the run's seed.
        let sharingKey = Mixing.fmix64(seed ^ 0x1A2B_3C4D_5E6F_7081)
        if let id = layout.intermediateServer {
            let node = IntermediateServerNode(
                id: id,
                behavior: IntermediateServer(
                    register: fujisawa.register, sharing: configuration.informationSharing, key: sharingKey,
                    unifiedAddressee: layout.unifiedAddressee, network: layout.informationSharingNetwork,
                    networkLatency: links.latency(.informationSharing)),
                seed: seed, lookahead: lookahead, start: 0)
            intermediateServer = node
            all.append(node)
        } else {
            intermediateServer = nil
        }
        if let id = layout.informationSharingNetwork {
            let begin = SimulatedTime(date: date).microseconds
            let end = begin + Int64(max(configuration.days, 1)) * SimulatedTime.microsecondsPerDay
            let node = InformationSharingNetworkNode(
                id: id,
                behavior: InformationSharingNetwork(
                    municipality: fujisawa.register.municipality.code, initialPersons: fujisawa.register.count,
                    sharing: configuration.informationSharing, key: sharingKey,
                    intermediateServer: layout.intermediateServer, latency: links.latency(.informationSharing),
                    begin: begin, end: end),
                seed: seed, lookahead: lookahead, start: 0)
            sharingNetwork = node
            all.append(node)
        } else {
            sharingNetwork = nil
        }
        certificateSystem = CertificateSystemNode(
            id: layout.certificateSystem,
            behavior: CertificateSystem(layout: layout, links: links, service: configuration.certificates), seed: seed,
            lookahead: lookahead, start: 0)
        all.append(certificateSystem)
        counterSupport = CounterSupportNode(
            id: layout.counterSupport,
            behavior: CounterSupport(layout: layout, links: links, service: configuration.service.counterSupport),
            seed: seed, lookahead: lookahead, start: 0)
        all.append(counterSupport)
        departments = zip(layout.departments, configuration.departments).enumerated().map { k, pair in
            DepartmentNode(
                id: pair.0,
                behavior: Department(
                    spec: pair.1, index: k, layout: layout, register: fujisawa.register, service: service,
                    links: links, begin: SimulatedTime(date: date).microseconds, days: configuration.days),
                seed: seed, lookahead: lookahead, start: 0)
        }
        all += departments as [any WindowRunner<NetworkMessage>]
        immigration = ImmigrationServicesAgencyNode(
            id: layout.immigration,
            behavior: ImmigrationServicesAgency(
                register: fujisawa.register, registerSystem: layout.registerSystem, links: links, date: date,
                days: configuration.days, configuration: configuration.immigration),
            seed: seed, lookahead: lookahead, start: 0)
        all.append(immigration)
        familyRegister = FamilyRegisterSystemNode(
            id: layout.familyRegister,
            behavior: FamilyRegisterSystem(
                register: fujisawa.register, registerSystem: layout.registerSystem, links: links, date: date,
                days: configuration.days, configuration: configuration.familyRegister),
            seed: seed, lookahead: lookahead, start: 0)
        all.append(familyRegister)
        do {
            engine = try Engine(nodes: all, lookahead: lookahead, fanOutThreshold: configuration.fanOutThreshold)
        } catch {
            throw NetworkError(field: "network", error.description)
        }
        setupSeconds = clock.seconds
    }

    /// The Juki-net's trust store: every CS, prefecture server, the national server and the card system, with
    /// the configuration's revoked and misconfigured nodes (each name must be one of them).
    static func trustStore(
        _ configuration: NetworkConfiguration, layout: NetworkLayout, others: [Population]
    ) throws(NetworkError) -> TrustStore {
        let auth = configuration.mutualAuthentication
        guard auth.enabled else { return .none }
        var names: [String: NodeID] = [
            "municipalCS": layout.municipalCS, "nationalServer": layout.nationalServer,
            "cardManagementSystem": layout.cardSystem,
        ]
        for (i, p) in layout.prefectures.enumerated() { names["prefectureServer.\(i + 1)"] = p }
        for (id, p) in zip(layout.others, others) { names["municipality.\(p.register.municipality.code)"] = id }
        func resolve(_ list: [String], _ field: String) throws(NetworkError) -> Set<NodeID> {
            var result: Set<NodeID> = []
            for name in list {
                guard let id = names[name] else {
                    throw NetworkError(
                        field: "security.\(field)",
                        "'\(name)' is no Juki-net node: name \(AuthenticationConfiguration.nodeNames)")
                }
                result.insert(id)
            }
            return result
        }
        return TrustStore(
            nodes: names.values.sorted(), seed: configuration.seed,
            revoked: try resolve(auth.revoked, "revokedNodes"),
            misconfigured: try resolve(auth.misconfigured, "misconfiguredNodes"))
    }

    /// Simulated midnight at the start of the configured day.
    public var dayStart: SimulatedTime { SimulatedTime(date: configuration.date) }

    /// Runs until `horizon`; `progress` hears (simulated time, events handled) now and then.
    public func run(until horizon: Horizon = .endOfDay, progress: ((SimulatedTime, UInt64) -> Void)? = nil) async {
        let end: Int64
        switch horizon {
        case .endOfDay: end = dayStart.microseconds + SimulatedTime.microsecondsPerDay
        case .time(let t): end = t.microseconds
        }
        if let progress {
            await engine.run(until: end) { t, handled in progress(SimulatedTime(microseconds: t), handled) }
        } else {
            await engine.run(until: end)
        }
    }

    /// The engine's counters so far.
    public var engineReport: EngineReport { engine.report }

    /// The load mode: every node reads `wall` to timestamp completions.
    public func useWallTime(_ wall: WallTime) async {
        await residents.useWallTime(wall)
        for c in counters { await c.useWallTime(wall) }
        await registerSystem.useWallTime(wall)
        await municipalCS.useWallTime(wall)
        await cardSystem.useWallTime(wall)
        await national.useWallTime(wall)
        await portal.useWallTime(wall)
        await applicationManager.useWallTime(wall)
        for p in prefectures { await p.useWallTime(wall) }
        for o in others { await o.useWallTime(wall) }
        await unifiedAddressee?.useWallTime(wall)
        await intermediateServer?.useWallTime(wall)
        await sharingNetwork?.useWallTime(wall)
        await certificateSystem.useWallTime(wall)
        await counterSupport.useWallTime(wall)
        for d in departments { await d.useWallTime(wall) }
        await immigration.useWallTime(wall)
        await familyRegister.useWallTime(wall)
    }

    /// The load mode's arrivals: each journey of `flows` starts at `time` and counts from its intended start.
    public func inject(_ arrivals: [(flow: Flow, intended: Int64)], at time: Int64) {
        engine.inject(
            arrivals.enumerated().map { k, a in
                Envelope(
                    destination: layout.residents,
                    event: Event(
                        time: time, source: NodeID.max, sequence: UInt64(k),
                        message: .timer(.residents(.drivenArrival(a.flow, intended: a.intended)))))
            })
    }

    /// A visit decided at a training desk (`jukisim train`): a journey of `flow` at counter `counter`, arriving at
    /// `time` (µs), whose visitor carries `failure` where the visit can (a card not brought, expired, suspended or
    /// revoked, a PIN failure, certificate data missing, the deadline passed) and is otherwise in order.
    public func injectTrainingVisit(_ flow: Flow, counter: Int, failure: FailureReason, at time: Int64) {
        engine.inject([
            Envelope(
                destination: layout.residents,
                event: Event(
                    time: time, source: NodeID.max, sequence: 0,
                    message: .timer(
                        .residents(.trainingArrival(flow, counter: UInt16(clamping: counter), failure: failure)))))
        ])
    }

    /// Journeys in progress at each counter (waiting, at the desk or in the systems), in the configuration's order.
    public func counterLoads() async -> [Int] {
        var loads: [Int] = []
        for c in counters { loads.append(await c.journeyCounts().inProgress) }
        return loads
    }

    /// Counter `index`'s journey counts and latencies by flow (indexed by the flow's raw value).
    public func counterStats(_ index: Int) async -> [JourneyStats] {
        guard counters.indices.contains(index) else { return [] }
        return await counters[index].journeyStats()
    }

    /// Runs every event before `time` (µs), for the load mode's loop.
    public func run(before time: Int64) async { await engine.run(until: time) }

    /// Journeys still at the counters.
    public func countersInProgress() async -> Int { await counterJourneys().inProgress }

    /// Journeys in progress at the counters and journeys they have started, read inside each actor.
    public func counterJourneys() async -> (inProgress: Int, started: Int) {
        var total = (inProgress: 0, started: 0)
        for c in counters {
            let n = await c.journeyCounts()
            total.inProgress += n.inProgress
            total.started += n.started
        }
        return total
    }

    /// Journey counts and latencies so far, merged over the counters.
    public func journeyStats() async -> [Flow: JourneyStats] {
        var result: [Flow: JourneyStats] = [:]
        for c in counters {
            let stats = await c.journeyStats()
            for f in Flow.allCases where stats[Int(f.rawValue)].started > 0 {
                result[f, default: JourneyStats()].merge(stats[Int(f.rawValue)])
            }
        }
        return result
    }

    /// Whether nothing is pending anywhere.
    public var isIdle: Bool { engine.isIdle }
}

extension NetworkSimulation {
    /// In a nationwide network, each other municipality's moves to the others (in layout order), and the others'
    /// weights as origins of the home's move-ins; nothing otherwise. The home is left out as a destination: its
    /// move-ins come from its own workload, from origins drawn by the same model.
    static func nationMoves(
        _ configuration: NetworkConfiguration, home: Population, others: NetworkPopulations, layout: NetworkLayout
    ) -> (moves: [NationMoves], homeOrigins: [Double]) {
        guard configuration.nation != nil else { return ([], []) }
        let homeEntry = MunicipalityDirectory.entry(home.register.municipality.code)
        let members = others.otherMembers.map(\.municipality) + (homeEntry.map { [$0] } ?? [])
        let model = MigrationModel(members: members)
        let excluded: Set<Int> = homeEntry == nil ? [] : [members.count - 1]
        let destinations = layout.others + (homeEntry == nil ? [] : [layout.municipalCS])
        let homeOrigins =
            homeEntry == nil
            ? [] : Array(model.origins(of: members.count - 1).prefix(others.otherMembers.count))
        let moves = others.otherMembers.indices.map { i in
            NationMoves(
                perResidentPerYear: model.outflow(of: i, excluding: excluded)
                    / Double(max(members[i].population, 1)),
                destinations: destinations, cumulative: model.destinations(of: i, excluding: excluded),
                workload: configuration.workload)
        }
        return (moves, homeOrigins)
    }
}

/// The generated registers a network is built on: the home municipality's and the light other municipalities'.
public struct NetworkPopulations: Sendable {
    public let home: Population
    public let others: [Population]
    /// Each other municipality's place, in the order of `others`: its size and its block of resident codes.
    public let otherMembers: [NationalPopulation.Member]
    /// What the generation depended on: a configuration with the same key gets the same populations.
    let key: Key
    /// The identity files loaded from the registers, when ``loadingIdentityFiles(headroom:)`` loaded them.
    var files: IdentityFiles?

    /// Every node's identity file as loaded from the generated registers, before the run changes any.
    struct IdentityFiles: Sendable {
        var cs: IdentityFile
        /// By prefecture code − 1.
        var prefectures: [IdentityFile]
        var national: IdentityFile
        /// Each light municipality's CS, in the order of `others`.
        var others: [IdentityFile]
        /// The basic-facts keys of every row of the home register and of each light municipality's (from the
        /// initial identity updates): what residents' searches by 4情報 give.
        var homeFacts: [BasicFactsKeys]
        var otherFacts: [[BasicFactsKeys]]
        var headroom: Int
    }

    /// These populations with their identity files loaded, so every network built on them starts from copies of
    /// the files instead of loading them again (the larger part of set-up once the population is generated).
    public func loadingIdentityFiles(headroom: Int = 0) -> NetworkPopulations {
        var copy = self
        copy.files = Self.loadIdentityFiles(home: home, others: others, headroom: headroom)
        return copy
    }

    /// Identity files: the CS's, each prefecture's, the nation's and the light municipalities' CSs'. The CS, the
    /// prefecture servers and the national server index numbers and basic facts (searches at every scope, 別添1
    /// 2.4-①, and queries to J-LIS, 2.5-①), each file sorted once over all the registers it holds.
    static func loadIdentityFiles(home: Population, others: [Population], headroom: Int) -> IdentityFiles {
        let homeUpdates = home.register.initialIdentityUpdates()
        let otherUpdates = others.map { $0.register.initialIdentityUpdates() }
        // One base for every file: each keeps only what changes during the run (docs/scale.md, "Identity copies").
        let base = IdentityBase(parts: [homeUpdates] + otherUpdates)
        let homeCode = home.register.municipality.code
        let csFile = IdentityFile(
            base: base, scope: .municipality(homeCode), indexingNumbers: true, indexingFacts: true, headroom: headroom)
        let homePrefecture = homeCode.prefectureCode - 1
        let prefectureFiles = (0..<47).map { i in
            IdentityFile(
                base: base, scope: .prefecture(i + 1), indexingNumbers: true, indexingFacts: true,
                headroom: i == homePrefecture ? headroom : 0)
        }
        let nationalFile = IdentityFile(
            base: base, scope: .nation, indexingNumbers: true, indexingFacts: true, headroom: headroom)
        let otherFiles = others.map { IdentityFile(base: base, scope: .municipality($0.register.municipality.code)) }
        return IdentityFiles(
            cs: csFile, prefectures: prefectureFiles, national: nationalFile, others: otherFiles,
            homeFacts: homeUpdates.map(\.facts), otherFacts: otherUpdates.map { $0.map(\.facts) }, headroom: headroom)
    }

    struct Key: Hashable, Sendable {
        var home: PopulationOptions
        var others: [MunicipalityCode]
        var otherResidents: Int
        var nation: NationScope?
    }

    /// Generates the populations `configuration` describes.
    public init(_ configuration: NetworkConfiguration) throws(NetworkError) {
        let home = Self.homeOptions(configuration)
        let keySeed = home.keySeed ?? home.seed
        let members = try Self.otherMembers(configuration)
        var others: [Population] = []
        do {
            self.home = try PopulationGenerator.generate(home)
            if configuration.nation != nil {
                // Each municipality on its own seed, on every thread: the same registers on any number of them.
                others = try NationalPopulation.generate(members, seed: keySeed, jobs: max(home.jobs, 1)).populations
            } else {
                for (i, member) in members.enumerated() {
                    var options = PopulationOptions(
                        municipality: member.municipality.code, residents: member.residents,
                        seed: home.seed &+ UInt64(i + 1), jobs: home.jobs, undesignatedShare: 0,
                        codeSequenceBase: member.codeSequenceBase)
                    options.keySeed = keySeed
                    others.append(try PopulationGenerator.generate(options))
                }
            }
        } catch {
            throw NetworkError(field: "population", error.description)
        }
        self.others = others
        otherMembers = members
        key = Self.key(configuration)
    }

    /// The other municipalities `configuration` models, in layout order, each with its size and code block. The
    /// light set (``NetworkConfiguration/otherMunicipalities``) has `otherResidents` each and blocks of 10^7 from
    /// 10^7 on; a nationwide one (``NetworkConfiguration/nation``) has every municipality of its prefectures but the
    /// home, in code order, each at its population times the scale, with blocks by size
    /// (``NationalPopulation/blockSize(residents:)``) after the home's.
    static func otherMembers(_ configuration: NetworkConfiguration) throws(NetworkError) -> [NationalPopulation.Member]
    {
        guard let nation = configuration.nation else {
            return otherCodes(configuration).enumerated().compactMap { i, code in
                MunicipalityDirectory.entry(code).map {
                    NationalPopulation.Member(
                        municipality: $0, residents: configuration.otherResidents,
                        codeSequenceBase: UInt64(i + 1) * 10_000_000, blockSize: 10_000_000)
                }
            }
        }
        let plan: [NationalPopulation.Member]
        do {
            plan = try NationalPopulation.plan(
                prefectures: nation.prefectures.isEmpty ? nil : nation.prefectures, scale: nation.scale)
        } catch {
            throw NetworkError(field: "nation.\(error.field)", error.message)
        }
        let homeCode = configuration.municipality.municipality
        var base = NationalPopulation.blockSize(residents: configuration.municipality.residentCount)
        var members: [NationalPopulation.Member] = []
        for var m in plan where m.municipality.code != homeCode {
            m.codeSequenceBase = base
            base += m.blockSize
            members.append(m)
        }
        guard base <= ResidentCode.bodySpace else {
            throw NetworkError(
                field: "nation.scale", "the code blocks need \(base) codes, more than the 10^10 there are")
        }
        return members
    }

    /// Whether these populations are the ones `configuration` would generate.
    public func fits(_ configuration: NetworkConfiguration) -> Bool { key == Self.key(configuration) }

    static func key(_ configuration: NetworkConfiguration) -> Key {
        var home = homeOptions(configuration)
        // Threads change the speed of generation, never its output.
        home.jobs = 0
        return Key(
            home: home, others: otherCodes(configuration), otherResidents: configuration.otherResidents,
            nation: configuration.nation)
    }

    static func homeOptions(_ configuration: NetworkConfiguration) -> PopulationOptions {
        var home = configuration.municipality
        home.codeSequenceBase = 0
        return home
    }

    /// A home municipality that is also one of the light ones is modelled once, as the home (twice, its codes and
    /// identity-file lines would collide: found by the model fuzzer with Sapporo as home).
    static func otherCodes(_ configuration: NetworkConfiguration) -> [MunicipalityCode] {
        if let nation = configuration.nation {
            return MunicipalityDirectory.all.filter {
                (nation.prefectures.isEmpty || nation.prefectures.contains($0.prefectureCode))
                    && $0.code != configuration.municipality.municipality
            }.map(\.code)
        }
        return configuration.otherMunicipalities.filter { $0 != configuration.municipality.municipality }
    }
}

/// A network could not be built: names the part and the rule.
public struct NetworkError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "network: \(field): \(message)" }
}

extension NetworkSimulation {
    /// The home municipality's register as it is now.
    public func homeRegister() async -> ResidentRegister { await registerSystem.register() }

    /// The other municipalities' registers as they are now, in configuration order.
    public func otherRegisters() async -> [ResidentRegister] {
        var result: [ResidentRegister] = []
        for o in others { result.append(await o.register()) }
        return result
    }

    /// The national server's copy of identity records.
    public func nationalIdentityFile() async -> IdentityFile { await national.identityFile() }

    /// The card management system's state.
    public func cardManagementSystem() async -> CardManagementSystem { await cardSystem.cardManagementSystem() }

    /// The home municipal CS's identity file.
    public func csIdentityFile() async -> IdentityFile { await municipalCS.identityFile() }
}
