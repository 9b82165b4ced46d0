import JukiCore
import JukiNetwork
import JukiRegister

/// Builds one case: the person, the filer, the documents and checks with the planted discrepancies written into
/// them, and the expected decision. A rule that cannot be planted (no foreign resident in a small population, no
/// surname with a variant form) is dropped, so `planted` always lists what the case really holds.
struct CaseBuilder {
    let world: World
    let id: Int
    let request: CaseRequest
    var planted: [TrainingRule]
    var personName = ""
    var personCode: String?
    var filer = Filer.person
    var filerName = ""
    var story = ""
    var documents: [CaseDocument] = []
    var checks: [SystemCheck] = []
    var fields: [ExpectedField] = []
    var related: [String] = []
    var numberNeeded = false
    var followUp = ""

    init(world: World, id: Int, request: CaseRequest, planted: [TrainingRule]) {
        self.world = world
        self.id = id
        self.request = request
        self.planted = planted
    }

    var date: CivilDate { world.date }

    /// The visitor's words: their own request, or one made for the person.
    mutating func tell(own: String, for other: String) {
        story = filer == .person ? own : "I am filing for \(personName): \(other)"
    }
    func has(_ rule: TrainingRule) -> Bool { planted.contains(rule) }
    mutating func drop(_ rule: TrainingRule) { planted.removeAll { $0 == rule } }

    mutating func build(_ random: inout RandomStream) {
        switch request {
        case .moveIn, .specialMoveIn, .oneStopMove: buildMoveIn(&random)
        case .relocation: buildRelocation(&random)
        case .birth: buildBirth(&random)
        case .death: buildDeath(&random)
        case .certificate: buildCertificate(&random)
        case .cardCollection: buildCardCollection(&random)
        case .identitySearch: buildSearch(&random)
        }
    }

    func finished() -> TrainingCase {
        let refusing = planted.filter { $0.effect == .refuse }
        let expected = ExpectedDecision(
            verdict: refusing.isEmpty ? .accept : .refuse, reasons: refusing, fields: refusing.isEmpty ? fields : [],
            followUp: refusing.isEmpty ? followUp : refusing.map(\.nextStep).joined(separator: "; "))
        return TrainingCase(
            id: id, request: request, personName: personName, personCode: personCode, filer: filer,
            filerName: filerName, story: story, documents: documents, checks: checks, planted: planted,
            expected: expected, related: related, numberNeeded: numberNeeded,
            standardSeconds: world.standardSeconds(request))
    }

    // MARK: People

    func isAdult(_ r: ResidentRecord) -> Bool { r.birthDate.age(on: world.date) >= 18 }

    /// Records the person the case is about, and the household members the clerk may open.
    mutating func about(_ p: DrawnPerson) {
        personName = p.record.name.fullName
        personCode = p.record.residentCode.description
        related.append(p.record.residentCode.description)
        guard p.register == nil else { return }
        for m in world.home.members(ofHousehold: world.home.householdNumber(of: p.row)) where m != p.row {
            related.append(world.home.record(m).residentCode.description)
        }
    }

    /// Chooses who files for `p`: a stranger without a letter when `proxyWithoutAuthority` is planted; else mostly
    /// the person, sometimes an adult of the household or a delegate with a letter. Returns the filer's record.
    mutating func chooseFiler(
        for p: DrawnPerson, delegates: Bool, delegate: Bool = false, _ random: inout RandomStream
    ) -> ResidentRecord {
        if has(.proxyWithoutAuthority),
            let s = world.person(
                in: nil, &random, where: { isAdult($0) && $0.householdNumber != p.record.householdNumber })
        {
            return filedBy(s.record, .stranger)
        }
        drop(.proxyWithoutAuthority)
        let u = delegate ? 1 : random.nextUnit()
        if u >= 0.7, u < 0.85, let m = world.householdMember(of: p, adult: true) {
            return filedBy(m.record, .household)
        }
        if u >= 0.85, delegates,
            let d = world.person(
                in: nil, &random, where: { isAdult($0) && $0.householdNumber != p.record.householdNumber })
        {
            return filedBy(d.record, .delegate)
        }
        return filedBy(p.record, .person)
    }

    mutating func filedBy(_ r: ResidentRecord, _ kind: Filer) -> ResidentRecord {
        filer = kind
        filerName = r.name.fullName
        if kind != .person { related.append(r.residentCode.description) }
        if kind == .delegate {
            documents.append(
                CaseDocument(
                    .delegationLetter,
                    [
                        .init("委任者 (delegating person)", personName), .init("代理人 (delegate)", r.name.fullName),
                        .init("委任事項 (delegated)", request.japanese), .init("日付 (dated)", "\(date.adding(days: -3))"),
                    ]))
        }
        return r
    }

    /// The filer's identity document; with `identityMismatch` planted its birth date is another year's.
    mutating func identityDocument(of r: ResidentRecord, _ random: inout RandomStream) {
        var birth = r.birthDate
        if has(.identityMismatch) {
            birth = birth.adding(days: 365 * (1 + Int(random.next(below: 3))) + Int(random.next(below: 20)))
        }
        documents.append(
            CaseDocument(
                .driverLicence,
                [
                    .init("氏名 (name)", r.name.fullName), .init("生年月日 (birth date)", "\(birth)"),
                    .init("住所 (address)", r.address.description),
                    .init("有効期限 (valid until)", "\(date.adding(days: 200 + Int(random.next(below: 900))))"),
                ]))
    }

    // MARK: Moves

    mutating func buildMoveIn(_ random: inout RandomStream) {
        let foreign = has(.periodOfStayExpired)
        let variant = has(.variantName)
        let accept: (ResidentRecord) -> Bool = { r in
            r.birthDate.age(on: self.world.date) >= 18 && (!foreign || r.foreign?.expiry != nil)
                && (!variant || (VariantCharacters.hasVariantForm(r.name.surname) && r.name.variantCount == 0))
        }
        var drawn =
            has(.alreadyResident)
            ? world.person(in: nil, &random, where: accept) : world.outsider(&random, where: accept)
        if drawn == nil {
            drop(.periodOfStayExpired)
            drop(.variantName)
            drawn = world.outsider(&random, where: { $0.birthDate.age(on: self.world.date) >= 18 })
        }
        guard let p = drawn else { return }
        about(p)
        let record = p.record
        // The certificate (or the Juki-net's certificate data) writes the name as the 戸籍 does; the resident's own
        // form uses the everyday characters.
        let recorded =
            has(.variantName)
            ? PersonName(
                surname: VariantCharacters.variantForm(record.name.surname), givenName: record.name.givenName,
                surnameKana: record.name.surnameKana, givenNameKana: record.name.givenNameKana)
            : record.name
        personName = recorded.fullName
        let late = has(.deadlinePassed) && request != .moveIn
        let movedIn = date.adding(days: -(late ? 15 + Int(random.next(below: 25)) : 1 + Int(random.next(below: 10))))
        let plannedMoveOut = movedIn.adding(days: -Int(random.next(below: 8)))
        if request != .moveIn,
            SpecialMoveInRule.deadlinePassed(today: date, movedIn: movedIn, plannedMoveOut: plannedMoveOut)
                != has(.deadlinePassed)
        {
            // The model's own rule decides: the dates drawn are what the simulation would judge.
            if has(.deadlinePassed) { drop(.deadlinePassed) } else { planted.append(.deadlinePassed) }
        }
        let newAddress = world.newAddress(&random)
        let origin = world.register(p.register).municipality
        let filerRecord = chooseFiler(for: p, delegates: request == .moveIn, &random)
        var form: [CaseDocument.Line] = [
            .init("届出人 (filer)", filerName), .init("異動者 (person moving)", record.name.substituted.fullName),
            .init("生年月日 (birth date)", "\(record.birthDate)"), .init("性別 (sex)", record.sex.japanese),
            .init("新住所 (new address)", newAddress), .init("前住所 (previous address)", record.address.description),
            .init("異動日 (moved in on)", "\(movedIn)"),
        ]
        if let m = world.householdMember(of: p, adult: false), random.chance(0.3) {
            form.append(.init("同時に異動する世帯員 (members moving too)", m.record.name.fullName))
        }
        documents.append(CaseDocument(.noticeForm, form))
        switch request {
        case .moveIn:
            tell(
                own: "I moved here from \(origin.name) on \(movedIn) and bring the paper move-out certificate.",
                for: "they moved here from \(origin.name) on \(movedIn); here is the paper move-out certificate.")
            if has(.alreadyResident) {
                tell(
                    own: "I moved to a new flat on \(movedIn) and was told to file a move-in.",
                    for: "they moved to a new flat on \(movedIn) and were told to file a move-in.")
            } else {
                documents.append(
                    CaseDocument(
                        .moveOutCertificate,
                        [
                            .init("氏名 (name)", recorded.fullName), .init("生年月日 (birth date)", "\(record.birthDate)"),
                            .init("住所 (address)", record.address.description),
                            .init("転出予定日 (planned move-out)", "\(plannedMoveOut)"),
                            .init("転出先 (moving to)", world.home.municipality.name),
                            .init("証明者 (certified by)", "\(origin.name)長"),
                        ]))
            }
            identityDocument(of: filerRecord, &random)
        case .specialMoveIn, .oneStopMove:
            story =
                request == .oneStopMove
                ? "I filed my move-out and a move-in reservation on Myna Portal and moved in on \(movedIn)."
                : "I moved from \(origin.name) on \(movedIn); I did the move-out there with my card."
            if request == .oneStopMove {
                documents.append(
                    CaseDocument(
                        .oneStopReservation,
                        [
                            .init("氏名 (name)", record.name.fullName), .init("転出元 (from)", origin.name),
                            .init("転入予定日 (planned move-in)", "\(movedIn)"),
                            .init("予約番号 (reservation)", "R\(100_000 + id * 7919 % 900_000)"),
                        ]))
            }
            cardChecks(record, recorded: recorded, origin: origin.name, plannedMoveOut: plannedMoveOut, &random)
        default: break
        }
        if let f = record.foreign { residenceCard(f, name: record.name.fullName, &random) }
        if has(.alreadyResident) {
            checks.append(
                SystemCheck(
                    check: "既存住基の検索 (register search, name and birth date)",
                    result: "住民票あり (an active record here): \(record.address.description)"))
        }
        fields = [
            ExpectedField(.name, recorded.fullName), ExpectedField(.birthDate, "\(record.birthDate)"),
            ExpectedField(.address, newAddress), ExpectedField(.movedIn, "\(movedIn)"),
        ]
        followUp =
            "\(request.flow): the register records the person at the new address; the identity update goes through "
            + "the CS to the prefecture and national servers; the move-in notice goes to \(origin.name)"
            + (request == .moveIn ? "" : "; the card is continued at the card management system")
    }

    /// The card, the PIN and the certificate data of a special move-in or one-stop visit.
    mutating func cardChecks(
        _ record: ResidentRecord, recorded: PersonName, origin: String, plannedMoveOut: CivilDate,
        _ random: inout RandomStream
    ) {
        let year = date.components.year
        if has(.cardNotBrought) {
            story += " I left my My Number card at home."
            identityDocument(of: record, &random)
        } else {
            let expiry =
                has(.cardExpired)
                ? record.birthDate.sameDay(inYear: year - 1 - Int(random.next(below: 2)))
                : record.birthDate.sameDay(inYear: year + 1 + Int(random.next(below: 8)))
            documents.append(
                CaseDocument(
                    .myNumberCard,
                    [
                        .init("氏名 (name)", record.name.fullName), .init("住所 (address)", record.address.description),
                        .init("生年月日 (birth date)", "\(record.birthDate)"), .init("性別 (sex)", record.sex.japanese),
                        .init("有効期限 (valid until)", "\(expiry)"),
                    ]))
            let state =
                has(.cardExpired)
                ? "有効期限切れ (expired on \(expiry))"
                : has(.cardSuspended)
                    ? "一時停止 (suspended: reported lost)" : has(.cardRevoked) ? "廃止 (revoked)" : "有効 (valid)"
            checks.append(SystemCheck(check: "個人番号カードの確認 (card verification, national server)", result: state))
            checks.append(
                SystemCheck(
                    check: "暗証番号の照合 (PIN)",
                    result: has(.pinFailure) ? "3回不一致でロック (wrong three times: locked)" : "一致 (matched)"))
        }
        checks.append(
            SystemCheck(
                check: "転出証明書情報 (certificate data from \(origin))",
                result: has(.certificateDataNotFound)
                    ? "該当なし (none: the origin has recorded no move-out)"
                    : "受信 (received): \(recorded.fullName), 転出予定日 \(plannedMoveOut)"))
    }

    /// A foreign resident's residence card; with `periodOfStayExpired` planted its period of stay has passed.
    mutating func residenceCard(_ f: ForeignResidentData, name: String, _ random: inout RandomStream) {
        let expiry: String
        if has(.periodOfStayExpired) {
            expiry = "\(date.adding(days: -(1 + Int(random.next(below: 90)))))"
        } else if f.expiry != nil {
            expiry = "\(date.adding(days: 60 + Int(random.next(below: 900))))"
        } else {
            expiry = "なし (no expiry: \(f.residenceStatus))"
        }
        documents.append(
            CaseDocument(
                .residenceCard,
                [
                    .init("氏名 (name)", name), .init("国籍・地域 (nationality)", f.nationality),
                    .init("在留資格 (status of residence)", f.residenceStatus),
                    .init("在留期間満了日 (period of stay ends)", expiry),
                    .init("在留カード番号 (card number)", f.residenceCard),
                ]))
    }

    /// The adult the case is about: a resident here, or one of elsewhere when `notResident` is planted.
    mutating func adultOfTheRegister(_ random: inout RandomStream) -> DrawnPerson? {
        let adult: (ResidentRecord) -> Bool = { $0.birthDate.age(on: self.world.date) >= 18 }
        let p = has(.notResident) ? world.outsider(&random, where: adult) : world.person(in: nil, &random, where: adult)
        if let p { about(p) }
        return p
    }

    mutating func buildRelocation(_ random: inout RandomStream) {
        guard let p = adultOfTheRegister(&random) else { return }
        let record = p.record
        let newAddress = world.newAddress(&random)
        let movedIn = date.adding(days: -Int(random.next(below: 14)))
        let filerRecord = chooseFiler(for: p, delegates: true, &random)
        tell(
            own: "I moved to a new home in \(world.home.municipality.name) on \(movedIn).",
            for: "they moved to a new home in \(world.home.municipality.name) on \(movedIn).")
        documents.append(
            CaseDocument(
                .noticeForm,
                [
                    .init("届出人 (filer)", filerName), .init("異動者 (person moving)", record.name.fullName),
                    .init("生年月日 (birth date)", "\(record.birthDate)"), .init("新住所 (new address)", newAddress),
                    .init("旧住所 (old address)", record.address.description), .init("異動日 (moved on)", "\(movedIn)"),
                ]))
        identityDocument(of: filerRecord, &random)
        checks.append(registerSearch(record, here: !has(.notResident)))
        fields = [
            ExpectedField(.name, record.name.fullName), ExpectedField(.birthDate, "\(record.birthDate)"),
            ExpectedField(.address, newAddress), ExpectedField(.movedIn, "\(movedIn)"),
        ]
        followUp =
            "relocation: the register moves the person; the identity update goes up through the CS"
            + (record.cardStatus == .issued ? "; the card's face is updated (券面記載事項変更)" : "")
    }

    func registerSearch(_ record: ResidentRecord, here: Bool) -> SystemCheck {
        SystemCheck(
            check: "既存住基の検索 (register search, name and birth date)",
            result: here ? "住民票あり (active record): \(record.address.description)" : "該当なし (no record here)")
    }

    // MARK: Births and deaths

    mutating func buildBirth(_ random: inout RandomStream) {
        guard
            let mother = world.person(
                in: nil, &random,
                where: { $0.sex == .female && (20...45).contains($0.birthDate.age(on: self.world.date)) })
        else { return }
        let sex: Sex = random.chance(0.5) ? .male : .female
        let given =
            world.person(in: nil, &random, where: { $0.sex == sex && $0.birthDate.age(on: self.world.date) < 30 })?
            .record.name ?? mother.record.name
        let child = PersonName(
            surname: mother.record.name.surname, givenName: given.givenName,
            surnameKana: mother.record.name.surnameKana, givenNameKana: given.givenNameKana)
        let born = date.adding(days: -(1 + Int(random.next(below: 13))))
        about(mother)
        personName = child.fullName
        personCode = nil
        let father = world.householdMember(of: mother, adult: true)
        let filerRecord = father.map(\.record) ?? mother.record
        filer = .household
        filerName = filerRecord.name.fullName
        story = "Our child was born on \(born); the birth filing is with the family-register section."
        documents.append(
            CaseDocument(
                .birthFiling,
                [
                    .init("子の氏名 (child's name)", child.fullName), .init("よみかた (reading)", child.fullKana),
                    .init("生年月日 (born)", "\(born)"), .init("性別 (sex)", sex.japanese),
                    .init("母 (mother)", mother.record.name.fullName),
                    .init("住所 (address)", mother.record.address.description),
                    .init("届出人 (filer)", filerName),
                ]))
        fields = [
            ExpectedField(.name, child.fullName), ExpectedField(.birthDate, "\(born)"),
            ExpectedField(.sex, sex.japanese), ExpectedField(.address, mother.record.address.description),
        ]
        followUp =
            "birth: the family-register system has the register write the child's record; J-LIS designates a "
            + "number (candidates, designation, the notification letter)"
    }

    mutating func buildDeath(_ random: inout RandomStream) {
        guard let p = world.person(in: nil, &random, where: { $0.birthDate.age(on: self.world.date) >= 65 }) else {
            return
        }
        about(p)
        let died = date.adding(days: -Int(random.next(below: 7)))
        var capacity = "同居の親族 (relative living with them)"
        if has(.proxyWithoutAuthority),
            let s = world.person(
                in: nil, &random, where: { isAdult($0) && $0.householdNumber != p.record.householdNumber })
        {
            filer = .stranger
            filerName = s.record.name.fullName
            capacity = "知人 (an acquaintance)"
        } else if let m = world.householdMember(of: p, adult: true) {
            drop(.proxyWithoutAuthority)
            filer = .household
            filerName = m.record.name.fullName
        } else {
            // Living alone: the landlord is among those who must file (戸籍法第87条第1項 第三).
            drop(.proxyWithoutAuthority)
            let landlord = world.person(in: nil, &random, where: { isAdult($0) })
            filer = .delegate
            filerName = landlord?.record.name.fullName ?? "家主"
            capacity = "家主 (the landlord)"
        }
        story = "I am filing the death of \(p.record.name.fullName), who died on \(died)."
        documents.append(
            CaseDocument(
                .deathFiling,
                [
                    .init("死亡者氏名 (deceased)", p.record.name.fullName),
                    .init("生年月日 (birth date)", "\(p.record.birthDate)"), .init("死亡日 (died)", "\(died)"),
                    .init("住所 (address)", p.record.address.description), .init("届出人 (filer)", filerName),
                    .init("届出人の資格 (filer's capacity)", capacity),
                ]))
        fields = [ExpectedField(.name, p.record.name.fullName), ExpectedField(.dateOfDeath, "\(died)")]
        followUp =
            "death: the family-register system has the register remove the record; the identity update goes up; "
            + "the card, if any, lapses"
    }

    // MARK: Certificates, cards and searches

    mutating func buildCertificate(_ random: inout RandomStream) {
        guard let p = adultOfTheRegister(&random) else { return }
        let kind = has(.recordNotRemoved) ? "除票の写し (copy of a removed record)" : "住民票の写し (copy of the record)"
        let copies = 1 + Int(random.next(below: 3))
        if has(.numberNotRequested) { drop(.proxyWithoutAuthority) }
        let filerRecord = chooseFiler(for: p, delegates: true, delegate: has(.numberNotRequested), &random)
        if has(.numberNotRequested), filer == .person || filer == .household {
            drop(.numberNotRequested)
        }
        let asksNumber = has(.numberNotRequested) || ((filer == .person || filer == .household) && random.chance(0.15))
        let includeNumber = asksNumber && !has(.numberNotRequested)
        numberNeeded = includeNumber
        let copiesText = "\(copies) \(copies == 1 ? "copy" : "copies")"
        tell(own: "I need \(copiesText) of my record.", for: "I need \(copiesText) of their record.")
        documents.append(
            CaseDocument(
                .certificateRequest,
                [
                    .init("請求者 (applicant)", filerName), .init("対象者 (person)", p.record.name.fullName),
                    .init("生年月日 (birth date)", "\(p.record.birthDate)"),
                    .init("住所 (address)", p.record.address.description), .init("種類 (kind)", kind),
                    .init("通数 (copies)", "\(copies)"),
                    .init("個人番号の記載 (number on the copy)", asksNumber ? "希望する (wanted)" : "不要 (not wanted)"),
                ]))
        identityDocument(of: filerRecord, &random)
        checks.append(registerSearch(p.record, here: !has(.notResident)))
        fields = [
            ExpectedField(.name, p.record.name.fullName), ExpectedField(.copies, "\(copies)"),
            ExpectedField(.includeNumber, includeNumber ? "yes" : "no"),
        ]
        followUp =
            "certificate: the certificate system prints from the register"
            + (includeNumber ? " with the number (the person's own request)" : " without the number")
    }

    mutating func buildCardCollection(_ random: inout RandomStream) {
        guard let p = world.person(in: nil, &random, where: { $0.birthDate.age(on: self.world.date) >= 15 }) else {
            return
        }
        about(p)
        let filerRecord = chooseFiler(for: p, delegates: true, &random)
        story = "I received the notice that my card is ready."
        if filer != .person { story = "I came to collect the card of \(p.record.name.fullName)." }
        documents.append(
            CaseDocument(
                .cardNotice,
                [
                    .init("氏名 (name)", p.record.name.fullName), .init("生年月日 (birth date)", "\(p.record.birthDate)"),
                    .init("住所 (address)", p.record.address.description),
                    .init("交付期限 (collect by)", "\(date.adding(days: 20 + Int(random.next(below: 60))))"),
                ]))
        identityDocument(of: filerRecord, &random)
        checks.append(SystemCheck(check: "カード管理システム (card system)", result: "製造済・交付待ち (made, waiting)"))
        fields = [ExpectedField(.name, p.record.name.fullName), ExpectedField(.birthDate, "\(p.record.birthDate)")]
        followUp =
            "cardIssuance: the holder sets the PINs; the register records 交付状況; the card system activates the card"
    }

    mutating func buildSearch(_ random: inout RandomStream) {
        let byNumber = has(.numberUseRequired) || (!has(.tooFewFacts) && world.rights.numberUse && random.chance(0.2))
        guard
            let p = world.person(in: nil, &random, where: { !byNumber || $0.individualNumber != nil })
        else { return }
        about(p)
        filer = .person
        filerName = "保険年金課 (health insurance section)"
        numberNeeded = byNumber && world.rights.numberUse
        var lines: [CaseDocument.Line] = [.init("依頼元 (asked by)", filerName)]
        if byNumber, let number = p.record.individualNumber {
            lines.append(.init("個人番号 (individual number)", "\(number)"))
        } else {
            lines.append(.init("氏名 (name)", p.record.name.fullName))
            if has(.tooFewFacts) {
                lines.append(.init("性別 (sex)", p.record.sex.japanese))
            } else if random.chance(0.6) {
                lines.append(.init("生年月日 (birth date)", "\(p.record.birthDate)"))
            } else {
                lines.append(.init("住所 (address)", p.record.address.description))
            }
        }
        story = "The health insurance section asks for the resident code of a person."
        documents.append(CaseDocument(.searchRequest, lines))
        fields = [ExpectedField(.residentCode, p.record.residentCode.description)]
        followUp = "identitySearch: the CS answers from its identity file"
    }
}
