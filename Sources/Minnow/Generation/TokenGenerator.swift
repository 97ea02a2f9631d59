import MinnowEngine

/// The generation loop over one evaluation session: prompt evaluation with prefix reuse,
/// sampling, streaming decoding, the reasoning/answer split, stop strings, the thinking budget
/// and cancellation. It emits events as it goes.
///
/// Not thread-safe: one actor drives it, calling ``evaluatePrompt(_:)`` and then ``step()``
/// until a stop reason comes back, and ``finish(_:)`` once.
final class TokenGenerator {
    let session: any EvaluationSession
    private let codec: any TextCodec
    let parameters: GenerationParameters
    let chain: SamplerChain
    private let emit: (GenerationEvent) -> Void
    var random: SeededRandomNumberGenerator
    private var decoder = StreamingTextDecoder()
    private var splitter: ThinkTagSplitter
    private var stopFilter: StopStringFilter
    /// The logits after the last evaluated token (stale while ``pending`` is set).
    var logits: [Float] = []
    var recentTokens: [Int32] = []
    /// Speculative decoding's drafter and draft-length controller, when it is on.
    var speculation: SpeculationState?
    /// Under speculative decoding, a token already chosen and streamed but not yet evaluated:
    /// it leads the next verification batch.
    var pending: Int32?
    private let clock = ContinuousClock()
    private let stopSignal: StopSignal?

    /// Tokens appended after the prompt: sampled ones and any inserted `</think>`.
    private(set) var outputTokens: [Int32] = []
    /// The answer text emitted so far (after stop-string filtering).
    private(set) var answer = ""
    /// The reasoning text so far (whether shown or not).
    private(set) var reasoning = ""
    /// Counts and timings so far.
    var stats = GenerationStats(stopReason: .endOfSequence)
    private var didEvaluatePrompt = false
    private var decodeStart: ContinuousClock.Instant?
    /// Where the answer stands in ``GenerationParameters/constraint``'s grammar (made at the
    /// first constrained step, when the vocabulary size is known).
    private var constraint: ConstraintTracker?
    private let constraintShape: ConstraintTracker.ChainShape
    /// The tools' call syntax, when the model was shown tools and no constraint is set.
    private let toolSyntax: ToolCallSyntax?
    /// Finds tool calls in the answer, when ``toolSyntax`` is set.
    private var toolScanner: ToolCallScanner?
    /// Where an open block of tool calls stands in ``toolSyntax``'s grammar.
    private var toolTracker: ConstraintTracker?
    /// The tool calls the model made, in order.
    private(set) var toolCalls: [ToolCall] = []
    /// Under a required tool choice, the grammar of the call the answer must begin with, until
    /// that call is started.
    private var forcedCall: Grammar?
    /// Whether generation ends after the first tool call (``GenerationParameters/parallelToolCalls``
    /// is false).
    private let endsAfterToolCall: Bool

    /// A generator; `startsInReasoning` tells whether the prompt already opened a `<think>`.
    init(
        session: any EvaluationSession, codec: any TextCodec, parameters: GenerationParameters,
        startsInReasoning: Bool, stopSignal: StopSignal? = nil, speculation: SpeculationState? = nil,
        tools: ToolUse? = nil, emit: @escaping (GenerationEvent) -> Void
    ) {
        // A constraint governs the whole answer: tool calls are then not looked for.
        self.toolSyntax = parameters.constraint == nil ? tools?.syntax : nil
        self.forcedCall = toolSyntax == nil ? nil : tools?.forcedCall
        self.endsAfterToolCall = !parameters.parallelToolCalls
        // Untagged calls are looked for only where calling is optional: a forced call is held
        // to its tagged grammar from the first token.
        self.toolScanner = toolSyntax.map { syntax in
            ToolCallScanner(format: syntax.format,
                            bareCallsNaming: tools?.forcedCall == nil ? Set(syntax.tools.map(\.name)) : [])
        }
        // Drafts are not checked against a grammar: a constrained generation, or one that may
        // call tools, decodes one token per forward pass (documented on
        // `GenerationParameters.speculation`).
        self.speculation = parameters.constraint == nil && toolSyntax == nil ? speculation : nil
        self.stopSignal = stopSignal
        self.session = session
        self.codec = codec
        self.parameters = parameters
        self.chain = parameters.effectiveSamplerChain
        self.constraintShape = ConstraintTracker.ChainShape(parameters)
        self.emit = emit
        var system = SystemRandomNumberGenerator()
        self.random = SeededRandomNumberGenerator(seed: parameters.seed ?? system.next())
        self.splitter = ThinkTagSplitter(startsInReasoning: startsInReasoning)
        self.stopFilter = StopStringFilter(stopStrings: parameters.stopStrings)
    }

    /// Evaluates `prompt`, reusing the longest prefix already in the cache. Returns a stop reason
    /// when it could not finish (cancelled, context full), nil when generation can start.
    /// The first call sets the prompt statistics; later calls (after the context was rebuilt)
    /// only add time.
    func evaluatePrompt(_ prompt: [Int32]) throws -> StopReason? {
        guard !prompt.isEmpty else { throw ChatSessionError.tokenizationFailed("empty prompt") }
        let cached = session.tokens
        var common = 0
        let limit = min(cached.count, prompt.count)
        while common < limit && cached[common] == prompt[common] { common += 1 }
        // The logits of the last prompt token are needed: evaluate at least that one.
        if common == prompt.count { common -= 1 }
        let isFirst = !didEvaluatePrompt
        didEvaluatePrompt = true
        pending = nil
        if isFirst {
            stats.promptTokens = prompt.count
            stats.cachedTokens = common
            recentTokens = Array(prompt.suffix(max(0, parameters.penaltyWindow)))
        }
        if shouldStop { return .cancelled }
        session.truncate(to: common)
        let start = clock.now
        defer {
            // A later call (the context was rebuilt mid-answer) counts as decoding time.
            if isFirst {
                stats.promptDuration += clock.now - start
                stats.promptTokensPerSecond = Self.rate(prompt.count - common, stats.promptDuration)
            }
        }
        do {
            logits = try session.evaluate(Array(prompt[common...]), shouldContinue: { !self.shouldStop })
            // A draft model evaluates the prompt too: prompt processing, not decoding.
            speculation?.drafter.prepare(prompt: prompt)
        } catch let error as EvaluationError {
            return try Self.stopReason(for: error)
        }
        if decodeStart == nil { decodeStart = clock.now }
        return nil
    }

    /// What the next step of a generation is.
    enum Advance: Equatable {
        /// The generation is over.
        case stop(StopReason)
        /// These tokens (the one just sampled, or the `</think>` that closes the reasoning) must be
        /// evaluated, and their logits given to ``accept(_:)``.
        case evaluate([Int32])
    }

    /// Generates one token. Returns the stop reason when generation ends, nil to go on.
    func step() throws -> StopReason? {
        if speculation != nil { return try speculativeStep() }
        switch try advance() {
        case .stop(let reason): return reason
        case .evaluate(let tokens): return try evaluate(tokens)
        }
    }

    /// The part of a step before evaluation: checks for a stop, closes the reasoning when the
    /// thinking budget is spent, or samples a token and streams its text. A caller that batches
    /// several generations evaluates the tokens it returns itself and hands back the logits
    /// with ``accept(_:)``.
    func advance() throws -> Advance {
        if shouldStop { return .stop(.cancelled) }
        if isThinkingBudgetSpent { return .evaluate(try closeReasoning()) }
        let context = SamplingContext(recentTokens: recentTokens, generatedCount: stats.generatedTokens)
        let token: Int32
        if toolTracker == nil, let grammar = forcedCall, !splitter.isReasoning {
            // A required call: the answer begins with it, its opening (`<tool_call>`,
            // `<｜tool▁calls▁begin｜>`) included.
            guard let tracker = makeTracker(grammar) else {
                throw ChatSessionError.evaluationFailed("the model returned no logits")
            }
            toolTracker = tracker
            forcedCall = nil
        }
        if var tracker = toolTracker {
            // Inside a tool call: its arguments follow the tool's schema.
            let choice = try tracker.choose(
                from: logits, chain: chain, shape: constraintShape, context: context, random: &random)
            toolTracker = tracker
            guard case .token(let chosen) = choice else { return .stop(.endOfSequence) }
            token = chosen
        } else if let grammar = parameters.constraint?.grammar, !splitter.isReasoning {
            if constraint == nil {
                guard let tracker = makeTracker(grammar) else {
                    throw ChatSessionError.evaluationFailed("the model returned no logits")
                }
                constraint = tracker
            }
            let choice = try constraint?.choose(
                from: logits, chain: chain, shape: constraintShape, context: context, random: &random)
            switch choice {
            case .token(let chosen)?: token = chosen
            // Complete, and nothing may follow: the model has no end token to say so.
            case .finished?, nil: return .stop(.endOfSequence)
            }
        } else {
            guard let chosen = chain.select(from: logits, context: context, using: &random) else {
                throw ChatSessionError.evaluationFailed("the model returned no logits")
            }
            token = chosen
        }
        if let stop = take(token) { return .stop(stop) }
        return .evaluate([token])
    }

    /// Counts and streams a chosen token. Returns the stop reason when the generation ends with
    /// it (an end-of-generation token, a stop string, the token limit).
    func take(_ token: Int32) -> StopReason? {
        stats.generatedTokens += 1
        if splitter.isReasoning { stats.reasoningTokens += 1 }
        recentTokens.append(token)
        if recentTokens.count > parameters.penaltyWindow {
            recentTokens.removeFirst(recentTokens.count - max(0, parameters.penaltyWindow))
        }
        if codec.isEndOfGeneration(token) { return .endOfSequence }
        outputTokens.append(token)
        if let stop = route(decoder.append(codec.bytes(of: token))) { return .stopString(stop) }
        // Without parallel calls, a DeepSeek block (one call) still writes its closing.
        if endsAfterToolCall && !toolCalls.isEmpty && toolScanner?.isInsideBlock != true { return .endOfSequence }
        if stats.generatedTokens >= parameters.maxTokens { return .maxTokens }
        return nil
    }

    /// Whether the thinking budget is spent while the model is still reasoning.
    var isThinkingBudgetSpent: Bool {
        guard let budget = parameters.reasoning.thinkingBudget else { return false }
        return splitter.isReasoning && stats.reasoningTokens >= budget
    }

    /// The logits after the tokens that ``advance()`` asked to evaluate.
    func accept(_ logits: [Float]) {
        self.logits = logits
    }

    /// Ends the generation: releases held text (unless a stop string matched), completes the
    /// statistics and emits `.done`. Returns the final statistics.
    @discardableResult
    func finish(_ reason: StopReason) -> GenerationStats {
        if case .stopString = reason {
        } else {
            _ = route(decoder.flush())
            for piece in splitter.flush() { deliver(piece) }
            // An unfinished tool call (cut by the token limit) is kept as text.
            if let rest = toolScanner?.flush(), !rest.isEmpty { filter(rest) }
            let held = stopFilter.flush()
            if !held.isEmpty {
                answer += held
                emit(.text(held))
            }
        }
        stats.stopReason = reason
        if let decodeStart {
            stats.decodeDuration += clock.now - decodeStart
        }
        stats.decodeTokensPerSecond = Self.rate(stats.generatedTokens, stats.decodeDuration)
        emit(.done(stats))
        return stats
    }

    /// Closes the reasoning after the thinking budget: the held reasoning is released, and the
    /// tokens of `</think>` are returned, to be evaluated as if generated; the following tokens
    /// are answer.
    func closeReasoning() throws -> [Int32] {
        _ = route(decoder.flush())
        for piece in splitter.closeReasoning() { deliver(piece) }
        let closing: [Int32]
        do {
            closing = try codec.encode("\n</think>\n\n", parseSpecialTokens: true)
        } catch {
            throw ChatSessionError.tokenizationFailed("\(error)")
        }
        outputTokens.append(contentsOf: closing)
        return closing
    }

    /// Evaluates generated tokens, mapping engine errors to stop reasons.
    func evaluate(_ tokens: [Int32]) throws -> StopReason? {
        if shouldStop { return .cancelled }
        do {
            logits = try session.evaluate(tokens, shouldContinue: { !self.shouldStop })
            return nil
        } catch let error as EvaluationError {
            return try Self.stopReason(for: error)
        }
    }

    /// The stop reason for an engine error; a bad token id is an error of its own.
    static func stopReason(for error: EvaluationError) throws -> StopReason {
        switch error {
        case .cancelled: return .cancelled
        case .contextFull: return .contextFull
        case .invalidToken(let token):
            throw ChatSessionError.evaluationFailed("token \(token) is outside the vocabulary")
        }
    }

    /// Sends decoded text through the reasoning split and the stop filter. Returns the stop
    /// string when one matched.
    private func route(_ text: String) -> String? {
        guard !text.isEmpty else { return nil }
        for piece in splitter.feed(text) {
            if let stop = deliver(piece) { return stop }
        }
        return nil
    }

    @discardableResult
    private func deliver(_ piece: ThinkTagSplitter.Piece) -> String? {
        switch piece.channel {
        case .reasoning:
            reasoning += piece.text
            if parameters.reasoning.isVisible { emit(.reasoning(piece.text)) }
            return nil
        case .answer:
            guard let outputs = toolScanner?.feed(piece.text) else { return filter(piece.text) }
            for output in outputs {
                switch output {
                case .text(let text):
                    if let stop = filter(text) { return stop }
                case .blockStarted(let bodySoFar):
                    startToolCalls(bodySoFar: bodySoFar)
                case .call(let call):
                    toolCalls.append(call)
                    emit(.toolCall(name: call.name, arguments: call.arguments))
                case .blockEnded(let text):
                    // Calls that did not read stay answer text.
                    toolTracker = nil
                    if !text.isEmpty, let stop = filter(text) { return stop }
                }
            }
            return nil
        }
    }

    /// Sends answer text through the stop filter and emits what passes. Returns the stop string
    /// when one matched.
    @discardableResult
    private func filter(_ text: String) -> String? {
        let output = stopFilter.feed(text)
        if !output.text.isEmpty {
            answer += output.text
            emit(.text(output.text))
        }
        return output.matched
    }

    /// A tracker at the start of `grammar`, or nil before the first logits.
    private func makeTracker(_ grammar: Grammar) -> ConstraintTracker? {
        guard !logits.isEmpty else { return nil }
        return ConstraintTracker(grammar: grammar, trie: codec.tokenTrie(vocabularySize: logits.count))
    }

    /// A block of calls was opened (`<tool_call>`, `<｜tool▁calls▁begin｜>`): the rest of the
    /// block is held to the tools' grammar (unless the text already written after the opening
    /// breaks it; its calls are then read as written). A forced call is already held to its own
    /// grammar.
    private func startToolCalls(bodySoFar: String) {
        guard toolTracker == nil, let syntax = toolSyntax,
              var tracker = makeTracker(syntax.grammar(parallel: !endsAfterToolCall))
        else { return }
        if bodySoFar.isEmpty || tracker.advance(over: Array(bodySoFar.utf8)) { toolTracker = tracker }
    }

    /// Whether the consumer cancelled or the owner asked to stop.
    var shouldStop: Bool {
        Task.isCancelled || (stopSignal?.isRaised ?? false)
    }

    private static func rate(_ count: Int, _ duration: Duration) -> Double {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        return seconds > 0 ? Double(count) / seconds : 0
    }
}
