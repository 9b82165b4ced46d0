import JukiCore

/// A register operation refused: a stable code and a message naming the field and the rule.
public struct RegisterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule broken.
    public enum Code: String, Sendable, Hashable {
        /// Logical check: a move-in (記載) for a person who is already a resident.
        case alreadyResident
        /// Logical check: a relocation (転居) that changes anything but the address.
        case relocationChangesOtherFields
        case notFound
        case notActive
        case alreadyRemoved
        case wrongReason
        case noChange
        case alreadyDesignated
        case individualNumberInUse
        case duplicateResidentCode
        case unknownTown
        case invalidAddress
        case householdNotFound
        case headMustStay
        case inconsistentColumns
    }

    public var code: Code
    /// The field or input the rule is about, e.g. `residentCode`.
    public var field: String
    public var message: String

    public init(_ code: Code, field: String, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String { "register.\(code.rawValue): \(field): \(message)" }
}

/// A basic-facts search refused: names the rule.
public struct SearchError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The search lacks the name, or gives neither the birth date nor the address with it.
        case insufficientFacts
        case invalidValue
    }

    public var code: Code
    public var field: String
    public var message: String

    public init(_ code: Code, field: String, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String { "search.\(code.rawValue): \(field): \(message)" }
}
