import ArgumentParser
import JukiCore

/// `jukisim id`: identifier tools.
struct IdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "id",
        abstract: "Check identifiers: individual numbers, resident codes and municipality codes.",
        subcommands: [Check.self]
    )
}

extension IdCommand {
    /// `jukisim id check VALUE...`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Detect each value's kind by its length and check its check digit.",
            discussion: """
                Kinds: 12 digits individual number (個人番号), 11 digits resident code (住民票コード),
                6 digits municipality code (全国地方公共団体コード). ASCII and full-width digits are accepted.
                Exit codes: 0 all valid; 1 any invalid; 2 usage error.

                Examples:
                  jukisim id check 123456789018
                  jukisim id check 142051 141003 １２３４５６７８９０１８
                """
        )

        @Argument(help: "Identifiers to check.")
        var values: [String]

        func validate() throws {
            guard !values.isEmpty else { throw ValidationError("give at least one identifier to check") }
        }

        func run() throws {
            var allValid = true
            for value in values {
                switch IdentifierCheck.check(value) {
                case .valid(let kind, let normalized):
                    print("\(value)\tvalid\t\(kind.rawValue) (\(kind.japaneseName))\t\(normalized)")
                case .invalid(let error):
                    allValid = false
                    print("\(value)\tinvalid\t\(error)")
                }
            }
            if !allValid { throw JukisimExit(code: .checkFailed, message: nil) }
        }
    }
}

/// Detects an identifier's kind by its digit count and validates it.
enum IdentifierCheck {
    enum Result {
        case valid(IdentifierKind, String)
        case invalid(IdentifierError)
    }

    static func check(_ value: String) -> Result {
        let count = value.unicodeScalars.filter { DecimalDigits.digitValue($0) != nil }.count
        let total = value.trimmingSpaces.unicodeScalars.count
        guard let kind = IdentifierKind.detect(digitCount: count) ?? IdentifierKind.detect(digitCount: total) else {
            // Report a stray character before an unknown length: it is the likelier mistake.
            do {
                _ = try DecimalDigits.digits(of: value, kind: nil)
            } catch {
                return .invalid(error)
            }
            return .invalid(IdentifierError(kind: nil, input: value, rule: .unknownLength(actual: count)))
        }
        do {
            switch kind {
            case .individualNumber: return .valid(kind, try IndividualNumber(parsing: value).description)
            case .residentCode: return .valid(kind, try ResidentCode(parsing: value).description)
            case .municipalityCode: return .valid(kind, try MunicipalityCode(parsing: value).description)
            }
        } catch {
            return .invalid(error)
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return s
    }
}
