import Foundation
import Hummingbird
import Logging
import Minnow
import ServerAPI

/// The OpenAI-compatible HTTP API over a ``BatchGenerator``: `POST /v1/chat/completions`,
/// `POST /v1/completions`, `GET /v1/models`, `GET /health` and `GET /metrics`.
///
/// Requests share the generator's slots (each forward pass serves every running request);
/// up to ``ServerConfiguration/queueCapacity`` more wait, and beyond them the answer is 429.
/// Every failure is an OpenAI-shaped error body; a request never disturbs the others.
public final class OpenAIServer: Sendable {
    /// The generator the requests share.
    public let generator: BatchGenerator
    /// Limits, access and defaults.
    public let configuration: ServerConfiguration
    /// The requests being served.
    public let registry: RunRegistry
    /// The Prometheus metrics.
    public let metrics: ServerMetrics
    private let logger: Logger
    private let created = Int(Date().timeIntervalSince1970)

    /// A server over `generator`.
    public init(generator: BatchGenerator, configuration: ServerConfiguration, logger: Logger) {
        self.generator = generator
        self.configuration = configuration
        let metrics = ServerMetrics(slots: generator.maxSequences)
        self.metrics = metrics
        self.registry = RunRegistry(
            capacity: generator.maxSequences + max(0, configuration.queueCapacity),
            onPiece: { metrics.recordPiece() }, onEnd: { metrics.recordEnd(stats: $0, pieces: $1) })
        self.logger = logger
    }

    /// The routes, behind the middleware that checks the API key and turns every error into an
    /// OpenAI error body.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(APIMiddleware(server: self))
        router.get("health") { _, _ in
            self.json(#"{"status":"ok"}"#)
        }
        router.get("metrics") { _, _ in
            let text = self.metrics.render(load: self.generator.load, inFlight: self.registry.count)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("v1/models") { _, _ in
            self.json(JSONText.encode(ModelList(data: [.init(id: self.configuration.modelID, created: self.created)])))
        }
        router.post("v1/chat/completions") { request, _ in
            try await self.chatCompletions(request)
        }
        router.post("v1/completions") { request, _ in
            try await self.completions(request)
        }
        return router
    }

    /// Stops every generation and refuses new ones (at shutdown).
    public func cancelAll() {
        registry.cancelAll(.shutdown)
    }

    // MARK: - Endpoints

    private func chatCompletions(_ request: Request) async throws -> Response {
        let start = ContinuousClock.now
        let chat = try ChatCompletionRequest.decode(try await body(of: request))
        let messages = try chat.chatMessages()
        let parameters = try chat.generationParameters(defaults: configuration.defaults)
        let id = Self.makeID("chatcmpl")
        let tools = chat.tools
        let run = try startRun(id: id) { generator.generate(messages: messages, tools: tools, parameters: parameters) }
        let events = EventIterator(run.events)
        let first = try await firstEvent(events, run)
        var record = RequestRecord(id: id, endpoint: "/v1/chat/completions", status: 200, streamed: chat.stream, total: .zero)
        if chat.stream {
            let encoder = ChatStreamEncoder(id: id, created: created, model: configuration.modelID,
                                            includesUsage: chat.includesUsage)
            return streamResponse(run: run, events: events, first: first, record: record, start: start,
                                  opening: [ServerSentEvents.event(encoder.opening())],
                                  chunks: { encoder.chunks(for: $0).map(ServerSentEvents.event) })
        }
        var reply = ReplyAccumulator()
        let stats = try await collect(events, first: first, run: run, into: &reply, record: &record, start: start)
        finish(&record, start: start)
        return json(JSONText.encode(reply.chatCompletion(id: id, created: created, model: configuration.modelID, stats: stats)))
    }

    private func completions(_ request: Request) async throws -> Response {
        let start = ContinuousClock.now
        let completion = try CompletionRequest.decode(try await body(of: request))
        let parameters = try completion.generationParameters(defaults: configuration.defaults)
        let id = Self.makeID("cmpl")
        let prompt = completion.prompt
        let run = try startRun(id: id) { generator.generate(prompt: prompt, parameters: parameters) }
        let events = EventIterator(run.events)
        let first = try await firstEvent(events, run)
        var record = RequestRecord(id: id, endpoint: "/v1/completions", status: 200, streamed: completion.stream, total: .zero)
        if completion.stream {
            let encoder = TextStreamEncoder(id: id, created: created, model: configuration.modelID,
                                            includesUsage: completion.includesUsage)
            return streamResponse(run: run, events: events, first: first, record: record, start: start, opening: [],
                                  chunks: { encoder.chunks(for: $0).map(ServerSentEvents.event) })
        }
        var reply = ReplyAccumulator()
        let stats = try await collect(events, first: first, run: run, into: &reply, record: &record, start: start)
        finish(&record, start: start)
        return json(JSONText.encode(reply.textCompletion(id: id, created: created, model: configuration.modelID, stats: stats)))
    }

    // MARK: - Generation

    /// The body, within the size limit.
    private func body(of request: Request) async throws(APIError) -> Data {
        let limit = configuration.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw .bodyTooLarge(limit: limit)
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw .bodyTooLarge(limit: limit)
        } catch {
            throw .invalidRequest("The request body could not be read: \(error)")
        }
    }

    /// Admits a request, or answers 429 when the slots and the queue are full.
    private func startRun(
        id: String, _ makeSource: () -> AsyncThrowingStream<GenerationEvent, Error>
    ) throws(APIError) -> GenerationRun {
        guard let run = try registry.start(id: id, timeout: configuration.requestTimeout, makeSource) else {
            throw .queueFull(retryAfter: configuration.retryAfterSeconds)
        }
        return run
    }

    /// The first event, or the error to answer instead: a prompt over the context window, a
    /// failure, a timeout or shutdown before anything was generated.
    private func firstEvent(_ events: EventIterator, _ run: GenerationRun) async throws(APIError) -> GenerationEvent {
        let event: GenerationEvent?
        do {
            event = try await events.next()
        } catch {
            throw .internalError("generation failed: \(error)")
        }
        guard let event else {
            if let reason = run.cancelReason { metrics.recordCancel(reason) }
            throw stoppedError(run)
        }
        if case .done(let stats) = event {
            if stats.stopReason == .contextFull && stats.generatedTokens == 0 {
                throw .contextLengthExceeded(promptTokens: stats.promptTokens, contextLength: configuration.contextLength)
            }
            if stats.stopReason == .cancelled {
                if let reason = run.cancelReason { metrics.recordCancel(reason) }
                throw stoppedError(run)
            }
        }
        return event
    }

    /// The error for a run the server stopped.
    private func stoppedError(_ run: GenerationRun) -> APIError {
        switch run.cancelReason {
        case .timeout: .timedOut(seconds: Int(configuration.requestTimeout?.components.seconds ?? 0))
        case .shutdown: .shuttingDown
        case .disconnected, nil: .internalError("the generation stopped before it finished")
        }
    }

    /// Reads the whole reply of a non-streamed request.
    private func collect(
        _ events: EventIterator, first: GenerationEvent, run: GenerationRun, into reply: inout ReplyAccumulator,
        record: inout RequestRecord, start: ContinuousClock.Instant
    ) async throws(APIError) -> GenerationStats {
        var next: GenerationEvent? = first
        while let event = next {
            reply.add(event)
            switch event {
            case .reasoning, .text, .toolCall:
                if record.timeToFirstToken == nil { record.timeToFirstToken = .now - start }
            case .done(let stats):
                record.stats = stats
                if stats.stopReason == .cancelled { throw stoppedError(run) }
                return stats
            }
            do {
                next = try await events.next()
            } catch {
                throw .internalError("generation failed: \(error)")
            }
        }
        record.cancelReason = run.cancelReason
        if let reason = run.cancelReason { metrics.recordCancel(reason) }
        throw stoppedError(run)
    }

    /// A server-sent event stream of the run's events.
    private func streamResponse(
        run: GenerationRun, events: EventIterator, first: GenerationEvent, record: RequestRecord,
        start: ContinuousClock.Instant, opening: [String], chunks: @escaping @Sendable (GenerationEvent) -> [String]
    ) -> Response {
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            var record = record
            defer { self.finish(&record, start: start) }
            var next: GenerationEvent? = first
            do {
                for text in opening { try await writer.write(ByteBuffer(string: text)) }
                while let event = next {
                    switch event {
                    case .reasoning, .text, .toolCall:
                        if record.timeToFirstToken == nil { record.timeToFirstToken = .now - start }
                    case .done(let stats):
                        record.stats = stats
                    }
                    for text in chunks(event) { try await writer.write(ByteBuffer(string: text)) }
                    if case .done = event { break }
                    let upcoming: Result<GenerationEvent?, any Error>
                    do {
                        upcoming = .success(try await events.next())
                    } catch {
                        upcoming = .failure(error)
                    }
                    switch upcoming {
                    case .success(let event?):
                        next = event
                    case .success(nil):
                        // Stopped by the server (timeout, shutdown): say so, then end.
                        next = nil
                        record.cancelReason = run.cancelReason
                        if let reason = run.cancelReason { self.metrics.recordCancel(reason) }
                        let error = self.stoppedError(run)
                        record.error = error.message
                        try await writer.write(ByteBuffer(string: ServerSentEvents.event(error.body)))
                    case .failure(let failure):
                        next = nil
                        let error = APIError.internalError("generation failed: \(failure)")
                        record.error = error.message
                        try await writer.write(ByteBuffer(string: ServerSentEvents.event(error.body)))
                    }
                }
                try await writer.write(ByteBuffer(string: ServerSentEvents.done))
                try await writer.finish(nil)
            } catch {
                // A write failed: the client went away. Stop its generation and free its slot.
                run.cancel(.disconnected)
                if record.cancelReason == nil {
                    record.cancelReason = .disconnected
                    self.metrics.recordCancel(.disconnected)
                }
                throw error
            }
        })
    }

    // MARK: - Helpers

    /// Logs the request's line and counts it.
    private func finish(_ record: inout RequestRecord, start: ContinuousClock.Instant) {
        record.total = .now - start
        metrics.recordRequest(endpoint: record.endpoint, status: record.status)
        logger.info("\(record.line)")
    }

    /// Logs and counts a request that ended in an error or that is not a generation.
    func log(_ record: RequestRecord) {
        metrics.recordRequest(endpoint: record.endpoint, status: record.status)
        logger.info("\(record.line)")
    }

    private func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// `prefix-` and 24 random hex digits.
    static func makeID(_ prefix: String) -> String {
        let high = UInt64.random(in: 0...UInt64.max) & 0xFFFF_FFFF
        let low = UInt64.random(in: 0...UInt64.max)
        return prefix + "-" + String(high, radix: 16).leftPadded(8) + String(low, radix: 16).leftPadded(16)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
