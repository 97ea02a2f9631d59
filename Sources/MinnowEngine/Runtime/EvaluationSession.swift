/// PROVISIONAL CONTRACT between the engine and the public API (owned by the engine).
///
/// One sequence's evaluation state: the model's weights (shared) plus this sequence's KV cache
/// and the tokens in it. Not thread-safe: one owner (an actor) drives it at a time.
package protocol EvaluationSession: AnyObject {
    /// Number of logits per position.
    var vocabularySize: Int { get }
    /// Maximum number of tokens the KV cache holds.
    var capacity: Int { get }
    /// The tokens whose keys and values are in the cache, in order.
    var tokens: [Int32] { get }
    /// Forgets every token at position `count` and later, keeping the first `count`.
    func truncate(to count: Int)
    /// Appends `newTokens` to the cache, evaluating them in batches, and returns the logits of
    /// the last one (`vocabularySize` values). `shouldContinue` is called between batches; when it
    /// returns false evaluation stops, the tokens evaluated so far stay cached, and
    /// `EvaluationError.cancelled` is thrown. Throws `EvaluationError.contextFull` when the tokens
    /// do not fit, before evaluating any.
    func evaluate(_ newTokens: [Int32], shouldContinue: () -> Bool) throws -> [Float]
    /// Appends `newTokens` like ``evaluate(_:shouldContinue:)`` and returns the logits after
    /// each of them, in order (as speculative decoding's verification needs). Throws
    /// `EvaluationError.contextFull` before evaluating any when they do not fit. On the CPU
    /// backend each row's logits are bit-for-bit those of evaluating the tokens one at a time.
    func evaluateEach(_ newTokens: [Int32]) throws -> [[Float]]
    /// A copy of the cached tokens with their keys and values (for a prompt cache on disk).
    /// Throws ``SnapshotError/unsupported(backend:)`` where the cache cannot be copied.
    func snapshot() throws -> SessionSnapshot
    /// Replaces the cached tokens, keys and values with the snapshot's. Throws
    /// ``SnapshotError`` when its layout differs from the cache's or it does not fit.
    func restore(_ snapshot: SessionSnapshot) throws
}

extension EvaluationSession {
    /// One token at a time: correct on any session, without the batching.
    package func evaluateEach(_ newTokens: [Int32]) throws -> [[Float]] {
        let requested = tokens.count + newTokens.count
        if requested > capacity { throw EvaluationError.contextFull(capacity: capacity, requested: requested) }
        return try newTokens.map { try evaluate([$0], shouldContinue: { true }) }
    }

    /// Not supported by default.
    package func snapshot() throws -> SessionSnapshot { throw SnapshotError.unsupported(backend: "\(Self.self)") }

    /// Not supported by default.
    package func restore(_ snapshot: SessionSnapshot) throws {
        throw SnapshotError.unsupported(backend: "\(Self.self)")
    }
}

/// Errors raised while evaluating tokens.
package enum EvaluationError: Error, Equatable {
    /// The cache holds `capacity` tokens and `requested` were needed.
    case contextFull(capacity: Int, requested: Int)
    /// `shouldContinue` returned false.
    case cancelled
    /// A token id outside the vocabulary.
    case invalidToken(Int32)
}
