import JukiCore
import JukiRegister
import JukiSimulation

/// An item (項) of the table under which Fujisawa's mayor provides resident-register information (住民票関係情報) through
/// the information-sharing network: 番号法第19条第8号 and the 主務省令第2条表 rows whose provider (第三欄) is the mayor and
/// whose information (第四欄) includes 住民票関係情報 (I 6 ②, L77; 別添4). Each row names one requesting body (第一欄) and
/// one purpose (第二欄), so a request is permitted only for its own row's requester.
public struct ProvisionItem: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The row's number in the table (項).
    public var number: UInt16

    public init(_ number: UInt16) { self.number = number }

    public static func < (a: ProvisionItem, b: ProvisionItem) -> Bool { a.number < b.number }

    public var description: String { "\(number)項" }

    /// The rows the seed lists for the resident-register work (I 6 ② as revised 令和6年12月10日, L77): 58 rows.
    public static let residentRegisterRows: [ProvisionItem] = [
        1, 2, 3, 5, 7, 11, 13, 20, 28, 37, 39, 48, 53, 57, 58, 59, 63, 65, 66, 69, 73, 75, 76, 81, 83, 84, 86, 87, 91,
        92, 96, 106, 108, 110, 112, 117, 118, 124, 129, 130, 132, 137, 138, 141, 142, 144, 149, 150, 151, 152, 155,
        156, 158, 160, 163, 164, 165, 166,
    ].map(ProvisionItem.init)

    /// The table's last row number: requests the generator makes outside the list use rows up to it.
    public static let lastRow: UInt16 = 170
}

/// The permission list (照会許可照会リスト, III(1)6 リスク5 ①): the rows for which the network lets a body ask Fujisawa,
/// each for its own requester. The network holds it and issues permits (提供許可証) by it; the intermediate server
/// keeps a copy it checks every request against.
public struct PermissionList: Sendable, Hashable {
    /// Sorted, without repeats.
    public private(set) var items: [ProvisionItem]

    public init(items: [ProvisionItem]) { self.items = Array(Set(items)).sorted() }

    public static let residentRegister = PermissionList(items: ProvisionItem.residentRegisterRows)

    /// Whether `requester` (the body of a row) may ask for `item`: the row is on the list and is the requester's own.
    public func permits(item: ProvisionItem, requester: ProvisionItem) -> Bool {
        item == requester && contains(item)
    }

    public func contains(_ item: ProvisionItem) -> Bool {
        var low = 0
        var high = items.count
        while low < high {
            let mid = (low + high) / 2
            if items[mid] < item { low = mid + 1 } else { high = mid }
        }
        return low < items.count && items[low] == item
    }
}

/// A request for a person's resident-register information from another body, as the network passes it to the
/// intermediate server (提供の求め, I 2 システム5 ②5).
public struct ProvisionRequest: Sendable, Hashable {
    /// The network's number for the request (1, 2, 3, …).
    public var id: UInt64
    /// The row the requester asks under, and the row whose body the requester is.
    public var item: ProvisionItem
    public var requester: ProvisionItem
    /// The person's code for information provision (情報提供用個人識別符号) as Fujisawa obtained it.
    public var code: UInt64
    /// The permit (提供許可証) the network issued, 0 for none.
    public var permit: UInt64
    /// When the requester asked (µs).
    public var askedAt: Int64

    public init(
        id: UInt64, item: ProvisionItem, requester: ProvisionItem, code: UInt64, permit: UInt64, askedAt: Int64
    ) {
        self.id = id
        self.item = item
        self.requester = requester
        self.code = code
        self.permit = permit
        self.askedAt = askedAt
    }
}

/// How a provision request ended.
public enum ProvisionOutcome: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Answered at once from the copy (自動応答).
    case provided = 0
    /// Answered after a clerk confirmed it: the person's copy carries the 自動応答不可フラグ.
    case providedAfterReview
    /// Refused by the network: the row is not on the permission list, or not the requester's own.
    case refusedNotPermitted
    /// Refused by the intermediate server: the permit is missing or forged.
    case refusedInvalidPermit
    /// Refused by the intermediate server: the row is not on its copy of the list (or it has none yet).
    case refusedNotOnServerList
    /// No person with that code in the copy.
    case notFound

    public var description: String {
        switch self {
        case .provided: "provided"
        case .providedAfterReview: "providedAfterReview"
        case .refusedNotPermitted: "refusedNotPermitted"
        case .refusedInvalidPermit: "refusedInvalidPermit"
        case .refusedNotOnServerList: "refusedNotOnServerList"
        case .notFound: "notFound"
        }
    }

    public var isProvision: Bool { self == .provided || self == .providedAfterReview }
}

/// The information provided for one person: the resident-register items of the copy (住民票関係情報: household number,
/// relationship, whether the person is on the register, and the keys of the basic facts).
public struct ProvidedInformation: Sendable, Hashable {
    public var household: UInt32
    public var relationship: UInt8
    public var active: Bool
    public var facts: BasicFactsKeys
}

/// The intermediate server's answer to a request, back to the network.
public struct ProvisionAnswer: Sendable, Hashable {
    public var request: ProvisionRequest
    public var outcome: ProvisionOutcome
    /// Present when provided.
    public var information: ProvidedInformation?
}

/// Persons whose codes the intermediate server asks the network for (符号取得, I 2 システム5 ②2), by addressee number,
/// and the codes coming back.
public struct CodeBatch: Sendable, Hashable {
    public var municipality: MunicipalityCode
    public var addressees: [UInt32]
    /// Empty in the request; one per addressee in the reply.
    public var codes: [UInt64]

    public init(municipality: MunicipalityCode, addressees: [UInt32], codes: [UInt64] = []) {
        self.municipality = municipality
        self.addressees = addressees
        self.codes = codes
    }
}

/// The traffic of information sharing: unified addressee system → intermediate server → information-sharing network
/// and back.
public enum SharingMessage: Sendable {
    /// Copy records (副本) registered for provision (情報提供用のデータ登録, I 2 システム5 ②3), from the unified addressee
    /// system: the only system allowed to provide them (III(1)6 リスク5).
    case copies(AddresseeBatch)
    case codeRequest(CodeBatch)
    case codeReply(CodeBatch)
    /// The permission list, network → intermediate server (照会許可照会リストの入手).
    case permissionList(PermissionList)
    case request(ProvisionRequest)
    case answer(ProvisionAnswer)
}

/// Information sharing through the network (情報提供ネットワークシステムによる情報連携, I 6): how often other bodies ask for
/// Fujisawa's residents' information, what the permission list holds, and the intermediate server's work.
public struct InformationSharingConfiguration: Sendable, Hashable {
    /// Requests from other bodies per resident per year, spread evenly over the permission list's rows [E: 1; no
    /// count per municipality is published; the seed gives each row 10万人以上100万人未満 persons and "照会を受けたら
    /// 都度" (別添4 ④⑦), so each resident is asked about about once a year].
    public var requestsPerResidentYear = 1.0
    /// Requests per day for named rows, replacing the even share for those rows.
    public var itemRates: [ProvisionItem: Double] = [:]
    /// Share of requests that are not on the permission list (a row not listed, or another body's row), which the
    /// network refuses [E: 0.5 %; misaddressed or outdated requests; the list check is what the seed describes].
    public var offListShare = 0.005
    /// Share of persons whose copy carries the 自動応答不可フラグ (機微情報: a clerk confirms before anything goes out,
    /// III(1)6 リスク5 ③) [E: 0.5 %, the order of residents under DV support measures].
    public var reviewShare = 0.005
    /// The clerks who confirm flagged requests, in office hours (BusinessCalendar.standard) [E: 2].
    public var reviewClerks = 2
    /// A clerk's confirmation of one flagged request [E: 3 min + 2 min mean: read the request and the copy, send].
    public var reviewTime = ServiceTime.minutes(3, plus: 2)
    /// The intermediate server's automatic answer to one request (permit and list check, copy read, encryption) and
    /// the network's routing of one request, µs [E: 30 ms and 10 ms].
    public var answerTime: Int64 = 30_000
    public var routingTime: Int64 = 10_000
    /// The intermediate server's registration of one copy record, µs [E: 1 ms, one keyed update].
    public var copyRecordTime: Int64 = 1_000
    /// How long the records of provision (情報提供等記録) are kept: 7 years (番号法第23条 and its order).
    public var recordRetention: Int64 = 7 * 36_525 * 864_000_000
    /// When false, no body asks (the copy is still kept).
    public var requestsOn = true

    public init() {}

    public static let standard = InformationSharingConfiguration()

    /// Requests per day for each row of `list` in a municipality of `residents`.
    public func dailyRates(list: PermissionList, residents: Int) -> [(ProvisionItem, Double)] {
        let even = Double(residents) * requestsPerResidentYear / 365 / Double(max(list.items.count, 1))
        return list.items.map { ($0, itemRates[$0] ?? even) }
    }
}
