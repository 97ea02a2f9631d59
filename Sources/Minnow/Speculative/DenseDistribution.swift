/// Probability vectors over a whole vocabulary, and the draws speculative sampling needs.
package enum DenseDistribution {
    /// Draws an index in proportion to `probabilities` (which need not sum exactly to 1). With a
    /// single non-zero entry no random number is used. Nil when every entry is zero.
    package static func draw(_ probabilities: [Float], using generator: inout SeededRandomNumberGenerator) -> Int32? {
        var total: Float = 0
        var nonZero = 0
        var last = -1
        for (index, p) in probabilities.enumerated() where p > 0 {
            total += p
            nonZero += 1
            last = index
        }
        guard nonZero > 0 else { return nil }
        if nonZero == 1 { return Int32(last) }
        let target = generator.nextUnitFloat() * total
        var cumulative: Float = 0
        for (index, p) in probabilities.enumerated() where p > 0 {
            cumulative += p
            if target < cumulative { return Int32(index) }
        }
        return Int32(last)
    }

    /// The outcome of checking one drafted token against the model's distribution `target`:
    /// nil when the draft is accepted, otherwise the token to use instead.
    ///
    /// The standard rule: accept with probability `min(1, p(d) / q(d))`; on rejection draw from
    /// `max(0, p - q)` normalized. `draft` nil means the drafter chose `token` with probability 1.
    /// When `p(d) ≥ q(d)` or `p(d) = 0` no random number is used, so a greedy target never
    /// consumes randomness.
    package static func verify(
        token: Int32, draft: [Float]?, target: [Float], using generator: inout SeededRandomNumberGenerator
    ) -> Int32? {
        let index = Int(token)
        let p: Float = index >= 0 && index < target.count ? target[index] : 0
        let q: Float = draft.map { index < $0.count ? $0[index] : 0 } ?? 1
        if p > 0 {
            if p >= q { return nil }
            if generator.nextUnitFloat() < p / q { return nil }
        }
        var residual = target
        if let draft {
            for i in residual.indices where i < draft.count { residual[i] = max(0, residual[i] - draft[i]) }
        } else if index >= 0 && index < residual.count {
            residual[index] = 0
        }
        // Rounding can leave nothing; then the model's own distribution is the right fallback.
        return draw(residual, using: &generator) ?? draw(target, using: &generator)
    }
}

extension TokenCandidates {
    /// The candidates' softmax probabilities spread over a vector of `size` entries indexed by
    /// token id (zero for tokens that are not candidates).
    package func denseProbabilities(size: Int) -> [Float] {
        var dense = [Float](repeating: 0, count: size)
        for (id, p) in zip(ids, probabilities()) where Int(id) >= 0 && Int(id) < size { dense[Int(id)] = p }
        return dense
    }
}

extension SamplerChain {
    /// The candidates left after every stage has run over `logits`: the distribution
    /// ``select(from:context:using:)`` draws from.
    func candidates(from logits: [Float], context: SamplingContext) -> TokenCandidates {
        var candidates = TokenCandidates(logits: logits)
        for sampler in samplers { sampler.apply(to: &candidates, context: context) }
        return candidates
    }
}
