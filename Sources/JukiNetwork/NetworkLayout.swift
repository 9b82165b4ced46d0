import JukiCore
import JukiSimulation

/// Which node id plays which role.
public struct NetworkLayout: Sendable, Hashable {
    public var residents: NodeID = 0
    public var counters: [NodeID]
    public var registerSystem: NodeID
    public var municipalCS: NodeID
    public var cardSystem: NodeID
    public var nationalServer: NodeID
    public var mynaPortal: NodeID
    public var applicationManager: NodeID
    /// Prefecture servers by prefecture code − 1 (47).
    public var prefectures: [NodeID]
    /// Other municipalities (register + CS each), in the order of ``NetworkConfiguration/otherMunicipalities``.
    public var others: [NodeID]
    /// The home municipality's unified addressee system (団体内統合宛名システム): after the others, so the ids (and the
    /// random streams) of the nodes before it are what they were before it existed. Nil in layouts without it.
    public var unifiedAddressee: NodeID?
    /// The intermediate server (中間サーバ) and the information-sharing network (情報提供ネットワークシステム): last, for
    /// the same reason. Nil in layouts without them.
    public var intermediateServer: NodeID?
    public var informationSharingNetwork: NodeID?
    /// The certificate system (証明交付システム): last, for the same reason.
    public var certificateSystem: NodeID
    /// The counter support system (窓口業務支援システム): last, for the same reason.
    public var counterSupport: NodeID
    /// The departments the register's information is transferred to (庁内連携, 別添5): last, for the same reason.
    public var departments: [NodeID]
    /// The Immigration Services Agency (出入国在留管理庁, for the Minister of Justice): last, for the same reason.
    public var immigration: NodeID
    /// The family-register system (戸籍情報システム): last, for the same reason.
    public var familyRegister: NodeID
    public var nodeCount: Int

    public init(counters: Int, others: Int, departments: Int = DepartmentSpec.fujisawa.count) {
        var next: NodeID = 1
        func take(_ n: Int) -> [NodeID] {
            defer { next += NodeID(n) }
            return (0..<n).map { next + NodeID($0) }
        }
        self.counters = take(counters)
        registerSystem = take(1)[0]
        municipalCS = take(1)[0]
        cardSystem = take(1)[0]
        nationalServer = take(1)[0]
        mynaPortal = take(1)[0]
        applicationManager = take(1)[0]
        prefectures = take(47)
        self.others = take(others)
        unifiedAddressee = take(1)[0]
        intermediateServer = take(1)[0]
        informationSharingNetwork = take(1)[0]
        certificateSystem = take(1)[0]
        counterSupport = take(1)[0]
        self.departments = take(departments)
        immigration = take(1)[0]
        familyRegister = take(1)[0]
        nodeCount = Int(next)
    }

    /// The prefecture server of a municipality.
    public func prefecture(of code: MunicipalityCode) -> NodeID {
        prefectures[min(max(code.prefectureCode, 1), 47) - 1]
    }
}
