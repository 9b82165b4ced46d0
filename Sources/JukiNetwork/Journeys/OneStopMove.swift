import JukiCore
import JukiSimulation

/// The published rules of the one-stop move (引越しワンストップサービス) the model enforces.
///
/// The seed names the service and its systems, not its timings: the municipality "マイナポータルを通じ、転出・転入予約・
/// 転居予約情報を受信する。(住基法第24条の2)" (別添1 1.⑱), and its 申請管理システム manages "引越ワンストップサービスに
/// おける転出届及び転入・転居予約データの処理状況" and passes the filing's data to the register system (I 2 システム8;
/// the CS connector connects to it, システム2 ③). The windows are the municipalities' published rules
/// (`docs/calibration-research.md` § 7).
public enum OneStopRules {
    /// An online 転出届 may be filed from 30 days before the planned move-out ("転出予定日…の30日前から")…
    public static let daysBefore = 30
    /// …to 10 days after moving ("引っ越しをした日から10日以内"): 渋川市, 唐津市, 酒田市, 河内長野市.
    public static let daysAfter = 10
    /// The destination can use the reservation 2–3 business days after the filing ("転入する自治体窓口で手続きが
    /// できるまで、2~3開庁日程度かかります", 酒田市; あきる野市): the visit is no earlier.
    public static let readyBusinessDays = 2...3

    /// Why a filing on `filedOn` for a move-out planned on `plannedMoveOut` is refused (`outsideFilingWindow`), or
    /// `.none`. The model takes the planned date as the day of the move.
    public static func refusal(filedOn: CivilDate, plannedMoveOut: CivilDate) -> FailureReason {
        filedOn < plannedMoveOut.adding(days: -daysBefore) || filedOn > plannedMoveOut.adding(days: daysAfter)
            ? .outsideFilingWindow : .none
    }

    /// The refusal of a filing sent at `sentAt` (µs).
    public static func refusal(sentAt: Int64, plannedMoveOut: CivilDate) -> FailureReason {
        refusal(filedOn: SimulatedTime(microseconds: sentAt).date, plannedMoveOut: plannedMoveOut)
    }
}

extension BranchCounter {
    /// One-stop move (引越しワンストップサービス), the destination's side. Days before the visit the mover filed the
    /// 転出届 and the 来庁予定の連絡 (転入予約) together through Myna Portal (デジタル庁 FAQ: "転出届の提出とあわせて連絡が
    /// 完了します"); the origin processed the move-out in its business hours and its 転出証明書情報 came ahead through
    /// the CS to the application manager (別添1 1.⑱, 住基法第24条の2; I 2 システム8). At the reserved visit (a date,
    /// not a time slot) the clerk takes the reservation and the data from the application manager, which fetches
    /// them from the origin only when they did not come ahead (the slower path, `reservationsFetched`); then card
    /// verification, the record of every member of the household, the move-in notices and card continuation, with
    /// shorter desk work than an ordinary move-in. The special move-in's deadline holds (14 days after moving in).
    mutating func advanceOneStopMove(
        _ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>
    ) {
        let s = slots[Int(slot)]
        switch s.step {
        case 0:
            slots[Int(slot)].step = 1
            guard let request = s.visit.certificateDataRequest else {
                fail(slot, .certificateDataNotFound, &context)
                return
            }
            send(.application(.reservation(request)), hop: .reservation, slot: slot, &context)
        case 1:
            guard let person = response?.person else {
                fail(slot, .certificateDataNotFound, &context)
                return
            }
            let today = SimulatedTime(microseconds: context.now).date
            if SpecialMoveInRule.deadlinePassed(
                today: today, movedIn: s.visit.movedIn, plannedMoveOut: person.plannedMoveOut)
            {
                fail(slot, .deadlinePassed, &context)
                return
            }
            let household = response?.household ?? [person]
            slots[Int(slot)].household = household
            // Every member the filing named is recorded; the visit counts them.
            slots[Int(slot)].visit.persons = UInt8(clamping: max(household.count, 1))
            slots[Int(slot)].step = 2
            send(
                .national(.verifyCard(s.visit.card(.mover(person.residentCode)))), hop: .cardVerification,
                slot: slot, &context)
        case 2:
            finishMoveIn(slot, stage: 0, reason: .specialMoveIn, continueCard: true, &context)
        default:
            finishMoveIn(slot, stage: s.step - 2, reason: .specialMoveIn, continueCard: true, &context)
        }
    }
}
