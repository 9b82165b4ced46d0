#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

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

    /// The probability that an arrival waits longer than `t`, with mean service time `s` (same unit as `t`):
    /// C(c, a)·e^{−(c − a)·t/s}. 1 when the queue is unstable (a ≥ c).
    public static func waitExceeds(_ t: Double, servers c: Int, offeredLoad a: Double, meanService s: Double) -> Double
    {
        guard c > 0, a < Double(c), s > 0 else { return 1 }
        let exponent = -(Double(c) - a) * max(t, 0) / s
        return waitProbability(servers: c, offeredLoad: a) * exp(exponent)
    }

    /// The mean wait in the same unit as the mean service time `s`.
    public static func meanWait(servers c: Int, offeredLoad a: Double, meanService s: Double) -> Double {
        guard c > 0, a < Double(c) else { return .infinity }
        return waitProbability(servers: c, offeredLoad: a) * s / (Double(c) - a)
    }

    /// The fewest servers (at least `minimum`, at most `maximum`) whose waits meet the target: at most a share
    /// `1 − quantile` waits longer than `bound` (or, with `quantile` nil, the mean wait is within `bound`).
    public static func servers(
        offeredLoad a: Double, meanService s: Double, bound: Double, quantile: Double?, minimum: Int = 1,
        maximum: Int = 10_000
    ) -> Int {
        var c = max(minimum, 1)
        while c < maximum {
            if let q = quantile {
                if waitExceeds(bound, servers: c, offeredLoad: a, meanService: s) <= 1 - q { return c }
            } else if meanWait(servers: c, offeredLoad: a, meanService: s) <= bound {
                return c
            }
            c += 1
        }
        return maximum
    }
}
