/// One event of a generation stream.
public enum GenerationEvent: Sendable, Equatable {
    /// A piece of reasoning: text the model wrote inside `<think>…</think>`.
    case reasoning(String)
    /// A piece of the answer.
    case text(String)
    /// A call to one of the chat's tools (see ``ToolDefinition``): the tool's name and its
    /// arguments as compact JSON text. The call's own text is not part of the answer.
    case toolCall(name: String, arguments: String)
    /// The end of the generation, with its statistics. Always the last event.
    case done(GenerationStats)
}

/// Why a generation stopped.
public enum StopReason: Sendable, Equatable, Hashable {
    /// The model produced an end-of-sequence (or end-of-turn) token.
    case endOfSequence
    /// The answer contained this stop string.
    case stopString(String)
    /// The generation reached ``GenerationParameters/maxTokens``.
    case maxTokens
    /// The consumer cancelled the task or dropped the stream.
    case cancelled
    /// The context window (the KV cache) is full.
    case contextFull
}

/// Counts and speeds of one generation.
public struct GenerationStats: Sendable, Equatable {
    /// Tokens in the prompt, the reused ones included.
    public var promptTokens: Int
    /// Prompt tokens found already in the KV cache and not evaluated again.
    public var cachedTokens: Int
    /// Tokens generated, reasoning included.
    public var generatedTokens: Int
    /// Of ``generatedTokens``, those spent reasoning.
    public var reasoningTokens: Int
    /// Prompt tokens evaluated per second (the non-cached ones).
    public var promptTokensPerSecond: Double
    /// Generated tokens per second.
    public var decodeTokensPerSecond: Double
    /// Time spent evaluating the prompt.
    public var promptDuration: Duration
    /// Time spent generating.
    public var decodeDuration: Duration
    /// Why the generation stopped.
    public var stopReason: StopReason
    /// Under speculative decoding, the tokens the drafter proposed.
    public var draftedTokens = 0
    /// Of ``draftedTokens``, those the model accepted.
    public var acceptedDraftTokens = 0

    /// ``acceptedDraftTokens`` over ``draftedTokens`` (0 when nothing was drafted).
    public var draftAcceptanceRate: Double {
        draftedTokens > 0 ? Double(acceptedDraftTokens) / Double(draftedTokens) : 0
    }

    /// Statistics with the given values.
    public init(
        promptTokens: Int = 0, cachedTokens: Int = 0, generatedTokens: Int = 0, reasoningTokens: Int = 0,
        promptTokensPerSecond: Double = 0, decodeTokensPerSecond: Double = 0,
        promptDuration: Duration = .zero, decodeDuration: Duration = .zero,
        stopReason: StopReason
    ) {
        self.promptTokens = promptTokens
        self.cachedTokens = cachedTokens
        self.generatedTokens = generatedTokens
        self.reasoningTokens = reasoningTokens
        self.promptTokensPerSecond = promptTokensPerSecond
        self.decodeTokensPerSecond = decodeTokensPerSecond
        self.promptDuration = promptDuration
        self.decodeDuration = decodeDuration
        self.stopReason = stopReason
    }
}
