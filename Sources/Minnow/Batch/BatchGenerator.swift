import MinnowEngine
import Synchronization

/// Generates for several prompts at once on one model, so that they share each forward pass.
///
/// Calls that overlap in time run together. Each takes one of ``maxSequences`` sequences of a
/// shared KV cache (waiting while all are busy), its prompt is evaluated on its own, and from
/// then on every decoding step evaluates one token of each running generation in a single
/// forward pass: the weights are read once for all of them. Start the calls from concurrent
/// tasks:
///
/// ```swift
/// let batch = BatchGenerator(model: model, maxSequences: 4)
/// let summaries = try await withThrowingTaskGroup(of: String.self) { group in
///     for text in documents {
///         group.addTask {
///             try await batch.respond(to: [.system("Summarize."), .user(text)]).answer
///         }
///     }
///     return try await group.reduce(into: []) { $0.append($1) }
/// }
/// ```
///
/// Each call behaves as a one-turn ``ChatSession`` or a raw ``Model/generate(prompt:parameters:)``
/// would: the same events, statistics, reasoning split, stop reasons and sampling (seeded per
/// call). A sequence keeps its cache between calls, so a call whose prompt starts like the
/// previous one on that sequence (the same system message) reuses that prefix. A waiting call
/// takes the free sequence whose cache shares the longest prefix with its prompt, so a
/// follow-up that repeats an earlier conversation goes back to the sequence that holds it (and
/// ``GenerationStats/cachedTokens`` counts the reused tokens). Cancelling the
/// consuming task or dropping the stream stops that call within one token; the others go on.
/// A context that fills stops the call with ``StopReason/contextFull``.
///
/// Batching runs on the CPU and Vulkan backends; on a plugged-in backend that evaluates one
/// sequence at a time a batch of more than one sequence fails with
/// ``ModelError/backendUnavailable(_:)``.
public actor BatchGenerator {
    /// The model.
    public nonisolated let model: Model
    /// The most generations that run at once (the sequences of the KV cache).
    public nonisolated let maxSequences: Int
    private nonisolated let executor: EvaluationExecutor
    private var batch: (any BatchEvaluationSession)?
    private var pending: [Request] = []
    private var running: [Running] = []
    private var freeSequences: [Int]
    private var isDriving = false
    private nonisolated let published = Mutex(BatchLoad(waiting: 0, running: 0))

    /// A generator of up to `maxSequences` concurrent generations on `model`. The KV cache, one
    /// context of the model's length per sequence, is allocated at the first call.
    public init(model: Model, maxSequences: Int) {
        self.model = model
        self.maxSequences = max(1, maxSequences)
        self.executor = model.executor
        self.freeSequences = Array((0..<max(1, maxSequences)).reversed())
    }

    /// How many calls wait for a sequence and how many are generating, as of the last
    /// scheduling step. Readable from any thread without waiting for the current step.
    public nonisolated var load: BatchLoad { published.withLock { $0 } }

    /// The executor this actor runs on: the model's evaluation thread, not Swift's cooperative
    /// pool, because evaluating tokens is long synchronous work.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// Generates a continuation of a raw prompt (no chat template; special-token strings are
    /// parsed), batched with the other calls running at the same time.
    public nonisolated func generate(
        prompt: String, parameters: GenerationParameters = .init()
    ) -> AsyncThrowingStream<GenerationEvent, Error> {
        start(.raw(prompt), parameters: parameters)
    }

    /// Generates the model's answer to a conversation, rendered with the model's chat template,
    /// batched with the other calls running at the same time.
    public nonisolated func generate(
        messages: [ChatMessage], parameters: GenerationParameters = .init()
    ) -> AsyncThrowingStream<GenerationEvent, Error> {
        start(.chat(messages, tools: []), parameters: parameters)
    }

    /// Generates the model's answer to a conversation in which it may call `tools`, as a
    /// ``ChatSession`` with those tools would: the template shows them, a call is held to their
    /// schemas and streamed as ``GenerationEvent/toolCall(name:arguments:)``, and
    /// ``GenerationParameters/toolChoice`` says whether the model may, must or must not call
    /// one. Send the calls back as assistant messages' ``ChatMessage/toolCalls`` and their
    /// results as ``ChatMessage/tool(_:)`` messages in the next call's conversation.
    ///
    /// The stream fails with ``ToolChoiceError`` when the tool choice cannot be applied to
    /// `tools`, and with ``GrammarError`` when their schemas cannot be combined.
    public nonisolated func generate(
        messages: [ChatMessage], tools: [ToolDefinition], parameters: GenerationParameters = .init()
    ) -> AsyncThrowingStream<GenerationEvent, Error> {
        start(.chat(messages, tools: tools), parameters: parameters)
    }

    /// The whole answer to a conversation.
    /// - Throws: `CancellationError` when the calling task is cancelled, ``ChatSessionError``
    ///   when rendering or evaluation fails.
    public nonisolated func respond(
        to messages: [ChatMessage], parameters: GenerationParameters = .init()
    ) async throws -> ChatReply {
        try await ChatReply.collect(generate(messages: messages, parameters: parameters))
    }

    /// The whole answer to a conversation in which the model may call `tools` (see
    /// ``generate(messages:tools:parameters:)``); its calls are in ``ChatReply/toolCalls``.
    /// - Throws: `CancellationError` when the calling task is cancelled, ``ChatSessionError``
    ///   when rendering or evaluation fails, ``ToolChoiceError`` or ``GrammarError`` when the
    ///   tools cannot be used as asked.
    public nonisolated func respond(
        to messages: [ChatMessage], tools: [ToolDefinition], parameters: GenerationParameters = .init()
    ) async throws -> ChatReply {
        try await ChatReply.collect(generate(messages: messages, tools: tools, parameters: parameters))
    }

    // MARK: - Scheduling

    private enum Prompt: Sendable {
        case raw(String)
        case chat([ChatMessage], tools: [ToolDefinition])
    }

    private struct Request {
        var tokens: [Int32]
        var opensReasoning: Bool
        var parameters: GenerationParameters
        var tools: ToolUse?
        var continuation: AsyncThrowingStream<GenerationEvent, Error>.Continuation
        var stop: StopSignal
    }

    private struct Running {
        var sequence: Int
        var session: any EvaluationSession
        var generator: TokenGenerator
        var continuation: AsyncThrowingStream<GenerationEvent, Error>.Continuation
    }

    private nonisolated func start(
        _ prompt: Prompt, parameters: GenerationParameters
    ) -> AsyncThrowingStream<GenerationEvent, Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: GenerationEvent.self)
        let stop = StopSignal()
        continuation.onTermination = { [weak self] _ in
            stop.raise()
            // A call dropped while it waits leaves the queue now, not when a sequence frees up.
            Task { await self?.discardStoppedWaitingCalls() }
        }
        Task { await self.submit(prompt, parameters: parameters, continuation: continuation, stop: stop) }
        return stream
    }

    private func submit(
        _ prompt: Prompt, parameters: GenerationParameters,
        continuation: AsyncThrowingStream<GenerationEvent, Error>.Continuation, stop: StopSignal
    ) {
        let text: String
        let tokens: [Int32]
        var toolUse: ToolUse?
        do {
            switch prompt {
            case .raw(let raw): text = raw
            case .chat(let messages, let tools):
                let use = try ToolUse(tools: tools, parameters: parameters, format: model.toolCallFormat)
                toolUse = use
                do {
                    text = try model.renderer.render(messages, tools: use.shownTools, addGenerationPrompt: true)
                } catch {
                    throw ChatSessionError.templateFailed("\(error)")
                }
            }
            do {
                tokens = try model.codec.encodePrompt(text)
            } catch {
                throw ChatSessionError.tokenizationFailed("\(error)")
            }
        } catch {
            continuation.finish(throwing: error)
            return
        }
        pending.append(Request(tokens: tokens, opensReasoning: Model.promptOpensReasoning(text), parameters: parameters,
                               tools: toolUse, continuation: continuation, stop: stop))
        publishLoad()
        if !isDriving {
            isDriving = true
            // Its own task: no caller's cancellation reaches the loop that serves every caller.
            Task { await self.drive() }
        }
    }

    /// Serves the calls until none is left: admits waiting ones into free sequences, then
    /// advances every running one by a token, in one evaluation.
    private func drive() async {
        defer { isDriving = false }
        while true {
            admit()
            if running.isEmpty {
                if pending.isEmpty { return }
                continue
            }
            step()
            // Lets new calls queue up between steps.
            await Task.yield()
        }
    }

    /// Removes from the queue the waiting calls whose callers stopped listening.
    private func discardStoppedWaitingCalls() {
        let before = pending.count
        pending.removeAll { request in
            guard request.stop.isRaised else { return false }
            request.continuation.finish(throwing: CancellationError())
            return true
        }
        if pending.count != before { publishLoad() }
    }

    /// Evaluates the prompts of waiting calls, each alone, while sequences are free.
    private func admit() {
        defer { publishLoad() }
        discardStoppedWaitingCalls()
        while !pending.isEmpty, !freeSequences.isEmpty {
            let request = pending.removeFirst()
            let batch: any BatchEvaluationSession
            do {
                batch = try self.batch ?? model.runtime.makeBatchSession(sequences: maxSequences)
                self.batch = batch
            } catch {
                request.continuation.finish(throwing: error)
                continue
            }
            let sequence = takeSequence(for: request.tokens, in: batch)
            do {
                let session = batch.session(sequence)
                let continuation = request.continuation
                let generator = TokenGenerator(
                    session: session, codec: model.codec, parameters: request.parameters,
                    startsInReasoning: request.opensReasoning, stopSignal: request.stop,
                    tools: request.tools, emit: { continuation.yield($0) })
                let entry = Running(sequence: sequence, session: session, generator: generator, continuation: continuation)
                if let reason = try generator.evaluatePrompt(request.tokens) {
                    end(entry, reason)
                } else {
                    running.append(entry)
                }
            } catch {
                request.continuation.finish(throwing: error)
                freeSequences.append(sequence)
            }
        }
    }

    /// Removes from the free sequences, and returns, the one whose cache shares the longest
    /// prefix with `prompt`; among equals, the one freed last.
    private func takeSequence(for prompt: [Int32], in batch: any BatchEvaluationSession) -> Int {
        var best = freeSequences.count - 1
        var bestShared = -1
        for index in freeSequences.indices.reversed() {
            let cached = batch.session(freeSequences[index]).tokens
            let limit = min(cached.count, prompt.count)
            var shared = 0
            while shared < limit && cached[shared] == prompt[shared] { shared += 1 }
            if shared > bestShared {
                best = index
                bestShared = shared
            }
        }
        return freeSequences.remove(at: best)
    }

    /// Makes the current counts readable through ``load``.
    private func publishLoad() {
        let current = BatchLoad(waiting: pending.count, running: running.count)
        published.withLock { $0 = current }
    }

    /// One decoding step of every running call: each samples its next token, and all those
    /// tokens are evaluated together.
    private func step() {
        var parts: [SequencePart] = []
        var owners: [Int] = []
        var ended: [Int: Result<StopReason, Error>] = [:]
        for (index, entry) in running.enumerated() {
            do {
                switch try entry.generator.advance() {
                case .stop(let reason):
                    ended[index] = .success(reason)
                case .evaluate(let tokens):
                    if entry.session.tokens.count + tokens.count > entry.session.capacity {
                        ended[index] = .success(.contextFull)
                    } else {
                        parts.append(SequencePart(sequence: entry.sequence, tokens: tokens))
                        owners.append(index)
                    }
                }
            } catch {
                ended[index] = .failure(error)
            }
        }
        if !parts.isEmpty, let batch {
            do {
                let logits = try batch.evaluate(parts)
                for (part, index) in owners.enumerated() { running[index].generator.accept(logits[part]) }
            } catch {
                let failure = ChatSessionError.evaluationFailed("\(error)")
                for index in owners { ended[index] = .failure(failure) }
            }
        }
        guard !ended.isEmpty else { return }
        defer { publishLoad() }
        for (index, outcome) in ended {
            switch outcome {
            case .success(let reason): end(running[index], reason)
            case .failure(let error):
                running[index].continuation.finish(throwing: error)
                freeSequences.append(running[index].sequence)
            }
        }
        running = running.indices.filter { ended[$0] == nil }.map { running[$0] }
    }

    /// Ends a call: its last events, and its sequence back to the free ones.
    private func end(_ entry: Running, _ reason: StopReason) {
        entry.generator.finish(reason)
        entry.continuation.finish()
        freeSequences.append(entry.sequence)
    }
}

/// How busy a ``BatchGenerator`` is.
public struct BatchLoad: Sendable, Equatable {
    /// Calls waiting for a free sequence.
    public var waiting: Int
    /// Calls holding a sequence: evaluating their prompt or generating.
    public var running: Int

    /// Counts of waiting and running calls.
    public init(waiting: Int, running: Int) {
        self.waiting = waiting
        self.running = running
    }
}
