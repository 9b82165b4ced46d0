import Foundation
import JukiCore
import JukiNetwork
import JukiSimulation

/// The printed summary of a simulated day.
struct DaySummary {
    let report: NetworkReport
    let setupSeconds: Double
    let runSeconds: Double

    /// Percentile `p` (0–1) of `h`, in seconds.
    static func percentile(_ h: LatencyHistogram, _ p: Double) -> Double { Double(h.percentile(p * 100)) / 1e6 }

    func flowRows() -> [(Flow, JourneyStats, LatencyHistogram)] {
        Flow.allCases.compactMap { flow in
            guard let s = report.journeys[flow], s.started > 0 else { return nil }
            return (flow, s, s.latency)
        }
    }

    func text() -> String {
        var lines: [String] = []
        lines.append("simulated \(report.start) → \(report.end)")
        lines.append("")
        lines.append("journey                  started  completed  failed   mean s    p95 s    max s  failures")
        for (flow, s, sorted) in flowRows() {
            let mean = sorted.mean / 1e6
            let failures = s.failed.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key) \($0.value)" }
                .joined(separator: ", ")
            lines.append(
                flow.description.padding(toLength: 24, withPad: " ", startingAt: 0)
                    + String(
                        format: " %7d  %9d  %6d %8.1f %8.1f %8.1f  ", s.started, s.completed, s.failedCount, mean,
                        Self.percentile(sorted, 0.95), Self.percentile(sorted, 1)) + failures)
        }
        lines.append("")
        lines.append("counter                          clerks  served  mean wait s  max wait s  max queue  utilisation")
        for c in report.counters {
            lines.append(
                c.name + String(repeating: " ", count: max(1, 33 - c.name.count * 2))
                    + String(
                        format: "%6d  %6d  %11.1f  %10.1f  %9d  %10.1f%%", c.clerks, c.served, c.meanWaitSeconds,
                        c.maxWaitSeconds, c.maxQueue, c.utilization * 100))
        }
        if let bulk = report.bulk {
            lines.append("")
            let seconds = bulk.end.map { Double($0 - bulk.start) / 1e6 }
            lines.append(
                "bulk number assignment: \(bulk.residents) residents in \(bulk.batches) batches, \(bulk.designated) designated, "
                    + "\(bulk.refused) refused; simulated duration "
                    + (seconds.map { String(format: "%.1f s", $0) } ?? "unfinished"))
        }
        if let c = report.consistency {
            lines.append("")
            lines.append(
                "consistency check: \(c.records) identity records compared; differences: prefecture "
                    + "\(c.prefectureDifferences), national \(c.nationalDifferences)")
        }
        lines.append(
            "delivery records: \(report.deliveryRecordsSent) sent, \(report.deliveryRecordsDeleted) deleted after retention, "
                + "\(report.deliveryRecordsHeld) held")
        lines.append(
            "moves out: \(report.movedInElsewhere) recorded at their destination, \(report.awaitedElsewhere) still expected "
                + "there (within two weeks); \(report.moveInNoticesReceived) move-in notices received")
        lines.append(
            "letters queued \(report.lettersQueued), card continuations \(report.cardContinuations), "
                + "revocations \(report.cardRevocations)")
        let inv = report.invariants
        lines.append(
            "invariants: duplicate codes \(inv.duplicateResidentCodes), duplicate numbers \(inv.duplicateIndividualNumbers), "
                + "pending updates \(inv.pendingUpdates), lost updates \(inv.lostUpdates), unhandled messages "
                + "\(inv.unhandledMessages); journeys \(inv.arrivals) = "
                + "\(inv.completed) completed + \(inv.failed) failed + \(inv.inProgress) in progress → "
                + (inv.holds ? "hold" : "BROKEN"))
        lines.append(
            "engine: \(report.engine.handled) events, \(report.engine.windows) windows, "
                + "\(report.engine.messages) messages; digest \(String(report.digest, radix: 16))")
        lines.append(
            String(
                format: "wall: setup %.3f s, run %.3f s (%.2f M events/s)", setupSeconds, runSeconds,
                Double(report.engine.handled) / max(runSeconds, 1e-9) / 1e6))
        return lines.joined(separator: "\n")
    }

    func json() -> String {
        var journeys: [String: Any] = [:]
        for (flow, s, sorted) in flowRows() {
            var failed: [String: Int] = [:]
            for (k, v) in s.failed { failed[k.description] = v }
            journeys[flow.description] = [
                "started": s.started, "completed": s.completed, "failed": failed,
                "latencySeconds": [
                    "p50": Self.percentile(sorted, 0.5), "p95": Self.percentile(sorted, 0.95),
                    "max": Self.percentile(sorted, 1),
                ],
            ]
        }
        let inv = report.invariants
        let object: [String: Any] = [
            "simulated": ["start": report.start.description, "end": report.end.description],
            "journeys": journeys,
            "invariants": [
                "duplicateResidentCodes": inv.duplicateResidentCodes,
                "duplicateIndividualNumbers": inv.duplicateIndividualNumbers, "pendingUpdates": inv.pendingUpdates,
                "lostUpdates": inv.lostUpdates, "arrivals": inv.arrivals, "completed": inv.completed,
                "failed": inv.failed, "inProgress": inv.inProgress, "unhandledMessages": inv.unhandledMessages,
                "hold": inv.holds,
            ],
            "bulk": report.bulk.map { b -> [String: Any] in
                [
                    "residents": b.residents, "designated": b.designated,
                    "simulatedSeconds": b.end.map { Double($0 - b.start) / 1e6 } ?? -1,
                ]
            } ?? [:],
            "events": report.engine.handled, "digest": String(report.digest, radix: 16),
            "wall": ["setupSeconds": setupSeconds, "runSeconds": runSeconds],
        ]
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
