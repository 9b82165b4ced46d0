import JukiSimulation

/// One estimated default ([E]: a value no source gives) that `jukisim sensitivity` moves up and down.
public struct EstimatedInput: Sendable {
    /// The unit of ``value(in:)``, for reports.
    public enum Unit: String, Sendable, Hashable, Codable {
        /// A probability, 0 to 1.
        case share
        /// Journeys or filings per business day.
        case perDay
        /// Workers or clerks.
        case count
        /// A mean duration, µs.
        case microseconds
        /// A dimensionless multiplier.
        case multiplier
        /// Calendar days.
        case days
    }

    /// Dotted, stable, and the scenario key where one exists (`counters.desk.certificate`).
    public let name: String
    /// Why the value is an estimate, in one line.
    public let reason: String
    public let unit: Unit
    let read: @Sendable (NetworkConfiguration) -> Double
    let write: @Sendable (inout NetworkConfiguration, Double) -> Void

    /// The configuration with this input multiplied by `factor` (1.2 up, 0.8 down): shares stay in [0, 1], counts
    /// round and stay at least 1, durations scale their minimum and their tail alike.
    public func scaled(_ configuration: NetworkConfiguration, by factor: Double) -> NetworkConfiguration {
        var c = configuration
        write(&c, factor)
        return c
    }

    /// The input's value in `configuration`, in ``unit`` (a duration as its mean, clerks as their total).
    public func value(in configuration: NetworkConfiguration) -> Double { read(configuration) }
}

extension EstimatedInput {
    /// Every estimated input of the model. Adding one is one line here; a test checks that each line changes the
    /// configuration it scales. The office-day profile is a shape the rates are normalised over, so it is moved as
    /// its peak height (`workload.dayProfile.peak`), not as a level. Not here: the nightly batches' times of day
    /// (moving a clock time by a percentage means nothing), the light municipalities' own rates (they never reach
    /// the home counters) and the security shares (0 by default: a scenario's choice, not an estimate).
    public static let all: [EstimatedInput] =
        Flow.counterFlows.filter { $0.descriptor.perDay > 0 }.map { rate($0) }
        + Flow.counterFlows.filter { $0.descriptor.desk != nil }.map { desk($0) }
        + [
            clerks("counters.clerks", "clerks per counter: Fujisawa publishes no staffing per branch"),
            peak("workload.dayProfile.peak", "how far the day's half-hour peaks rise above its mean: no hourly counts"),
            seasonal("workload.seasonal", "the month's multiplier of the moving rates (移動報告 shares)"),
            EstimatedInput(
                name: "workload.mainCounterShare",
                reason: "visits going to 本庁 whatever the district: no split published",
                unit: .share,
                read: { c in
                    c.workload.mainCounterShare.values.reduce(0, +) / Double(max(c.workload.mainCounterShare.count, 1))
                },
                write: { c, f in
                    c.workload.mainCounterShare = c.workload.mainCounterShare.mapValues { min(max($0 * f, 0), 1) }
                }),
            share(
                "workload.certificateMoveShare", \.workload.certificateMoveShare,
                "certificates a move brings: no published split"),
            share(
                "workload.numberOnCertificateShare", \.workload.numberOnCertificateShare,
                "certificates asked with the individual number: no published share"),
            share(
                "workload.convenienceStoreShare", \.workload.convenienceStoreShare,
                "certificate demand met at kiosks: no Fujisawa figure"),
            share(
                "workload.entryCertificateShare", \.workload.entryCertificateShare,
                "記載事項証明書 among counter certificates: no published split"),
            share(
                "workload.removedRecordCopyShare", \.workload.removedRecordCopyShare,
                "除票の写し among counter certificates: no published split"),
            share(
                "workload.moverWithoutNumberDocumentShare", \.workload.moverWithoutNumberDocumentShare,
                "movers with neither card nor letter: no figure"),
            share(
                "workload.identitySearch.numberShare", \.workload.numberSearchShare, "searches by individual number"),
            amount(
                "workload.onlineMoveOutsPerDay", \.workload.onlineMoveOutsPerDay, "online move-outs: no city figure"),
            share(
                "workload.specialMoveInShare", \.workload.specialMoveInShare, "move-ins by the card route: no figure"),
            share("workload.cardPresentationShare", \.workload.cardPresentationShare, "certificates asked with a card"),
            share(
                "workload.oneStop.cancellationShare", \.workload.oneStopCancellationShare,
                "one-stop filings withdrawn: cancellations exist (唐津市), no rate"),
            share(
                "workload.oneStop.outsideWindowShare", \.workload.oneStopOutsideWindowShare,
                "one-stop filings outside the online window: no figure"),
            EstimatedInput(
                name: "workload.oneStop.leadDays",
                reason: "how far ahead movers file the one-stop reservation: no figure",
                unit: .days, read: { $0.workload.oneStopLeadDays },
                write: { c, f in c.workload.oneStopLeadDays = min(max(c.workload.oneStopLeadDays * f, 0), 60) }),
            share("workload.relocationReservationShare", \.workload.relocationReservationShare, "relocations booked"),
            share("workload.kanagawaShare", \.workload.kanagawaShare, "move-ins from within Kanagawa: no city figure"),
            share("workload.errors.cardNotBrought", \.workload.cardNotBrought, "special move-ins without the card"),
            share("workload.errors.pinFailure", \.workload.pinFailure, "wrong PINs at the counter"),
            share("workload.errors.cardExpired", \.workload.cardExpired, "expired cards presented"),
            share("workload.errors.cardSuspended", \.workload.cardSuspended, "suspended cards presented"),
            share("workload.errors.cardRevoked", \.workload.cardRevoked, "revoked cards presented"),
            share("workload.errors.certificateDataMissing", \.workload.certificateDataMissing, "move-out data missing"),
            share("workload.errors.deadlinePassed", \.workload.deadlinePassed, "special move-ins past the 14 days"),
            share("workload.identitySearch.basicFactsShare", \.workload.basicFactsSearchShare, "searches by facts"),
            share(
                "workload.identitySearch.insufficientFactsShare", \.workload.insufficientFactsShare,
                "searches with too few facts"),
            share(
                "workload.jlisQuery.basicFactsShare", \.workload.basicFactsQueryShare,
                "queries to J-LIS by basic facts: no figure"),
            share(
                "workload.jlisQuery.codeShare", \.workload.codeQueryShare,
                "queries to J-LIS by resident code: no figure"),
            time("counters.secondCheck", \.service.secondCheck, "a second clerk's check of an entry: no time study"),
            amount(
                "workload.cardApplicationsPerDay", \.workload.cardApplicationsPerDay,
                "card applications to J-LIS: no city figure"),
            share("workload.cardRenewalShare", \.workload.cardRenewalShare, "renewals among card applications"),
            share(
                "workload.wideAreaCardShare", \.workload.wideAreaCardShare,
                "広域交付 visitors showing the card: no split published"),
            amount(
                "workload.wideAreaRequestsPerDay", \.workload.wideAreaRequestsPerDay,
                "広域交付 requests for our residents elsewhere: no count"),
            share(
                "service.newSignatureShare", \.service.newSignatureShare,
                "new signature certificates after a card face change"),
            time("counters.cardFaceChange", \.service.cardFaceChange, "a card face change at the desk: no time study"),
            share(
                "counters.support.deskSaving", \.service.counterSupport.deskSaving,
                "desk time counter support saves on a notice: 都城市's −30 %, not Fujisawa's"),
            share(
                "counters.support.ocrFailureShare", \.service.counterSupport.ocrFailureShare,
                "paper move-out certificates OCR cannot read: no figure"),
            share("workload.saturdayShare", \.workload.saturdayShare, "Saturday visits against a weekday's: no counts"),
            EstimatedInput(
                name: "workload.afterHolidayFactor", reason: "the first day back after a weekend: no counts",
                unit: .multiplier, read: { $0.workload.afterHolidayFactor },
                write: { c, f in c.workload.afterHolidayFactor = max(c.workload.afterHolidayFactor * f, 0) }),
            persons("workload.personsPerNotice.moves", \.workload.movePersons, "persons per move notice: no count"),
            persons(
                "workload.personsPerNotice.relocations", \.workload.relocationPersons,
                "persons per relocation notice: no count"),
            EstimatedInput(
                name: "counters.perExtraPerson", reason: "desk time of each further person on a notice: no time study",
                unit: .microseconds,
                read: { c in
                    c.service.perExtraPerson.values.reduce(0) { $0 + $1.mean }
                        / Double(max(c.service.perExtraPerson.count, 1))
                },
                write: { c, f in c.service.perExtraPerson = c.service.perExtraPerson.mapValues { $0.scaled(by: f) } }),
            time("network.servers.registerSystem.service", \.service.registerOperation, "register system per request"),
            time("network.servers.municipalCS.service", \.service.csOperation, "municipal CS per request"),
            time("network.servers.prefectureServer.service", \.service.prefectureOperation, "prefecture per request"),
            time("network.servers.nationalServer.service", \.service.nationalOperation, "national server per request"),
            time(
                "network.servers.cardManagementSystem.service", \.service.cardSystemOperation,
                "card system per request"),
            count("network.servers.registerSystem.workers", \.service.registerWorkers, "register system workers"),
            count("network.servers.municipalCS.workers", \.service.csWorkers, "municipal CS workers"),
            count("network.servers.prefectureServer.workers", \.service.prefectureWorkers, "prefecture workers"),
            count("network.servers.nationalServer.workers", \.service.nationalWorkers, "national server workers"),
            count("network.servers.cardManagementSystem.workers", \.service.cardSystemWorkers, "card system workers"),
            count("service.otherMunicipalityWorkers", \.service.otherMunicipalityWorkers, "other CSs' workers"),
            batchItem("service.perBatchItem", "extra time per item of a batch: no measured figure"),
        ]
        + LinkKind.allCases.map { link($0) }

    /// The input named `name`, if any.
    public static func named(_ name: String) -> EstimatedInput? { all.first { $0.name == name } }

    // MARK: One constructor per kind of value

    static func rate(_ flow: Flow) -> EstimatedInput {
        EstimatedInput(
            name: "workload.perDay.\(flow.descriptor.name)",
            reason: "\(flow.descriptor.name) persons a day: the city's yearly figure over ≈ 243 business days",
            unit: .perDay, read: { $0.workload.perDay[flow] ?? 0 },
            write: { c, f in
                if let v = c.workload.perDay[flow] { c.workload.perDay[flow] = max(v * f, 0) }
            })
    }

    static func desk(_ flow: Flow) -> EstimatedInput {
        EstimatedInput(
            name: "counters.desk.\(flow.descriptor.name)",
            reason: "a clerk's desk time for \(flow.descriptor.name): no measured figure", unit: .microseconds,
            read: { $0.service.desk[flow]?.mean ?? 0 },
            write: { c, f in c.service.desk[flow] = c.service.desk[flow]?.scaled(by: f) })
    }

    static func clerks(_ name: String, _ reason: String) -> EstimatedInput {
        EstimatedInput(
            name: name, reason: reason, unit: .count, read: { Double($0.counters.reduce(0) { $0 + $1.clerks }) },
            write: { c, f in
                for i in c.counters.indices { c.counters[i].clerks = rounded(c.counters[i].clerks, f) }
            })
    }

    /// Every month's multiplier times the factor (a run may cross months); its value is the starting month's.
    static func seasonal(_ name: String, _ reason: String) -> EstimatedInput {
        EstimatedInput(
            name: name, reason: reason, unit: .multiplier,
            read: { c in
                let month = c.date.components.month
                return c.workload.seasonal.indices.contains(month - 1) ? c.workload.seasonal[month - 1] : 1
            },
            write: { c, f in c.workload.seasonal = c.workload.seasonal.map { max($0 * f, 0) } })
    }

    /// The office-day profile's departures from its mean, times the factor: the day's total stays the same (the
    /// rates are normalised over the profile), only its peaks and troughs move.
    static func peak(_ name: String, _ reason: String) -> EstimatedInput {
        EstimatedInput(
            name: name, reason: reason, unit: .multiplier,
            read: { c in
                let p = c.workload.dayProfile
                let mean = p.reduce(0, +) / Double(max(p.count, 1))
                return mean > 0 ? (p.max() ?? 0) / mean : 0
            },
            write: { c, f in
                // mean + (p − mean) is not always p in floating point: a factor of 1 leaves the profile as it is.
                guard f != 1 else { return }
                let p = c.workload.dayProfile
                let mean = p.reduce(0, +) / Double(max(p.count, 1))
                c.workload.dayProfile = p.map { max(mean + ($0 - mean) * f, 0) }
            })
    }

    /// Persons per notice: the shares of notices for two or more persons times the factor, the single share
    /// taking up the rest (so the mean moves); its value is the mean persons per notice.
    static func persons(
        _ name: String, _ path: any WritableKeyPath<NetworkConfiguration, [Double]> & Sendable, _ reason: String
    ) -> EstimatedInput {
        EstimatedInput(
            name: name, reason: reason, unit: .multiplier,
            read: { c in
                let shares = c[keyPath: path]
                let total = shares.reduce(0, +)
                return total > 0 ? shares.enumerated().reduce(0) { $0 + Double($1.offset + 1) * $1.element } / total : 1
            },
            write: { c, f in
                let shares = c[keyPath: path]
                guard shares.count > 1 else { return }
                let total = shares.reduce(0, +)
                var more = shares.dropFirst().map { $0 * f }
                let moreTotal = more.reduce(0, +)
                // More households than notices exist cannot be: the shares of several persons stay within the whole.
                if moreTotal > total { more = more.map { $0 * total / moreTotal } }
                c[keyPath: path] = [max(total - more.reduce(0, +), 0)] + more
            })
    }

    static func amount(
        _ name: String, _ path: any WritableKeyPath<NetworkConfiguration, Double> & Sendable, _ reason: String
    ) -> EstimatedInput {
        EstimatedInput(
            name: name, reason: reason, unit: .perDay, read: { $0[keyPath: path] },
            write: { c, f in c[keyPath: path] = max(c[keyPath: path] * f, 0) })
    }

    static func share(
        _ name: String, _ path: any WritableKeyPath<NetworkConfiguration, Double> & Sendable, _ reason: String
    ) -> EstimatedInput {
        EstimatedInput(
            name: name, reason: reason, unit: .share, read: { $0[keyPath: path] },
            write: { c, f in c[keyPath: path] = min(max(c[keyPath: path] * f, 0), 1) })
    }

    static func count(
        _ name: String, _ path: any WritableKeyPath<NetworkConfiguration, Int> & Sendable, _ reason: String
    ) -> EstimatedInput {
        EstimatedInput(
            name: name, reason: reason, unit: .count, read: { Double($0[keyPath: path]) },
            write: { c, f in c[keyPath: path] = rounded(c[keyPath: path], f) })
    }

    static func time(
        _ name: String, _ path: any WritableKeyPath<NetworkConfiguration, ServiceTime> & Sendable, _ reason: String
    ) -> EstimatedInput {
        EstimatedInput(
            name: name, reason: reason, unit: .microseconds, read: { $0[keyPath: path].mean },
            write: { c, f in c[keyPath: path] = c[keyPath: path].scaled(by: f) })
    }

    static func batchItem(_ name: String, _ reason: String) -> EstimatedInput {
        EstimatedInput(
            name: name, reason: reason, unit: .microseconds, read: { Double($0.service.perBatchItem) },
            write: { c, f in
                c.service.perBatchItem = SimulatedDuration.saturating((Double(c.service.perBatchItem) * f).rounded())
            })
    }

    static func link(_ kind: LinkKind) -> EstimatedInput {
        EstimatedInput(
            name: "network.links.\(kind.description)",
            reason: "latency of \(kind.description): LAN ≈ 1 ms, WAN 10–25 ms",
            unit: .microseconds,
            read: { c in
                let l = c.links.latency(kind)
                return Double(l.minimum) + l.meanExtra
            },
            write: { c, f in
                let l = c.links.latency(kind)
                // A link's minimum bounds the engine's lookahead: it must stay above 0.
                c.links.latencies[Int(kind.rawValue)] = Latency(
                    minimum: max(1, SimulatedDuration.saturating((Double(l.minimum) * f).rounded())),
                    meanExtra: l.meanExtra * f)
            })
    }

    /// A count times `factor`, to the nearest whole number and at least 1 (a counter or server without workers
    /// would never serve anyone).
    static func rounded(_ n: Int, _ factor: Double) -> Int {
        let v = (Double(n) * factor).rounded()
        return v >= Double(Int.max) ? Int.max : max(1, Int(v))
    }
}
