/// An ordered list of ``Sampler`` stages followed by a random draw.
///
/// ``select(from:context:using:)`` runs every stage over the candidates and then draws one of the
/// survivors in proportion to `exp(logit)`. When a stage leaves a single candidate (greedy), the
/// draw is deterministic.
public struct SamplerChain: Sendable {
    /// The stages, applied in order.
    public var samplers: [any Sampler]

    /// A chain of the given stages.
    public init(_ samplers: [any Sampler]) {
        self.samplers = samplers
    }

    /// The standard chain for `parameters`, in llama.cpp's order: the parameters' additional
    /// samplers, penalties, top-k, top-p, min-p, then temperature (greedy at temperature 0).
    public static func standard(for parameters: GenerationParameters) -> SamplerChain {
        var stages: [any Sampler] = parameters.additionalSamplers
        let penalties = PenaltySampler(
            repetition: parameters.repetitionPenalty,
            presence: parameters.presencePenalty,
            frequency: parameters.frequencyPenalty)
        if penalties.isActive { stages.append(penalties) }
        if parameters.temperature <= 0 {
            stages.append(GreedySampler())
            return SamplerChain(stages)
        }
        if parameters.topK > 0 { stages.append(TopKSampler(k: parameters.topK)) }
        if parameters.topP < 1 { stages.append(TopPSampler(p: parameters.topP)) }
        if parameters.minP > 0 { stages.append(MinPSampler(p: parameters.minP)) }
        stages.append(TemperatureSampler(temperature: parameters.temperature))
        return SamplerChain(stages)
    }

    /// Runs the stages over `logits` and draws a token id. Returns nil only when `logits` is
    /// empty.
    public func select(
        from logits: [Float], context: SamplingContext, using generator: inout SeededRandomNumberGenerator
    ) -> Int32? {
        var candidates = TokenCandidates(logits: logits)
        for sampler in samplers {
            sampler.apply(to: &candidates, context: context)
        }
        return Self.draw(from: candidates, using: &generator)
    }

    /// Draws one candidate in proportion to `exp(logit)`.
    static func draw(from candidates: TokenCandidates, using generator: inout SeededRandomNumberGenerator) -> Int32? {
        guard !candidates.isEmpty else { return nil }
        if candidates.count == 1 { return candidates.ids[0] }
        let probabilities = candidates.probabilities()
        let target = generator.nextUnitFloat()
        var cumulative: Float = 0
        for (index, probability) in probabilities.enumerated() {
            cumulative += probability
            if target < cumulative { return candidates.ids[index] }
        }
        // Rounding left the cumulative sum just below 1: take the last candidate with mass.
        let last = probabilities.lastIndex { $0 > 0 } ?? 0
        return candidates.ids[last]
    }
}
