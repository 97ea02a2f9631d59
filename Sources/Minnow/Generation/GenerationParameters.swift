/// How to generate: length, sampling, stop strings and reasoning.
///
/// The defaults follow DeepSeek's advice for the R1 models: temperature 0.6 and top-p 0.95.
/// Set ``temperature`` to 0 for greedy decoding, and ``seed`` for reproducible sampling.
public struct GenerationParameters: Sendable {
    /// The most tokens to generate in one call, reasoning included.
    public var maxTokens: Int
    /// The sampling temperature; 0 or less is greedy decoding.
    public var temperature: Float
    /// Keep only the `topK` most likely tokens before top-p; 0 disables it.
    public var topK: Int
    /// Nucleus sampling threshold; 1 disables it.
    public var topP: Float
    /// Keep only tokens at least `minP` times as likely as the best one; 0 disables it.
    public var minP: Float
    /// Repetition penalty over the last ``penaltyWindow`` tokens; 1 disables it.
    public var repetitionPenalty: Float
    /// Presence penalty over the last ``penaltyWindow`` tokens; 0 disables it.
    public var presencePenalty: Float
    /// Frequency penalty over the last ``penaltyWindow`` tokens; 0 disables it.
    public var frequencyPenalty: Float
    /// How many recent tokens (prompt included) the penalties look at.
    public var penaltyWindow: Int
    /// The seed of the sampler's random generator. With a seed, the same prompt and parameters
    /// give the same tokens; without one, each call draws a fresh seed.
    public var seed: UInt64?
    /// Generation stops when the answer text contains one of these strings. The stop string and
    /// anything after it are not emitted, and no partial match is ever emitted. Stop strings are
    /// matched against the answer, not against reasoning.
    public var stopStrings: [String]
    /// Whether reasoning is shown, and how many tokens it may take.
    public var reasoning: ReasoningOptions
    /// Samplers applied before the built-in stages of the standard chain (a logit bias, a ban
    /// list, a constraint).
    public var additionalSamplers: [any Sampler]
    /// A complete chain to use instead of the standard one built from these parameters. When set,
    /// the sampling fields above (temperature, top-k, top-p, min-p, penalties) are ignored.
    public var samplerChain: SamplerChain?
    /// Speculative decoding with a draft model or prompt lookup; nil (the default) decodes one
    /// token per forward pass. Ignored when ``constraint`` is set: drafts are not checked against
    /// a grammar, so a constrained generation decodes one token per forward pass.
    public var speculation: SpeculativeDecoding? = nil
    /// What the answer must match (a grammar, a JSON schema, JSON mode), or nil for free text.
    /// Applied before the sampler chain, whichever it is.
    public var constraint: GenerationConstraint? = nil
    /// Whether the model may, must or must not call its tools; ``ToolChoice/auto`` by default.
    /// Used by chats (a ``ChatSession``, a ``BatchGenerator`` call with messages); a raw prompt
    /// ignores it. Requiring a call where no tools were given fails with
    /// ``ToolChoiceError/noTools``.
    public var toolChoice: ToolChoice = .auto
    /// Whether the model may make several tool calls in one answer (the default). When false,
    /// generation ends (``StopReason/endOfSequence``) right after the first call: its
    /// `</tool_call>`, or in the DeepSeek-R1 format (``ToolCallFormat/deepSeekR1``) the
    /// `<｜tool▁calls▁end｜>` of a block then held to one call.
    public var parallelToolCalls = true

    /// Parameters with DeepSeek's recommended defaults for R1 (temperature 0.6, top-p 0.95),
    /// top-k 40, no penalties and up to 2048 tokens.
    public init(
        maxTokens: Int = 2048,
        temperature: Float = 0.6,
        topK: Int = 40,
        topP: Float = 0.95,
        minP: Float = 0,
        repetitionPenalty: Float = 1,
        presencePenalty: Float = 0,
        frequencyPenalty: Float = 0,
        penaltyWindow: Int = 64,
        seed: UInt64? = nil,
        stopStrings: [String] = [],
        reasoning: ReasoningOptions = .init(),
        additionalSamplers: [any Sampler] = [],
        samplerChain: SamplerChain? = nil
    ) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.penaltyWindow = penaltyWindow
        self.seed = seed
        self.stopStrings = stopStrings
        self.reasoning = reasoning
        self.additionalSamplers = additionalSamplers
        self.samplerChain = samplerChain
    }

    /// Greedy decoding: always the most likely token.
    public static var greedy: GenerationParameters { GenerationParameters(temperature: 0) }

    /// The chain this generation samples with: ``samplerChain`` or the standard one.
    public var effectiveSamplerChain: SamplerChain {
        samplerChain ?? SamplerChain.standard(for: self)
    }
}

/// Whether reasoning (R1's `<think>…</think>`) is shown, and how long it may be.
public struct ReasoningOptions: Sendable, Equatable {
    /// Whether `.reasoning` events are emitted. Hidden reasoning is still generated.
    public var isVisible: Bool
    /// The most tokens the model may spend reasoning. When reached, Minnow closes the thought
    /// itself (inserting `</think>`) and the model goes on to answer. Nil means no limit; 0 skips
    /// reasoning when the prompt already opened it.
    public var thinkingBudget: Int?

    /// Reasoning options: visible by default, with no budget.
    public init(isVisible: Bool = true, thinkingBudget: Int? = nil) {
        self.isVisible = isVisible
        self.thinkingBudget = thinkingBudget
    }
}
