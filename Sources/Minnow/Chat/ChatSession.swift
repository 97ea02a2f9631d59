import Synchronization
import MinnowEngine

/// A conversation with a model that keeps its KV cache from turn to turn.
///
/// Each turn renders the whole conversation with the model's chat template, reuses the longest
/// prefix of it that is already in the cache, and evaluates only the rest: a follow-up
/// question costs only its own tokens. R1's reasoning is kept apart from the answer and is not
/// fed back into later turns.
///
/// ```swift
/// let chat = ChatSession(model: model, instructions: "Answer in one short sentence.")
/// for try await event in chat.stream("What is the capital of France?") {
///     if case .text(let piece) = event { print(piece, terminator: "") }
/// }
/// let reply = try await chat.respond(to: "And of Germany?")
/// print(reply.answer)
/// ```
///
/// Calls that overlap are served one after the other, in order. Cancelling the consuming task,
/// dropping the stream or calling ``stopGenerating()`` stops the current answer within one
/// token; the session stays usable. The session's work, forward passes included, runs on its
/// model's evaluation thread, so a long prompt never blocks Swift's cooperative thread pool.
public actor ChatSession {
    /// The model this session talks to.
    public nonisolated let model: Model
    /// The conversation so far: the instructions (as a system message) if any, then the user's
    /// messages and the model's answers, with their reasoning kept for display only.
    public internal(set) var transcript: [ChatMessage]
    /// The parameters of the next turns.
    public private(set) var parameters: GenerationParameters
    /// What to do when the conversation no longer fits the context window.
    public let contextOverflow: ContextOverflowPolicy
    /// The tools the model may call (see ``ToolDefinition``).
    public private(set) var tools: [ToolDefinition]
    /// The call syntax of ``tools``, made at the first turn that needs it.
    private var toolSyntax: ToolCallSyntax?

    /// The model's evaluation thread, on which this actor runs (forward passes included), so
    /// that they never block Swift's cooperative thread pool.
    private nonisolated let executor: EvaluationExecutor

    /// Index in ``transcript`` of the first turn still shown to the model (older ones were
    /// dropped for room). The system message is always shown.
    var firstShownTurn: Int
    var evaluation: (any EvaluationSession)?
    /// The draft model's session, when speculative decoding uses one.
    private lazy var drafts = DraftSlot(codec: model.codec, vocabularySize: model.info.vocabularySize)
    var queue = TurnQueue()
    /// The stop signal of the answer being generated. Outside the actor: the actor runs on the
    /// model's evaluation thread, which a forward pass holds, so a stop request must not wait for it.
    private let currentStop = Mutex<StopSignal?>(nil)

    /// A new conversation.
    /// - Parameters:
    ///   - model: The model to talk to.
    ///   - instructions: A system message, if any.
    ///   - parameters: How to generate; the defaults suit R1.
    ///   - contextOverflow: What to do when the context window is full.
    ///   - tools: Tools the model may call; they are shown to it through its chat template.
    public init(
        model: Model, instructions: String? = nil, parameters: GenerationParameters = .init(),
        contextOverflow: ContextOverflowPolicy = .stop, tools: [ToolDefinition] = []
    ) {
        self.init(
            model: model, transcript: instructions.map { [.system($0)] } ?? [],
            parameters: parameters, contextOverflow: contextOverflow, tools: tools)
    }

    /// A conversation that continues from a saved transcript.
    public init(
        model: Model, transcript: [ChatMessage], parameters: GenerationParameters = .init(),
        contextOverflow: ContextOverflowPolicy = .stop, tools: [ToolDefinition] = []
    ) {
        self.model = model
        self.tools = tools
        self.executor = model.executor
        self.transcript = transcript
        self.parameters = parameters
        self.contextOverflow = contextOverflow
        self.firstShownTurn = transcript.first?.role == .system ? 1 : 0
    }

    /// The executor this actor runs on: the model's own evaluation thread, not Swift's
    /// cooperative pool, because evaluating tokens is long synchronous work.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// The instructions (the system message), if any.
    public var instructions: String? {
        transcript.first?.role == .system ? transcript.first?.content : nil
    }

    /// Whether an answer is being generated.
    public var isGenerating: Bool { queue.busy }

    /// Replaces the parameters of the next turns.
    public func setParameters(_ parameters: GenerationParameters) {
        self.parameters = parameters
    }

    /// Replaces the tools the model may call. Takes effect at the next turn.
    public func setTools(_ tools: [ToolDefinition]) {
        self.tools = tools
        toolSyntax = nil
    }

    /// Replaces the instructions (nil removes them). Takes effect at the next turn.
    public func setInstructions(_ instructions: String?) async {
        await acquire()
        defer { queue.release() }
        let hasSystem = transcript.first?.role == .system
        switch (instructions, hasSystem) {
        case (let text?, true): transcript[0].content = text
        case (let text?, false):
            transcript.insert(.system(text), at: 0)
            firstShownTurn += 1
        case (nil, true):
            transcript.removeFirst()
            firstShownTurn = max(0, firstShownTurn - 1)
        case (nil, false): break
        }
    }

    /// Forgets the conversation but keeps the instructions. A running answer is stopped first.
    /// The KV cache is kept, so the instructions are not evaluated again.
    public func reset() async {
        stopGenerating()
        await acquire()
        defer { queue.release() }
        transcript = instructions.map { [.system($0)] } ?? []
        firstShownTurn = transcript.count
    }

    /// Stops the answer being generated, if any, within one token. Its stream ends with
    /// `.done` and the stop reason ``StopReason/cancelled``.
    public nonisolated func stopGenerating() {
        currentStop.withLock { $0?.raise() }
    }

    /// Sends a message and streams the answer: `.reasoning` and `.text` pieces, then `.done`.
    ///
    /// The turn is added to the ``transcript`` when it ends (also when it is cancelled after some
    /// text). Overlapping calls are served in order.
    public nonisolated func stream(
        _ message: String, parameters: GenerationParameters? = nil
    ) -> AsyncThrowingStream<GenerationEvent, Error> {
        stream([.user(message)], parameters: parameters)
    }

    /// Sends messages and streams the answer, as the `String` form does.
    ///
    /// After the model called tools (`.toolCall` events), send their results as
    /// ``ChatMessage/tool(_:)`` messages, one per call in the order of the calls, and the model
    /// goes on with them.
    public nonisolated func stream(
        _ messages: [ChatMessage], parameters: GenerationParameters? = nil
    ) -> AsyncThrowingStream<GenerationEvent, Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: GenerationEvent.self)
        let stop = StopSignal()
        let task = Task {
            await self.runTurn(messages, parameters: parameters, stop: stop, continuation: continuation)
        }
        // Raised as well as cancelled: the stop is seen between batches of a forward pass.
        continuation.onTermination = { _ in
            stop.raise()
            task.cancel()
        }
        return stream
    }

    /// Sends a message and waits for the whole reply.
    /// - Throws: `CancellationError` when the calling task is cancelled, ``ChatSessionError``
    ///   when generation fails.
    public func respond(to message: String, parameters: GenerationParameters? = nil) async throws -> ChatReply {
        try await ChatReply.collect(stream(message, parameters: parameters))
    }

    /// Sends messages (tool results, for example) and waits for the whole reply.
    /// - Throws: `CancellationError` when the calling task is cancelled, ``ChatSessionError``
    ///   when generation fails, ``GrammarError`` when the tools' schemas cannot be combined,
    ///   ``ToolChoiceError`` when ``GenerationParameters/toolChoice`` cannot be applied to the
    ///   tools.
    public func respond(to messages: [ChatMessage], parameters: GenerationParameters? = nil) async throws -> ChatReply {
        try await ChatReply.collect(stream(messages, parameters: parameters))
    }

    // MARK: - Turns

    func acquire() async {
        if !queue.tryAcquire() {
            await withCheckedContinuation { queue.enqueue($0) }
        }
    }

    private func runTurn(
        _ messages: [ChatMessage], parameters override: GenerationParameters?, stop: StopSignal,
        continuation: AsyncThrowingStream<GenerationEvent, Error>.Continuation
    ) async {
        await acquire()
        defer { queue.release() }
        currentStop.withLock { $0 = stop }
        defer { currentStop.withLock { $0 = nil } }
        let parameters = override ?? self.parameters
        do {
            let session = try evaluation ?? model.runtime.makeSession()
            evaluation = session
            let speculation = try drafts.speculation(for: parameters)
            let user = messages
            if toolSyntax == nil && !tools.isEmpty && parameters.toolChoice != .none {
                toolSyntax = try ToolCallSyntax(tools: tools, format: model.toolCallFormat)
            }
            let toolUse = try ToolUse(
                tools: tools, parameters: parameters, format: model.toolCallFormat, syntax: toolSyntax)
            let reserve = min(max(parameters.maxTokens, 0), session.capacity / 4)
            var reason: StopReason?
            let generator: TokenGenerator
            if let (prompt, text) = try fittingPrompt(user, tools: toolUse.shownTools, output: [], reserve: reserve,
                                                      capacity: session.capacity, mustDrop: false) {
                generator = TokenGenerator(
                    session: session, codec: model.codec, parameters: parameters,
                    startsInReasoning: Model.promptOpensReasoning(text), stopSignal: stop,
                    speculation: speculation, tools: toolUse, emit: { continuation.yield($0) })
                reason = try generator.evaluatePrompt(prompt)
            } else {
                generator = TokenGenerator(
                    session: session, codec: model.codec, parameters: parameters,
                    startsInReasoning: false, stopSignal: stop, tools: toolUse, emit: { continuation.yield($0) })
                reason = .contextFull
            }
            while true {
                if reason == .contextFull, contextOverflow == .dropOldestTurns,
                   let (prompt, _) = try fittingPrompt(
                       user, tools: toolUse.shownTools, output: generator.outputTokens, reserve: session.capacity / 4,
                       capacity: session.capacity, mustDrop: true) {
                    reason = try generator.evaluatePrompt(prompt)
                    continue
                }
                if reason != nil { break }
                reason = try generator.step()
                if reason == nil { await Task.yield() }
            }
            let finalReason = reason ?? .endOfSequence
            generator.finish(finalReason)
            if finalReason != .cancelled || !generator.answer.isEmpty || !generator.reasoning.isEmpty
                || !generator.toolCalls.isEmpty {
                transcript.append(contentsOf: user)
                transcript.append(.assistant(
                    generator.answer, reasoning: generator.reasoning.isEmpty ? nil : generator.reasoning,
                    toolCalls: generator.toolCalls))
            }
            continuation.finish()
        } catch {
            continuation.finish(throwing: error)
        }
    }

    /// The messages the model is shown for new messages: the system message, the turns from
    /// `firstShownTurn` on, and the new messages, without reasoning.
    private func shownMessages(with user: [ChatMessage]) -> [ChatMessage] {
        var messages: [ChatMessage] = []
        if let first = transcript.first, first.role == .system { messages.append(.system(first.content)) }
        let start = max(firstShownTurn, messages.count)
        if start < transcript.count {
            messages += transcript[start...].map {
                ChatMessage(role: $0.role, content: $0.content, toolCalls: $0.toolCalls)
            }
        }
        messages += user
        return messages
    }

    /// Renders (showing `tools`) and tokenizes the conversation, dropping the oldest turns
    /// (under ``ContextOverflowPolicy/dropOldestTurns``) until it, `output` and `reserve` more
    /// tokens fit. Returns nil when it cannot fit; with `mustDrop`, at least one turn must be
    /// dropped.
    private func fittingPrompt(
        _ user: [ChatMessage], tools: [ToolDefinition], output: [Int32], reserve: Int, capacity: Int, mustDrop: Bool
    ) throws -> (tokens: [Int32], text: String)? {
        var mustDrop = mustDrop
        while true {
            if mustDrop {
                guard dropOldestTurn() else { return nil }
                mustDrop = false
            }
            let text: String
            do {
                text = try model.renderer.render(shownMessages(with: user), tools: tools, addGenerationPrompt: true)
            } catch {
                throw ChatSessionError.templateFailed("\(error)")
            }
            let tokens: [Int32]
            do {
                tokens = try model.codec.encodePrompt(text) + output
            } catch {
                throw ChatSessionError.tokenizationFailed("\(error)")
            }
            if tokens.count + reserve <= capacity { return (tokens, text) }
            guard contextOverflow == .dropOldestTurns else {
                // Under `.stop`, go ahead while the prompt itself fits; generation stops when full.
                return tokens.count < capacity ? (tokens, text) : nil
            }
            if !dropOldestTurn() {
                // Nothing left to drop: go on without the reserve if the prompt fits at all.
                return tokens.count < capacity ? (tokens, text) : nil
            }
        }
    }

    /// Hides the oldest shown turn (a user message and the answers after it). Returns false when
    /// there is none.
    private func dropOldestTurn() -> Bool {
        let start = max(firstShownTurn, transcript.first?.role == .system ? 1 : 0)
        guard start < transcript.count else { return false }
        var next = start + 1
        while next < transcript.count && transcript[next].role != .user { next += 1 }
        firstShownTurn = next
        return true
    }
}
