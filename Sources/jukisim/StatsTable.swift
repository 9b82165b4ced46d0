import Foundation
import JukiPopulation

/// The text table printed by `jukisim population stats`.
enum StatsTable {
    static func render(_ stats: PopulationStats, seconds: Double, jobs: Int) -> String {
        var lines: [String] = []
        lines.append(
            "\(stats.municipality) (\(stats.municipalityCode)): \(grouped(stats.residents)) residents, "
                + "seed \(stats.seed), as of \(stats.referenceDate)")
        lines.append("")
        lines.append(pad("metric", 58) + lpad("generated", 12) + lpad("target", 12) + lpad("deviation", 11))
        for line in stats.lines {
            let isShare = line.key.hasPrefix("share.")
            let value = isShare ? percent(line.generated) : number(line.generated, key: line.key)
            let target = line.target.map { isShare ? percent($0) : number($0, key: line.key) } ?? "—"
            let deviation = line.deviation.map { String(format: "%+.2f%%", $0 * 100) } ?? "—"
            lines.append(
                pad(line.label + (line.estimated ? " [E]" : ""), 58) + lpad(value, 12) + lpad(target, 12)
                    + lpad(deviation, 11))
        }
        lines.append("")
        lines.append(String(format: "register + indexes: %.1f bytes per resident", stats.bytesPerResident))
        lines.append(String(format: "largest deviation: %.2f%%", stats.worstDeviation * 100))
        lines.append(String(format: "generated in %.3f s on %d thread%@", seconds, jobs, jobs == 1 ? "" : "s"))
        lines.append("[E] marks an estimated target; sources in docs/calibration.md.")
        return lines.joined(separator: "\n")
    }

    static func number(_ v: Double, key: String) -> String {
        if key == "meanAge" || key == "meanHouseholdSize" { return String(format: "%.3f", v) }
        return grouped(Int(v.rounded()))
    }

    static func percent(_ v: Double) -> String { String(format: "%.2f%%", v * 100) }

    static func grouped(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Pads by display width: CJK characters count as two columns.
    static func pad(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(1, width - displayWidth(s)))
    }

    static func lpad(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(1, width - displayWidth(s))) + s
    }

    static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && $1.value != 0x2013 && $1.value != 0x2014 ? 2 : 1) }
    }
}
