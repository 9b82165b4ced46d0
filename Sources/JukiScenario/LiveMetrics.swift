import Synchronization

/// The latest Prometheus exposition of a wall-clock run while it goes on, for a live `/metrics` endpoint: the load
/// runner publishes about once a second, and the final figures (those of `metrics.prom`) when the run ends.
public final class LiveMetrics: Sendable {
    let state = Mutex<(text: String, finished: Bool, whileRunning: String)>(("", false, ""))

    public init() {}

    /// The exposition text to serve (empty before the run's first second).
    public var text: String { state.withLock { $0.text } }

    /// Whether the run has ended and `text` holds its final figures.
    public var finished: Bool { state.withLock { $0.finished } }

    /// The last text published while the run went on (what a scraper saw before the end).
    var lastWhileRunning: String { state.withLock { $0.whileRunning } }

    func publish(_ text: String, finished: Bool) {
        state.withLock { $0 = (text, finished, finished ? $0.whileRunning : text) }
    }
}
