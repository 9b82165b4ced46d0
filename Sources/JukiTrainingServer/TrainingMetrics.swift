import Foundation
import JukiScenario
import JukiTraining

/// The training server's `/metrics` (Prometheus text, the trainer's token): the cohort's progress and, with the
/// office simulation, each counter's journeys in progress and the office's simulated clock.
enum TrainingMetrics {
    static func text(office: TrainingOffice, clock: OfficeClock, simulation: OfficeSimulation?) async -> String {
        var out = RunMetrics.Builder()
        let scores = await office.cohort()
        out.add("jukisim_training_trainees", .gauge, "Trainees in the drill.", [], Double(scores.count))
        for s in scores.sorted(by: { $0.trainee < $1.trainee }) {
            let label = [("trainee", s.trainee)]
            out.add(
                "jukisim_training_decisions_total", .counter, "Cases a trainee decided.", label, Double(s.decisions))
            out.add(
                "jukisim_training_decisions_right_total", .counter, "Decisions the answer key agrees with.", label,
                Double(s.decisionsRight))
            out.add(
                "jukisim_training_privacy_violations_total", .counter,
                "Privacy hard fails (a number shown without number-use work, a search without two facts).", label,
                Double(s.privacyViolations))
            out.add(
                "jukisim_training_waiting_caused_seconds_total", .counter,
                "Visitors' waiting a trainee's slower handling caused.", label, s.waitingCaused)
        }
        if let simulation {
            let status = await simulation.status(trainee: "", now: clock.now)
            out.add(
                "jukisim_office_simulated_time_seconds", .gauge,
                "The office simulation's clock as Unix time (the scenario's calendar in JST).", [],
                Double(status.clock.utcEpochMicroseconds) / 1e6)
            for c in status.counters {
                out.add(
                    "jukisim_office_journeys_in_progress", .gauge,
                    "Journeys at a counter of the simulated office (waiting, at a desk or in the systems).",
                    [("counter", c.name)], Double(c.inProgress))
            }
        }
        return PrometheusExposition.text(out.families)
    }
}
