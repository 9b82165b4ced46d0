"""The JSON Schema of summary.json (Scenarios/summary.schema.json), and a check of summaries against it.

The schema mirrors the Swift types in Sources/JukiScenario/Summary.swift; SummarySchemaTests checks the two against
each other (every key the types write is in the schema, every key of the schema is written, with its JSON type).
Per kind (run, load, sweep, canary, capacity) it names the blocks a summary has and the ones it must not have.

Usage:
    python3 Scripts/summary_schema.py                 # write Scenarios/summary.schema.json
    python3 Scripts/summary_schema.py --check         # exit 1 if the committed schema is not what this writes
    python3 Scripts/summary_schema.py FILE.json ...   # validate summaries (needs: pip install jsonschema)
"""
import json
import pathlib
import sys

SCHEMA_PATH = pathlib.Path(__file__).resolve().parent.parent / "Scenarios" / "summary.schema.json"


def obj(props, required=None, optional=()):
    p = dict(props)
    req = sorted(k for k in p if k not in optional) if required is None else required
    return {"type": "object", "properties": p, "required": req, "additionalProperties": False}
I = {"type": "integer", "minimum": 0}
N = {"type": "number"}
NN = {"type": "number", "minimum": 0}
S = {"type": "string"}
B = {"type": "boolean"}
ref = lambda n: {"$ref": f"#/$defs/{n}"}
mapOf = lambda s: {"type": "object", "additionalProperties": s}
defs = {
 "latency": dict(obj({"count": I, **{k: NN for k in ["mean","p50","p90","p95","p99","p999","max"]},
   "histogram": {"type": "string", "pattern": "^HISTF[A-Za-z0-9+/]+=*$"}}, optional=("histogram",)),
   description="Mean, percentiles and maximum in seconds (HdrHistogram, 3 significant digits); histogram: the "
     "distribution in µs, HdrHistogram's compressed V2 encoding in base64 (what jukisim merge adds)."),
 "suite": dict(obj({"name": S, "jobs": I, "entries": {"type": "array", "items": obj({"name": S, "file": S,
   "folder": S, "startAfter": S, "exitCode": I, "startSeconds": NN, "wallSeconds": NN, "error": S, "baseline": S,
   "baselinePassed": B, "baselineFailures": {"type": "array", "items": S}, "summary": {"$ref": "#"}},
   optional=("startAfter", "error", "baseline", "baselinePassed", "baselineFailures", "summary"))}}),
   description="A suite run (jukisim run SUITE.yaml): each entry's exit code, wall times, baseline comparison and "
     "summary."),
 "merged": dict(obj({"inputs": {"type": "array", "minItems": 2, "items": obj({"scenario": S, "seed": I,
   "digest": S, "wallSeconds": NN}, optional=("digest", "wallSeconds"))},
   "upperBounds": {"type": "array", "items": S}}),
   description="Written by jukisim merge: the summaries it combined, and the paths whose figure is the largest "
     "of the inputs' (a percentile kept without its histogram: an upper bound on the union's)."),
 "simulated": obj({"start": S, "end": S, "endSeconds": NN}, optional=("endSeconds",)),
 "allocator": obj({"name": S, "allocatedBytes": I, "residentBytes": I}, optional=("allocatedBytes","residentBytes")),
 "wall": dict(obj({"seconds": NN, "eventsPerSecond": NN, "customersPerSecond": NN, "journeysPerSecond": NN,
   "allocator": ref("allocator")}, optional=("customersPerSecond","journeysPerSecond","allocator")),
   description="Machine-dependent: the only block that may differ between runs with the same seed."),
 "journey": obj({"started": I, "completed": I, "persons": I, "failed": mapOf(I), "latencySeconds": ref("latency"),
   "hops": mapOf(ref("latency"))}),
 "counter": obj({"clerks": I, "served": I, "waitSeconds": ref("latency"), "utilization": NN,
   "overtimeSeconds": NN, "servedAfterHours": I, "sentHome": I, "maxQueue": I,
   "secondChecks": I, "secondCheckSeconds": NN, "contractors": I, "servedByContractors": I, "contractorSeconds": NN,
   "clerkHours": NN, "abandoned": I, "balked": I, "balkedElsewhere": I, "balkedLater": I},
   optional=("contractors", "servedByContractors", "contractorSeconds", "clerkHours", "abandoned", "balked",
             "balkedElsewhere", "balkedLater")),
 "node": obj({"handled": I, "utilization": NN, "unhandled": mapOf(I)}, optional=("utilization",)),
 "invariants": obj({k: I for k in ["duplicateResidentCodes","duplicateIndividualNumbers","pendingUpdates",
   "lostUpdates","unhandledMessages","arrivals","completed","failed","inProgress","addresseeMismatches",
   "copyMismatches","unrecordedProvisions","provisionsOffList","unrecordedTransfers","numbersOutsideNumberUse"]} |
   {"pendingReasons": mapOf(I), "hold": B},
   optional=("addresseeMismatches","copyMismatches","unrecordedProvisions","provisionsOffList",
     "unrecordedTransfers","numbersOutsideNumberUse")),
 "threshold": obj({"metric": S, "expression": S, "ok": B, "value": N}, optional=("value",)),
 "engine": obj({"events": I, "windows": I, "messages": I, "digest": {"type": "string", "pattern": "^[0-9a-f]+$"}},
   optional=("messages",)),
 "auditTrail": obj({"records": I, "head": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "view": I, "change": I,
   "batch": I, "provision": I, "refusal": I}),
 "audit": obj({"registerSystem": ref("auditTrail"), "municipalCS": ref("auditTrail")}),
 "security": obj({"mutualAuthentication": obj({"enabled": B, "sessions": I, "macsSealed": I, "macsVerified": I,
   "refusedRevoked": I, "refusedBadMAC": I}), "refusals": mapOf(I), "certificatesWithNumber": I, "numberOmitted": I, "auditedRefusals": I}),
 "outbox": obj({"batches": I, "updates": I, "retries": I, "maxBacklog": I, "drainSeconds": NN, "waiting": I}),
 "faults": obj({"injected": I, "byKind": mapOf(I), "affectedMessages": I, "retried": I, "retransmissions": I,
   "outboxRetries": I, "counterRetries": I, "unavailable": I, "duplicatesIgnored": I, "maxBacklog": I,
   "timeToDrainSeconds": NN, "waiting": I, "droppedUpdates": I, "storeAndForward": B, "lostUpdates": I,
   "divergenceFound": I, "divergenceAfterReconciliation": I, "outboxes": mapOf(ref("outbox"))},
   optional=("divergenceFound","divergenceAfterReconciliation")),
 "retention": obj({k: I for k in ["provisionRetentionYears","provisionRecordsExpired","removedRecordRetentionYears",
   "removedRecordsExpunged","removedRecordsKept","deliveryRecordsSent","deliveryRecordsDeleted","deliveryRecordsHeld"]}),
 "searchOutcomes": obj({"found": I, "notFound": I, "refused": I}),
 "searchKeys": obj({k: ref("searchOutcomes") for k in ["code", "number", "basicFacts"]}),
 "searches": dict(obj({k: ref("searchKeys") for k in ["municipalCS", "prefectureServers", "nationalServer",
   "jlisQueries"]}), description="Identity searches by where they were decided (the CS's own file or a refusal "
   "there, the prefecture servers, the national server) and queries to J-LIS, by key and outcome."),
 "consistency": obj({"checks": I, "records": I, "extractBytes": I, "prefectureDifferences": I,
   "nationalDifferences": I, "remaining": I, "durationSeconds": NN}, optional=("durationSeconds",)),
 "exOfficio": obj({k: I for k in ["runs","removals","entries","cardsRevoked"]}),
 "addressee": dict(obj({"entries": I, "batches": I, "records": I, "issued": I, "numberDesignations": I,
   "numberChanges": I, "returnsMatched": I, "refused": I, "utilization": NN, "waitP95Seconds": NN,
   "pendingRecords": I, "agreesWithRegister": B}, optional=("agreesWithRegister",)),
   description="The unified addressee system (団体内統合宛名システム): records taken from the register system, "
   "numbers issued, individual numbers designated and changed under a kept unified number, returns matched, "
   "refusals, its load, and whether it agrees with the register (absent while records are in flight)."),
 "certificates": dict(obj({"counter": mapOf(I), "convenienceStore": mapOf(I), "withNumber": I, "withCode": I,
   "feesYen": mapOf(I), "refused": mapOf(I), "utilization": NN, "auditRecords": I,
   "wideArea": obj({**{k: I for k in ["answeredByOthers", "refusedByOthers", "requestsFromOthers", "notifiedToOthers",
     "refusedForOthers", "printedElsewhere", "inFlight"]}, "answerP95Seconds": NN})}, optional=("wideArea",)),
   description="The certificate system (証明交付システム): certificates at the counters and at convenience stores' kiosks "
   "(コンビニ交付) by kind, those with the number or the resident code on request, fees in yen by channel, refusals by "
   "reason, its printer's utilisation and its audit records; `wideArea`: 広域交付 both ways (copies of other "
   "municipalities' residents printed here and their answers; their requests for ours, notified by the register, "
   "refused, printed there, in flight, and the answer p95)."),
 "foreignResidents": dict(obj({k: I for k in ["extensionsNotified", "lapsesNotified", "amended", "removed",
   "unmatched", "reportsSent", "reportsReceived", "followed"]}),
   description="Foreign residents (別添1 ⑤⑥): periods of stay the Immigration Services Agency notified as extended or "
   "lapsed, the register's amendments and ex-officio removals, notices for nobody on the register, reports of "
   "foreign residents' changes sent to the Minister and received, and the residents the agency follows."),
 "estimate": dict(obj({"mean": N, "halfWidth": NN, "low": N, "high": N, "standardDeviation": NN, "minimum": N,
   "maximum": N, "values": {"type": "array", "items": N}}, optional=("values",)),
   description="A metric's mean over the replications and its 95 % confidence interval (Student's t); `values`, each "
   "replication's value in order, for journey times and counter waits (what `compare --significance` pairs)."),
 "replicatedThreshold": obj({"metric": S, "expression": S, "ok": B, "passedIn": I, "estimate": ref("estimate")},
   optional=("estimate",)),
 "replications": dict(obj({"count": I, "seeds": {"type": "array", "items": I}, "relativeHalfWidthTarget": NN,
   "absoluteHalfWidthSeconds": NN, "headline": {"type": "array", "items": S}, "widest": S, "widestRelativeHalfWidth": NN, "enough": B,
   "replicationsNeeded": I, "metrics": mapOf(ref("estimate")),
   "thresholds": {"type": "array", "items": ref("replicatedThreshold")}, "warmUpSeconds": NN},
   optional=("widest", "widestRelativeHalfWidth", "warmUpSeconds")),
   description="A replicated run (`replications`, `--replications`): the replications' seeds (the first is the root "
   "seed: the rest of the summary is that run's), every numeric metric's estimate by its JSON path (the wall clock's "
   "apart), the headline metrics the rule judges (a counter flow's p95 journey time with 30 completions or more, a "
   "counter's mean wait of a minute or more), the widest of them against the rule (a half-width within "
   "relativeHalfWidthTarget of the mean or absoluteHalfWidthSeconds, whichever is larger) with its relative "
   "half-width, whether every one is within it, the replications that would be, and the thresholds checked on the means."),
 "familyRegister": dict(obj({k: I for k in ["birthsFiled", "deathsFiled", "recordedHere", "sentToDomicile",
   "birthNotices", "deathNotices", "noticesUnmatched", "attachmentNotices", "attachmentsKept", "attachmentsSentOn",
   "mismatches", "correctionsSent", "correctionsApplied", "correctionsUnmatched"]}),
   description="The 戸籍 side (別添1 ⑦⑨⑩): births and deaths filed at the counters (戸籍 entries made here or 届書 sent "
   "to the 本籍地), those filed elsewhere that arrived as notices (and those for nobody on the register), the "
   "register's 附票 notices (kept here, sent on to the 本籍地), the mismatches answered and the register's corrections."),
 "variantCharacters": dict(obj({k: I for k in ["residents", "identityEntries", "certificates",
   "lettersWithSubstitutes", "corrections"]}),
   description="外字 (別添2【2】【3】): active residents whose name holds variant characters, the CS's identity entries "
   "carrying the count, certificates printed with them, notification letters whose delivery record carried 代替文字, "
   "and names corrected to the 戸籍's form (別添1 ⑦)."),
 "nation": dict(obj({"municipalities": I, "clerks": I, "served": mapOf(I), "waitP50Minutes": I,
   "waitP95Minutes": I, "waitP99Minutes": I, "longestWaitSeconds": NN, "longestQueue": I, "waitingAtEnd": I,
   "utilization": NN, **{k: I for k in ["movedOut", "movedIn", "moveInNoticesSent", "moveInNoticesAcknowledged",
   "moveInNoticesReceived", "notFound", "refused"]}, "busiest": {"type": "array", "items": obj({"municipality": S,
   "name": S, "clerks": I, "served": I, "waitP95Minutes": I, "utilization": NN})}}),
   description="A nationwide network's other municipalities (population.others.prefectures): their count and clerks, "
   "notices served at their counters by kind, waits in minutes (upper edges of one-minute buckets), utilisation, "
   "their residents' moves between them and the five with the longest p95 waits."),
 "departments": dict(obj({"transferRecords": I, "transferredWithNumber": I, "transferredWithoutNumber": I,
   "byDepartment": mapOf(obj({"japanese": S, "numberUse": B, **{k: I for k in ["batches", "records", "withNumber",
     "lookups", "lookupsAnswered", "lookupsNotFound", "numbersShown", "numbersMasked"]},
     "lookupP95Seconds": NN, "utilization": NN}))}),
   description="Transfers to the city's departments (庁内連携, 別添1 ⑫, 別添5): the register's transfer records (kept 7 "
   "years), persons transferred with the number (to number-use work) and without, and per department what it "
   "received and its look-ups in the unified addressee system (numbers shown to number-use work only)."),
 "counterSupport": dict(obj({"drafted": mapOf(I), **{k: I for k in ["enteredByHand", "ocrReads", "ocrFailures",
   "registerReads", "searches", "searchMisses", "auditRecords"]}, **{k: NN for k in ["answerP95Seconds",
   "utilization", "deskHoursSaved"]}}),
   description="The counter support system (窓口業務支援システム): notices drafted for the clerks by flow, those entered by "
   "hand after all (OCR failed, or the system out of reach), OCR reads and failures, records read from the register, "
   "届出書検索 by second clerks and those that found nothing, a draft's answer p95, its utilisation, the clerks' desk "
   "hours saved and its audit records."),
 "informationSharing": dict(obj({**{k: I for k in ["requests", "refusedByNetwork", "forwarded", "provided",
   "providedAfterReview", "refusedByServer", "notFound", "inFlight", "copyRecords", "copiesRefused", "codesObtained",
   "pendingCopies", "networkRecords", "serverRecords", "recordsExpired", "provisionsOffList"]},
   **{k: NN for k in ["automaticP95Seconds", "reviewedP50Seconds", "reviewedP95Seconds", "reviewWaitP95Seconds",
   "clerkUtilization", "serverUtilization"]}, "copyAgreesWithRegister": B, "serverRecordsHead": S},
   optional=("copyAgreesWithRegister",)),
   description="Information sharing (情報提供ネットワークシステム): other bodies' requests, refused by the network when not "
   "on the permission list, answered by the intermediate server (中間サーバ) at once or after a clerk's review "
   "(自動応答不可フラグ), or refused there; answer times; the copy (副本) and whether it agrees with the register "
   "(absent while records are in flight); the records of provision (情報提供等記録)."),
 "cards": obj({k: I for k in ["applications","renewals","manufactured","issuanceNotices",
   "numberNotificationLetters","handedOver","continuations","lapsed","revocations","faceChanges",
   "signatureCertificatesLapsed","signatureCertificatesIssued","certificatesRenewed","expired","expiryNotices",
   "certificateExpiryNotices","serialsLinked"]}),
 "oneStop": dict(obj({"outgoing": obj({k: I for k in ["filings", "refusedOutsideWindow", "cancelled"]}),
   "incoming": obj({k: I for k in ["filings", "refusedOutsideWindow", "cancelled", "processedAtOrigins",
     "waitingAtOrigins", "dataAhead", "servedFromDataAhead", "fetchedAtVisit", "reservationsHeld"]})}),
   description="One-stop moves from Myna Portal: online move-outs (filed, refused outside the window, withdrawn) "
   "and movers' reservations (the same, processed at the origin, data come ahead, served from it or fetched at "
   "the visit, still held)."),
 "load": obj({"profile": obj({"startRate": NN, "stages": {"type": "array", "items": obj({"seconds": NN, "target": NN})},
   "delayScale": NN, "maxLatenessSeconds": NN}), "mix": mapOf(NN), "intended": I, "issued": I, "late": I,
   "dropped": I, "finished": I, "inProgress": I, "targetRate": NN, "achievedRate": NN, "achievedShare": NN,
   "latencySeconds": ref("latency"), "uncorrectedLatencySeconds": ref("latency"),
   "generator": obj({"schedulerLagSeconds": ref("latency"), "idleShare": NN, "cpuShare": NN, "cores": I,
     "saturated": B})}),
 "canary": obj({"points": I, "servers": I, "utilization": NN, "meanServiceSeconds": NN, "customers": I,
   "meanTimeInSystem": NN, "meanWait": NN, "erlangCMeanTimeInSystem": NN, "deviation": N, "maxQueue": I}),
 "sweep": obj({"parameter": S, "values": {"type": "array", "items": S}}),
 "variant": obj({"value": S, "folder": S, "summary": {"$ref": "#"},
   "counters": obj({"served": I, "waitSeconds": ref("latency"), "utilization": NN, "maxQueue": I})}),
 "capacity": obj({"percentile": NN, "limitSeconds": NN, "stepSeconds": NN, "highestSustainableRate": NN,
   "steps": {"type": "array", "items": obj({"rate": NN, "achievedRate": NN, "pass": B, "dropped": I, "late": I,
     "latencySeconds": ref("latency"), "uncorrectedLatencySeconds": ref("latency"),
     "generator": obj({"schedulerLagP99Seconds": NN, "cpuShare": NN, "saturated": B})})}},
   optional=("highestSustainableRate",)),
}
blocks = {"simulated": ref("simulated"), "wall": ref("wall"), "journeys": mapOf(ref("journey")),
  "counters": mapOf(ref("counter")), "nodes": mapOf(ref("node")), "invariants": ref("invariants"),
  "thresholds": {"type": "array", "items": ref("threshold")}, "engine": ref("engine"), "audit": ref("audit"),
  "security": ref("security"), "faults": ref("faults"), "retention": ref("retention"),
  "consistency": ref("consistency"), "cards": ref("cards"), "exOfficio": ref("exOfficio"), "oneStop": ref("oneStop"),
  "addressee": ref("addressee"), "informationSharing": ref("informationSharing"),
  "certificates": ref("certificates"), "counterSupport": ref("counterSupport"), "departments": ref("departments"),
  "foreignResidents": ref("foreignResidents"),
  "familyRegister": ref("familyRegister"), "variantCharacters": ref("variantCharacters"), "nation": ref("nation"),
  "replications": ref("replications"),
  "searches": ref("searches"), "load": ref("load"),
  "canary": ref("canary"), "sweep": ref("sweep"), "variants": {"type": "array", "items": ref("variant")},
  "capacity": ref("capacity"), "merged": ref("merged"), "suite": ref("suite")}
top = {"schemaVersion": {"const": 5}, "kind": {"enum": ["run", "sweep", "canary", "load", "capacity", "suite"]},
  "scenario": S, "seed": I, "clock": {"enum": ["virtual", "wall"]}} | blocks
run_blocks = ["simulated","journeys","counters","nodes","invariants","thresholds","engine","audit","security",
  "faults","retention"]
kinds = {
  # A sweep's variants are runs without `wall`, so `wall` is not required of a run.
  "run": run_blocks, "load": run_blocks + ["wall", "load"], "canary": ["simulated","wall","canary","thresholds","engine"],
  "sweep": ["sweep","wall","variants"], "capacity": ["capacity"], "suite": ["suite", "wall"],
}
schema = {
 "$schema": "https://json-schema.org/draft/2020-12/schema",
 "$id": "https://jukisim.invalid/summary.schema.json",
 "title": "jukisim summary.json",
 "description": "What `jukisim run` writes and `jukisim compare` reads (Sources/JukiScenario/Summary.swift). "
   "Durations are seconds. SummarySchemaTests checks this file against the Swift types; CI validates every "
   "summary it produces against it.",
 "type": "object", "properties": top, "required": ["schemaVersion","kind","scenario","seed","clock"],
 "additionalProperties": False,
 "allOf": [{"if": {"properties": {"kind": {"const": k}}}, "then": {"required": v,
   "properties": {b: False for b in blocks if b not in v and not (k == "run" and b == "wall")
     and not (b == "merged" and k in ("run", "load", "sweep"))
     and not (k in ("run", "load") and b in ("consistency", "searches", "cards", "exOfficio", "oneStop",
       "addressee", "informationSharing", "certificates", "counterSupport", "departments", "foreignResidents", "familyRegister",
       "variantCharacters", "nation", "replications"))}}}
   for k, v in kinds.items()],
 "$defs": defs,
}


def text() -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(args: list[str]) -> int:
    if not args:
        SCHEMA_PATH.write_text(text(), encoding="utf-8")
        print(f"wrote {SCHEMA_PATH}")
        return 0
    if args == ["--check"]:
        if SCHEMA_PATH.read_text(encoding="utf-8") != text():
            print(f"FAIL: {SCHEMA_PATH} is not what Scripts/summary_schema.py writes: run it and commit the result")
            return 1
        print(f"{SCHEMA_PATH.name} is current")
        return 0
    import jsonschema  # only validation needs it

    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failed = 0
    for path in args:
        try:
            document = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            print(f"FAIL {path}: cannot read it as JSON ({error})")
            failed += 1
            continue
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        for e in errors[:10]:
            where = "/".join(str(p) for p in e.absolute_path) or "(top)"
            print(f"FAIL {path}: {where}: {e.message}")
        failed += bool(errors)
    print(f"summaries valid against {SCHEMA_PATH.name}: {len(args) - failed} of {len(args)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
