/// Speculative decoding: a cheap drafter proposes several tokens, and the model checks them all
/// in one batched forward pass, which costs about as much as one decoding step.
///
/// Greedy decoding (temperature 0) gives exactly the tokens the model gives alone. With
/// sampling, each drafted token is accepted with probability `min(1, p/q)` (the model's
/// probability over the drafter's) and a rejected one is replaced by a draw from the normalized
/// `max(0, p - q)`, so the tokens follow the model's own distribution.
///
/// ```swift
/// let draft = try await Model.load(from: smallURL)
/// var parameters = GenerationParameters.greedy
/// parameters.speculation = SpeculativeDecoding(draft: .model(draft))
/// ```
///
/// Set it on ``GenerationParameters/speculation``. The number of drafted tokens per step adapts
/// to the acceptance rate seen so far; ``GenerationStats/draftedTokens`` and
/// ``GenerationStats/acceptedDraftTokens`` report how it went.
public struct SpeculativeDecoding: Sendable {
    /// Where drafted tokens come from.
    public enum Draft: Sendable {
        /// A smaller model with the same vocabulary (Qwen2.5-Coder-0.5B for the 1.5B, R1's
        /// 1.5B distill for the 7B). It gets its own KV cache; a draft whose vocabulary differs
        /// from the model's is refused with ``SpeculativeDecodingError/vocabularyMismatch(_:)``.
        case model(Model)
        /// Prompt lookup: the tokens that followed the latest earlier occurrence of the last
        /// `ngram` tokens (falling back to shorter n-grams down to 1). Needs no second model and
        /// helps where the output repeats the input (summaries, code edits).
        case promptLookup(ngram: Int = 3)
    }

    /// Where drafted tokens come from.
    public var draft: Draft
    /// The most tokens drafted in one step.
    public var maxDraftTokens: Int
    /// Whether the number of drafted tokens adapts to the acceptance rate (otherwise it is
    /// always ``maxDraftTokens``).
    public var isAdaptive: Bool
    /// With a draft model: its logits cover only the first this many token ids plus the special
    /// ones (so its last matmul reads that share of its output matrix, which is over a third of
    /// what Qwen2.5-Coder-0.5B reads per token at 151,936 tokens); nil for the whole vocabulary. Tokens
    /// outside are never drafted, so the output is unchanged (the model chooses them when it
    /// verifies) and only the acceptance can drop. Used on the CPU backend; other backends
    /// draft over the whole vocabulary. By default ``trimmedDraftVocabularySize``: with the
    /// 0.5B drafting for the 1.5B on code (2-core AVX-512 machine, 3 drafted tokens a step) it
    /// took the speedup from 1.23-1.33x to 1.52-1.56x, acceptance 84% → 80%
    /// (docs/speculative-and-prompt-caches.md).
    public var draftVocabularySize: Int?
    /// For tests: rewrites each proposal before verification (to force rejections and so
    /// exercise the rollback of both caches). Rewritten tokens count as chosen with
    /// probability 1, so use it with greedy decoding only.
    package var rewriteProposal: (@Sendable (_ context: [Int32], _ proposal: [Int32]) -> [Int32])?

    /// Speculative decoding with `draft`, drafting up to `maxDraftTokens` tokens per step, a
    /// draft model's logits covering `draftVocabularySize` leading token ids (see
    /// ``draftVocabularySize``; nil for the whole vocabulary).
    public init(draft: Draft, maxDraftTokens: Int = 8, isAdaptive: Bool = true,
                draftVocabularySize: Int? = SpeculativeDecoding.trimmedDraftVocabularySize) {
        self.draft = draft
        self.maxDraftTokens = maxDraftTokens
        self.isAdaptive = isAdaptive
        self.draftVocabularySize = draftVocabularySize
    }

    /// The default ``draftVocabularySize``: 32,768 ids, about a fifth of Qwen2.5's vocabulary.
    public static let trimmedDraftVocabularySize: Int? = DraftVocabulary.defaultSize
}

/// Why speculative decoding cannot run.
public enum SpeculativeDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The draft model's tokens do not mean the same as the model's; the reason says where they
    /// first differ.
    case vocabularyMismatch(String)
    /// The model's backend cannot return the logits of every token of a batch.
    case unsupported(String)

    /// A readable description.
    public var description: String {
        switch self {
        case .vocabularyMismatch(let why): "the draft model's vocabulary differs from the model's: \(why)"
        case .unsupported(let why): "speculative decoding is not available: \(why)"
        }
    }
}
