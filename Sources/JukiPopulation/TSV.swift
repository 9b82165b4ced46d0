/// Splits an embedded tab-separated table into rows of fields.
enum TSV {
    static func rows(_ text: String, columns: Int) -> [[Substring]] {
        text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            return fields.count == columns ? fields : nil
        }
    }
}
