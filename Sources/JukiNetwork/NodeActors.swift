import JukiRegister
import JukiSimulation

// One concrete actor per behaviour. Each is a declaration: ``BehaviorNode``'s default implementations do the
// work, specialised here for the behaviour, so the engine's calls run without generic dispatch (measured: generic
// metadata lookups took a fifth of the load mode's time with `Node<Behavior>`). The few accessors below hand out
// single parts, so a caller never copies a whole behaviour out of its actor.

/// The residents' actor.
public actor ResidentsNode: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<Residents>
    public init(id: NodeID, core: NodeCore<Residents>) {
        self.id = id
        self.core = core
    }
}

/// A branch counter's actor.
public actor CounterNode: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<BranchCounter>
    public init(id: NodeID, core: NodeCore<BranchCounter>) {
        self.id = id
        self.core = core
    }

    /// Journeys in progress and started, counted in place (no copy of the counter's state leaves the actor).
    public func journeyCounts() -> (inProgress: Int, started: Int) {
        (core.behavior.inProgress, core.behavior.stats.reduce(0) { $0 + $1.started })
    }

    /// Journey counts and latencies by flow (indexed by the flow's raw value).
    public func journeyStats() -> [JourneyStats] { core.behavior.stats }

    /// The counter's own figures over `period`, without its spans (the planner's many runs read only these).
    public func counterReport(_ period: ReportPeriod) -> CounterReport { core.behavior.counterReport(period) }
}

/// The register system's actor.
public actor RegisterSystemNode: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<RegisterSystem>
    public init(id: NodeID, core: NodeCore<RegisterSystem>) {
        self.id = id
        self.core = core
    }

    /// Its register as it is now.
    public func register() -> ResidentRegister { core.behavior.register }
}

/// The municipal CS's actor.
public actor MunicipalCSNode: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<MunicipalCS>
    public init(id: NodeID, core: NodeCore<MunicipalCS>) {
        self.id = id
        self.core = core
    }

    /// Its copy of identity records, for the cross-node check of pending updates (copy-on-write: shared until the
    /// node changes it).
    public func identityFile() -> IdentityFile { core.behavior.identityFile }
}

/// The card management system's actor.
public actor CardSystemNode: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<CardManagementSystem>
    public init(id: NodeID, core: NodeCore<CardManagementSystem>) {
        self.id = id
        self.core = core
    }

    /// The card management system's state, for tests that look at single cards.
    public func cardManagementSystem() -> CardManagementSystem { core.behavior }
}

/// The national server's actor.
public actor NationalServerNode: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<NationalServer>
    public init(id: NodeID, core: NodeCore<NationalServer>) {
        self.id = id
        self.core = core
    }

    /// Its copy of identity records, for the cross-node check of pending updates (copy-on-write: shared until the
    /// node changes it).
    public func identityFile() -> IdentityFile { core.behavior.identityFile }
}

/// Myna Portal's actor.
public actor PortalNode: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<MynaPortal>
    public init(id: NodeID, core: NodeCore<MynaPortal>) {
        self.id = id
        self.core = core
    }
}

/// The application manager's actor.
public actor ApplicationManagerNode: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<ApplicationManager>
    public init(id: NodeID, core: NodeCore<ApplicationManager>) {
        self.id = id
        self.core = core
    }
}

/// A prefecture server's actor.
public actor PrefectureServerNode: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<PrefectureServer>
    public init(id: NodeID, core: NodeCore<PrefectureServer>) {
        self.id = id
        self.core = core
    }

    /// Its copy of identity records, for the cross-node check of pending updates (copy-on-write: shared until the
    /// node changes it).
    public func identityFile() -> IdentityFile { core.behavior.identityFile }
}

/// The unified addressee system's actor.
public actor UnifiedAddresseeNode: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<UnifiedAddresseeSystem>
    public init(id: NodeID, core: NodeCore<UnifiedAddresseeSystem>) {
        self.id = id
        self.core = core
    }
}

/// The intermediate server's actor.
public actor IntermediateServerNode: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<IntermediateServer>
    public init(id: NodeID, core: NodeCore<IntermediateServer>) {
        self.id = id
        self.core = core
    }
}

/// The information-sharing network's actor.
public actor InformationSharingNetworkNode: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<InformationSharingNetwork>
    public init(id: NodeID, core: NodeCore<InformationSharingNetwork>) {
        self.id = id
        self.core = core
    }
}

/// The certificate system's actor.
public actor CertificateSystemNode: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<CertificateSystem>
    public init(id: NodeID, core: NodeCore<CertificateSystem>) {
        self.id = id
        self.core = core
    }
}

/// The counter support system's actor.
public actor CounterSupportNode: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<CounterSupport>
    public init(id: NodeID, core: NodeCore<CounterSupport>) {
        self.id = id
        self.core = core
    }
}

/// A department's actor.
public actor DepartmentNode: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<Department>
    public init(id: NodeID, core: NodeCore<Department>) {
        self.id = id
        self.core = core
    }
}

/// The Immigration Services Agency's actor.
public actor ImmigrationServicesAgencyNode: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<ImmigrationServicesAgency>
    public init(id: NodeID, core: NodeCore<ImmigrationServicesAgency>) {
        self.id = id
        self.core = core
    }
}

/// The family-register system's actor.
public actor FamilyRegisterSystemNode: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<FamilyRegisterSystem>
    public init(id: NodeID, core: NodeCore<FamilyRegisterSystem>) {
        self.id = id
        self.core = core
    }
}

/// Another municipality's actor.
public actor OtherMunicipalityNode: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<OtherMunicipality>
    public init(id: NodeID, core: NodeCore<OtherMunicipality>) {
        self.id = id
        self.core = core
    }

    /// Its copy of identity records, for the cross-node check of pending updates (copy-on-write: shared until the
    /// node changes it).
    public func identityFile() -> IdentityFile { core.behavior.identityFile }

    /// Its register as it is now.
    public func register() -> ResidentRegister { core.behavior.register }
}
