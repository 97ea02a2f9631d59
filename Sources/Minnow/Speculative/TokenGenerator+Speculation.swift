import MinnowEngine

/// A generation's drafter and how many tokens it drafts.
final class SpeculationState {
    /// Proposes the tokens.
    let drafter: any Drafter
    /// Chooses how many.
    var controller: DraftLengthController

    /// State for `drafter`.
    init(drafter: any Drafter, controller: DraftLengthController) {
        self.drafter = drafter
        self.controller = controller
    }
}

extension TokenGenerator {
    /// One step of speculative decoding: choose (or take the pending) next token, draft a few
    /// after it, evaluate it and the drafts in one batch, and keep the drafts the model agrees
    /// with plus the model's own token after them, which becomes the next pending token. The
    /// rejected drafts are dropped from the KV cache by truncation.
    ///
    /// Greedy: a draft is kept when it is the chain's choice for the logits of its position, so
    /// the tokens are exactly the non-speculative ones (given batch-invariant logits). Sampling:
    /// ``DenseDistribution/verify(token:draft:target:using:)``'s rejection rule.
    func speculativeStep() throws -> StopReason? {
        guard let speculation else { return nil }
        if shouldStop { return .cancelled }
        if isThinkingBudgetSpent {
            let tokens = (pending.map { [$0] } ?? []) + (try closeReasoning())
            pending = nil
            return try evaluate(tokens)
        }
        let first: Int32
        if let pending {
            first = pending
            self.pending = nil
        } else {
            guard let token = chain.select(from: logits, context: samplingContext, using: &random) else {
                throw ChatSessionError.evaluationFailed("the model returned no logits")
            }
            if let stop = take(token) { return stop }
            first = token
        }
        let stepStart = ContinuousClock.now
        let base = session.tokens.count
        let limit = min(parameters.maxTokens - stats.generatedTokens, session.capacity - base - 1)
        let length = min(speculation.controller.nextLength(), max(0, limit))
        let isGreedy = chain.samplers.contains { $0 is GreedySampler }
        var proposal = DraftProposal()
        let clock = ContinuousClock()
        let draftStart = clock.now
        if length > 0 {
            let sampling = DraftSampling(
                chain: chain, context: samplingContext, window: parameters.penaltyWindow,
                vocabularySize: session.vocabularySize, isGreedy: isGreedy)
            proposal = try speculation.drafter.propose(after: session.tokens + [first], count: length, sampling: sampling)
            if proposal.tokens.count > length { proposal.tokens.removeLast(proposal.tokens.count - length) }
        }
        let verifyStart = clock.now
        let rows: [[Float]]
        do {
            rows = try session.evaluateEach([first] + proposal.tokens)
        } catch let error as EvaluationError {
            return try Self.stopReason(for: error)
        }
        let verifyEnd = clock.now
        let drafted = proposal.tokens.count
        var accepted = 0
        var stop: StopReason?
        var kept = rows.count
        for (index, row) in rows.enumerated() {
            if isThinkingBudgetSpent {
                // The next step closes the reasoning after the tokens kept so far.
                logits = row
                kept = index + 1
                break
            }
            let chosen: Int32
            if index < drafted && !isGreedy {
                let target = chain.candidates(from: row, context: samplingContext)
                    .denseProbabilities(size: session.vocabularySize)
                chosen = DenseDistribution.verify(
                    token: proposal.tokens[index], draft: proposal.distributions[index], target: target,
                    using: &random) ?? proposal.tokens[index]
            } else {
                guard let token = chain.select(from: row, context: samplingContext, using: &random) else {
                    throw ChatSessionError.evaluationFailed("the model returned no logits")
                }
                chosen = token
            }
            let matches = index < drafted && chosen == proposal.tokens[index]
            if matches { accepted += 1 }
            if let reason = take(chosen) {
                stop = reason
                kept = index + 1
                break
            }
            if !matches {
                pending = chosen
                kept = index + 1
                break
            }
        }
        // Keep `first` and the accepted drafts; forget the rejected ones.
        session.truncate(to: base + min(kept, 1 + accepted))
        stats.draftedTokens += drafted
        stats.acceptedDraftTokens += accepted
        speculation.controller.record(
            drafted: drafted, accepted: accepted, rows: rows.count,
            draftingSeconds: Self.seconds(verifyStart - draftStart), verifyingSeconds: Self.seconds(verifyEnd - verifyStart),
            draftEvaluations: proposal.evaluatedTokens, stepSeconds: Self.seconds(ContinuousClock.now - stepStart))
        return stop
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// The sampling context of the next token.
    private var samplingContext: SamplingContext {
        SamplingContext(recentTokens: recentTokens, generatedCount: stats.generatedTokens)
    }
}
