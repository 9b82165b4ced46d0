import JukiCore
import JukiSimulation

/// Poisson arrivals over office hours: the office time (08:30–17:15 of business days) is laid end to end, an
/// exponential gap drawn on it, and the instant found on the calendar. One place, so every node that asks at the
/// city's desks in office hours (departments, other municipalities' counters) draws them the same way.
enum OfficeArrivals {
    /// The instant `perDay` arrivals a business day put after `time`, or nil when it falls at or after `end`.
    static func next(
        after time: Int64, perDay: Double, end: Int64, _ random: inout RandomStream
    ) -> Int64? {
        guard perDay > 0 else { return nil }
        let calendar = BusinessCalendar.standard
        let open = calendar.closing - calendar.opening
        var gap = SimulatedDuration.saturating(random.nextExponential(mean: Double(open) / perDay))
        var day = SimulatedTime(microseconds: time).date
        // Every day up to the end, and one more: the gap may run past weekends and holidays.
        let days = max(0, (end - time) / SimulatedTime.microsecondsPerDay) + 2
        for _ in 0..<days {
            let midnight = SimulatedTime(date: day).microseconds
            guard midnight < end else { return nil }
            if calendar.isBusinessDay(day) {
                let from = max(time, midnight + calendar.opening)
                let left = midnight + calendar.closing - from
                if left > gap { return from + gap < end ? from + gap : nil }
                gap -= max(left, 0)
            }
            day = day.adding(days: 1)
        }
        return nil
    }
}
