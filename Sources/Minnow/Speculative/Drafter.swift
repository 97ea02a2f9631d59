import MinnowEngine

/// Tokens a drafter proposes, with the distribution each was drawn from when it was sampled.
struct DraftProposal {
    /// The proposed tokens, in order.
    var tokens: [Int32] = []
    /// For each token, the drafter's probabilities over the model's vocabulary (dense), or nil
    /// when the token was chosen deterministically (probability 1).
    var distributions: [[Float]?] = []
    /// How many tokens a draft model evaluated to make the proposal (catching up with the
    /// sequence, then drafting); 0 for drafters without a model. The draft-length controller
    /// divides the drafting time by it, so that a long catch-up after a pause in drafting does
    /// not count as the cost of the few tokens drafted then.
    var evaluatedTokens = 0
}

/// Proposes tokens that continue a sequence, for the model to verify.
protocol Drafter: AnyObject {
    /// Up to `count` tokens that continue `context` (every token so far: prompt and output).
    /// `sampling` says how to choose them; an empty proposal is allowed.
    func propose(after context: [Int32], count: Int, sampling: DraftSampling) throws -> DraftProposal
    /// Gets ready to draft after `prompt` (a draft model evaluates it), so that this work counts
    /// as prompt processing rather than decoding.
    func prepare(prompt: [Int32])
}

extension Drafter {
    /// Nothing to prepare by default.
    func prepare(prompt: [Int32]) {}
}

/// How a drafter chooses its tokens: the generation's sampler chain and its context.
struct DraftSampling {
    /// The generation's sampler chain.
    var chain: SamplerChain
    /// The sampling context at the first drafted token.
    var context: SamplingContext
    /// The penalty window (to keep ``context`` as long as the generation's).
    var window: Int
    /// The model's vocabulary size (the length of dense distributions).
    var vocabularySize: Int
    /// Whether the chain is deterministic (greedy): then drafted tokens need no distribution.
    var isGreedy: Bool

    /// The context after `token` was chosen.
    func advanced(_ context: SamplingContext, by token: Int32) -> SamplingContext {
        var next = context
        next.recentTokens.append(token)
        if next.recentTokens.count > window { next.recentTokens.removeFirst(next.recentTokens.count - max(0, window)) }
        next.generatedCount += 1
        return next
    }
}

/// Drafts with a smaller model that shares the vocabulary, on its own KV cache, which it keeps
/// in step with the sequence by reusing the longest common prefix (so rejected drafts are
/// rolled back by truncation).
final class ModelDrafter: Drafter {
    private let session: any EvaluationSession
    private var random: SeededRandomNumberGenerator

    /// A drafter over `session`, the draft model's evaluation session.
    init(session: any EvaluationSession, seed: UInt64) {
        self.session = session
        self.random = SeededRandomNumberGenerator(seed: seed)
    }

    func propose(after context: [Int32], count: Int, sampling: DraftSampling) throws -> DraftProposal {
        var proposal = DraftProposal()
        guard count > 0, !context.isEmpty else { return proposal }
        // The draft's context may be shorter than the model's: it then stops drafting.
        let room = session.capacity - context.count
        guard room > 0, var logits = catchUp(context, evaluated: &proposal.evaluatedTokens) else { return proposal }
        var samplingContext = sampling.context
        for index in 0..<min(count, room) {
            let token: Int32
            if sampling.isGreedy {
                guard let chosen = sampling.chain.select(from: logits, context: samplingContext, using: &random)
                else { break }
                token = chosen
                proposal.distributions.append(nil)
            } else {
                let candidates = sampling.chain.candidates(from: logits, context: samplingContext)
                let dense = candidates.denseProbabilities(size: sampling.vocabularySize)
                guard let chosen = DenseDistribution.draw(dense, using: &random) else { break }
                token = chosen
                proposal.distributions.append(dense)
            }
            proposal.tokens.append(token)
            samplingContext = sampling.advanced(samplingContext, by: token)
            // The last drafted token need not be evaluated: the next call catches up.
            if index + 1 < min(count, room) {
                do {
                    logits = try session.evaluate([token], shouldContinue: { true })
                    proposal.evaluatedTokens += 1
                } catch is EvaluationError {
                    break
                }
            }
        }
        return proposal
    }

    func prepare(prompt: [Int32]) {
        guard !prompt.isEmpty, prompt.count < session.capacity else { return }
        var evaluated = 0
        _ = catchUp(prompt, evaluated: &evaluated)
    }

    /// Brings the draft's cache to `context` (reusing the longest common prefix, which rolls back
    /// rejected drafts) and returns the logits after it; nil when it does not fit.
    private func catchUp(_ context: [Int32], evaluated: inout Int) -> [Float]? {
        let cached = session.tokens
        var common = 0
        let limit = min(cached.count, context.count)
        while common < limit && cached[common] == context[common] { common += 1 }
        if common == context.count { common -= 1 }
        session.truncate(to: common)
        evaluated += context.count - common
        return try? session.evaluate(Array(context[common...]), shouldContinue: { true })
    }
}

/// Prompt-lookup drafting: finds the latest earlier occurrence of the sequence's last n tokens
/// (n from ``ngram`` down to 1) and proposes the tokens that followed it.
final class PromptLookupDrafter: Drafter {
    private let ngram: Int

    /// A drafter matching n-grams of up to `ngram` tokens.
    init(ngram: Int) {
        self.ngram = max(1, ngram)
    }

    func propose(after context: [Int32], count: Int, sampling: DraftSampling) throws -> DraftProposal {
        var proposal = DraftProposal()
        guard count > 0 else { return proposal }
        for n in stride(from: min(ngram, context.count - 1), through: 1, by: -1) {
            let key = context[(context.count - n)...]
            // Latest match first; the match must end before the key itself.
            var start = context.count - n - 1
            while start >= 0 {
                if context[start..<(start + n)].elementsEqual(key) {
                    let follow = context[(start + n)..<min(start + n + count, context.count)]
                    proposal.tokens = Array(follow)
                    proposal.distributions = Array(repeating: nil, count: proposal.tokens.count)
                    return proposal
                }
                start -= 1
            }
        }
        return proposal
    }
}

/// A drafter whose proposals pass through a rewrite (see
/// ``SpeculativeDecoding/rewriteProposal``).
final class RewritingDrafter: Drafter {
    private let base: any Drafter
    private let rewrite: @Sendable ([Int32], [Int32]) -> [Int32]

    init(base: any Drafter, rewrite: @escaping @Sendable ([Int32], [Int32]) -> [Int32]) {
        self.base = base
        self.rewrite = rewrite
    }

    func prepare(prompt: [Int32]) { base.prepare(prompt: prompt) }

    func propose(after context: [Int32], count: Int, sampling: DraftSampling) throws -> DraftProposal {
        let original = try base.propose(after: context, count: count, sampling: sampling)
        let tokens = Array(rewrite(context, original.tokens).prefix(count))
        var proposal = DraftProposal(tokens: tokens, distributions: [], evaluatedTokens: original.evaluatedTokens)
        for (index, token) in tokens.enumerated() {
            let same = index < original.tokens.count && original.tokens[index] == token
            proposal.distributions.append(same ? original.distributions[index] : nil)
        }
        return proposal
    }
}
