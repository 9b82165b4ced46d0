import Foundation
public import Hummingbird
import JukiTraining
import Synchronization

/// The request context: forms arrive URL-encoded.
public struct TrainingContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    public var requestDecoder: URLEncodedFormDecoder { URLEncodedFormDecoder() }
}

/// The office clock: seconds since the server started, plus what a test adds.
public final class OfficeClock: Sendable {
    let start = ContinuousClock.now
    let offset = Mutex(0.0)

    public init() {}

    /// Office seconds now.
    public var now: Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 + offset.withLock { $0 }
    }

    /// Moves the clock on (tests stand in for a trainee's slow minutes).
    public func advance(by seconds: Double) { offset.withLock { $0 += seconds } }
}

/// The training server's routes: the trainee's counter, the register screens, the trainer's view and exports.
public enum TrainingServer {
    /// The cookie that carries the access token after the login page.
    static let cookie = "jukisim_token"

    /// The application on `host:port` (127.0.0.1 unless told otherwise).
    public static func application(
        office: TrainingOffice, clock: OfficeClock, simulation: OfficeSimulation? = nil, host: String = "127.0.0.1",
        port: Int = 8080
    ) -> some ApplicationProtocol {
        Application(
            router: router(office: office, clock: clock, simulation: simulation),
            configuration: .init(address: .hostname(host, port: port), serverName: "jukisim-train"))
    }

    /// Every route.
    public static func router(
        office: TrainingOffice, clock: OfficeClock, simulation: OfficeSimulation? = nil
    ) -> Router<TrainingContext> {
        let router = Router(context: TrainingContext.self)
        router.get("/") { request, _ -> Response in
            switch await role(request, office) {
            case .trainer: return .redirect(to: "/trainer")
            case .trainee: return .redirect(to: "/counter")
            case nil: return html(Pages.render("login", ["title": "Log in"]))
            }
        }
        router.get("/login") { request, _ -> Response in
            guard let token = request.uri.queryParameters["token"].map(String.init) else {
                return html(Pages.render("login", ["title": "Log in"]))
            }
            return await login(token, office)
        }
        router.post("/login") { request, context -> Response in
            let form = try? await request.decode(as: LoginForm.self, context: context)
            return await login(form?.token ?? "", office)
        }
        router.get("/assets/style.css") { _, _ in asset(Pages.style, type: "text/css; charset=utf-8") }
        router.get("/favicon.ico") { _, _ in asset(Pages.icon, type: "image/svg+xml") }
        router.get("/assets/counter.js") { _, _ in asset(Pages.script, type: "text/javascript; charset=utf-8") }

        // The trainee's counter.
        router.get("/counter") { request, _ -> Response in
            await asTrainee(request, office) { name in
                let state = try await office.counter(name, now: clock.now)
                let status = await simulation?.status(trainee: name, now: clock.now)
                return html(Pages.counter(state, office: status, drill: office.book.drill, message: nil))
            }
        }
        router.get("/counter/status.json") { request, _ -> Response in
            await asTrainee(request, office) { name in
                let s = try await office.counter(name, now: clock.now)
                let body =
                    "{\"queue\":\(s.queue),\"remaining\":\(s.remaining),\"clock\":\"\(Pages.clock(s.elapsed))\","
                    + "\"atDesk\":\(s.current.map { String($0.id) } ?? "null"),\"finished\":\(s.finished)}"
                return asset(body, type: "application/json")
            }
        }
        router.post("/counter/call") { request, _ -> Response in
            await counterAction(request, office, clock) { name in try await office.call(name, now: clock.now) }
        }
        router.post("/counter/search") { request, context -> Response in
            let form = (try? await request.decode(as: SearchForm.self, context: context)) ?? SearchForm()
            return await counterAction(request, office, clock) { name in
                try await office.search(name, form, now: clock.now)
            }
        }
        router.post("/counter/decide") { request, context -> Response in
            let form = (try? await request.decode(as: DecisionForm.self, context: context)) ?? DecisionForm()
            return await counterAction(request, office, clock) { name in
                if let accepted = try await office.decide(name, form, now: clock.now), let simulation {
                    await simulation.accept(
                        accepted.request.flow, failure: accepted.networkFailure, trainee: name, now: clock.now)
                }
            }
        }
        router.post("/counter/finish") { request, _ -> Response in
            await counterAction(request, office, clock) { name in try await office.finish(name, now: clock.now) }
        }
        router.get("/counter/record/{code}") { request, context -> Response in
            let code = context.parameters.get("code") ?? ""
            return await asTrainee(request, office) { name in
                html(Pages.record(try await office.open(name, code: code, revealNumber: false, now: clock.now)))
            }
        }
        router.post("/counter/record/{code}/number") { request, context -> Response in
            let code = context.parameters.get("code") ?? ""
            return await asTrainee(request, office) { name in
                html(Pages.record(try await office.open(name, code: code, revealNumber: true, now: clock.now)))
            }
        }
        router.get("/counter/score") { request, _ -> Response in
            await asTrainee(request, office) { name in html(Pages.score(try await office.score(name), back: "/counter"))
            }
        }

        // The trainer.
        router.get("/metrics") { request, _ -> Response in
            await asTrainer(request, office) {
                asset(
                    await TrainingMetrics.text(office: office, clock: clock, simulation: simulation),
                    type: "text/plain; version=0.0.4; charset=utf-8")
            }
        }
        router.get("/trainer") { request, _ -> Response in
            await asTrainer(request, office) { html(Pages.trainer(office.book, scores: await office.cohort())) }
        }
        router.get("/trainer/results.csv") { request, _ -> Response in
            await asTrainer(request, office) {
                asset(Cohort.csv(await office.cohort()), type: "text/csv; charset=utf-8")
            }
        }
        router.get("/trainer/results.json") { request, _ -> Response in
            await asTrainer(request, office) {
                try json(MarkedExport(drill: office.book.drill, scores: await office.cohort()))
            }
        }
        router.get("/trainer/cases") { request, _ -> Response in
            await asTrainer(request, office) { html(CaseSheets.sheets(office.book)) }
        }
        router.get("/trainer/answer-key") { request, _ -> Response in
            await asTrainer(request, office) { html(CaseSheets.answerKey(office.book)) }
        }
        router.get("/trainer/session/{name}") { request, context -> Response in
            let name = context.parameters.get("name") ?? ""
            return await asTrainer(request, office) {
                html(Pages.score(try await office.score(name), back: "/trainer"))
            }
        }
        router.get("/trainer/session/{name}/log.json") { request, context -> Response in
            let name = context.parameters.get("name") ?? ""
            return await asTrainer(request, office) {
                try json(MarkedExport(drill: office.book.drill, log: try await office.log(name)))
            }
        }
        return router
    }

    /// A JSON export: the synthetic-data notice first, the drill, then the scores or a session's log.
    struct MarkedExport: Encodable {
        var synthetic = CaseSheets.syntheticNotice
        var drill: String
        var seed: UInt64
        var scores: [SessionScore]?
        var log: SessionLog?

        init(drill: Drill, scores: [SessionScore]? = nil, log: SessionLog? = nil) {
            self.drill = drill.name
            seed = drill.seed
            self.scores = scores
            self.log = log
        }
    }

    /// The login form.
    struct LoginForm: Decodable {
        var token: String?
    }

    static func login(_ token: String, _ office: TrainingOffice) async -> Response {
        guard let role = await office.role(token: token) else {
            var r = html(
                Pages.render(
                    "login", ["title": "Log in", "message": "token: not a token of this training session"]))
            r.status = .unauthorized
            return r
        }
        var r = Response.redirect(to: role == .trainer ? "/trainer" : "/counter")
        r.setCookie(Cookie(name: cookie, value: token, path: "/", httpOnly: true, sameSite: .strict))
        return r
    }

    static func role(_ request: Request, _ office: TrainingOffice) async -> Role? {
        var token = request.cookies[cookie]?.value
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            token = String(header.dropFirst(7))
        }
        guard let token else { return nil }
        return await office.role(token: token)
    }

    static func asTrainee(
        _ request: Request, _ office: TrainingOffice, _ body: (String) async throws -> Response
    ) async -> Response {
        switch await role(request, office) {
        case .trainee(let name): return await guarded { try await body(name) }
        case .trainer: return failure(.forbidden, "the trainer's token opens the trainer's view, not a counter")
        case nil: return failure(.unauthorized, "log in with your token first")
        }
    }

    static func asTrainer(_ request: Request, _ office: TrainingOffice, _ body: () async throws -> Response) async
        -> Response
    {
        switch await role(request, office) {
        case .trainer: return await guarded(body)
        case .trainee: return failure(.forbidden, "the trainer's pages need the trainer's token")
        case nil: return failure(.unauthorized, "log in with your token first")
        }
    }

    /// Runs a counter action and goes back to the counter (303), or shows the counter with the error.
    static func counterAction(
        _ request: Request, _ office: TrainingOffice, _ clock: OfficeClock,
        _ action: @escaping (String) async throws -> Void
    ) async -> Response {
        await asTrainee(request, office) { name in
            do {
                try await action(name)
                return .redirect(to: "/counter")
            } catch let e as TrainingError {
                let state = try await office.counter(name, now: clock.now)
                var r = html(Pages.counter(state, office: nil, drill: office.book.drill, message: e.description))
                r.status = status(e.status)
                return r
            }
        }
    }

    static func guarded(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let e as TrainingError {
            return failure(status(e.status), e.description)
        } catch {
            return failure(.internalServerError, "\(error)")
        }
    }

    static func status(_ s: TrainingError.Status) -> HTTPResponse.Status {
        switch s {
        case .badRequest: .badRequest
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        }
    }

    static func failure(_ status: HTTPResponse.Status, _ message: String) -> Response {
        var r = html(
            Pages.render(
                "error",
                ["title": "\(status.code)", "status": "\(status.code) \(status.reasonPhrase)", "message": message]))
        r.status = status
        return r
    }

    static func html(_ text: String) -> Response { asset(text, type: "text/html; charset=utf-8") }

    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .contentSecurityPolicy: "default-src 'self'; style-src 'self' 'unsafe-inline'",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return asset(String(decoding: try encoder.encode(value), as: UTF8.self) + "\n", type: "application/json")
    }
}
