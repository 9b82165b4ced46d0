import ArgumentParser
import Foundation
import JukiAudit

/// `jukisim audit`: the hash-chained audit trails a run writes (`audit/*.jsonl` in its report folder).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check audit trails (操作ログ, 提供記録): their SHA-256 hash chains.",
        subcommands: [Verify.self]
    )

    /// `jukisim audit verify FILE...`.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract:
                "Verify audit trail files: exit 0 intact, 1 tampered (naming the first broken line), 2 unreadable.",
            discussion: """
                Each line's hash must be the SHA-256 of the previous line's hash and the line's fields, and the
                sequence numbers must run 1, 2, 3, …: a changed, removed, inserted or reordered line breaks the chain.

                Example:
                  jukisim audit verify Reports/fujisawa-typical-day-*/audit/*.jsonl
                """
        )

        @Argument(help: "Audit trail files (JSON Lines).")
        var files: [String]

        func run() throws {
            var tampered = false
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw JukisimExit(code: .usage, message: "\(file): cannot read the file")
                }
                guard let text = String(data: data, encoding: .utf8), !text.contains("\u{0}") else {
                    throw JukisimExit(code: .usage, message: "\(file): not UTF-8 text (an audit trail is JSON Lines)")
                }
                let v = AuditTrail.verify(jsonLines: text)
                if let problem = v.problem {
                    tampered = true
                    print("\(file):\(problem.line): \(problem.rule) (the \(v.verified) records before it verify)")
                } else {
                    print("\(file): intact, \(v.verified) records")
                }
            }
            if tampered { throw JukisimExit(code: .checkFailed, message: nil) }
        }
    }
}
