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
                Exit codes: 0 all valid; 1 any invalid; 2 usage error. Time grows linearly with the count: a
                column of a million values is best given on standard input.

                Examples:
                  jukisim id check 123456789018
                  jukisim id check 142051 141003 １２３４５６７８９０１８
                  cut -d, -f3 people.csv | jukisim id check -
                """
        )

        @Argument(help: "Identifiers to check; - reads them from standard input (one or more per line).")
        var values: [String] = []

        func validate() throws {
            guard !values.isEmpty else { throw ValidationError("give at least one identifier to check") }
        }

        /// ArgumentParser parses a positional array in time quadratic in its length (16,000 values took 21 s), so
        /// `jukisim id check V1 V2 …` with no flags among the values is handed its values directly.
        static func direct(_ arguments: [String]) -> Check? {
            guard arguments.count > 2, arguments[0] == "id", arguments[1] == "check" else { return nil }
            let values = Array(arguments.dropFirst(2))
            guard !values.contains(where: { $0.hasPrefix("-") && $0 != "-" }) else { return nil }
            var check = Check()
            check.values = values
            return check
        }

        func run() throws {
            var allValid = true
            var out = ""
            func check(_ value: String) {
                switch IdentifierCheck.check(value) {
                case .valid(let kind, let normalized):
                    out += "\(value)\tvalid\t\(kind.rawValue) (\(kind.japaneseName))\t\(normalized)\n"
                case .invalid(let error):
                    allValid = false
                    out += "\(value)\tinvalid\t\(error)\n"
                }
                // Written in blocks: one write per value is most of the time for a long list.
                if out.utf8.count > 65_536 {
                    print(out, terminator: "")
                    out = ""
                }
            }
            for value in values {
                guard value == "-" else {
                    check(value)
                    continue
                }
                while let line = readLine() {
                    for field in line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }) {
                        check(String(field))
                    }
                }
            }
            print(out, terminator: "")
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
