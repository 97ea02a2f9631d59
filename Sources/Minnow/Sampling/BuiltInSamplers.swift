import Foundation

/// Keeps the `k` most likely tokens. A `k` of 0 or less keeps every token.
public struct TopKSampler: Sampler {
    /// How many tokens to keep.
    public var k: Int
    /// A top-k stage keeping `k` tokens.
    public init(k: Int) { self.k = k }
    /// Keeps the `k` best candidates.
    public func apply(to candidates: inout TokenCandidates, context: SamplingContext) {
        guard k > 0 else { return }
        candidates.keepTop(k)
    }
}

/// Nucleus sampling: keeps the smallest set of most likely tokens whose probabilities add up
/// to at least `p`. A `p` of 1 or more keeps every token.
public struct TopPSampler: Sampler {
    /// The cumulative probability to reach.
    public var p: Float
    /// The smallest number of tokens to keep.
    public var minKeep: Int
    /// A top-p stage with threshold `p`.
    public init(p: Float, minKeep: Int = 1) {
        self.p = p
        self.minKeep = minKeep
    }
    /// Keeps the nucleus of the candidates.
    public func apply(to candidates: inout TokenCandidates, context: SamplingContext) {
        guard p < 1, candidates.count > 1 else { return }
        candidates.sortDescending()
        let probabilities = candidates.probabilities()
        var cumulative: Float = 0
        var keep = probabilities.count
        for (index, probability) in probabilities.enumerated() {
            cumulative += probability
            if cumulative >= p && index + 1 >= minKeep {
                keep = index + 1
                break
            }
        }
        candidates.keepPrefix(keep)
    }
}

/// Keeps the tokens whose probability is at least `p` times the probability of the most likely
/// token. A `p` of 0 or less keeps every token.
public struct MinPSampler: Sampler {
    /// The fraction of the best token's probability a token needs.
    public var p: Float
    /// A min-p stage with threshold `p`.
    public init(p: Float) { self.p = p }
    /// Drops the candidates below the threshold.
    public func apply(to candidates: inout TokenCandidates, context: SamplingContext) {
        guard p > 0, let best = candidates.bestIndex else { return }
        // p_i >= p * p_best  <=>  logit_i >= logit_best + ln(p)
        let threshold = candidates.logits[best] + log(p)
        candidates.keep { _, logit in logit >= threshold }
    }
}

/// Divides the logits by the temperature. A temperature of 0 or less keeps only the most
/// likely token (greedy decoding).
public struct TemperatureSampler: Sampler {
    /// The temperature.
    public var temperature: Float
    /// A temperature stage.
    public init(temperature: Float) { self.temperature = temperature }
    /// Scales the logits, or keeps only the best candidate at temperature 0.
    public func apply(to candidates: inout TokenCandidates, context: SamplingContext) {
        if temperature <= 0 {
            GreedySampler().apply(to: &candidates, context: context)
        } else if temperature != 1 {
            let t = temperature
            candidates.transformLogits { $0 / t }
        }
    }
}

/// Keeps only the most likely token (the lowest id among exact ties).
public struct GreedySampler: Sampler {
    /// A greedy stage.
    public init() {}
    /// Keeps the single best candidate.
    public func apply(to candidates: inout TokenCandidates, context: SamplingContext) {
        guard let best = candidates.bestIndex else { return }
        candidates = TokenCandidates(ids: [candidates.ids[best]], logits: [candidates.logits[best]])
    }
}

/// Repetition, presence and frequency penalties over the recent tokens, as llama.cpp applies
/// them: for a token seen `n` times in the window, a positive logit is divided by the
/// repetition penalty and a negative one multiplied by it; then
/// `n * frequency + (n > 0 ? presence : 0)` is subtracted.
public struct PenaltySampler: Sampler {
    /// The repetition penalty; 1 disables it.
    public var repetition: Float
    /// The presence penalty; 0 disables it.
    public var presence: Float
    /// The frequency penalty; 0 disables it.
    public var frequency: Float

    /// A penalty stage.
    public init(repetition: Float = 1, presence: Float = 0, frequency: Float = 0) {
        self.repetition = repetition
        self.presence = presence
        self.frequency = frequency
    }

    /// Whether the stage changes anything.
    public var isActive: Bool { repetition != 1 || presence != 0 || frequency != 0 }

    /// Penalizes the candidates that occur in `context.recentTokens`.
    public func apply(to candidates: inout TokenCandidates, context: SamplingContext) {
        guard isActive, !context.recentTokens.isEmpty else { return }
        var counts: [Int32: Int] = [:]
        for token in context.recentTokens { counts[token, default: 0] += 1 }
        // Visit only the penalized tokens: the window is short, the vocabulary long.
        for (token, n) in counts {
            guard let index = candidates.index(of: token) else { continue }
            var logit = candidates.logits[index]
            if repetition != 1 {
                logit = logit > 0 ? logit / repetition : logit * repetition
            }
            logit -= Float(n) * frequency + presence
            candidates.setLogit(logit, at: index)
        }

    }
}
