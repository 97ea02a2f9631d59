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
