import MinnowEngine

/// A session over a runtime whose logits cover only some token ids (see
/// ``ModelRuntime/restrictingOutput(to:)``) that hands out logits over the whole vocabulary,
/// negative infinity at the ids it lacks: the drafter and the sampler chain index logits by token
/// id, and a sampled draft then has probability zero outside the kept ids, which keeps the
/// rejection rule of speculative sampling exact.
final class RestrictedOutputSession: EvaluationSession {
    private let base: any EvaluationSession
    private let keptTokens: [Int]
    /// The whole vocabulary's size (the length of the logits handed out).
    let vocabularySize: Int

    /// A session over `base`, whose logit `i` is that of token `keptTokens[i]` (each below
    /// `vocabularySize`).
    init(base: any EvaluationSession, keptTokens: [Int], vocabularySize: Int) {
        self.base = base
        self.keptTokens = keptTokens
        self.vocabularySize = vocabularySize
    }

    var capacity: Int { base.capacity }
    var tokens: [Int32] { base.tokens }

    func truncate(to count: Int) { base.truncate(to: count) }

    func evaluate(_ newTokens: [Int32], shouldContinue: () -> Bool) throws -> [Float] {
        scattered(try base.evaluate(newTokens, shouldContinue: shouldContinue))
    }

    func evaluateEach(_ newTokens: [Int32]) throws -> [[Float]] {
        try base.evaluateEach(newTokens).map(scattered)
    }

    func snapshot() throws -> SessionSnapshot { try base.snapshot() }

    func restore(_ snapshot: SessionSnapshot) throws { try base.restore(snapshot) }

    /// The kept ids' logits at their ids, negative infinity elsewhere.
    private func scattered(_ logits: [Float]) -> [Float] {
        var full = [Float](repeating: -.infinity, count: vocabularySize)
        for (index, id) in keptTokens.enumerated() where index < logits.count && id < vocabularySize {
            full[id] = logits[index]
        }
        return full
    }
}
