import Foundation
import JukiCore
import JukiNetwork
import JukiSimulation

extension RandomScenario {
    /// What one generated scenario did: refused (by the validator or when the network was built), or run.
    public enum Outcome: Sendable {
        /// The validator refused the file: the generator's miss, counted but no finding.
        case invalid(String)
        /// The validator accepted it but the network could not be built (a name it cannot resolve until then).
        case refused(String)
        /// It ran: the journeys started, the events handled, and every invariant that broke (empty when all hold).
        case ran(journeys: Int, events: UInt64, broken: [String])
    }

    /// Validates the scenario, runs it in virtual time as `jukisim run` does, evaluates its thresholds, builds
    /// the reports in memory (summary, markdown, CSV, HTML) when asked, and checks the invariants.
    ///
    /// - Parameter reports: render the reports (nil: as the bytes chose, ``rendersReports``).
    public func run(reports: Bool? = nil) async -> Outcome {
        do {
            var scenario = try scenario()
            if let reseed { scenario.setSeed(reseed) }
            return await Self.run(scenario, reports: reports ?? rendersReports)
        } catch {
            return .invalid(error.description)
        }
    }

    /// Runs a validated scenario (a single virtual-time run: sweeps, the canary and the load mode are not the
    /// model's) and checks the invariants; `run()` for a scenario this generator did not draw.
    public static func run(_ scenario: Scenario, reports: Bool = true) async -> Outcome {
        let simulation: NetworkSimulation
        do {
            simulation = try await NetworkSimulation(scenario.configuration)
        } catch {
            return .refused(error.description)
        }
        let end = simulation.dayStart.microseconds + scenario.duration
        await simulation.run(until: .time(SimulatedTime(microseconds: end)))
        let report = await simulation.report()
        // The reports users read must not trap either; thresholds are cheap, the rendering is not.
        let results = scenario.thresholds.map { ThresholdMetrics.evaluate($0, report) }
        if reports {
            _ = RunSummary.summary(scenario, report, thresholds: results, wallSeconds: 0).json()
            _ = RunSummary.markdown(scenario, report, results)
            _ = RunSummary.csv(report)
            _ = HTMLReport.render(scenario, report, results)
        }
        return .ran(
            journeys: report.invariants.arrivals, events: report.engine.handled,
            broken: brokenInvariants(report, until: end))
    }

    /// The invariants the model guarantees for any valid scenario, by name, with the counts that broke them.
    ///
    /// Lost updates count only with store-and-forward on: turned off, an update that cannot be sent is dropped by
    /// design. The report counts an update as lost only when no outbox still holds a batch, so a run that ends
    /// mid-outage has pending updates, never lost ones.
    public static func brokenInvariants(_ report: NetworkReport, until end: Int64) -> [String] {
        let i = report.invariants
        var broken: [String] = []
        if i.unhandledMessages != 0 {
            let nodes = report.nodes.filter { !$0.unhandled.isEmpty }.map { "\($0.name): \($0.unhandled)" }
            broken.append("unhandledMessages \(i.unhandledMessages) (\(nodes.joined(separator: "; ")))")
        }
        if !i.journeysBalance {
            broken.append(
                "journeys do not balance: \(i.arrivals) arrivals ≠ \(i.completed) completed + \(i.failed) failed + "
                    + "\(i.inProgress) in progress")
        }
        if i.duplicateResidentCodes != 0 { broken.append("duplicateResidentCodes \(i.duplicateResidentCodes)") }
        if i.duplicateIndividualNumbers != 0 {
            broken.append("duplicateIndividualNumbers \(i.duplicateIndividualNumbers)")
        }
        if report.storeAndForward, i.lostUpdates != 0 {
            broken.append("lostUpdates \(i.lostUpdates) with store-and-forward on")
        }
        if report.end.microseconds > end {
            broken.append("the run went on to \(report.end.microseconds) µs, past its end at \(end) µs")
        }
        return broken
    }
}
