import ArgumentParser
import Foundation
import JukiAudit
import JukiCore
import JukiScenario

/// `jukisim audit`: the hash-chained audit trails a run writes (`audit/*.jsonl` in its report folder).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check audit trails (操作ログ, 提供記録): their SHA-256 hash chains.",
        subcommands: [Verify.self]
    )

    /// `jukisim audit verify FILE|FOLDER... [--summary FILE]`.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract:
                "Verify audit trail files: exit 0 intact, 1 tampered or cut (naming the first broken line), 2 unreadable.",
            discussion: """
                Each line's hash must be the SHA-256 of the previous line's hash and the line's fields, and the
                sequence numbers must run 1, 2, 3, …: a changed, removed, inserted or reordered line breaks the chain.
                A cut tail leaves a chain that verifies on its own: give the run's summary.json (--summary, or the
                report folder as the argument, which checks audit/*.jsonl against the folder's summary.json) and the
                trail must also end at the head and record count the summary holds.

                Examples:
                  jukisim audit verify Reports/fujisawa-typical-day-*/     # the folder: trails and summary.json
                  jukisim audit verify run/audit/registerSystem.jsonl --summary run/summary.json
                """
        )

        @Argument(help: "Audit trail files (JSON Lines), or report folders (their audit/*.jsonl and summary.json).")
        var paths: [String]

        @Option(
            help:
                "The run's summary.json: each trail (named by its file, e.g. registerSystem.jsonl) must end at its head."
        )
        var summary: String?

        /// One trail to check, and the summary that holds its head (if any).
        struct Trail {
            var file: String
            var summary: String?
        }

        func trails() throws(JukisimExit) -> [Trail] {
            var trails: [Trail] = []
            for path in paths {
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                    trails.append(Trail(file: path, summary: summary))
                    continue
                }
                let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/audit")) ?? []
                let files = names.filter { $0.hasSuffix(".jsonl") }.sorted()
                guard !files.isEmpty else {
                    throw JukisimExit(
                        code: .usage, message: "\(path): a folder, but not a report folder (no audit/*.jsonl in it)")
                }
                let own = folder + "/summary.json"
                let head = summary ?? (FileManager.default.fileExists(atPath: own) ? own : nil)
                trails += files.map { Trail(file: folder + "/audit/" + $0, summary: head) }
            }
            return trails
        }

        /// The head and record count a summary.json holds for the trail named like `file`.
        static func expectedHead(_ file: String, in summaryPath: String) throws(JukisimExit) -> (String, Int) {
            let s: Summary
            do {
                s = try Summary.read(summaryPath)
            } catch {
                throw JukisimExit(code: .usage, message: error.description)
            }
            let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            let figures: Summary.AuditTrailFigures?
            switch name {
            case "registerSystem": figures = s.audit?.registerSystem
            case "municipalCS": figures = s.audit?.municipalCS
            default: figures = nil
            }
            guard let figures else {
                throw JukisimExit(
                    code: .usage,
                    message: "\(summaryPath): holds no audit head for \(file) (it knows registerSystem.jsonl and "
                        + "municipalCS.jsonl)")
            }
            return (figures.head, figures.records)
        }

        func run() throws {
            var tampered = false
            for trail in try trails() {
                let file = trail.file
                let text: String
                do {
                    text = try InputFile.text(file, limit: 2_000_000_000)
                } catch {
                    throw JukisimExit(code: .usage, message: "\(file): \(error.description)")
                }
                let v = AuditTrail.verify(jsonLines: text)
                if let unreadable = v.unreadable {
                    throw JukisimExit(code: .usage, message: "\(file): not an audit trail (\(unreadable))")
                }
                if let problem = v.problem {
                    tampered = true
                    print("\(file):\(problem.line): \(problem.rule) (the \(v.verified) records before it verify)")
                    continue
                }
                if let summaryPath = trail.summary {
                    let (head, records) = try Self.expectedHead(file, in: summaryPath)
                    if let cut = v.tailProblem(expectedHead: head, expectedRecords: records) {
                        tampered = true
                        print("\(file): \(cut)")
                        continue
                    }
                    print("\(file): intact, \(v.verified) records, ending at the head in \(summaryPath)")
                } else {
                    print("\(file): intact, \(v.verified) records")
                }
            }
            if tampered { throw JukisimExit(code: .checkFailed, message: nil) }
        }
    }
}
