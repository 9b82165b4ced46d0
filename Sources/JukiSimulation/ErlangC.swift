/// Erlang C: the M/M/c queue's probability of waiting and its mean times, for checking the engine.
public enum ErlangC {
    /// The probability that an arrival waits, for `servers` servers and offered load `a = λ/μ` (< servers).
    public static func waitProbability(servers c: Int, offeredLoad a: Double) -> Double {
        guard c > 0, a >= 0, a < Double(c) else { return 1 }
        // Sum a^k/k! iteratively to stay stable for large c.
        var term = 1.0
        var sum = 1.0
        for k in 1..<c {
            term *= a / Double(k)
            sum += term
        }
        let last = term * a / Double(c) / (1 - a / Double(c))
        return last / (sum + last)
    }

    /// Mean wait in queue, in service times (μ = 1).
    public static func meanWait(servers c: Int, utilization rho: Double) -> Double {
        let a = rho * Double(c)
        return waitProbability(servers: c, offeredLoad: a) / (Double(c) - a)
    }

    /// Mean time in system (wait + service), in service times.
    public static func meanTimeInSystem(servers c: Int, utilization rho: Double) -> Double {
        meanWait(servers: c, utilization: rho) + 1
    }
}
