import JukiCore
public import JukiRegister

/// Export formats for a population.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// JSON Lines: one object per resident.
    case jsonl
    /// CSV, UTF-8, with a header line.
    case csv
}

/// Writes a register's residents (core fields and IDs) as JSON Lines or CSV, formatting chunks of rows in
/// parallel and handing them to the sink in row order, so the bytes are identical for any `jobs`.
public struct PopulationExporter: Sendable {
    public let register: ResidentRegister
    public let format: ExportFormat
    /// Rows formatted per chunk.
    public static let chunkRows = 8192

    /// Pre-escaped UTF-8 of every interned name, town prefix and 丁目, so formatting a row only copies bytes.
    let nameBytes: [[UInt8]]
    let townPrefix: [[UInt8]]
    let postalCodes: [[UInt8]]
    let chomeBytes: [[UInt8]]
    let municipalityCode: [UInt8]

    public init(register: ResidentRegister, format: ExportFormat) {
        self.register = register
        self.format = format
        let json = format == .jsonl
        nameBytes = register.names.entries.map { entry in
            let kanji = json ? Self.jsonEscaped(entry.kanji) : Self.csvEscaped(entry.kanji)
            let kana = json ? Self.jsonEscaped(entry.kana) : Self.csvEscaped(entry.kana)
            return kanji + [0] + kana
        }
        townPrefix = register.towns.map { Array((register.municipality.name + $0.name).utf8) }
        postalCodes = register.towns.map { Array($0.postalCode.utf8) }
        chomeBytes = (0...99).map { $0 == 0 ? [] : Array((KanjiNumerals.format($0) + "丁目").utf8) }
        municipalityCode = Array(register.municipality.code.description.utf8)
    }

    /// The CSV header line.
    public static let csvHeader =
        "residentCode,individualNumber,addresseeNumber,householdNumber,relationship,surname,givenName,"
        + "surnameKana,givenNameKana,birthDate,sex,municipalityCode,postalCode,address,status,cardStatus,"
        + "nationality,residenceStatus,formerSurname\n"

    /// Formats every row and passes the bytes to `sink` in order.
    public func write(jobs: Int, to sink: ([UInt8]) throws -> Void) rethrows {
        if format == .csv { try sink(Array(Self.csvHeader.utf8)) }
        let rows = register.count
        let chunks = (rows + Self.chunkRows - 1) / Self.chunkRows
        let window = max(1, jobs) * 2
        var next = 0
        var buffers = [[UInt8]](repeating: [], count: window)
        while next < chunks {
            let n = min(window, chunks - next)
            let base = next
            let exporter = self
            buffers.withUnsafeMutableBufferPointer { b in
                let shared = SharedBuffer(b)
                Parallel.forEach(n, jobs: jobs) { i in
                    let c = base + i
                    var bytes = shared[i]
                    shared[i] = []
                    exporter.format(rows: c * Self.chunkRows..<min((c + 1) * Self.chunkRows, rows), into: &bytes)
                    shared[i] = bytes
                }
            }
            for i in 0..<n { try sink(buffers[i]) }
            next += n
        }
    }

    /// Appends the formatted rows to `out` (cleared first).
    public func format(rows: Range<Int>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(rows.count * 330)
        let c = register.columns
        for r in rows {
            let row = RowID(UInt32(r))
            if format == .jsonl { out.append(0x7B) }  // {
            field(&out, "residentCode", first: true)
            quoted(&out) { Self.digits(&$0, c.residentCode[r], width: 11) }
            field(&out, "individualNumber")
            if c.individualNumber[r] == 0 {
                if format == .jsonl { Self.literal(&out, "null") }
            } else {
                quoted(&out) { Self.digits(&$0, c.individualNumber[r], width: 12) }
            }
            field(&out, "addresseeNumber")
            Self.integer(&out, UInt64(register.addresseeNumber(of: row)))
            field(&out, "householdNumber")
            Self.integer(&out, UInt64(c.household[r]) + 1)
            field(&out, "relationship")
            quoted(&out) { $0.append(contentsOf: Self.relationshipBytes[Int(min(c.relationship[r], 11))]) }
            let s = nameBytes[Int(c.surname[r])]
            let g = nameBytes[Int(c.givenName[r])]
            let sSplit = s.firstIndex(of: 0) ?? s.count
            let gSplit = g.firstIndex(of: 0) ?? g.count
            field(&out, "surname")
            quoted(&out) { $0.append(contentsOf: s[..<sSplit]) }
            field(&out, "givenName")
            quoted(&out) { $0.append(contentsOf: g[..<gSplit]) }
            field(&out, "surnameKana")
            quoted(&out) { $0.append(contentsOf: s[(sSplit + 1)...]) }
            field(&out, "givenNameKana")
            quoted(&out) { $0.append(contentsOf: g[(gSplit + 1)...]) }
            field(&out, "birthDate")
            quoted(&out) { Self.date(&$0, c.birthDate[r]) }
            field(&out, "sex")
            quoted(&out) { $0.append(contentsOf: c.sex[r] == Sex.male.rawValue ? Self.male : Self.female) }
            field(&out, "municipalityCode")
            quoted(&out) { $0.append(contentsOf: municipalityCode) }
            let t = Int(c.town[r])
            field(&out, "postalCode")
            quoted(&out) { $0.append(contentsOf: postalCodes[t]) }
            field(&out, "address")
            quoted(&out) {
                $0.append(contentsOf: townPrefix[t])
                $0.append(contentsOf: chomeBytes[Int(c.chome[r])])
                Self.integer(&$0, UInt64(c.banchi[r]))
                $0.append(contentsOf: [0xE7, 0x95, 0xAA])  // 番
                Self.integer(&$0, UInt64(c.go[r]))
                $0.append(contentsOf: [0xE5, 0x8F, 0xB7])  // 号
            }
            field(&out, "status")
            quoted(&out) { $0.append(contentsOf: c.status[r] == 0 ? Self.active : Self.removed) }
            field(&out, "cardStatus")
            quoted(&out) { $0.append(contentsOf: Self.cardStatusBytes[Int(min(c.cardStatus[r], 5))]) }
            let flags = RowFlags(rawValue: c.flags[r])
            if flags.contains(.foreign), let f = register.foreignData(row) {
                field(&out, "nationality")
                quotedString(&out, f.nationality)
                field(&out, "residenceStatus")
                quotedString(&out, f.residenceStatus)
            } else if format == .csv {
                out.append(0x2C)
                out.append(0x2C)
            }
            if flags.contains(.formerSurname), let id = register.formerSurnameID(row) {
                let f = nameBytes[Int(id)]
                field(&out, "formerSurname")
                quoted(&out) { $0.append(contentsOf: f[..<(f.firstIndex(of: 0) ?? f.count)]) }
            } else if format == .csv {
                out.append(0x2C)
            }
            // 外字数 (別添2【2】 item 3), only where the name holds a variant: JSON's keys are optional, while the CSV
            // keeps its 19 columns (the name itself shows the variant, 髙橋).
            if format == .jsonl && flags.contains(.variantCharacters) {
                field(&out, "variantCount")
                Self.integer(&out, UInt64(c.variantCount[r]))
            }
            out.append(contentsOf: format == .jsonl ? [0x7D, 0x0A] : [0x0A])
        }
    }

    // MARK: Byte helpers

    // Enum labels as bytes, made once: formatting a row copies them instead of escaping a string per field.
    static let relationshipBytes = (0...11).map {
        Array((Relationship(rawValue: UInt8($0)) ?? .otherRelative).description.utf8)
    }
    static let cardStatusBytes = (0...5).map { Array((CardStatus(rawValue: UInt8($0)) ?? .none).description.utf8) }
    static let male = Array("male".utf8)
    static let female = Array("female".utf8)
    static let active = Array("active".utf8)
    static let removed = Array("removed".utf8)

    @inline(__always)
    func field(_ out: inout [UInt8], _ name: StaticString, first: Bool = false) {
        if format == .csv {
            if !first { out.append(0x2C) }
            return
        }
        if !first { out.append(0x2C) }
        out.append(0x22)
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: [0x22, 0x3A])
    }

    @inline(__always)
    func quoted(_ out: inout [UInt8], _ body: (inout [UInt8]) -> Void) {
        if format == .jsonl { out.append(0x22) }
        body(&out)
        if format == .jsonl { out.append(0x22) }
    }

    @inline(__always)
    func quotedString(_ out: inout [UInt8], _ s: String) {
        let escaped = format == .jsonl ? Self.jsonEscaped(s) : Self.csvEscaped(s)
        quoted(&out) { $0.append(contentsOf: escaped) }
    }

    static func literal(_ out: inout [UInt8], _ s: StaticString) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    @inline(__always)
    static func digits(_ out: inout [UInt8], _ value: UInt64, width: Int) {
        var tmp: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &tmp) { buf in
            var v = value
            for i in stride(from: width - 1, through: 0, by: -1) {
                buf[i] = 0x30 &+ UInt8(v % 10)
                v /= 10
            }
            out.append(contentsOf: buf[0..<width])
        }
    }

    @inline(__always)
    static func integer(_ out: inout [UInt8], _ value: UInt64) {
        var width = 1
        var v = value
        while v >= 10 {
            v /= 10
            width += 1
        }
        digits(&out, value, width: width)
    }

    @inline(__always)
    static func date(_ out: inout [UInt8], _ days: Int32) {
        let (y, m, d) = CivilDate(daysSinceEpoch: days).components
        digits(&out, UInt64(max(y, 0)), width: 4)
        out.append(0x2D)
        digits(&out, UInt64(m), width: 2)
        out.append(0x2D)
        digits(&out, UInt64(d), width: 2)
    }

    /// `s` as the inside of a JSON string.
    static func jsonEscaped(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        return out
    }

    /// `s` as a CSV field, quoted when it holds a comma, quote or line break.
    static func csvEscaped(_ s: String) -> [UInt8] {
        let bytes = Array(s.utf8)
        guard bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return bytes }
        var out: [UInt8] = [0x22]
        for b in bytes {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
        return out
    }
}
