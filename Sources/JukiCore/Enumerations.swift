/// Sex as the register records it (Juki-net codes: 1 male, 2 female).
public enum Sex: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case male = 1
    case female = 2

    public var description: String { self == .male ? "male" : "female" }
    /// The register's Japanese label.
    public var japanese: String { self == .male ? "男" : "女" }
}

/// A member's relation to the head of the household (続柄).
public enum Relationship: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case head = 0
    case wife
    case husband
    case child
    case father
    case mother
    case grandchild
    case childsSpouse
    case sibling
    case grandparent
    case otherRelative
    case cohabitant

    public var description: String {
        switch self {
        case .head: "head"
        case .wife: "wife"
        case .husband: "husband"
        case .child: "child"
        case .father: "father"
        case .mother: "mother"
        case .grandchild: "grandchild"
        case .childsSpouse: "childsSpouse"
        case .sibling: "sibling"
        case .grandparent: "grandparent"
        case .otherRelative: "otherRelative"
        case .cohabitant: "cohabitant"
        }
    }

    /// The register's Japanese label.
    public var japanese: String {
        switch self {
        case .head: "世帯主"
        case .wife: "妻"
        case .husband: "夫"
        case .child: "子"
        case .father: "父"
        case .mother: "母"
        case .grandchild: "孫"
        case .childsSpouse: "子の配偶者"
        case .sibling: "兄弟姉妹"
        case .grandparent: "祖父母"
        case .otherRelative: "縁故者"
        case .cohabitant: "同居人"
        }
    }
}

/// Whether a record is current or kept after removal (除票).
public enum RecordStatus: UInt8, Sendable, Hashable, CustomStringConvertible {
    case active = 0
    /// Removed (除票): kept 150 years and still findable.
    case removed = 1
    /// A removed record past its retention: personal fields cleared; the resident code and individual number
    /// stay as a tombstone so neither is ever issued again.
    case expunged = 2

    public var description: String {
        switch self {
        case .active: "active"
        case .removed: "removed"
        case .expunged: "expunged"
        }
    }
}

/// The state of a person's My Number card (個人番号カード).
public enum CardStatus: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case none = 0
    case issued
    case suspended
    case revoked
    case expired
    /// Given back to the municipality (返還), or collected by it (回収).
    case returned
    /// Lapsed (失効): not continued within the window after a move-in, or its holder moved again first. A card
    /// event of its own, distinct from a return (別添1 2.8-①).
    case lapsed

    public var description: String {
        switch self {
        case .none: "none"
        case .issued: "issued"
        case .suspended: "suspended"
        case .revoked: "revoked"
        case .expired: "expired"
        case .returned: "returned"
        case .lapsed: "lapsed"
        }
    }
}

/// Why a record changed (異動事由).
public enum ChangeReason: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case moveIn = 1
    case specialMoveIn
    case moveOut
    case relocation
    case birth
    case death
    case exOfficioEntry
    case exOfficioAmendment
    case exOfficioRemoval
    case amendment
    case numberDesignation
    case numberChange
    case residentCodeChange
    case householdChange
    case headChange
    case cardChange

    /// Reasons that create a record (記載).
    public var isEntry: Bool { [.moveIn, .specialMoveIn, .birth, .exOfficioEntry].contains(self) }
    /// Reasons that remove a record (消除).
    public var isRemoval: Bool { [.moveOut, .death, .exOfficioRemoval].contains(self) }
    /// Reasons that amend a record in place (修正).
    public var isAmendment: Bool { [.amendment, .exOfficioAmendment, .cardChange].contains(self) }

    public var description: String {
        switch self {
        case .moveIn: "moveIn"
        case .specialMoveIn: "specialMoveIn"
        case .moveOut: "moveOut"
        case .relocation: "relocation"
        case .birth: "birth"
        case .death: "death"
        case .exOfficioEntry: "exOfficioEntry"
        case .exOfficioAmendment: "exOfficioAmendment"
        case .exOfficioRemoval: "exOfficioRemoval"
        case .amendment: "amendment"
        case .numberDesignation: "numberDesignation"
        case .numberChange: "numberChange"
        case .residentCodeChange: "residentCodeChange"
        case .householdChange: "householdChange"
        case .headChange: "headChange"
        case .cardChange: "cardChange"
        }
    }

    /// The register's Japanese label.
    public var japanese: String {
        switch self {
        case .moveIn: "転入"
        case .specialMoveIn: "特例転入"
        case .moveOut: "転出"
        case .relocation: "転居"
        case .birth: "出生"
        case .death: "死亡"
        case .exOfficioEntry: "職権記載"
        case .exOfficioAmendment: "職権修正"
        case .exOfficioRemoval: "職権消除"
        case .amendment: "修正"
        case .numberDesignation: "個人番号指定"
        case .numberChange: "個人番号変更"
        case .residentCodeChange: "住民票コード変更"
        case .householdChange: "世帯変更"
        case .headChange: "世帯主変更"
        case .cardChange: "カード状態変更"
        }
    }
}

/// An operator's ID (職員 / 操作者); batch work uses a dedicated ID.
public struct OperatorID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var rawValue: UInt32
    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    /// The ID recorded for automated batch work.
    public static let batch = OperatorID(0)
    public var description: String { "OP" + DecimalDigits.format(UInt64(rawValue), width: 5) }
    public static func < (l: Self, r: Self) -> Bool { l.rawValue < r.rawValue }
}

/// A terminal's ID (統合端末).
public struct TerminalID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var rawValue: UInt32
    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    /// The ID recorded for server-side batch work.
    public static let server = TerminalID(0)
    public var description: String { "T" + DecimalDigits.format(UInt64(rawValue), width: 5) }
    public static func < (l: Self, r: Self) -> Bool { l.rawValue < r.rawValue }
}
