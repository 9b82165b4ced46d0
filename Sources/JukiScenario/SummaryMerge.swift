import Crypto
import Foundation
import JukiSimulation

/// `jukisim merge`: several summaries of one scenario as one run of their union, side by side (replications, seeds,
/// machines or shards).
///
/// Counts add; latency percentiles come from the merged HDR histograms (never averaged); maxima take the largest;
/// utilizations and shares are the inputs' mean; configuration (clerks, retention years, a load profile) must agree.
/// A percentile the summaries keep without its histogram (`answerP95Seconds` and the like) becomes the largest of
/// the inputs', an upper bound on the union's, and its path is listed in `merged.upperBounds`. Thresholds are judged
/// again on the merged figures where the summary holds them (journeys, counter waits and utilizations, invariants);
/// the others pass only when every input passed, without a value. `wall` is machine time and is kept per input
/// under `merged.inputs`. docs/merge.md has the rules key by key.
public enum SummaryMerge {
    /// Why summaries could not be merged: the path of the field and the rule it broke.
    public struct MergeError: Error, Sendable, Hashable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// How one field combines over the inputs.
    enum Rule: Sendable, Hashable {
        /// Counts and totals.
        case add
        case maximum
        case minimum
        /// Configuration: every input must agree.
        case same
        /// A utilization or share: the inputs' mean.
        case mean
        /// A percentile without its histogram: the largest, listed as an upper bound.
        case upperBound
        /// A check that holds only when it holds in every input.
        case all
        /// A warning that holds when it held in any input.
        case any
        /// A digest or hash-chain head: the SHA-256 of the inputs' values, sorted.
        case digest
    }

    /// The rule of a field by its key, for every key whose rule is not "integers add, text must agree". Fractional
    /// keys of the schema must all be here (`SummaryMergeTests` walks the schema).
    static let rules: [String: Rule] = [
        "clerkHours": .add, "contractorSeconds": .add, "overtimeSeconds": .add, "secondCheckSeconds": .add,
        "deskHoursSaved": .add, "achievedRate": .add, "targetRate": .add,
        "utilization": .mean, "clerkUtilization": .mean, "serverUtilization": .mean, "achievedShare": .mean,
        "cpuShare": .mean, "idleShare": .mean,
        "durationSeconds": .maximum, "timeToDrainSeconds": .maximum, "drainSeconds": .maximum,
        "endSeconds": .maximum, "maxBacklog": .maximum, "maxQueue": .maximum, "end": .maximum,
        // The nation's waits come as minute buckets' edges: the largest input's is an upper bound of the merged one.
        "longestWaitSeconds": .maximum, "longestQueue": .maximum, "waitP50Minutes": .maximum,
        "waitP95Minutes": .maximum, "waitP99Minutes": .maximum,
        "start": .minimum,
        "clerks": .same, "contractors": .same, "servers": .same, "cores": .same, "provisionRetentionYears": .same,
        "removedRecordRetentionYears": .same, "schemaVersion": .same,
        "hold": .all, "ok": .all, "agreesWithRegister": .all, "copyAgreesWithRegister": .all, "saturated": .any,
        "digest": .digest, "head": .digest, "serverRecordsHead": .digest,
    ]

    /// Blocks merged as configuration: every input must have the same value.
    static let configurationPaths: Set<String> = ["load.profile", "load.mix", "sweep"]

    /// The rule of a key (nil: integers add, anything else must agree).
    static func rule(for key: String) -> Rule? {
        if let rule = rules[key] { return rule }
        // answerP95Seconds, reviewedP50Seconds, waitP95Seconds: a percentile kept without its histogram.
        guard key.hasSuffix("Seconds"), let p = key.lastIndex(of: "P") else { return nil }
        let digits = key[key.index(after: p)...].dropLast("Seconds".count)
        return !digits.isEmpty && digits.allSatisfy(\.isNumber) ? .upperBound : nil
    }

    /// The merged summary of `inputs` (two or more, each with the path it was read from).
    public static func merge(_ inputs: [(path: String, summary: Summary)]) throws(MergeError) -> Summary {
        guard inputs.count >= 2 else {
            throw MergeError(path: "inputs", reason: "merge needs two summaries or more, got \(inputs.count)")
        }
        try check(inputs)
        var trees: [JSONTree] = []
        var sources: [Summary.MergedInput] = []
        for (_, summary) in inputs {
            sources +=
                summary.merged?.inputs ?? [
                    Summary.MergedInput(
                        scenario: summary.scenario, seed: summary.seed, digest: summary.engine?.digest,
                        wallSeconds: summary.wall?.seconds)
                ]
            // Seeds are set after the merge: a UInt64 above Int64's range would not survive as a JSON number.
            var stripped = summary
            stripped.wall = nil
            stripped.merged = nil
            stripped.seed = 0
            stripped.thresholds = stripped.thresholds.map(Self.withoutValues)
            stripped.variants = stripped.variants?.map { v in
                var v = v
                v.summary.seed = 0
                v.summary.thresholds = v.summary.thresholds.map(Self.withoutValues)
                return v
            }
            do {
                trees.append(try JSONDecoder().decode(JSONTree.self, from: stripped.json()))
            } catch {
                throw MergeError(path: "summary", reason: "could not be read back (\(error))")
            }
        }
        var bounds: [String] = []
        var previousBounds = inputs.flatMap { $0.summary.merged?.upperBounds ?? [] }
        let tree = try combine(trees, path: "", key: "", bounds: &bounds)
        var merged: Summary
        do {
            merged = try JSONDecoder().decode(Summary.self, from: JSONEncoder().encode(tree))
        } catch {
            throw MergeError(path: "summary", reason: "the merged summary does not decode (\(error))")
        }
        merged.seed = inputs.map(\.summary.seed).min() ?? 0
        merged.thresholds = merged.thresholds?.map { judge($0, merged, inputs.map { $0.summary.thresholds ?? [] }) }
        if var variants = merged.variants {
            for i in variants.indices {
                let value = variants[i].value
                variants[i].summary.seed =
                    inputs.compactMap { $0.summary.variants?.first { $0.value == value }?.summary.seed }.min() ?? 0
                let theirs = inputs.map { $0.summary.variants?.first { $0.value == value }?.summary.thresholds ?? [] }
                variants[i].summary.thresholds = variants[i].summary.thresholds?.map {
                    judge($0, variants[i].summary, theirs)
                }
            }
            merged.variants = variants
        }
        previousBounds += bounds
        merged.merged = Summary.Merged(
            inputs: sources.sorted { ($0.seed, $0.digest ?? "") < ($1.seed, $1.digest ?? "") },
            upperBounds: Array(Set(previousBounds)).sorted())
        return merged
    }

    /// Refuses summaries that are not runs of one scenario, or whose figures cannot be combined.
    static func check(_ inputs: [(path: String, summary: Summary)]) throws(MergeError) {
        let first = inputs[0].summary
        for (path, s) in inputs {
            guard [.run, .load, .sweep].contains(s.kind) else {
                throw MergeError(
                    path: "\(path): kind",
                    reason: "a \(s.kind.rawValue) summary cannot be merged (runs, sweeps and load runs can): "
                        + (s.kind == .capacity
                            ? "each step of a capacity search depends on the one before"
                            : s.kind == .suite
                                ? "merge each entry's summary.json with the same entry's of another run"
                                : "it is one engine check"))
            }
            guard s.replications == nil else {
                throw MergeError(
                    path: "\(path): replications",
                    reason: "a replicated summary keeps the replications' means, not their distributions: merge "
                        + "runs of single seeds (--seed) instead")
            }
            for (name, mine, theirs) in [
                ("kind", s.kind.rawValue, first.kind.rawValue), ("scenario", s.scenario, first.scenario),
                ("clock", s.clock.rawValue, first.clock.rawValue),
            ] where mine != theirs {
                throw MergeError(
                    path: "\(path): \(name)",
                    reason: "'\(mine)' differs from '\(theirs)' in \(inputs[0].path): merge summaries of one scenario")
            }
        }
    }

    static func withoutValues(_ list: [Summary.ThresholdOutcome]) -> [Summary.ThresholdOutcome] {
        list.map {
            var t = $0; t.value = nil; return t
        }
    }

    /// One field over the inputs that have it.
    static func combine(_ values: [JSONTree], path: String, key: String, bounds: inout [String]) throws(MergeError)
        -> JSONTree
    {
        guard let first = values.first else { return .null }
        if configurationPaths.contains(path) || values.count == 1 { return try agree(values, path: path) }
        switch first {
        case .object(let firstObject):
            if firstObject["p50"] != nil, firstObject["count"] != nil { return try latency(values, path: path) }
            var keys: [String] = []
            var seen: Set<String> = []
            var objects: [[String: JSONTree]] = []
            for v in values {
                guard case .object(let o) = v else { throw mismatch(path, "an object") }
                objects.append(o)
                for k in o.keys.sorted() where seen.insert(k).inserted { keys.append(k) }
            }
            var out: [String: JSONTree] = [:]
            for k in keys {
                out[k] = try combine(
                    objects.compactMap { $0[k] }, path: path.isEmpty ? k : path + "." + k, key: k, bounds: &bounds)
            }
            return .object(out)
        case .array:
            return try array(values, path: path, key: key, bounds: &bounds)
        case .int, .double:
            var numbers: [Double] = []
            var integral = true
            for v in values {
                switch v {
                case .int(let i): numbers.append(Double(i))
                case .double(let d):
                    numbers.append(d)
                    integral = false
                default: throw mismatch(path, "a number")
                }
            }
            let rule = rule(for: key)
            if rule == nil, !integral {
                throw MergeError(path: path, reason: "a fractional figure without a merge rule (docs/merge.md)")
            }
            if rule == .upperBound { bounds.append(path) }
            let result: Double
            switch rule ?? .add {
            case .add: result = numbers.reduce(0, +)
            case .maximum, .upperBound: result = numbers.max() ?? 0
            case .minimum: result = numbers.min() ?? 0
            case .mean: result = (numbers.reduce(0, +) / Double(numbers.count) * 1e6).rounded() / 1e6
            case .same, .all, .any, .digest: return try agree(values, path: path)
            }
            if integral, case .int = first, let i = Int64(exactly: result) { return .int(i) }
            return .double(result)
        case .bool:
            var flags: [Bool] = []
            for v in values {
                guard case .bool(let b) = v else { throw mismatch(path, "true or false") }
                flags.append(b)
            }
            switch rule(for: key) {
            case .all: return .bool(flags.allSatisfy { $0 })
            case .any: return .bool(flags.contains(true))
            default: return try agree(values, path: path)
            }
        case .string:
            var texts: [String] = []
            for v in values {
                guard case .string(let s) = v else { throw mismatch(path, "text") }
                texts.append(s)
            }
            switch rule(for: key) {
            case .digest:
                let joined = texts.sorted().joined(separator: "\n")
                return .string(SHA256.hash(data: Data(joined.utf8)).map { String(format: "%02x", $0) }.joined())
            case .minimum: return .string(texts.min() ?? "")
            case .maximum: return .string(texts.max() ?? "")
            default: return try agree(values, path: path)
            }
        case .null:
            return try agree(values, path: path)
        }
    }

    /// The value every input has, or an error naming the field.
    static func agree(_ values: [JSONTree], path: String) throws(MergeError) -> JSONTree {
        guard let first = values.first else { return .null }
        for v in values.dropFirst() where v != first {
            throw MergeError(
                path: path,
                reason: "differs between the summaries (\(v.brief) against \(first.brief)); it is "
                    + "configuration, which must be the same in every run merged")
        }
        return first
    }

    static func mismatch(_ path: String, _ expected: String) -> MergeError {
        MergeError(path: path, reason: "is \(expected) in one summary and not in another")
    }

    /// Thresholds by metric and expression, sweep variants by value; any other list is configuration.
    static func array(_ values: [JSONTree], path: String, key: String, bounds: inout [String]) throws(MergeError)
        -> JSONTree
    {
        let label: (JSONTree) -> String?
        switch key {
        case "thresholds":
            label = { item in item["metric"].map { "\($0.brief) \(item["expression"]?.brief ?? "")" } }
        case "variants": label = { $0["value"]?.brief }
        default: return try agree(values, path: path)
        }
        var order: [String] = []
        var groups: [String: [JSONTree]] = [:]
        for v in values {
            guard case .array(let items) = v else { throw mismatch(path, "a list") }
            for item in items {
                guard let name = label(item) else { throw mismatch(path, "a list of labelled items") }
                if groups[name] == nil { order.append(name) }
                groups[name, default: []].append(item)
            }
        }
        var out: [JSONTree] = []
        for (i, name) in order.enumerated() {
            out.append(try combine(groups[name] ?? [], path: "\(path)[\(i)]", key: "", bounds: &bounds))
        }
        return .array(out)
    }

    /// A latency block from the inputs' histograms: counts add, percentiles from the merged histogram.
    static func latency(_ values: [JSONTree], path: String) throws(MergeError) -> JSONTree {
        var merged = LatencyHistogram()
        var mergedAny = false
        for v in values {
            guard case .object(let o) = v, case .int(let count)? = o["count"] else {
                throw mismatch(path, "a latency block")
            }
            guard count > 0 else { continue }
            guard case .string(let text)? = o["histogram"] else {
                throw MergeError(
                    path: path,
                    reason: "holds \(count) values but no histogram (a re-recorded baseline, or a summary from before "
                        + "schema 5): merge the summary.json files runs wrote")
            }
            let mean = o["mean"]?.number ?? 0
            let maximum = o["max"]?.number ?? 0
            let h: LatencyHistogram
            do {
                h = try LatencyHistogram(
                    encoded: text, count: Int(count), sum: Int64((mean * 1e6 * Double(count)).rounded()),
                    minimum: nil, maximum: Int64((maximum * 1e6).rounded()))
            } catch {
                throw MergeError(path: path + ".histogram", reason: error.description)
            }
            if mergedAny { merged.merge(h) } else { merged = h }
            mergedAny = true
        }
        guard mergedAny else { return values[0] }
        let block = Distribution(merged).seconds
        do {
            return try JSONDecoder().decode(JSONTree.self, from: JSONEncoder().encode(block))
        } catch {
            throw MergeError(path: path, reason: "could not be written (\(error))")
        }
    }

    /// A threshold judged again on the merged summary where it holds the metric; otherwise passing only when every
    /// input passed, without a value.
    static func judge(
        _ outcome: Summary.ThresholdOutcome, _ summary: Summary, _ inputs: [[Summary.ThresholdOutcome]]
    ) -> Summary.ThresholdOutcome {
        var out = outcome
        let theirs = inputs.compactMap { list in
            list.first { $0.metric == outcome.metric && $0.expression == outcome.expression }
        }
        out.ok = theirs.allSatisfy(\.ok)
        out.value = nil
        guard case .success(let t) = Threshold.parse(outcome.expression, metric: outcome.metric),
            let value = measured(t, summary)
        else { return out }
        out.value = t.boundIsDuration ? round6(value / 1e6) : round6(value)
        out.ok = t.passes(value)
        return out
    }

    /// The threshold's metric on a merged summary (µs for durations), or nil when the summary does not keep it.
    static func measured(_ t: Threshold, _ s: Summary) -> Double? {
        let parts = t.metric.split(separator: ".").map(String.init)
        func stat(_ latency: Summary.Latency) -> Double? {
            guard let h = (try? latency.distribution()) ?? nil else {
                if latency.count == 0, case .count = t.statistic { return 0 }
                return nil
            }
            switch t.statistic {
            case .percentile(let p): return Double(h.percentile(p))
            case .average: return h.mean
            case .maximum: return Double(h.maximum)
            case .minimum: return Double(h.minimum)
            case .count, .rate, .value: return Double(h.count)
            }
        }
        switch parts.first {
        case "journeys" where parts.count == 3:
            guard let j = s.journeys?[parts[1]] else { return nil }
            switch parts[2] {
            case "latency": return stat(j.latencySeconds)
            case "completed": return Double(j.completed)
            default:
                let failed = Double(j.failed.values.reduce(0, +))
                if case .rate = t.statistic { return j.started == 0 ? 0 : failed / Double(j.started) }
                return failed
            }
        case "counters" where parts.count >= 3:
            let name = parts[1..<(parts.count - 1)].joined(separator: ".")
            let counters = (s.counters ?? [:]).filter { name == "*" || $0.key == name }.sorted { $0.key < $1.key }
            let values = counters.compactMap { c in
                parts.last == "utilization" ? Optional(c.value.utilization) : stat(c.value.waitSeconds)
            }
            guard values.count == counters.count, !values.isEmpty else { return nil }
            // As a run judges it: the first failing counter's value, else the largest.
            return values.first { !t.passes($0) } ?? values.max()
        case "invariants" where parts.count == 2:
            guard let i = s.invariants else { return nil }
            let all: [String: Int?] = [
                "lostUpdates": i.lostUpdates, "duplicateResidentCodes": i.duplicateResidentCodes,
                "duplicateIndividualNumbers": i.duplicateIndividualNumbers, "pendingUpdates": i.pendingUpdates,
                "unhandledMessages": i.unhandledMessages, "copyMismatches": i.copyMismatches,
                "unrecordedProvisions": i.unrecordedProvisions, "provisionsOffList": i.provisionsOffList,
                "unrecordedTransfers": i.unrecordedTransfers, "numbersOutsideNumberUse": i.numbersOutsideNumberUse,
            ]
            return all[parts[1]]?.map(Double.init)
        case "load" where parts.count == 2:
            guard let l = s.load else { return nil }
            switch parts[1] {
            case "latency": return stat(l.latencySeconds)
            case "uncorrected": return stat(l.uncorrectedLatencySeconds)
            case "dropped": return Double(l.dropped)
            case "late": return Double(l.late)
            case "achievedRate": return l.achievedRate
            default: return nil
            }
        case "consistency" where parts.count == 2:
            guard let c = s.consistency else { return nil }
            return Double(parts[1] == "remaining" ? c.remaining : c.prefectureDifferences + c.nationalDifferences)
        case "faults" where parts.count == 2:
            guard let f = s.faults else { return nil }
            let counts: [String: Int] = [
                "injected": f.injected, "retried": f.retried, "unavailable": f.unavailable,
                "maxBacklog": f.maxBacklog, "waiting": f.waiting, "lostUpdates": f.lostUpdates,
            ]
            if parts[1] == "timeToDrain" { return f.timeToDrainSeconds * 1e6 }
            if parts[1] == "divergence" { return s.consistency.map { Double($0.remaining) } }
            return counts[parts[1]].map(Double.init)
        default:
            return nil
        }
    }
}

/// A JSON value with integers kept apart from fractions, so the merge can add counts exactly.
enum JSONTree: Codable, Sendable, Hashable {
    case object([String: JSONTree])
    case array([JSONTree])
    case int(Int64)
    case double(Double)
    case string(String)
    case bool(Bool)
    case null

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .double(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONTree].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONTree].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .object(let o): try c.encode(o)
        case .array(let a): try c.encode(a)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        }
    }

    subscript(key: String) -> JSONTree? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    var number: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// A short text of the value for messages.
    var brief: String {
        switch self {
        case .object: "an object"
        case .array(let a): "a list of \(a.count)"
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): s.count > 40 ? String(s.prefix(40)) + "…" : s
        case .bool(let b): String(b)
        case .null: "null"
        }
    }
}
