import Foundation
import MinnowEngine
import Synchronization

/// A loaded language model: weights, tokenizer and chat template.
///
/// Load one with ``load(from:options:progress:)``, then generate from a raw prompt with
/// ``generate(prompt:parameters:)`` or talk to it through a ``ChatSession``. A model is
/// `Sendable`: share it between tasks and sessions; each ``ChatSession`` has its own KV cache.
public final class Model: Sendable {
    /// What is known about the model: name, architecture, context length.
    public let info: ModelInfo
    let runtime: any ModelRuntime
    let codec: any TextCodec
    let renderer: any PromptRenderer
    /// The thread on which this model's evaluations run (see ``EvaluationExecutor``).
    package let executor: EvaluationExecutor
    let completions: CompletionHost
    /// A hash of the model file (``ModelIdentity``), which prompt cache files record.
    package let identity: String
    /// This model's runtimes with trimmed output heads, one per kept-row set, shared by every
    /// session that drafts with this model (each would otherwise prepare the weights again).
    private let restrictedRuntimes = Mutex<[[Int]: any ModelRuntime]>([:])

    /// A model from its parts (the engine runtime, a tokenizer and a template renderer).
    /// `identity` defaults to one made of the name, architecture, vocabulary and file size.
    package init(info: ModelInfo, runtime: any ModelRuntime, codec: any TextCodec, renderer: any PromptRenderer,
                 identity: String? = nil) {
        self.info = info
        self.identity = identity
            ?? "\(info.name)|\(info.architecture)|\(info.vocabularySize)|\(info.fileSize)"
        self.runtime = runtime
        self.codec = codec
        self.renderer = renderer
        let executor = EvaluationExecutor(name: "minnow-eval")
        self.executor = executor
        self.completions = CompletionHost(runtime: runtime, codec: codec, executor: executor,
                                          drafts: DraftSlot(codec: codec, vocabularySize: info.vocabularySize))
    }

    /// The runtime whose logits cover only the token ids `rows` (see
    /// ``ModelRuntime/restrictingOutput(to:)``), made at the first request for `rows` and shared
    /// after; nil where the runtime cannot trim its output.
    package func restrictedRuntime(keeping rows: [Int]) throws -> (any ModelRuntime)? {
        try restrictedRuntimes.withLock { runtimes in
            if let runtime = runtimes[rows] { return runtime }
            guard let runtime = try self.runtime.restrictingOutput(to: rows) else { return nil }
            runtimes[rows] = runtime
            return runtime
        }
    }

    /// How this model writes tool calls, chosen from its chat template: ``ToolCallFormat/deepSeekR1``
    /// when the template spells DeepSeek's tool-call markers (`<｜tool▁calls▁begin｜>`),
    /// ``ToolCallFormat/hermes`` (`<tool_call>`) otherwise. A ``ChatSession`` or
    /// ``BatchGenerator`` given tools scans the answer for calls in this format.
    public var toolCallFormat: ToolCallFormat { renderer.toolCallFormat }

    /// Loads a GGUF model.
    ///
    /// Memory is checked before the weights are mapped: when the model file, its KV cache and
    /// working buffers need more than is available, loading fails with
    /// ``ModelError/insufficientMemory(required:available:)``, saying how much is needed.
    ///
    /// - Parameters:
    ///   - url: The `.gguf` file.
    ///   - options: The backend, context length and KV cache type.
    ///   - progress: Called as loading goes on, from any thread.
    /// - Throws: ``ModelError``.
    public static func load(
        from url: URL, options: LoadOptions = .init(),
        progress: @escaping @Sendable (LoadProgress) -> Void = { _ in }
    ) async throws -> Model {
        try await ModelLoader.load(from: url, options: options, progress: progress)
    }

    /// Generates a continuation of `prompt`, raw: no chat template is applied, and BOS is added
    /// as the model's metadata says. Special-token strings in the prompt are parsed.
    ///
    /// The stream yields `.reasoning` and `.text` pieces and ends with `.done`. Cancelling the
    /// consuming task, or dropping the stream, stops the generation within one token. Calls on
    /// one model are serialized; they share one KV cache, so a prompt that extends the previous
    /// one reuses its evaluated prefix.
    public func generate(
        prompt: String, parameters: GenerationParameters = .init()
    ) -> AsyncThrowingStream<GenerationEvent, Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: GenerationEvent.self)
        let host = completions
        let task = Task {
            await host.run(prompt: prompt, parameters: parameters, continuation: continuation)
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Whether the rendered prompt leaves a `<think>` open (R1 templates do), so that the model's
    /// output starts inside its reasoning.
    package static func promptOpensReasoning(_ prompt: String) -> Bool {
        var trimmed = Substring(prompt)
        while let last = trimmed.last, last.isWhitespace { trimmed = trimmed.dropLast() }
        return trimmed.hasSuffix("<think>")
    }
}

/// Runs raw completions for a ``Model``, one at a time, on one KV cache, on the model's
/// evaluation thread.
actor CompletionHost {
    let runtime: any ModelRuntime
    let codec: any TextCodec
    private let executor: EvaluationExecutor
    var session: (any EvaluationSession)?
    var queue = TurnQueue()
    private let drafts: DraftSlot

    init(runtime: any ModelRuntime, codec: any TextCodec, executor: EvaluationExecutor, drafts: DraftSlot) {
        self.runtime = runtime
        self.codec = codec
        self.executor = executor
        self.drafts = drafts
    }

    /// The model's evaluation thread: forward passes never block the cooperative pool.
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    func run(
        prompt: String, parameters: GenerationParameters,
        continuation: AsyncThrowingStream<GenerationEvent, Error>.Continuation
    ) async {
        await acquire()
        defer { queue.release() }
        do {
            let tokens = try codec.encodePrompt(prompt)
            let session = try self.session ?? runtime.makeSession()
            self.session = session
            let generator = TokenGenerator(
                session: session, codec: codec, parameters: parameters,
                startsInReasoning: Model.promptOpensReasoning(prompt),
                speculation: try drafts.speculation(for: parameters), emit: { continuation.yield($0) })
            var reason = try generator.evaluatePrompt(tokens)
            while reason == nil {
                reason = try generator.step()
                if reason == nil { await Task.yield() }
            }
            generator.finish(reason ?? .endOfSequence)
            continuation.finish()
        } catch {
            continuation.finish(throwing: error)
        }
    }

    /// Waits for the completions before this call.
    func acquire() async {
        if !queue.tryAcquire() {
            await withCheckedContinuation { queue.enqueue($0) }
        }
    }
}
