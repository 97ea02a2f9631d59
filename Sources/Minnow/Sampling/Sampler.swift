/// One stage of a sampling chain: it narrows or reshapes the candidate tokens.
///
/// Minnow's built-in stages (penalties, top-k, top-p, min-p, temperature) are samplers too;
/// a ``SamplerChain`` runs them in order and then draws one token from what is left, in
/// proportion to `exp(logit)`. Write your own to add a logit bias, ban tokens, or constrain the
/// output, and plug it in with ``GenerationParameters/additionalSamplers`` or a whole
/// ``GenerationParameters/samplerChain``.
///
/// ```swift
/// struct BanToken: Sampler {
///     let id: Int32
///     func apply(to candidates: inout TokenCandidates, context: SamplingContext) {
///         candidates.keep { token, _ in token != id }
///     }
/// }
/// ```
public protocol Sampler: Sendable {
    /// Narrows or reshapes `candidates` in place. `context` gives the tokens seen so far.
    func apply(to candidates: inout TokenCandidates, context: SamplingContext)
}

/// What a ``Sampler`` may look at besides the candidates.
public struct SamplingContext: Sendable {
    /// The recent tokens of the sequence (prompt and generated), oldest first, up to the
    /// penalty window of the parameters.
    public var recentTokens: [Int32]
    /// The number of tokens generated so far in this call.
    public var generatedCount: Int

    /// A context with the given recent tokens and generated count.
    public init(recentTokens: [Int32] = [], generatedCount: Int = 0) {
        self.recentTokens = recentTokens
        self.generatedCount = generatedCount
    }
}
