/// A KV cache and token evaluation over a ``TransformerModel`` on any ``Backend``: one sequence, the
/// single-sequence case of the engine's multi-sequence session.
public final class ModelSession: EvaluationSession {
    private let sequences: MultiSequenceSession

    /// Creates a session with a KV cache of `capacity` positions.
    public init(model: TransformerModel, backend: any Backend, weights: (any LoadedWeights)? = nil,
                 capacity: Int, cacheType: KVCacheType = .f16, maxBatch: Int = 128) throws {
        sequences = try MultiSequenceSession(model: model, backend: backend, weights: weights, capacity: capacity,
                                             sequences: 1, cacheType: cacheType, maxBatch: maxBatch)
    }

    /// The model.
    public var model: TransformerModel { sequences.model }
    /// The backend that runs it.
    public var backend: any Backend { sequences.backend }
    /// The most tokens evaluated in one graph execution.
    public var maxBatch: Int { sequences.maxBatch }
    /// The tokens in the cache.
    public var tokens: [Int32] { sequences.tokens(of: 0) }
    /// Number of logits per position.
    public var vocabularySize: Int { sequences.vocabularySize }
    /// Positions the KV cache holds.
    public var capacity: Int { sequences.capacity }

    /// Forgets the tokens at `count` and later.
    public func truncate(to count: Int) {
        sequences.truncate(0, to: count)
    }

    /// Evaluates `newTokens` in batches; returns the last one's logits.
    public func evaluate(_ newTokens: [Int32], shouldContinue: () -> Bool) throws -> [Float] {
        try sequences.evaluate(newTokens, sequence: 0, shouldContinue: shouldContinue)
    }

    /// Evaluates `newTokens` in batches of up to ``maxBatch``; returns the logits after each.
    package func evaluateEach(_ newTokens: [Int32]) throws -> [[Float]] {
        try sequences.evaluateEach(newTokens, sequence: 0)
    }

    /// A copy of the cached tokens with their keys and values.
    package func snapshot() throws -> SessionSnapshot { try sequences.snapshot(of: 0) }

    /// Replaces the cache's tokens, keys and values with the snapshot's.
    package func restore(_ snapshot: SessionSnapshot) throws { try sequences.restore(snapshot, into: 0) }

    /// Evaluates `newTokens` and calls `body(i, logits)` with the logits after each of them,
    /// in order (`logits` holds `vocabularySize` values and is valid only during the call).
    public func evaluateAll(_ newTokens: [Int32], batch: Int = 32, _ body: (Int, UnsafeBufferPointer<Float>) throws -> Void) throws {
        try sequences.evaluateAll(newTokens, sequence: 0, batch: batch, body)
    }
}
