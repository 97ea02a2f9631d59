/// An ``EvaluationSession`` over a ``TransformerModel`` on any ``Backend``.
package final class ModelSession: EvaluationSession {
    /// The model.
    package let model: TransformerModel
    /// The backend that runs it.
    package let backend: any Backend
    private let weights: any LoadedWeights
    private let cache: any KVCacheStorage
    /// The most tokens evaluated in one graph execution.
    package let maxBatch: Int
    private var graphs: [GraphKey: Graph] = [:]
    /// The tokens in the cache.
    package private(set) var tokens: [Int32] = []

    private struct GraphKey: Hashable {
        let batch: Int
        let allLogits: Bool
    }

    /// Creates a session with a KV cache of `capacity` positions.
    package init(model: TransformerModel, backend: any Backend, weights: (any LoadedWeights)? = nil,
                 capacity: Int, cacheType: KVCacheType = .f16, maxBatch: Int = 128) throws {
        guard capacity > 0 else { throw EvaluationError.contextFull(capacity: 0, requested: 1) }
        self.model = model
        self.backend = backend
        self.weights = try weights ?? backend.loadWeights(model.weights)
        self.cache = try backend.makeKVCache(model.cacheSpec(capacity: capacity, type: cacheType))
        self.maxBatch = max(1, maxBatch)
        try backend.validate(model.graph(batchSize: 1, allLogits: false), weights: model.weights)
    }

    /// Number of logits per position.
    package var vocabularySize: Int { model.vocabularySize }
    /// Positions the KV cache holds.
    package var capacity: Int { cache.spec.capacity }

    /// Forgets the tokens at `count` and later.
    package func truncate(to count: Int) {
        if count < tokens.count { tokens.removeLast(tokens.count - max(0, count)) }
    }

    private func graph(batch: Int, allLogits: Bool) throws -> Graph {
        let key = GraphKey(batch: batch, allLogits: allLogits)
        if let g = graphs[key] { return g }
        let g = try model.graph(batchSize: batch, allLogits: allLogits)
        if graphs.count > 16 { graphs.removeAll() }
        graphs[key] = g
        return g
    }

    private func check(_ newTokens: [Int32]) throws {
        let requested = tokens.count + newTokens.count
        if requested > capacity { throw EvaluationError.contextFull(capacity: capacity, requested: requested) }
        let vocabulary = model.weights.info(model.tokenEmbedding).rowCount
        if let bad = newTokens.first(where: { $0 < 0 || Int($0) >= vocabulary }) { throw EvaluationError.invalidToken(bad) }
    }

    /// Evaluates `newTokens` in batches; returns the last one's logits.
    package func evaluate(_ newTokens: [Int32], shouldContinue: () -> Bool) throws -> [Float] {
        try check(newTokens)
        guard !newTokens.isEmpty else { return [] }
        var logits: [Float] = []
        var start = 0
        while start < newTokens.count {
            if start > 0 && !shouldContinue() { throw EvaluationError.cancelled }
            let batch = Array(newTokens[start..<min(start + maxBatch, newTokens.count)])
            logits = try backend.execute(graph(batch: batch.count, allLogits: false),
                                         inputs: GraphInputs(tokens: batch, startPosition: tokens.count),
                                         weights: weights, cache: cache)
            tokens.append(contentsOf: batch)
            start += batch.count
        }
        return logits
    }

    /// Evaluates `newTokens` and calls `body(i, logits)` with the logits after each of them,
    /// in order (`logits` holds `vocabularySize` values and is valid only during the call).
    package func evaluateAll(_ newTokens: [Int32], batch: Int = 32, _ body: (Int, UnsafeBufferPointer<Float>) throws -> Void) throws {
        try check(newTokens)
        var start = 0
        let vocabulary = vocabularySize
        while start < newTokens.count {
            let part = Array(newTokens[start..<min(start + max(1, batch), newTokens.count)])
            let logits = try backend.execute(graph(batch: part.count, allLogits: true),
                                             inputs: GraphInputs(tokens: part, startPosition: tokens.count),
                                             weights: weights, cache: cache)
            tokens.append(contentsOf: part)
            try logits.withUnsafeBufferPointer { all in
                for r in 0..<part.count {
                    try body(start + r, UnsafeBufferPointer(rebasing: all[(r * vocabulary)..<((r + 1) * vocabulary)]))
                }
            }
            start += part.count
        }
    }
}
